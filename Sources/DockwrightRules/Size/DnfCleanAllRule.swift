import DockwrightCore
import DockwrightShell
import DockwrightSyntax

/// Flags `dnf install` or `microdnf install` with no `clean all` after it in the same RUN.
public struct DnfCleanAllRule: Rule {
    public static let description = RuleDescription(
        code: "DL3040", name: "dnf-clean-all", category: .size,
        summary: "Run `dnf clean all` after `dnf install` in the same `RUN`", severity: .warning, fix: .sometimes,
        rationale: """
            ## Why
            `dnf install`, `upgrade` and `reinstall` (and their `microdnf` forms) keep \
            repository metadata and downloaded \
            packages in its cache folder. Unless the same `RUN` empties it (`dnf clean all`), \
            it stays in the layer for good. As in hadolint, the cleanup must come after the \
            install, and removing `/var/cache/libdnf5` (dnf5's cache) or `/var/cache/yum` \
            with `rm` counts too.

            Differences from hadolint:
            - a cache or tmpfs mount on `/var/cache/dnf`, `/var/cache/libdnf5` or \
            `/var/cache/yum` (or a folder above) counts, as does `rm` of `/var/cache/dnf`; \
            hadolint accepts any `rm -rf` at all (`rm -rf /tmp/x` included), dockwright only \
            one that removes a cache folder;
            - the cleanup must follow the *last* install of the `RUN`;
            - commands behind `sudo` or called by path are checked too.

            ## Fix safety
            The fix appends ` && dnf clean all` (`microdnf clean all` for microdnf) right \
            after the last install of the `RUN`. It is offered when that command runs directly in the script's shell (not in a \
            pipeline, subshell, condition or background job), the script uses no `sudo` and \
            no `USER` before the `RUN` switches away from root. It is safe: the cleanup \
            succeeds, so `&&` keeps the script's outcome; it removes only the cache, and dnf \
            fetches metadata again by itself whenever a later command needs it.

            ## References
            hadolint DL3040.
            """,
        triggering: [
            Example("FROM fedora:40\nRUN ↓dnf install -y httpd-2.4.59\n"),
            Example("FROM fedora:40\nRUN ↓microdnf install -y httpd-2.4.59 && rm -rf /tmp/build\n"),
            Example("FROM fedora:40\nONBUILD RUN ↓dnf install -y httpd-2.4.59\n"),
            Example("FROM fedora:40\nRUN ↓dnf -y upgrade\n"),
        ],
        nonTriggering: [
            Example("FROM fedora:40\nRUN dnf install -y httpd-2.4.59 && dnf clean all\n"),
            Example("FROM fedora:40\nRUN microdnf install -y httpd-2.4.59 && microdnf clean all\n"),
            Example("FROM fedora:41\nRUN dnf install -y httpd-2.4.59 && rm -rf /var/cache/libdnf5*\n"),
            Example("FROM fedora:40\nRUN --mount=type=cache,target=/var/cache/dnf dnf install -y httpd-2.4.59\n"),
            Example("FROM fedora:40\nRUN dnf -y makecache\n"),
        ],
        fixes: [
            FixExample(
                "FROM fedora:40\nRUN microdnf install -y httpd-2.4.59 \\\n    # then the app\n    && make install\n",
                "FROM fedora:40\nRUN microdnf install -y httpd-2.4.59 && microdnf clean all \\\n    # then the app\n    && make install\n", .safe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        PackageCacheCleanup.violations(in: context, family: .init(
            managers: [.dnf, .microdnf], installSubcommands: ["install", "upgrade", "reinstall"], isCleanup: PackageCacheCleanup.isCleanAll,
            cachePaths: ["/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/yum"], cleanupText: { "\($0.rawValue) clean all" }))
    }
}
