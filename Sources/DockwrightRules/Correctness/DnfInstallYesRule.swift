import DockwrightCore
import DockwrightShell
import DockwrightSyntax

/// Flags `dnf install` and `microdnf install` without `-y`.
public struct DnfInstallYesRule: Rule {
    public static let description = RuleDescription(
        code: "DL3038", name: "dnf-install-yes", category: .correctness,
        summary: "Pass `-y` to `dnf install` so it never waits for an answer", severity: .warning, fix: .always,
        rationale: """
            ## Why
            `dnf install` asks "Is this ok [y/N]" before it installs anything. A build has no \
            terminal to answer, so dnf reads end of input and exits. `-y` (`--assumeyes`) \
            answers yes. As in hadolint, `dnf` and `microdnf` are checked, for `install`, \
            `groupinstall`, `localinstall` and `group install`.

            Differences from hadolint: commands behind `sudo` or called by path are checked \
            too; heredoc bodies and `ONBUILD RUN` are checked like any script.

            ## Fix safety
            The fix inserts ` -y` right after the install subcommand. It is safe: without it \
            the build stops at the prompt, with it dnf installs what was asked for; \
            `microdnf` accepts `-y` too.

            ## References
            hadolint DL3038.
            """,
        triggering: [
            Example("FROM fedora:40\nRUN ↓dnf install httpd-2.4.59 && dnf clean all\n"),
            Example("FROM fedora:40\nRUN ↓microdnf install httpd-2.4.59 && microdnf clean all\n"),
            Example("FROM fedora:40\nRUN ↓dnf group install \"Development Tools\" && dnf clean all\n"),
            Example("FROM fedora:40\nONBUILD RUN ↓dnf install httpd-2.4.59 && dnf clean all\n"),
        ],
        nonTriggering: [
            Example("FROM fedora:40\nRUN dnf install -y httpd-2.4.59 && dnf clean all\n"),
            Example("FROM fedora:40\nRUN dnf -y install httpd-2.4.59 && microdnf --assumeyes install vim-9.1 && dnf clean all\n"),
            Example("FROM fedora:40\nRUN dnf -y upgrade && dnf clean all\n"),
        ],
        fixes: [
            FixExample(
                "FROM fedora:40\nRUN dnf install httpd-2.4.59 && dnf clean all\n",
                "FROM fedora:40\nRUN dnf install -y httpd-2.4.59 && dnf clean all\n", .safe),
            FixExample(
                "FROM fedora:40\nRUN microdnf install \\\n  # web\n  httpd-2.4.59 \\\n  && microdnf clean all\n",
                "FROM fedora:40\nRUN microdnf install -y \\\n  # web\n  httpd-2.4.59 \\\n  && microdnf clean all\n", .safe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        RPMYesFlag.violations(in: context, managers: [.dnf, .microdnf])
    }
}
