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
            eclipse-temurin, debian, erlang, nginx and httpd; node and golang versions older \
            than their first alpine tag (node 6, Go 1.6) get no alpine suggestion.

            ## The smaller base must still build
            The full variants are built on buildpack-deps, which brings curl, wget, gpg, git, \
            ssh, procps, compilers, make, xz, unzip and python3; the slim and alpine variants \
            have none of them, and alpine also lacks bash and `useradd`. That table, with \
            the Dockerfile each layer comes from, is `ImageTools.swift`. The rule reads \
            every program the RUNs of the final image's stages call (and the words of CMD, \
            ENTRYPOINT and HEALTHCHECK) in build order: a program the smaller variant lacks \
            and the stage did not install itself is installed by the fix, in front of the \
            first RUN (`apt-get update && apt-get install -y --no-install-recommends \
            ca-certificates curl && rm -rf /var/lib/apt/lists/* && …` or `apk add \
            --no-cache …`), and the finding names it. The smaller base is not suggested \
            when there is no RUN that runs as root to install it in, when the stage \
            installs a Debian package that needs the man folders slim deletes (Java runtimes, \
            `postgresql-client`), or, for alpine, when the stage builds or loads native \
            code (compilers, npm, pip or gem installs, `go build`, `.so` files: musl is \
            not glibc) or switches to a bash SHELL; the next candidate (slim) is tried \
            instead. `scripts/check-small-base.py` checks every rewrite on the corpus \
            against the table.

            ## Fix safety
            Rewriting the tag is unsafe: the smaller variant lacks packages the application \
            may use at run time (shared libraries, locales) and scripts the RUNs call may \
            use (a `./build.sh` is not read), and alpine uses musl. The \
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
            Example("FROM ↓python:3.12\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\n"),
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
            Example("FROM debian:bookworm\nRUN apt-get update && apt-get install -y default-jre-headless\n"),
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
            FixExample(
                "FROM python:3.12\nRUN curl -fsSLo /tmp/app.whl https://example.com/app.whl\n",
                "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl "
                    + "&& rm -rf /var/lib/apt/lists/* && curl -fsSLo /tmp/app.whl https://example.com/app.whl\n",
                .unsafe),
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
        // What the stages do only narrows the suggestions: a tag with none even when they
        // do nothing (already small, or unknown words) needs no walk of their commands.
        guard !variants.smallerTags(than: reference.tag, usesApt: false, buildsNativeCode: false, mayNeedGlibc: false)
            .isEmpty else { return [] }
        // Root first: the order the instructions run in.
        let stages = chain.reversed().map { graph.stages[$0] }
        let use = StageToolUse(stages: stages, context: context)
        let candidates = variants.smallerTags(
            than: reference.tag, usesApt: use.usesApt, buildsNativeCode: use.buildsNativeCode,
            mayNeedGlibc: stages.contains { copiesFromGlibcImage($0, graph) })
        for suggestion in candidates {
            guard let plan = installPlan(for: suggestion, image: reference.familiarName, use: use) else { continue }
            let written = "\(reference.familiarName):\(reference.tag ?? "latest")"
            let better = "\(reference.familiarName):\(suggestion.tag)"
            let kind = suggestion.isAlpine ? "Alpine" : "slim Debian"
            var message = "The final image is built on `\(written)`, the full image; use the \(kind) variant `\(better)`"
            if !plan.programs.isEmpty {
                message += " and install \(Self.list(plan.packages)) there, which it lacks and the stage calls "
                    + "(\(Self.list(plan.programs)))"
            }
            return [Violation(
                range: token.range, message: message, fix: fix(token, reference, suggestion, plan, context))]
        }
        return []
    }
}

