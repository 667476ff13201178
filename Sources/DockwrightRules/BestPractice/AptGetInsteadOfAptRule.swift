import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags `apt` in RUN scripts; `apt` is an interactive front end without a stable CLI.
public struct AptGetInsteadOfAptRule: Rule {
    public static let description = RuleDescription(
        code: "DL3027", name: "apt-get-instead-of-apt", category: .bestPractice,
        summary: "Use `apt-get` or `apt-cache` instead of `apt` in scripts", severity: .warning, fix: .sometimes,
        rationale: """
            ## Why
            `apt` is the command-line front end for people at a terminal: its output and \
            options may change between releases, and it warns "apt does not have a stable CLI \
            interface" when not run at a terminal. `apt-get` and `apt-cache` are the tools \
            meant for scripts.

            Differences from hadolint: commands behind `sudo` or called by path \
            (`/usr/bin/apt`) are checked too.

            ## Fix safety
            The fix replaces the word `apt` with `apt-get` only where the two do the same \
            thing: `update`, `remove`, `purge`, `autoremove`, `autopurge` and `clean` are \
            safe. `install` and `reinstall` are safe when the same `RUN` also empties apt's \
            download cache (`apt-get clean`, `rm -rf /var/cache/apt/archives`, or a cache or \
            tmpfs mount on `/var/cache/apt`), and unsafe otherwise: `apt` deletes the \
            downloaded `.deb` files after installing, `apt-get` keeps them in \
            `/var/cache/apt/archives` unless the image configures otherwise (the official \
            Debian and Ubuntu images do), so the layer may grow. `upgrade` (which in `apt` \
            also installs new dependencies), `full-upgrade`, `list`, `search`, `show` and the \
            rest have no exact `apt-get` or `apt-cache` equivalent and get no fix.

            ## References
            hadolint DL3027.
            """,
        triggering: [
            Example("FROM debian:12\nRUN ↓apt update && ↓apt install -y curl\n"),
            Example("FROM debian:12\nRUN ↓apt list --installed\n"),
            Example("FROM debian:12\nRUN sudo ↓apt remove -y curl\n"),
            Example("FROM debian:12\nONBUILD RUN apt-get update && ↓apt upgrade -y\n"),
        ],
        nonTriggering: [
            Example("FROM debian:12\nRUN apt-get update && apt-get install -y curl && apt-cache policy curl\n"),
            Example("FROM debian:12\nRUN apt-key add /tmp/key.asc && apt-mark hold curl\n"),
            Example("FROM debian:12\nRUN echo apt install curl\n"),
        ],
        fixes: [
            FixExample(
                "FROM debian:12\nRUN apt update && apt remove -y vim\n",
                "FROM debian:12\nRUN apt-get update && apt-get remove -y vim\n", .safe),
            FixExample(
                "FROM debian:12\nRUN apt update \\\n  # tools\n  && apt install -y curl \\\n  && apt clean\n",
                "FROM debian:12\nRUN apt-get update \\\n  # tools\n  && apt-get install -y curl \\\n  && apt-get clean\n", .safe),
            FixExample(
                "FROM debian:12\nRUN apt install -y curl && apt upgrade -y\n",
                "FROM debian:12\nRUN apt-get install -y curl && apt upgrade -y\n", .unsafe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for run in context.runAndTriggerScripts {
            guard let script = run.script else { continue }
            let commands = context.model.packageManagerCommands(of: run).filter { $0.manager == .apt }
            // Read only for a script that runs `apt`: it walks every command of the script.
            guard !commands.isEmpty else { continue }
            let emptiesDownloadCache = Self.emptiesDownloadCache(script: script, run: run)
            for command in commands {
                let range = command.range(of: command.view.nameWord)
                let subcommand = command.subcommand ?? ""
                violations.append(Violation(
                    range: range,
                    message: "`apt \(subcommand)` is meant for terminals; use "
                        + "`\(Self.cacheSubcommands.contains(subcommand) ? "apt-cache" : "apt-get")` in scripts",
                    fix: fix(command, range: range, emptiesDownloadCache: emptiesDownloadCache, context: context)))
            }
        }
        return violations
    }
}

// MARK: - Helpers

private extension AptGetInsteadOfAptRule {
    /// Subcommands `apt-get` runs exactly as `apt` does.
    static let sameSubcommands: Set<String> = ["update", "remove", "purge", "autoremove", "autopurge", "clean"]
    /// Subcommands that differ only in what stays in the download cache.
    static let installSubcommands: Set<String> = ["install", "reinstall"]
    /// Subcommands whose `apt-cache` cousin the message names.
    static let cacheSubcommands: Set<String> = ["search", "show", "policy", "depends", "rdepends", "showsrc"]

    func fix(_ command: PackageManagerCommand, range: TextRange, emptiesDownloadCache: Bool, context: RuleContext) -> Fix? {
        guard let subcommand = command.subcommand, context.syntax.source.text(in: range) == "apt" else { return nil }
        let applicability: Applicability
        if Self.sameSubcommands.contains(subcommand) {
            applicability = .safe
        } else if Self.installSubcommands.contains(subcommand) {
            applicability = emptiesDownloadCache ? .safe : .unsafe
        } else {
            return nil
        }
        return Fix(title: "Replace `apt` with `apt-get`", applicability: applicability,
                   edits: [Edit(range: range, replacement: "apt-get")])
    }

    /// Whether the RUN leaves no downloaded packages behind whichever tool installs them.
    static func emptiesDownloadCache(script: ShellScript, run: RunScript) -> Bool {
        if PackageManagerCommands.isCached(run, anyOf: ["/var/cache/apt/archives"]) { return true }
        return script.commands.contains { view in
            (["apt-get", "apt"].contains(view.name ?? "") && view.subcommand == "clean")
                || PackageManagerCommands.removes(view, anyOf: ["/var/cache/apt/archives"])
        }
    }
}
