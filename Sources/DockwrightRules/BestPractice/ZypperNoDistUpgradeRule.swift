import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags `zypper dist-upgrade` in a RUN.
public struct ZypperNoDistUpgradeRule: Rule {
    public static let description = RuleDescription(
        code: "DL3035", name: "zypper-no-dist-upgrade", category: .bestPractice,
        summary: "Do not run `zypper dist-upgrade` in a Dockerfile", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `zypper dist-upgrade` (`dup`) moves the whole system to whatever the repositories \
            hold, vendor changes and package removals included. In an image build that makes \
            the result depend on the day of the build and can swap out parts of the base \
            image. Use a newer base image instead, or `zypper update` / `zypper patch` for \
            fixes within the release.

            Difference from hadolint: commands behind `sudo` or called by path are checked too.

            ## References
            hadolint DL3035.
            """,
        triggering: [
            Example("FROM opensuse/tumbleweed\nRUN zypper -n ↓dist-upgrade && zypper clean\n"),
            Example("FROM opensuse/tumbleweed\nRUN zypper refresh && zypper -n ↓dup\n"),
            Example("FROM opensuse/tumbleweed\nONBUILD RUN zypper -n ↓dup\n"),
        ],
        nonTriggering: [
            Example("FROM opensuse/leap:15.6\nRUN zypper -n update && zypper -n patch && zypper clean\n"),
            Example("FROM opensuse/leap:15.6\nRUN echo zypper dup\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.model.packageManagerCommands.compactMap { command in
            guard command.manager == .zypper, let word = command.subcommandWord,
                  ["dist-upgrade", "dup"].contains(command.subcommand ?? "") else { return nil }
            return Violation(
                range: command.range(of: word),
                message: "`zypper \(command.subcommand ?? "dup")` upgrades the whole system at build time; "
                    + "use a newer base image")
        }
    }
}