/// What the stages of the final image call and install, read from their RUNs in build
/// order, and the command lines of CMD, ENTRYPOINT and HEALTHCHECK.
private struct StageToolUse {
    /// Every call of a program some smaller base lacks (``ImageTools/programsSomeBaseLacks``),
    /// in the order called, with the moment of the call: the calls of other programs are
    /// never asked about, and a stage of thousands of RUNs makes many.
    private(set) var calls: [(program: String, moment: Int)] = []
    /// Every package installed by apt or apk (or brought by one of them, as
    /// ``metaPackages`` says), with the moment it was first installed. A call sees the
    /// packages installed at an earlier moment; moments instead of a copy of the
    /// installed set per call keep a stage of thousands of installs linear. Only the
    /// names ``installed(_:before:)`` is asked about (``ImageTools/namesAskedAboutInstalling``)
    /// are kept; the moments of the others are never compared.
    private var firstInstalled: [String: Int] = [:]
    /// Whether a package installed by apt or apk needs the man folders the slim variants
    /// delete (``ImageTools/needsManFolders(_:)``).
    var installsPackageNeedingManFolders = false
    /// The clock of ``calls``, ``mayCompile`` and ``firstInstalled``: one tick per event.
    private var clock = 0
    var usesApt = false
    var buildsNativeCode = false
    /// Whether a SHELL instruction switches to a shell other than `/bin/sh` (alpine has no bash).
    var changesShell = false
    /// The first RUN, where a rewrite installs what the smaller base lacks, if it is a
    /// parsed POSIX shell-form script that runs as root.
    var firstRun: RunScript?
    /// Language installs (npm, pip, gem, bundle…) that may compile native extensions,
    /// each at its moment (what was installed before it counts): the full image's compilers and
    /// headers are what such a build finds, and which ones it needs is not in the file.
    var mayCompile: [Int] = []
    /// Whether a RUN runs a script from the build context (`./build.sh`, `bash x.sh`),
    /// whose programs cannot be read.
    var runsUnreadScript = false

    /// Language package managers whose installs may compile native code or fetch binaries
    /// built for glibc (node-gyp, wheels, gems with extensions, cgo, crates).
    static let nativeInstallers: Set<PackageManager> = [.npm, .yarn, .pnpm, .pip, .gem, .go, .cargo]
    /// Programs that compile or link native code.
    static let nativeBuilders: Set<String> = [
        "gcc", "g++", "cc", "c++", "clang", "clang++", "make", "cmake", "ninja", "node-gyp", "cargo", "rustc",
        "ldconfig", "docker-php-ext-install", "docker-php-ext-configure", "pecl", "phpize", "bundle", "bundler",
    ]
    /// Packages that bring the packages ``ImageTools`` names under other names.
    static let metaPackages: [String: [String]] = [
        "build-essential": ["gcc", "g++", "make", "cpp", "dpkg-dev"],
        "build-base": ["gcc", "g++", "make", "patch"],
        "gnupg2": ["gnupg"],
        "gpg": ["gnupg"],
        "openssh": ["openssh-client"],
        "openssh-server": ["openssh-client"],
        "python3-pip": ["python3"],
        "python3-dev": ["python3"],
        "xz": ["xz-utils"],
        "procps-ng": ["procps"],
    ]
    static let aptPrograms: Set<String> = ["apt-get", "apt", "aptitude", "dpkg", "add-apt-repository", "apt-key"]

    init(stages: [Stage], context: RuleContext) {
        var userChanged = false
        var seenRun = false
        for stage in stages {
            for outer in stage.instructions {
                // ONBUILD RUN triggers run in images built on this one, with its tools.
                let instruction = outer.trigger?.kind == .run ? outer.trigger ?? outer : outer
                switch instruction.kind {
                case .run where instruction != outer:
                    // A trigger is no place to install for this image: only its calls count.
                    visitRun(instruction, context)
                case .run:
                    visitRun(instruction, context)
                    if !seenRun {
                        seenRun = true
                        if !userChanged, let run = context.runScript(of: instruction), run.origin == .shellForm,
                           run.dialect.isPOSIX, run.script?.body.items.isEmpty == false {
                            firstRun = run
                        }
                    }
                case .cmd, .entrypoint, .healthcheck:
                    for word in Self.words(of: instruction.logicalText.string) { call(word) }
                case .user:
                    userChanged = true
                case .shell:
                    changesShell = changesShell || !instruction.logicalText.string.containsBytes(of: "\"/bin/sh\"")
                case .copy, .add:
                    buildsNativeCode = buildsNativeCode || Self.namesSharedLibrary(instruction.logicalText.string)
                default:
                    break
                }
            }
        }
    }

