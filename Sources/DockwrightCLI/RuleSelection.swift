import DockwrightCore

/// Which rules run and at what severity, from `--select`, `--ignore` and the
/// re-grading options.
struct RuleSelection {
    var selected: [String] = []
    var ignored: [String] = []
    var severityOverrides: [String: Severity] = [:]

    /// Whether a selector (a code, a name, a code prefix like `DL30`, a category, or
    /// the BuildKit check name the rule implements) matches a rule.
    static func matches(_ selector: String, _ description: RuleDescription) -> Bool {
        let upper = selector.uppercased()
        return description.code == upper || description.name == selector.lowercased()
            || (upper.count >= 2 && description.code.hasPrefix(upper))
            || description.category.rawValue.lowercased() == selector.lowercased()
            || description.category.title == selector.lowercased()
            || description.buildKitCheckName?.lowercased() == selector.lowercased()
    }

    /// Whether `selector` names a BuildKit check (`BuildKitChecks.names`), in any letter
    /// case as `matches` compares. Every check name is accepted as a selector, so
    /// configurations written for BuildKit keep working; it selects the dockwright rule
    /// that implements the check once one does.
    static func isBuildKitCheckName(_ selector: String) -> Bool {
        let lowered = selector.lowercased()
        return BuildKitChecks.names.contains { $0.lowercased() == lowered }
    }

    /// Splits `A,B` lists and drops empty entries.
    static func entries(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
    }

    /// These command-line choices over a configuration file's: `--select` replaces
    /// the file's `select`, ignores add up, command-line re-grades win.
    func merged(over configuration: Configuration) -> RuleSelection {
        var result = RuleSelection()
        result.selected = selected.isEmpty ? configuration.select : selected
        result.ignored = configuration.ignore + configuration.switchedOffCodes + ignored
        result.severityOverrides = configuration.severity.merging(severityOverrides) { _, commandLine in commandLine }
        return result
    }

    /// The rules to run.
    func rules(from all: [any Rule.Type]) -> [any Rule] {
        all.filter { rule in
            let description = rule.description
            let isSelected = selected.isEmpty
                ? description.isEnabledByDefault
                : selected.contains { Self.matches($0, description) }
            return isSelected && !ignored.contains { Self.matches($0, description) }
        }.map { $0.init() }
    }

    /// The overrides keyed by code.
    func overrides(from all: [any Rule.Type]) -> [String: Severity] {
        var result: [String: Severity] = [:]
        for (selector, severity) in severityOverrides {
            for rule in all where Self.matches(selector, rule.description) {
                result[rule.description.code] = severity
            }
        }
        return result
    }
}
