import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags `apt-get install` without `--no-install-recommends`.
public struct AptGetNoInstallRecommendsRule: Rule {
    public static let description = RuleDescription(
        code: "DL3015", name: "apt-get-no-install-recommends", category: .size,
        summary: "Pass `--no-install-recommends` to `apt-get install` to skip optional packages",
        severity: .info, fix: .sometimes,
        rationale: """
            ## Why
            By default apt also installs the packages each package *recommends*: documentation, \
            optional tools, fonts. In an image they are mostly dead weight and extra attack \
            surface. `--no-install-recommends` installs only what is named and what it \
            depends on. `-o APT::Install-Recommends=false` (also as `0` or `no`) is accepted \
            as the same thing.

            Differences from hadolint: commands behind `sudo`, `env` and similar wrappers, \
            or called by path (`/usr/bin/apt-get`), are checked too; heredoc bodies and \
            `ONBUILD RUN` are checked like any script.

            ## Fix safety
            The fix inserts ` --no-install-recommends` right after `install`. It is unsafe: \
            the image then lacks the recommended packages, and the software may have relied \
            on one of them (a CA bundle, a locale, a helper program). Build and test the image \
            after applying it, and name the packages you need.

            The fix is not offered when the install names a package known to need one of \
            its Recommends at run time and not that Recommends itself, from a small \
            reviewed table: `xvfb`, whose `xvfb-run` calls `xauth`. The finding then names \
            the package to add. Once the install names it (`apt-get install -y xvfb xauth`), \
            the fix is offered again.

            ## References
            hadolint DL3015.
            """,
        triggering: [
            Example("FROM debian:12\nRUN apt-get update && ↓apt-get install -y curl\n"),
            Example("FROM debian:12\nRUN ↓apt-get -y install -o APT::Install-Recommends=true curl\n"),
            Example("FROM debian:12\nONBUILD RUN ↓apt-get install -y curl\n"),
            Example("FROM debian:12\nRUN ↓apt-get install -y xvfb && xvfb-run -a npm test\n"),
        ],
        nonTriggering: [
            Example("FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n"),
            Example("FROM debian:12\nRUN apt-get --no-install-recommends -y install curl\n"),
            Example("FROM debian:12\nRUN apt-get install -y -o APT::Install-Recommends=false curl\n"),
            Example("FROM debian:12\nRUN apt-get update\n"),
        ],
        fixes: [
            FixExample(
                "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
                "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y curl\n", .unsafe),
            FixExample(
                "FROM debian:12\nRUN apt-get update \\\n  # tools\n  && apt-get install \\\n     -y curl\n",
                "FROM debian:12\nRUN apt-get update \\\n  # tools\n  && apt-get install --no-install-recommends \\\n     -y curl\n",
                .unsafe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.model.packageManagerCommands.compactMap { command in
            guard command.manager == .aptGet, let install = command.positional(in: ["install"]),
                  !Self.skipsRecommends(command) else { return nil }
            let names = Set(command.operands.compactMap { $0.literalValue.map(Self.packageName) })
            let needed = Self.neededRecommends(of: names)
            guard needed.isEmpty else {
                // The fix would drop a Recommends a named package needs; the finding says which.
                return Violation(
                    range: command.range(through: install),
                    message: "`apt-get install` also installs recommended packages; add `--no-install-recommends` "
                        + "and name \(needed.map { "`\($0)`" }.joined(separator: ", ")), which "
                        + "\(needed.count == 1 ? "a listed package needs" : "listed packages need") at run time")
            }
            let fix = context.fix(.unsafe, title: "Add `--no-install-recommends` after `install`") {
                [.insert(" --no-install-recommends", at: command.range(of: install).end)]
            }
            return Violation(
                range: command.range(through: install),
                message: "`apt-get install` also installs recommended packages; add `--no-install-recommends`",
                fix: fix)
        }
    }

    /// Packages that are installed for a use that needs one of their Recommends, kept as
    /// reviewed data (each from the package's page on packages.debian.org):
    /// - `xvfb` recommends `xauth`, which its `xvfb-run` script calls
    ///   (https://packages.debian.org/bookworm/xvfb).
    static let neededRecommendsTable: [String: String] = [
        "xvfb": "xauth",
    ]

    /// The Recommends the named packages need that the command does not name itself, sorted.
    static func neededRecommends(of names: Set<String>) -> [String] {
        Set(names.compactMap { neededRecommendsTable[$0] }).subtracting(names).sorted()
    }

    /// A package word without its version or release (`curl=8.5.0-2` → `curl`, `git/bookworm` → `git`).
    static func packageName(_ word: String) -> String {
        String(word.prefix { $0 != "=" && $0 != "/" })
    }

    /// `--no-install-recommends`, or `APT::Install-Recommends` set to false.
    static func skipsRecommends(_ command: PackageManagerCommand) -> Bool {
        if command.hasFlag("no-install-recommends") { return true }
        return command.view.arguments.contains { word in
            guard let value = word.literalValue?.lowercased(), value.hasPrefix("apt::install-recommends=") else {
                return false
            }
            let setting = value.dropFirst("apt::install-recommends=".count).trimmingCharacters(in: "\"'")
            return ["false", "0", "no", "off"].contains(setting)
        }
    }
}

private extension Substring {
    func trimmingCharacters(in characters: String) -> String {
        String(drop { characters.contains($0) }.reversed().drop { characters.contains($0) }.reversed())
    }
}