    /// Whether `package` was installed before `moment`.
    func installed(_ package: String, before moment: Int) -> Bool {
        firstInstalled[package].map { $0 < moment } ?? false
    }

    private mutating func tick() -> Int {
        clock += 1
        return clock
    }

    private mutating func install(_ package: String) {
        guard ImageTools.namesAskedAboutInstalling.contains(package) else { return }
        if firstInstalled[package] == nil { firstInstalled[package] = tick() }
    }

    /// Records a call of `program` at the next moment.
    private mutating func call(_ program: String) {
        let moment = tick()
        if ImageTools.programsSomeBaseLacks.contains(program) { calls.append((program, moment)) }
    }

    private mutating func visitRun(_ instruction: InstructionSyntax, _ context: RuleContext) {
        guard let script = context.runScript(of: instruction)?.script else {
            // A RUN we cannot parse: every word that names a program counts as called.
            let text = instruction.logicalText.string
            usesApt = usesApt || text.containsBytes(of: "apt") || text.containsBytes(of: "dpkg")
            for word in Self.words(of: text) { call(word) }
            return
        }
        for view in script.commands {
            guard let name = view.name else { continue }
            call(name)
            if Self.runsScriptFile(view) { runsUnreadScript = true }
            if ["bundle", "bundler", "cpanm"].contains(name) { mayCompile.append(tick()) }
            if Self.aptPrograms.contains(name) { usesApt = true }
            if Self.nativeBuilders.contains(name) { buildsNativeCode = true }
            if name == "go", let verb = view.subcommand, ["build", "install", "run", "test", "generate"].contains(verb) {
                buildsNativeCode = true
            }
            guard let installation = view.packageInstallation else { continue }
            if Self.nativeInstallers.contains(installation.manager) {
                buildsNativeCode = true
                let binaryOnly = view.hasFlag("ignore-scripts") || view.hasFlag("only-binary")
                if installation.manager != .go && installation.manager != .cargo && !binaryOnly {
                    mayCompile.append(tick())
                }
            }
            if [.aptGet, .apt, .aptitude, .apk].contains(installation.manager) {
                for package in installation.packages where !package.name.isEmpty {
                    install(package.name)
                    for brought in Self.metaPackages[package.name] ?? [] { install(brought) }
                    if ImageTools.needsManFolders(package.name) { installsPackageNeedingManFolders = true }
                }
            }
        }
    }

    /// Whether a command runs a shell script file: `./build.sh`, `/tmp/setup.sh`, or
    /// `bash|sh <file>` (not `-c`).
    static func runsScriptFile(_ view: CommandView) -> Bool {
        guard let name = view.name else { return false }
        if name.hasSuffix(".sh"), view.nameWord.literalValue?.contains("/") == true { return true }
        guard ["sh", "bash", "dash", "ash"].contains(name),
              let first = view.arguments.first?.literalValue else { return false }
        return !first.hasPrefix("-")
    }

    /// The words of a command line that could name a program: runs of letters, digits and
    /// `+._-` (so `["curl", "-f"]` gives `curl`).
    static func words(of text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber || "+._-".contains($0)) }.map(String.init)
    }

    /// Whether a COPY or ADD line names a shared library (`libfoo.so`, `libfoo.so.1`).
    static func namesSharedLibrary(_ text: String) -> Bool {
        words(of: text).contains { $0.hasSuffix(".so") || $0.containsBytes(of: ".so.") }
    }
}

/// What a rewrite to a smaller base must install for the stage to keep building.
private struct InstallPlan {
    /// The programs the stage calls that the smaller base lacks, sorted.
    var programs: [String] = []
    /// The packages that provide them, sorted.
    var packages: [String] = []
    /// The RUN the install goes into, nil when nothing is needed.
    var run: RunScript?
    var isAlpine = false
}

