import DockwrightCore
import DockwrightShell
import DockwrightSyntax

/// Flags `zypper install` with no `zypper clean` after it in the same RUN.
public struct ZypperCleanRule: Rule {
    public static let description = RuleDescription(
        code: "DL3036", name: "zypper-clean", category: .size,
        summary: "Run `zypper clean` after `zypper install` in the same `RUN`", severity: .warning, fix: .sometimes,
        rationale: """
            ## Why
            `zypper install` keeps repository metadata and downloaded packages in \
            `/var/cache/zypp`. Unless the same `RUN` empties it (`zypper clean`, or `zypper \
            cc`), it stays in the layer for good. As in hadolint, the cleanup must come after \
            the install, and a cache or tmpfs mount on `/var/cache/zypp` is accepted.

            Differences from hadolint: removing `/var/cache/zypp` with `rm` also counts; the \
            cleanup must follow the *last* install of the `RUN`; commands behind `sudo` or \
            called by path are checked too.

            ## Fix safety
            The fix appends ` && zypper clean` right after the last install of the `RUN`. It is \
            offered when that command runs directly in the script's shell (not in a \
            pipeline, subshell, condition or background job), the script uses no `sudo` and \
            no `USER` before the `RUN` switches away from root. It is safe: the cleanup \
            succeeds, so `&&` keeps the script's outcome; it removes only the cache, and zypper \
            fetches metadata again by itself whenever a later command needs it.

            ## References
            hadolint DL3036.
            """,
        triggering: [
            Example("FROM opensuse/leap:15.6\nRUN ↓zypper -n install curl=8.6.0\n"),
            Example("FROM opensuse/leap:15.6\nRUN zypper clean && ↓zypper -n in curl=8.6.0\n"),
            Example("FROM opensuse/leap:15.6\nONBUILD RUN ↓zypper -n in curl=8.6.0\n"),
        ],
        nonTriggering: [
            Example("FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean --all\n"),
            Example("FROM opensuse/leap:15.6\nRUN zypper -n in curl=8.6.0 && zypper cc -a\n"),
            Example("FROM opensuse/leap:15.6\nRUN --mount=type=cache,target=/var/cache/zypp zypper -n in curl=8.6.0\n"),
            Example("FROM opensuse/leap:15.6\nRUN zypper -n in curl=8.6.0 && rm -rf /var/cache/zypp/*\n"),
        ],
        fixes: [
            FixExample(
                "FROM opensuse/leap:15.6\nRUN zypper -n in curl=8.6.0 \\\n    # then the app\n    && make install\n",
                "FROM opensuse/leap:15.6\nRUN zypper -n in curl=8.6.0 && zypper clean \\\n    # then the app\n    && make install\n", .safe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        PackageCacheCleanup.violations(in: context, family: .init(
            managers: [.zypper], installSubcommands: ["install", "in"],
            isCleanup: { $0.manager == .zypper && ["clean", "cc"].contains($0.subcommand ?? "") },
            cachePaths: ["/var/cache/zypp"], cleanupText: { _ in "zypper clean" }))
    }
}
