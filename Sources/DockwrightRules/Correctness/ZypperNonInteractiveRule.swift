import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags zypper commands that change packages without a non-interactive switch.
public struct ZypperNonInteractiveRule: Rule {
    public static let description = RuleDescription(
        code: "DL3034", name: "zypper-non-interactive", category: .correctness,
        summary: "Run `zypper` with `-n` so it never waits for an answer", severity: .warning, fix: .always,
        rationale: """
            ## Why
            zypper asks before it installs or removes anything. A build has no terminal to \
            answer, so the command stops there. The global option `-n` \
            (`--non-interactive`), written before the subcommand, answers every prompt with \
            its default; the command option `-y` (`--no-confirm`) answers the confirmation. \
            As in hadolint, `install`/`in`, `remove`/`rm`, `source-install`/`si` and `patch` \
            are checked.

            Differences from hadolint: `update`/`up` and `dist-upgrade`/`dup`, which prompt \
            the same way, are checked too; `-n` counts only before the subcommand (after \
            `install` it means `--name`); commands behind `sudo` or called by path are \
            checked too.

            ## Fix safety
            The fix inserts ` -n` right after the word `zypper`, where global options go \
            (`zypper -n install …`). It is safe: without it the build stops at the prompt; \
            with it zypper takes the default answer, which for the confirmation is yes.

            ## References
            hadolint DL3034.
            """,
        triggering: [
            Example("FROM opensuse/leap:15.6\nRUN ↓zypper install curl=8.6.0 && zypper clean\n"),
            Example("FROM opensuse/leap:15.6\nRUN ↓zypper rm vim\n"),
            Example("FROM opensuse/leap:15.6\nRUN ↓zypper in -n curl=8.6.0 && zypper clean\n"),
            Example("FROM opensuse/leap:15.6\nONBUILD RUN ↓zypper update\n"),
        ],
        nonTriggering: [
            Example("FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean\n"),
            Example("FROM opensuse/leap:15.6\nRUN zypper --non-interactive in curl=8.6.0 && zypper install -y git=2.43.0 && zypper clean\n"),
            Example("FROM opensuse/leap:15.6\nRUN zypper remove --no-confirm vim\n"),
            Example("FROM opensuse/leap:15.6\nRUN zypper refresh && zypper clean\n"),
        ],
        fixes: [
            FixExample(
                "FROM opensuse/leap:15.6\nRUN zypper install curl=8.6.0 && zypper clean\n",
                "FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean\n", .safe),
            FixExample(
                "FROM opensuse/leap:15.6\nRUN zypper refresh \\\n  # tools\n  && zypper --quiet in \\\n    curl=8.6.0\n",
                "FROM opensuse/leap:15.6\nRUN zypper refresh \\\n  # tools\n  && zypper -n --quiet in \\\n    curl=8.6.0\n", .safe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.model.packageManagerCommands.compactMap { command in
            guard command.manager == .zypper, let subcommand = command.subcommand,
                  Self.promptingSubcommands.contains(subcommand), !Self.isNonInteractive(command) else { return nil }
            let fix = Fix(
                title: "Add `-n` after `zypper`", applicability: .safe,
                edits: [.insert(" -n", at: command.range(of: command.view.nameWord).end)])
            return Violation(
                range: command.range(through: command.subcommandWord),
                message: "`zypper \(subcommand)` without `-n` stops at its prompt; use `zypper -n \(subcommand)`",
                fix: fix)
        }
    }

    /// hadolint's list, plus the update subcommands, which prompt the same way.
    static let promptingSubcommands: Set<String> = [
        "install", "in", "remove", "rm", "source-install", "si", "patch", "update", "up", "dist-upgrade", "dup",
    ]

    /// `-n`/`--non-interactive` before the subcommand, or `-y`/`--no-confirm` anywhere.
    static func isNonInteractive(_ command: PackageManagerCommand) -> Bool {
        if command.hasFlag("y", "no-confirm") { return true }
        return command.leadingFlags.contains { flag in
            flag == "--non-interactive" || (!flag.hasPrefix("--") && flag.dropFirst().contains("n"))
        }
    }
}
