import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags `apt-get install` without `-y`, which stops the build at apt's prompt.
public struct AptGetInstallYesRule: Rule {
    public static let description = RuleDescription(
        code: "DL3014", name: "apt-get-install-yes", category: .correctness,
        summary: "Pass `-y` to `apt-get install` so it never waits for an answer", severity: .warning,
        fix: .always,
        rationale: """
            ## Why
            `apt-get install` asks "Do you want to continue?" whenever it installs more than \
            the packages named. A build has no terminal to answer, so apt reads end of input \
            and aborts. `-y` (`--yes`, `--assume-yes`) answers yes. Quiet level 2 (`-qq`, \
            `-q -q`, `-q=2`) implies `-y` and is accepted too, as is \
            `-o APT::Get::Assume-Yes=true`; a single `-q` is not (hadolint also reports it).

            Differences from hadolint: commands behind `sudo`, `env` and similar wrappers, \
            or called by path (`/usr/bin/apt-get`), are checked too; heredoc bodies and \
            `ONBUILD RUN` are checked like any script.

            ## Fix safety
            The fix inserts ` -y` right after `install`. It is safe: a build that passed \
            never reached the prompt, so answering it changes nothing there, and a build \
            that stopped at it now goes on to install what was asked for.

            ## References
            hadolint DL3014.
            """,
        triggering: [
            Example("FROM debian:12\nRUN apt-get update && ↓apt-get install curl=7.88.1-10\n"),
            Example("FROM debian:12\nRUN ↓apt-get -q install --no-install-recommends curl=7.88.1-10\n"),
            Example("FROM debian:12\nRUN sudo ↓apt-get install curl=7.88.1-10\n"),
            Example("FROM debian:12\nONBUILD RUN ↓apt-get install curl=7.88.1-10\n"),
        ],
        nonTriggering: [
            Example("FROM debian:12\nRUN apt-get install -y curl=7.88.1-10\n"),
            Example("FROM debian:12\nRUN apt-get -qy install curl=7.88.1-10\n"),
            Example("FROM debian:12\nRUN apt-get install --yes curl=7.88.1-10 && apt-get --assume-yes install git\n"),
            Example("FROM debian:12\nRUN apt-get -qq install curl && apt-get -q -q install git && apt-get -q=2 install vim\n"),
            Example("FROM debian:12\nRUN apt-get -o APT::Get::Assume-Yes=true install curl\n"),
            Example("FROM debian:12\nRUN apt-get update\n"),
        ],
        fixes: [
            FixExample(
                "FROM debian:12\nRUN apt-get update && apt-get install curl\n",
                "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n", .safe),
            FixExample(
                "FROM debian:12\nRUN apt-get update \\\n  # tools\n  && apt-get install \\\n     curl\n",
                "FROM debian:12\nRUN apt-get update \\\n  # tools\n  && apt-get install -y \\\n     curl\n", .safe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.model.packageManagerCommands.compactMap { command in
            guard command.manager == .aptGet, let install = command.positional(in: ["install"]),
                  !Self.answersYes(command) else { return nil }
            let fix = Fix(
                title: "Add `-y` after `install`", applicability: .safe,
                edits: [.insert(" -y", at: command.range(of: install).end)])
            return Violation(
                range: command.range(through: install),
                message: "`apt-get install` without `-y` aborts at apt's prompt; add `-y`", fix: fix)
        }
    }

    /// `-y`, `--yes`, `--assume-yes`, `-o APT::Get::Assume-Yes=true`, or quiet level 2.
    static func answersYes(_ command: PackageManagerCommand) -> Bool {
        if command.hasFlag("y", "yes", "assume-yes") { return true }
        var quietLevel = 0
        var previousWasOption = false
        for word in command.view.arguments {
            guard let value = word.literalValue else { continue }
            if previousWasOption && value.lowercased().hasPrefix("apt::get::assume-yes=") {
                if ["true", "1", "yes"].contains(value.lowercased().split(separator: "=").last.map(String.init) ?? "") {
                    return true
                }
            }
            previousWasOption = value == "-o" || value == "--option"
            if value == "--" { break }
            if value.hasPrefix("--quiet") {
                quietLevel += value.hasPrefix("--quiet=") ? Int(value.dropFirst(8)) ?? 1 : 1
            } else if value.hasPrefix("-") && !value.hasPrefix("--") {
                let cluster = value.dropFirst()
                if cluster.hasPrefix("q=") {
                    quietLevel += Int(cluster.dropFirst(2)) ?? 1
                } else {
                    quietLevel += cluster.prefix { $0 != "=" }.filter { $0 == "q" }.count
                }
            }
        }
        return quietLevel >= 2
    }
}
