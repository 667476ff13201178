import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags OS package installs placed after a COPY or ADD of local files they do not read.
public struct StaticBeforeVolatileRule: Rule {
    public static let description = RuleDescription(
        code: "DW002", name: "static-before-volatile", category: .performance,
        summary: "Install OS packages before copying local files", severity: .info, fix: .sometimes,
        rationale: """
            ## Why
            A COPY or ADD of local files changes whenever those files do, and every layer after \
            it is rebuilt. OS packages change rarely and are slow to install; when their RUN \
            comes after such a COPY, each edit to the copied files reinstalls them. Placing the \
            package install first keeps it cached.

            Only a RUN made of package-manager commands (apt-get, apt, aptitude, apk, yum, dnf, \
            microdnf, tdnf, zypper, dpkg) and plain setup (`rm`/`mkdir` of absolute paths, \
            `useradd`, `update-ca-certificates`, `echo` into absolute paths, `set`, `export`, …) \
            is reported: anything else may read what the COPY brought. The RUN is compared with \
            the COPY and ADD instructions right above it, up to the first instruction it may \
            depend on (RUN, WORKDIR, USER, ENV, ARG, SHELL, VOLUME); LABEL, EXPOSE, CMD, \
            ENTRYPOINT, HEALTHCHECK, STOPSIGNAL and ONBUILD in between are skipped. A RUN that \
            bind-mounts the build context is not reported.

            ## Fix safety
            The fix moves the RUN, with the comments right above it, just above the earliest of \
            those COPY and ADD instructions, so it keeps its WORKDIR, USER, ENV, ARG and SHELL. It \
            is unsafe because a package install can read files a COPY put in place without \
            naming them. It is offered only when every skipped COPY or ADD has a destination we \
            can resolve to an absolute folder that neither lies in nor contains a folder where \
            package managers and their maintainer scripts read configuration, keys, state, \
            programs or libraries (`/etc`, `/root`, `/var/lib`, `/var/cache`, the `bin` and \
            `lib` folders, the keyring and CA-certificate folders; so not `/` or `/usr` either), \
            and the RUN names no path inside the copied folders. `/usr/src/app`, `/var/www` or \
            `/opt/app` are fine. A relative destination \
            with no WORKDIR in the stage lands in the base image's WORKDIR, which we cannot see, \
            so it is reported without a fix.

            ## References
            Docker docs, "Optimize cache usage in builds: order your layers".
            """,
        triggering: [
            Example("FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\n↓RUN apt-get update && apt-get install -y --no-install-recommends curl\n"),
            Example("FROM alpine:3.20\nWORKDIR /srv\nCOPY config.yml ./\nLABEL org.opencontainers.image.title=app\nADD bin/ ./bin/\n↓RUN apk add --no-cache ca-certificates\n"),
            Example("FROM python:3.12-slim AS build\nCOPY . .\n↓RUN apt-get update && apt-get install -y gcc\n"),
            Example("FROM fedora:40\nWORKDIR /opt/app\nCOPY app.sh ./\n↓RUN <<EOF\ndnf install -y jq\ndnf clean all\nEOF\n"),
            Example("FROM debian:bookworm-slim\nCOPY apt.conf /etc/apt/apt.conf.d/90proxy\n↓RUN apt-get update && apt-get install -y curl\n"),
            Example("FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nFROM nginx:1.27\nCOPY --from=build /app/dist /usr/share/nginx/html\nCOPY nginx.conf /etc/nginx/conf.d/default.conf\n↓RUN apt-get update && apt-get install -y curl\n"),
        ],
        nonTriggering: [
            Example("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nWORKDIR /app\nCOPY . .\n"),
            Example("FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y ./vendor/tool.deb\n"),
            Example("FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y make && make\n"),
            Example("FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nUSER root\nRUN apt-get update && apt-get install -y curl\n"),
            Example("FROM debian:bookworm-slim\nCOPY --from=build /out /app\nRUN apt-get update && apt-get install -y curl\n"),
            Example("FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN --mount=type=bind,target=/ctx apt-get install -y curl\n"),
        ],
        fixes: [
            FixExample(
                "FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\n# tools\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\nCMD [\"./run.sh\"]\n",
                "FROM debian:bookworm-slim\nWORKDIR /app\n# tools\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\nCOPY . .\nCMD [\"./run.sh\"]\n",
                .unsafe),
            FixExample(
                "FROM alpine:3.20\nWORKDIR /srv\nCOPY config.yml ./\nLABEL org.opencontainers.image.title=app\nADD bin/ ./bin/\nRUN apk add --no-cache ca-certificates\n",
                "FROM alpine:3.20\nWORKDIR /srv\nRUN apk add --no-cache ca-certificates\nCOPY config.yml ./\nLABEL org.opencontainers.image.title=app\nADD bin/ ./bin/\n",
                .unsafe),
            FixExample(
                "FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN apt-get update\nRUN apt-get install -y curl\n",
                "FROM debian:bookworm-slim\nWORKDIR /app\nRUN apt-get update\nRUN apt-get install -y curl\nCOPY . .\n",
                .unsafe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let workingDirectories = LayerOrdering.workingDirectories(context)
        var violations: [Violation] = []
        for stage in context.stages.stages {
            for (index, run) in stage.instructions.enumerated() where run.kind == .run {
                guard let script = context.runScript(of: run)?.script, !RunMount.bindsBuildContext(run),
                      let firstInstall = script.commands.first(where: isPackageCommand),
                      script.commands.allSatisfy({ LayerOrdering.isSystemSetup($0, copiedFolders: []) })
                else { continue }
                let copies = copiesAbove(index, in: stage)
                guard let earliest = copies.last, copies.contains(where: LayerOrdering.copiesFromContext) else {
                    continue
                }
                let folders = copies.map { copy in
                    let workingDirectory = workingDirectories[copy.range.start]
                        ?? .relative(anchor: copy.range.start, path: "")
                    return LayerOrdering.destinationFolder(
                        of: copy, workingDirectory: workingDirectory, scope: context.stages.argScope)
                }
                let canMove = folders.allSatisfy(isOutsideSystemFolders)
                    && script.commands.allSatisfy { LayerOrdering.isSystemSetup($0, copiedFolders: folders) }
                let copyText = ([earliest.keyword.text] + earliest.values).joined(separator: " ")
                violations.append(Violation(
                    range: run.keyword.range,
                    message: "`\(firstInstall.name ?? "")` runs after `\(copyText)`, so every change to the copied "
                        + "files reinstalls the packages; install them before the copy",
                    fix: canMove ? moveFix(run, above: earliest, context) : nil))
            }
        }
        return violations
    }
}

private extension StaticBeforeVolatileRule {
    /// Instructions a RUN does not depend on, which it may move across.
    static let inertKinds: Set<InstructionKind> = [
        .label, .expose, .cmd, .entrypoint, .healthcheck, .stopsignal, .maintainer, .onbuild,
    ]

    /// Where package managers, and the maintainer scripts they run, read configuration,
    /// keys, state, programs and libraries that a COPY could provide.
    static let systemFolders = [
        "/etc", "/root", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/usr/bin", "/usr/sbin", "/usr/lib",
        "/usr/lib32", "/usr/lib64", "/usr/libexec", "/usr/local/bin", "/usr/local/sbin", "/usr/local/lib",
        "/usr/share/keyrings", "/usr/share/ca-certificates", "/usr/local/share/ca-certificates", "/var/lib", "/var/cache",
    ]

    /// A package-manager command, as opposed to the setup around it.
    func isPackageCommand(_ view: CommandView) -> Bool {
        LayerOrdering.systemPackageManagers.contains(view.name ?? "")
    }

    /// The COPY and ADD instructions right above the RUN at `index`, nearest first, up to
    /// the first instruction the RUN may depend on.
    func copiesAbove(_ index: Int, in stage: Stage) -> [InstructionSyntax] {
        var copies: [InstructionSyntax] = []
        for instruction in stage.instructions[..<index].reversed() {
            guard let kind = instruction.kind else { break }
            if kind == .copy || kind == .add {
                // A heredoc COPY is inline text: it changes only with the Dockerfile.
                guard instruction.heredocs.isEmpty else { break }
                copies.append(instruction)
            } else if !Self.inertKinds.contains(kind) {
                break
            }
        }
        return copies
    }

    /// Whether a COPY destination is neither inside a system folder nor above one (`/usr`).
    func isOutsideSystemFolders(_ folder: LayerOrdering.ImagePath) -> Bool {
        guard case .absolute(let path) = folder else { return false }
        return Self.systemFolders.allSatisfy { system in
            LayerOrdering.containment(of: path, in: system) == .outside
                && LayerOrdering.containment(of: system, in: path) == .outside
        }
    }

    /// Deletes the RUN (with its comments) and inserts it above `copy` (and its comments);
    /// see ``LayerOrdering/moveEdits(_:before:in:style:)`` for blank lines.
    func moveFix(_ run: InstructionSyntax, above copy: InstructionSyntax, _ context: RuleContext) -> Fix {
        let runRange = context.model.leadingComments(of: run).range(extending: run)
        let target = context.model.leadingComments(of: copy).range(extending: copy)
        return Fix(
            title: "Move the package install above `\(copy.keyword.text)`", applicability: .unsafe,
            edits: LayerOrdering.moveEdits(runRange, before: target, in: context.syntax, style: context.style))
    }
}
