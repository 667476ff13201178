import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags `wget` that prints its default progress bar into the build log.
public struct WgetProgressRule: Rule {
    public static let description = RuleDescription(
        code: "DL3047", name: "wget-progress", category: .bestPractice,
        summary: "Use `wget --progress=dot:giga` (or `-q`/`-nv`) to keep the build log short",
        severity: .info, fix: .sometimes,
        rationale: """
            ## Why
            Without a terminal, GNU `wget` falls back to printing a dot for every kilobyte \
            it downloads, so one large download fills the build log with thousands of \
            lines. `--progress=dot:giga` prints a line per 32 MiB, `-nv` one line per file, \
            `-q` nothing.

            Not reported, as in hadolint: `--progress`, `-q`/`--quiet`, `-nv`/`--no-verbose`, \
            and `-o`/`--output-file` or `-a`/`--append-output` (the log goes to a file). \
            Short options are read in clusters (`-qO-`). Scripts behind `sudo`, in heredoc \
            bodies and in `ONBUILD RUN` are read too.

            Differences from hadolint: scripts for PowerShell or cmd are not read (hadolint \
            reads them as POSIX shell); there `wget` is PowerShell's alias of \
            `Invoke-WebRequest`, which prints no dots. On Alpine and busybox images, \
            `wget` is BusyBox's, which has no `--progress` option: the finding advises \
            `-q` there instead of hadolint's `--progress=dot:giga`, which would fail the \
            build (unless the stage installed GNU wget with `apk add wget`).

            ## Fix safety
            The fix inserts `--progress=dot:giga` right after `wget`, which only changes \
            what `wget` prints. It is offered only when the stage's image is known to be \
            Debian, Ubuntu or RHEL-based, where `wget` is GNU wget: BusyBox `wget` on alpine \
            does not know `--progress` and would fail.

            ## References
            hadolint DL3047.
            """,
        triggering: [
            Example("FROM debian:bookworm\nRUN ↓wget https://example.com/app.tar.gz\n"),
            Example("FROM debian:bookworm\nRUN ↓wget -O /tmp/app.tgz https://example.com/app.tgz && tar xzf /tmp/app.tgz\n"),
            Example("FROM alpine:3.20\nRUN ↓wget -nc https://example.com/app.tar.gz\n"),
            Example("FROM busybox:1.36\nRUN ↓wget -O /tmp/app.tgz https://example.com/app.tgz\n"),
        ],
        nonTriggering: [
            Example("FROM debian:bookworm\nRUN wget --progress=dot:giga https://example.com/app.tar.gz\n"),
            Example("FROM debian:bookworm\nRUN wget -q https://example.com/a && wget -qO- https://example.com/b | sh\n"),
            Example("FROM debian:bookworm\nRUN wget -nv https://example.com/a && wget --no-verbose https://example.com/b\n"),
            Example("FROM debian:bookworm\nRUN wget -o /tmp/log https://example.com/a && wget --append-output=/tmp/log https://example.com/b\n"),
            Example("FROM debian:bookworm\nRUN curl -fsSLO https://example.com/a\n"),
            Example("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command wget https://example.com/app.zip -OutFile app.zip\n"),
        ],
        fixes: [
            FixExample(
                "FROM debian:bookworm\nRUN wget https://example.com/app.tar.gz\n",
                "FROM debian:bookworm\nRUN wget --progress=dot:giga https://example.com/app.tar.gz\n", .safe),
            FixExample(
                "FROM python:3.12 AS base\nFROM base\nRUN set -eux; \\\n    sudo  wget \\\n      -O /app.tgz https://example.com/app.tgz\n",
                "FROM python:3.12 AS base\nFROM base\nRUN set -eux; \\\n    sudo  wget --progress=dot:giga \\\n      -O /app.tgz https://example.com/app.tgz\n",
                .safe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        var families: [Int: ImageFamily?] = [:]
        let wgetCommands = context.model.scriptCommands(named: ["wget"])
        guard !wgetCommands.isEmpty else { return [] }
        let gnuWgetInstalls = Self.firstGNUWgetInstalls(in: context.model.scriptCommands(named: ["apk"]))
        for command in wgetCommands {
            guard !Self.isQuiet(command.expandedArguments) else { continue }
            let stageIndex = command.run.stageIndex
            let family = families[stageIndex] ?? {
                guard context.stages.stages.indices.contains(stageIndex) else { return nil }
                return context.model.imageFamily(ofStage: stageIndex)
            }()
            families[stageIndex] = family
            let isGNU = family == .gnu
            // BusyBox wget has no `--progress`: `-q` is its only way to stay quiet. A stage
            // that installs GNU wget (`apk add wget`) gets the GNU advice.
            if family == .alpine && !command.run.isOnbuildTrigger
                && !(gnuWgetInstalls[stageIndex].map { $0 < command.range(of: command.view.nameWord).start } ?? false) {
                violations.append(Violation(
                    range: command.range(of: command.view.nameWord),
                    message: "BusyBox `wget` has no `--progress` (that advice would fail the build); add `-q` "
                        + "to keep its progress and status lines out of the build log"))
                continue
            }
            var fix: Fix?
            // ONBUILD triggers run in another image, whose wget we cannot know.
            if isGNU && !command.run.isOnbuildTrigger {
                let end = command.range(of: command.view.nameWord).end
                fix = Fix(
                    title: "Add `--progress=dot:giga`", applicability: .safe,
                    edits: [.insert(" --progress=dot:giga", at: end)])
            }
            violations.append(Violation(
                range: command.range(of: command.view.nameWord),
                message: "`wget` fills the build log with progress dots; add `--progress=dot:giga` (or `-nv`)",
                fix: fix))
        }
        return violations
    }
}

// MARK: - Helpers

private extension WgetProgressRule {
    /// Where each stage first installs GNU `wget` (`apk add … wget`), by stage index: one
    /// walk, so a file with many `wget`s stays linear.
    static func firstGNUWgetInstalls(in apkCommands: [ScriptCommand]) -> [Int: Int] {
        var found: [Int: Int] = [:]
        for command in apkCommands where command.view.subcommand == "add"
            && command.view.positionalArguments.contains("wget") {
            let stage = command.run.stageIndex
            let offset = command.range(of: command.view.nameWord).start
            found[stage] = min(found[stage] ?? offset, offset)
        }
        return found
    }

    /// Whether the options quiet the progress output or send it to a log file.
    static func isQuiet(_ arguments: [ExpandedWord]) -> Bool {
        for argument in arguments {
            let value = argument.value
            if value == "--" { break }
            if value.hasPrefix("--") {
                let name = value.prefix { $0 != "=" }
                if ["--progress", "--quiet", "--no-verbose", "--output-file", "--append-output"].contains(String(name)) {
                    return true
                }
            } else if value.hasPrefix("-") && value.count > 1 {
                // wget's `-n…` options are two letters (`-nv`, `-nc`, `-nd`).
                if value.hasPrefix("-n") { if value == "-nv" { return true } else { continue } }
                if value.dropFirst().contains(where: { $0 == "q" || $0 == "o" || $0 == "a" }) { return true }
            }
        }
        return false
    }
}
