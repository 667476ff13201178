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

    /// hadolint's codes that select no dockwright rule on purpose: the rules hadolint
    /// retired (DL3005, DL3017, DL3031, DL3039) and its label-schema rules, which run
    /// only with a `label-schema` configuration. A hadolint command line naming them
    /// keeps working; they match nothing.
    static let hadolintCodesWithoutRule: Set<String> = [
        "DL3005", "DL3017", "DL3031", "DL3039", "DL3049", "DL3050", "DL3051", "DL3052", "DL3053", "DL3054",
        "DL3055", "DL3056", "DL3058",
    ]

    /// Throws a usage error for a selector that matches nothing: an unknown code, a
    /// prefix no code starts with, a misspelt name. Accepted besides the rules: the
    /// codes of parse errors (DL1000, DW000), ShellCheck codes (`SC` and up to four
    /// digits, or `shellcheck` for all of them), BuildKit check names and
    /// ``hadolintCodesWithoutRule``.
    static func validate(_ entry: String, against rules: [any Rule.Type]) throws(UsageError) {
        let upper = entry.uppercased()
        if rules.contains(where: { matches(entry, $0.description) }) || isBuildKitCheckName(entry)
            || entry.lowercased() == ShellCheckChecker.name || hadolintCodesWithoutRule.contains(upper)
            || upper == Linter.parseErrorCode || upper == Linter.buildErrorCode {
            return
        }
        let digits = upper.drop { $0.isLetter }
        let looksLikeCode = !digits.isEmpty && digits.count < upper.count && digits.allSatisfy { ("0"..."9").contains($0) }
        if looksLikeCode && upper.hasPrefix("SC") && digits.count <= 4 && upper.count == digits.count + 2 { return }
        let names = rules.flatMap { [$0.description.code, $0.description.name] } + BuildKitChecks.names.sorted()
        let kind = looksLikeCode ? "no rule has the code or code prefix" : "no rule, category or BuildKit check is named"
        throw UsageError(message: "dockwright: \(kind) '\(entry)'" + Suggestion.didYouMean(entry, among: names)
            + "; see 'dockwright rules'")
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
