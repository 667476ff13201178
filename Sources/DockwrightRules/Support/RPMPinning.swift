import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// The findings of the rpm-family pinning rules (DL3033 yum, DL3041 dnf and microdnf).
enum RPMPinning {
    /// One finding per package or module word of an `install` that carries no version.
    static func violations(in context: RuleContext, managers: Set<PackageManager>, example: String) -> [Violation] {
        var violations: [Violation] = []
        for command in context.model.packageManagerCommands where managers.contains(command.manager) {
            guard let (operands, isPinned) = PackageManagerCommands.rpmInstallTargets(command) else { continue }
            let isModule = command.subcommand == "module"
            let environment = PackageManagerCommands.environment(of: command, in: context.model)
            for (word, package) in PackageManagerCommands.unpinned(operands, environment: environment, isPinned: isPinned) {
                let range = command.range(of: word)
                let name = package ?? context.syntax.source.text(in: range)
                let message = isModule
                    ? "Module `\(name)` is installed without a stream; name it: `\(name):<stream>`"
                    : "`\(name)` is installed without a version; pin it: `\(name)-<version>`"
                violations.append(Violation(range: range, message: message))
            }
        }
        return violations
    }
}
