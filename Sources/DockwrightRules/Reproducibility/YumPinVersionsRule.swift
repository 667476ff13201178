import DockwrightCore
import DockwrightShell
import DockwrightSyntax

/// Flags each package that `yum install` installs without a version.
public struct YumPinVersionsRule: Rule {
    public static let description = RuleDescription(
        code: "DL3033", name: "yum-pin-versions", category: .reproducibility,
        summary: "Pin the versions of packages `yum install` installs", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `yum install httpd` installs whatever version the repositories have on the day of \
            the build. `httpd-2.4.57` (rpm's `name-version[-release]`) says which one the \
            image was tested with. Each package word without one is reported on its own; \
            `.rpm` files carry their version, and the modules of `yum module install` need a \
            `:stream`. The whole family of version-pinning rules goes off with \
            `"version-pinning": false` in `.dockwright.json`.

            As in hadolint (2.15), a version is read the way its DL3041 reads one for dnf: \
            after the first dash, version characters only (letters, digits, `.~^_:+`), with a \
            part that starts with a digit. So `python3-devel` and `gcc-c++` are reported and \
            `java-11-openjdk` reads as versioned.

            Differences from hadolint:
            - ARG and ENV values are substituted first (`httpd-${HTTPD_VERSION}` is pinned), \
            and a word that is nothing but a variable dockwright cannot know is not reported;
            - groups (`yum group install`) are not packages and are not reported;
            - commands behind `sudo` or called by path are checked too.

            ## References
            hadolint DL3033.
            """,
        triggering: [
            Example("FROM centos:7\nRUN yum install -y ↓httpd php-7.4.33 && yum clean all\n"),
            Example("FROM centos:7\nRUN yum install -y ↓python3-devel && yum clean all\n"),
            Example("FROM centos:8\nRUN yum module install -y ↓nodejs && yum clean all\n"),
            Example("FROM centos:7\nONBUILD RUN yum install -y ↓httpd && yum clean all\n"),
            Example("FROM centos:7\nRUN yum -y swap -- remove fakesystemd -- install ↓systemd ↓systemd-libs && yum clean all\n"),
        ],
        nonTriggering: [
            Example("FROM centos:7\nRUN yum install -y httpd-2.4.6-99.el7 java-11-openjdk && yum clean all\n"),
            Example("FROM centos:7\nARG HTTPD_VERSION=2.4.6\nRUN yum install -y httpd-${HTTPD_VERSION} && yum clean all\n"),
            Example("FROM centos:7\nRUN yum install -y /tmp/tool-1.0.x86_64.rpm && yum clean all\n"),
            Example("FROM centos:8\nRUN yum module install -y nodejs:18 && yum clean all\n"),
            Example("FROM centos:7\nRUN yum groupinstall -y \"Development Tools\" && yum group install -y Base && yum clean all\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        RPMPinning.violations(in: context, managers: [.yum], example: "httpd-2.4.57")
    }
}
