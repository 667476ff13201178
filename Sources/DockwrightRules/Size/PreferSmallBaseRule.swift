import DockwrightCore
import DockwrightShell
import DockwrightSyntax

/// Flags a final image built on the full variant of an official image that has a slim or
/// alpine variant.
public struct PreferSmallBaseRule: Rule {
    public static let description = RuleDescription(
        code: "DW003", name: "prefer-small-base", category: .size,
        summary: "Build the final image on a slim or alpine variant of the base image", severity: .info,
        fix: .sometimes,
        rationale: """
            ## Why
            The default tags of official images such as `python`, `node`, `ruby` or `debian` \
            carry compilers, headers and tools that a running application rarely needs: \
            `python:3.12` is about a gigabyte, `python:3.12-slim` a fraction of that. A smaller \
            final image pulls and starts faster and ships fewer packages to patch. Build stages \
            are exempt, since they need those tools and are not shipped: only the stages the \
            final stage (the one a plain `docker build` produces) is built on are checked.

            The rule suggests `-slim` when the final image installs Debian packages (apt, dpkg), \
            which only the Debian-based slim variant keeps; otherwise `-alpine`, except for \
            images whose alpine variant is not a drop-in replacement (python, ruby and rust, \
            where musl changes wheels, gems and build targets) and for final images that copy \
            binaries from other stages, which may need glibc. Images without a suitable \
            variant are not reported. What each image offers is kept as data in \
            `ImageVariants.swift`: python, pypy, node, ruby, golang, php, perl, rust, openjdk, \
            eclipse-temurin, debian, erlang, nginx and httpd.

            ## Fix safety
            Rewriting the tag is unsafe: the smaller variant lacks packages the application \
            may use at run time (shared libraries, `curl`, locales), and alpine uses musl. The \
            fix keeps the registry, repository and version as written and only changes the \
            tag: `3.12` becomes `3.12-slim`, `3.12-bookworm` becomes `3.12-slim-bookworm`, \
            `20-bookworm` becomes `20-bookworm-slim` for node, `bookworm` becomes \
            `bookworm-slim` for debian, and a missing tag (or `latest`) becomes `slim` or \
            `alpine` (`stable-slim` for debian). A reference pinned by digest, or whose tag comes from an ARG, is reported \
            without a fix.

            ## References
            Docker docs, "Choose the right base image"; the image variants sections of the \
            official images' Docker Hub pages.
            """,
        triggering: [
            Example("FROM ↓python:3.12\nRUN pip install --no-cache-dir flask\n"),
            Example("FROM ↓node:20\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n"),
            Example("FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM ↓debian:bookworm\nCOPY --from=build /app /app\n"),
            Example("ARG PYTHON_VERSION=3.12\nFROM --platform=linux/amd64 ↓python:${PYTHON_VERSION}\nRUN apt-get update\n"),
            Example("FROM ↓ruby:3.3-bookworm AS base\nRUN apt-get install -y libpq5\nFROM base\nCMD [\"rails\", \"server\"]\n"),
            Example("FROM ↓docker.io/library/php:8.3-fpm\n"),
        ],
        nonTriggering: [
            Example("FROM python:3.12-slim\n"),
            Example("FROM node:20-alpine3.20\n"),
            Example("FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\n"),
            Example("FROM python:3.12 AS build\nRUN pip wheel -w /wheels flask\nFROM python:3.12-slim\nCOPY --from=build /wheels /wheels\n"),
            Example("FROM php:8.3-apache\nRUN apt-get update\n"),
            Example("FROM ubuntu:24.04\n"),
            Example("FROM myorg/python:3.12\n"),
            Example("FROM golang:1.22\nRUN apt-get update && apt-get install -y git\n"),
        ],
        fixes: [
            FixExample("FROM python:3.12\nCMD [\"python\"]\n", "FROM python:3.12-slim\nCMD [\"python\"]\n", .unsafe),
            FixExample("FROM python:3.12-bookworm\n", "FROM python:3.12-slim-bookworm\n", .unsafe),
            FixExample("FROM node:20\n", "FROM node:20-alpine\n", .unsafe),
            FixExample("from node:20-bookworm\nrun apt-get update\n", "from node:20-bookworm-slim\nrun apt-get update\n", .unsafe),
            FixExample(
                "FROM node:20 AS build\nRUN npm ci\nFROM --platform=linux/arm64 node AS app\nCOPY --from=build /app /app\n",
                "FROM node:20 AS build\nRUN npm ci\nFROM --platform=linux/arm64 node:slim AS app\nCOPY --from=build /app /app\n",
                .unsafe),
            FixExample("FROM debian:bookworm\nRUN apt-get update\n", "FROM debian:bookworm-slim\nRUN apt-get update\n", .unsafe),
            FixExample("FROM eclipse-temurin:21-jdk-jammy\n", "FROM eclipse-temurin:21-jdk-alpine\n", .unsafe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let graph = context.stages
        guard let finalIndex = graph.finalStageIndex else { return [] }
        // The final stage and the stages it is built on (FROM <stage>), root last.
        let chain = graph.baseChain(ofStage: finalIndex)
        guard let rootIndex = chain.last else { return [] }
        let root = graph.stages[rootIndex]
        guard let reference = root.baseImage, reference.isValid, reference.isOfficialImage,
              let variants = ImageVariants.official[reference.familiarName], let token = root.baseToken else { return [] }
        let stages = chain.map { graph.stages[$0] }
        guard let suggestion = variants.smallerTag(
            than: reference.tag, usesApt: stages.contains { usesApt($0, context) },
            mayNeedGlibc: stages.contains { copiesFromGlibcImage($0, graph) }) else { return [] }
        let written = "\(reference.familiarName):\(reference.tag ?? "latest")"
        let better = "\(reference.familiarName):\(suggestion.tag)"
        let kind = suggestion.isAlpine ? "Alpine" : "slim Debian"
        return [Violation(
            range: token.range,
            message: "The final image is built on `\(written)`, the full image; use the \(kind) variant `\(better)`",
            fix: tagFix(token, reference, suggestion, context))]
    }
}

private extension PreferSmallBaseRule {
    /// Programs that install or manage Debian packages.
    static let aptPrograms: Set<String> = ["apt-get", "apt", "aptitude", "dpkg", "add-apt-repository", "apt-key"]

    /// Whether a stage installs Debian packages; a RUN we cannot parse counts when its
    /// text mentions apt or dpkg.
    func usesApt(_ stage: Stage, _ context: RuleContext) -> Bool {
        stage.instructions.contains { instruction in
            guard instruction.kind == .run else { return false }
            guard let script = context.runScript(of: instruction)?.script else {
                let text = instruction.logicalText.string
                return text.contains("apt") || text.contains("dpkg")
            }
            return script.commands.contains { Self.aptPrograms.contains($0.name ?? "") }
        }
    }

    /// Whether a stage copies files from a stage or image that is not Alpine-based, which
    /// may be binaries linked against glibc.
    func copiesFromGlibcImage(_ stage: Stage, _ graph: StageGraph) -> Bool {
        stage.dependencies.contains { dependency in
            guard dependency.kind == .copy else { return false }
            switch dependency.source {
            case .stage(let index):
                guard let image = graph.rootStage(of: index)?.baseImage else { return true }
                return !isAlpine(image)
            case .image(let image):
                return !isAlpine(image)
            case .invalid:
                return true
            }
        }
    }

    func isAlpine(_ image: ImageReference) -> Bool {
        image.isScratch || image.familiarName == "alpine" || (image.tag ?? "").contains("alpine")
    }

    /// Rewrites the tag as written in the FROM line; nil when the line uses a variable,
    /// quotes or a digest.
    func tagFix(
        _ token: Token, _ reference: ImageReference, _ suggestion: ImageVariants.Suggestion, _ context: RuleContext
    ) -> Fix? {
        let written = context.syntax.source.text(in: token.range)
        guard reference.digest == nil, written == token.text, !written.contains("$"), written == reference.text else {
            return nil
        }
        let bytes = Array(written.utf8)
        let lastSlash = bytes.lastIndex(of: UInt8(ascii: "/")) ?? -1
        let edit: Edit
        if let colon = bytes.lastIndex(of: UInt8(ascii: ":")), colon > lastSlash {
            let tagRange = TextRange(start: token.range.start + colon + 1, end: token.range.end)
            edit = Edit(range: tagRange, replacement: suggestion.tag)
        } else {
            edit = .insert(":" + suggestion.tag, at: token.range.end)
        }
        return Fix(title: "Use the `\(suggestion.tag)` variant", applicability: .unsafe, edits: [edit])
    }
}
