import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

extension PackageManagerCommands {
    /// One finding per package word of `command` without a version (`name=<version>`
    /// pins, as apt, apk and zypper write them), at the word.
    static func unpinnedPackageViolations(
        of command: PackageManagerCommand, operands: some Sequence<ShellWord>, in context: RuleContext,
        isPinned: (String) -> Bool
    ) -> [Violation] {
        let environment = environment(of: command, in: context.model)
        return unpinned(operands, environment: environment, isPinned: isPinned).map { word, package in
            let range = command.range(of: word)
            let name = package ?? context.syntax.source.text(in: range)
            return Violation(range: range, message: unpinnedPackage, with: name)
        }
    }

    /// "`curl` is installed without a version; pin it: `curl=<version>`", for every
    /// package manager's pinning rule: a file installing thousands of packages keeps
    /// only their names until the findings are printed.
    private static let unpinnedPackage = MessageTemplate("`", "` is installed without a version; pin it: `", "=<version>`")
}
