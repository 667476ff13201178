import DockwrightCore
import DockwrightShell
import DockwrightSyntax

/// Flags `yum install` with no `yum clean all` after it in the same RUN.
public struct YumCleanAllRule: Rule {
    public static let description = RuleDescription(
        code: "DL3032", name: "yum-clean-all", category: .size,
        summary: "Run `yum clean all` after `yum install` in the same `RUN`", severity: .warning, fix: .sometimes,
        rationale: """
            ## Why
            `yum install` keeps repository metadata and downloaded packages in \
            `/var/cache/yum`. Unless the same `RUN` empties it (`yum clean all`), it stays in \
            the layer for good. As in hadolint, the cleanup must come after the install.

            Differences from hadolint:
            - a cache or tmpfs mount on `/var/cache/yum` (or a folder above it), or removing \
            that folder with `rm`, also counts; so does `dnf clean all`, since `yum` is `dnf` \
            on newer releases;
            - the cleanup must follow the *last* install of the `RUN` (`yum install a && yum \
            clean all && yum install b` is reported);
            - commands behind `sudo` or called by path are checked too.

            ## Fix safety
            The fix appends ` && yum clean all` right after the last install of the `RUN`. It is \
            offered when that command runs directly in the script's shell (not in a \
            pipeline, subshell, condition or background job), the script uses no `sudo` and \
            no `USER` before the `RUN` switches away from root. It is safe: the cleanup \
            succeeds, so `&&` keeps the script's outcome; it removes only the cache, and yum \
            fetches metadata again by itself whenever a later command needs it.

            ## References
            hadolint DL3032.
            """,
        triggering: [
            Example("FROM centos:7\nRUN ↓yum install -y httpd-2.4.6\n"),
            Example("FROM centos:7\nRUN yum clean all && ↓yum install -y httpd-2.4.6\n"),
            Example("FROM centos:7\nONBUILD RUN ↓yum install -y httpd-2.4.6\n"),
            Example("FROM centos:7\nRUN ↓yum -y swap -- remove fakesystemd -- install systemd-219\n"),
        ],
        nonTriggering: [
            Example("FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n"),
            Example("FROM centos:7\nRUN yum install -y httpd-2.4.6 && rm -rf /var/cache/yum\n"),
            Example("FROM centos:7\nRUN --mount=type=cache,target=/var/cache/yum yum install -y httpd-2.4.6\n"),
            Example("FROM centos:7\nRUN yum makecache\n"),
        ],
        fixes: [
            FixExample(
                "FROM centos:7\nRUN yum install -y httpd-2.4.6 \\\n    # then the app\n    && make install\n",
                "FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all \\\n    # then the app\n    && make install\n", .safe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        PackageCacheCleanup.violations(in: context, family: .init(
            managers: [.yum], installSubcommands: ["install"], isCleanup: PackageCacheCleanup.isCleanAll,
            cachePaths: ["/var/cache/yum"], cleanupText: { _ in "yum clean all" }))
    }
}
