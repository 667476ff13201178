import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags each package that `zypper install` installs without a version.
public struct ZypperPinVersionsRule: Rule {
    public static let description = RuleDescription(
        code: "DL3037", name: "zypper-pin-versions", category: .reproducibility,
        summary: "Pin the versions of packages `zypper install` installs", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `zypper install curl` installs whatever version the repositories have on the day \
            of the build. `curl=8.6.0` (or a range, `curl>=8.6`) says which one the image was \
            tested with. Each package word of `zypper install`/`in` without `=`, `<` or `>` is \
            reported on its own; `.rpm` files carry their version. The whole family of \
            version-pinning rules goes off with `"version-pinning": false` in `.dockwright.json`.

            Differences from hadolint:
            - the values of options that take one (`-r`/`--repo`, `-t`/`--type`, `--from`) \
            are not packages, and with `-t pattern` (or `patch`, `product`, `srcpackage`) \
            the words name patterns, not versioned packages, and are not reported;
            - ARG and ENV values are substituted first, and a word that is nothing but a \
            variable dockwright cannot know is not reported;
            - commands behind `sudo` or called by path are checked too.

            ## References
            hadolint DL3037.
            """,
        triggering: [
            Example("FROM opensuse/leap:15.6\nRUN zypper -n install ↓curl git=2.43.0 && zypper clean\n"),
            Example("FROM opensuse/leap:15.6\nRUN zypper -n in -r oss ↓vim && zypper clean\n"),
            Example("FROM opensuse/leap:15.6\nONBUILD RUN zypper -n in ↓vim && zypper clean\n"),
        ],
        nonTriggering: [
            Example("FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 \"git>=2.43\" /tmp/tool-1.0.rpm && zypper clean\n"),
            Example("FROM opensuse/leap:15.6\nRUN zypper -n install -t pattern devel_basis && zypper clean\n"),
            Example("FROM opensuse/leap:15.6\nARG CURL_VERSION=8.6.0\nRUN zypper -n install curl=$CURL_VERSION && zypper clean\n"),
            Example("FROM opensuse/leap:15.6\nRUN zypper -n refresh\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for command in context.model.packageManagerCommands
        where command.manager == .zypper && ["install", "in"].contains(command.subcommand ?? "") {
            let type = command.view.flagValue("t", "type") ?? "package"
            guard type == "package" else { continue }
            violations += PackageManagerCommands.unpinnedPackageViolations(
                of: command, operands: command.operands, in: context, isPinned: Self.isPinned)
        }
        return violations
    }

    /// Mirrors hadolint DL3037: `=`, `<`, `>` or a `.rpm` file.
    static func isPinned(_ package: String) -> Bool {
        package.contains { $0 == "=" || $0 == "<" || $0 == ">" } || package.hasSuffix(".rpm")
    }
}
