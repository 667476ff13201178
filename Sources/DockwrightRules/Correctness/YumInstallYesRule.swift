import DockwrightCore
import DockwrightShell
import DockwrightSyntax

/// Flags `yum install` without `-y`, which stops the build at yum's prompt.
public struct YumInstallYesRule: Rule {
    public static let description = RuleDescription(
        code: "DL3030", name: "yum-install-yes", category: .correctness,
        summary: "Pass `-y` to `yum install` so it never waits for an answer", severity: .warning, fix: .always,
        rationale: """
            ## Why
            `yum install` asks "Is this ok [y/N]" before it installs anything. A build has no \
            terminal to answer, so yum reads end of input and exits. `-y` (`--assumeyes`) \
            answers yes. `install`, `groupinstall`, `localinstall` and `group install` are \
            checked, as in hadolint.

            Differences from hadolint: commands behind `sudo` or called by path are checked \
            too; heredoc bodies and `ONBUILD RUN` are checked like any script.

            ## Fix safety
            The fix inserts ` -y` right after the install subcommand. It is safe: without it \
            the build stops at the prompt, with it yum installs what was asked for.

            ## References
            hadolint DL3030.
            """,
        triggering: [
            Example("FROM centos:7\nRUN ↓yum install httpd-2.4.6 && yum clean all\n"),
            Example("FROM centos:7\nRUN ↓yum groupinstall \"Development Tools\" && yum clean all\n"),
            Example("FROM centos:7\nRUN ↓yum group install Base && yum clean all\n"),
            Example("FROM centos:7\nONBUILD RUN ↓yum localinstall /tmp/tool-1.0.rpm && yum clean all\n"),
        ],
        nonTriggering: [
            Example("FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n"),
            Example("FROM centos:7\nRUN yum -y install httpd-2.4.6 && yum --assumeyes groupinstall Base && yum clean all\n"),
            Example("FROM centos:7\nRUN yum makecache && yum clean all\n"),
        ],
        fixes: [
            FixExample(
                "FROM centos:7\nRUN yum install httpd-2.4.6 && yum clean all\n",
                "FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n", .safe),
            FixExample(
                "FROM centos:7\nRUN yum update -y \\\n  # web\n  && yum group install \\\n    Base && yum clean all\n",
                "FROM centos:7\nRUN yum update -y \\\n  # web\n  && yum group install -y \\\n    Base && yum clean all\n", .safe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        RPMYesFlag.violations(in: context, managers: [.yum])
    }
}
