import DockwrightCore
import DockwrightShell
import DockwrightSyntax

/// Flags `dnf install` or `microdnf install` with no `clean all` after it in the same RUN.
public struct DnfCleanAllRule: Rule {
    public static let description = RuleDescription(
        code: "DL3040", name: "dnf-clean-all", category: .size,
        summary: "Run `dnf clean all` after `dnf install` in the same `RUN`", severity: .warning, fix: .none,
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
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        PackageCacheCleanup.violations(in: context, family: .init(
            managers: [.dnf, .microdnf], installSubcommands: ["install", "upgrade", "reinstall"], isCleanup: PackageCacheCleanup.isCleanAll,
            cachePaths: ["/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/yum"], cleanupText: "dnf clean all"))
    }
}
