import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// The findings of the rpm-family `-y` rules (DL3030 yum, DL3038 dnf and microdnf).
enum RPMYesFlag {
    /// The subcommands that prompt before installing (hadolint's list).
    static let installSubcommands: Set<String> = ["install", "groupinstall", "localinstall"]

    /// One finding per install command without `-y`/`--assumeyes`, with a safe fix
    /// inserting ` -y` after the subcommand word.
    static func violations(in context: RuleContext, managers: Set<PackageManager>) -> [Violation] {
        context.model.packageManagerCommands.compactMap { command in
            guard managers.contains(command.manager), let install = command.positional(in: installSubcommands),
                  !command.hasFlag("y", "assumeyes") else { return nil }
            let name = command.manager.rawValue
            let subcommand = install.literalValue ?? "install"
            let fix = Fix(
                title: "Add `-y` after `\(subcommand)`", applicability: .safe,
                edits: [.insert(" -y", at: command.range(of: install).end)])
            return Violation(
                range: command.range(through: install),
                message: "`\(name) \(subcommand)` without `-y` stops at its prompt; add `-y`", fix: fix)
        }
    }
}
