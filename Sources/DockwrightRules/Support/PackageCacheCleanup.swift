import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// The findings of the rules that want a package manager's cache emptied in the RUN
/// that fills it (DL3032 yum, DL3036 zypper, DL3040 dnf and microdnf).
enum PackageCacheCleanup {
    /// How one manager family installs and cleans.
    struct Family {
        /// The managers whose installs are checked.
        let managers: Set<PackageManager>
        /// The subcommands that fill the cache.
        let installSubcommands: Set<String>
        /// Whether a command empties the cache.
        let isCleanup: (PackageManagerCommand) -> Bool
        /// The cache folders, whose removal or cache/tmpfs mount also counts.
        let cachePaths: [String]
        /// The cleanup command for a manager, named in the message and appended by the fix.
        let cleanupText: (PackageManager) -> String
    }

    /// One finding per RUN: the first install that no cleanup follows.
    static func violations(in context: RuleContext, family: Family) -> [Violation] {
        var violations: [Violation] = []
        for run in context.runAndTriggerScripts {
            guard let script = run.script else { continue }
            let commands = context.model.packageManagerCommands(of: run)
            let installs = commands.filter {
                family.managers.contains($0.manager) && $0.positional(in: family.installSubcommands) != nil
            }
            guard !installs.isEmpty, !PackageManagerCommands.isCached(run, anyOf: family.cachePaths) else { continue }
            let lastCleanup = script.commands.indices.last { index in
                if PackageManagerCommands.removes(script.commands[index], anyOf: family.cachePaths) { return true }
                return commands.contains { $0.index == index && family.isCleanup($0) }
            } ?? -1
            guard let install = installs.first(where: { $0.index > lastCleanup }),
                  let word = install.positional(in: family.installSubcommands), let last = installs.last else { continue }
            let name = install.manager.rawValue
            let cleanup = family.cleanupText(last.manager)
            // Appended after the last install, so every install's cache goes; later commands
            // of the RUN and later RUNs fetch the metadata again when they need it.
            let fix = PackageManagerCommands.appendOffset(after: last.view, in: script, of: run, model: context.model).map {
                Fix(title: "Append `&& \(cleanup)` after the last install", applicability: .safe,
                    edits: [.insert(" && \(cleanup)", at: $0)])
            }
            violations.append(Violation(
                range: install.range(through: word),
                message: "`\(name) \(word.literalValue ?? "install")` leaves its cache in the layer; "
                    + "add `\(family.cleanupText(install.manager))` after it in this `RUN`",
                fix: fix))
        }
        return violations
    }

    /// `<manager> clean all`, for any of the rpm managers (yum is dnf on newer releases).
    static func isCleanAll(_ command: PackageManagerCommand) -> Bool {
        [.yum, .dnf, .microdnf].contains(command.manager) && command.subcommand == "clean"
            && command.positionals.contains { $0.literalValue == "all" }
    }
}