private extension PreferSmallBaseRule {
    /// What moving to `suggestion` needs installed, or nil when the smaller base cannot
    /// carry the stage: a tool it lacks has no package there, there is no RUN to install
    /// it in, a Debian package needs the man folders slim deletes, or alpine would lose
    /// the shell a SHELL instruction names.
    func installPlan(for suggestion: ImageVariants.Suggestion, image: String, use: StageToolUse) -> InstallPlan? {
        if suggestion.isAlpine && use.changesShell { return nil }
        if !suggestion.isAlpine && use.installsPackageNeedingManFolders { return nil }
        let lacking = (suggestion.isAlpine ? ImageTools.lackingOnAlpine : ImageTools.lackingOnSlim)[image] ?? []
        if !lacking.isEmpty {
            // What an unread script or a native extension build takes from the full image
            // is unknown: the smaller base is not suggested.
            if use.runsUnreadScript { return nil }
            let keptCompilers = ImageTools.keptByImage[image] ?? []
            let compilers = Set(lacking.filter { ["gcc", "cc"].contains($0.program) && !keptCompilers.contains($0.program) }
                .map(\.debianPackage))
            let compilerPackages = compilers.union(ImageTools.compilerMetaPackages)
            let bringsCompiler: (Int) -> Bool = { moment in
                compilerPackages.contains { use.installed($0, before: moment) }
            }
            if !compilers.isEmpty && use.mayCompile.contains(where: { !bringsCompiler($0) }) { return nil }
        }
        var byProgram: [String: ImageTool] = [:]
        let kept = ImageTools.keptByImage[image] ?? []
        for tool in lacking where !(suggestion.isAlpine && tool.inBusyBox) && !kept.contains(tool.program) {
            byProgram[tool.program] = tool
        }
        var programs: Set<String> = []
        var packages: Set<String> = []
        for call in use.calls {
            guard let tool = byProgram[call.program] else { continue }
            let package = suggestion.isAlpine ? tool.alpinePackage : tool.debianPackage
            guard let package else { return nil }
            // The stage installs it itself before calling it.
            if use.installed(package, before: call.moment) || use.installed(tool.program, before: call.moment) {
                continue
            }
            programs.insert(tool.program)
            packages.insert(package)
        }
        var plan = InstallPlan(isAlpine: suggestion.isAlpine)
        guard !programs.isEmpty else { return plan }
        guard let run = use.firstRun else { return nil }
        if !suggestion.isAlpine {
            // Downloads over HTTPS need the CA certificates the slim variants may not keep.
            if !packages.isDisjoint(with: ["curl", "wget", "git", "subversion", "mercurial"]) {
                packages.insert("ca-certificates")
            }
            // `gpg --recv-keys` needs dirmngr, only a Recommends of gnupg before Debian 10.
            if packages.contains("gnupg") { packages.insert("dirmngr") }
        }
        plan.programs = programs.sorted()
        plan.packages = packages.sorted()
        plan.run = run
        return plan
    }

    /// `a`, `a and b`, `a, b and c`, each in backquotes.
    static func list(_ items: [String]) -> String {
        let quoted = items.map { "`\($0)`" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " and " + (quoted.last ?? "")
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

    /// Rewrites the tag as written in the FROM line and installs what the plan needs at
    /// the start of the first RUN; nil when the line uses a variable, quotes or a digest.
    func fix(
        _ token: Token, _ reference: ImageReference, _ suggestion: ImageVariants.Suggestion, _ plan: InstallPlan,
        _ context: RuleContext
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
        guard let run = plan.run, let script = run.script, let first = script.body.items.first else {
            return Fix(title: "Use the `\(suggestion.tag)` variant", applicability: .unsafe, edits: [edit])
        }
        let packages = plan.packages.joined(separator: " ")
        let install = plan.isAlpine
            ? "apk add --no-cache \(packages) && "
            : "apt-get update && apt-get install -y --no-install-recommends \(packages) && rm -rf /var/lib/apt/lists/* && "
        return Fix(
            title: "Use the `\(suggestion.tag)` variant and install \(plan.packages.joined(separator: ", "))",
            applicability: .unsafe,
            edits: [edit, .insert(install, at: script.sourceRange(first.range).start)])
    }
}
