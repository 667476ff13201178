import DockwrightCore

/// Which rules run and at what severity, from `--select`, `--ignore` and the
/// re-grading options.
struct RuleSelection {
    var selected: [String] = []
    var ignored: [String] = []
    var severityOverrides: [String: Severity] = [:]

    /// Whether a selector (a code, a name, a code prefix like `DL30`, or a category)
    /// matches a rule.
    static func matches(_ selector: String, _ description: RuleDescription) -> Bool {
        let upper = selector.uppercased()
        return description.code == upper || description.name == selector.lowercased()
            || (upper.count >= 2 && description.code.hasPrefix(upper))
            || description.category.rawValue.lowercased() == selector.lowercased()
            || description.category.title == selector.lowercased()
    }

    /// Splits `A,B` lists and drops empty entries.
    static func entries(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
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

extension String {
    func trimmingSpaces() -> String {
        let characters = Array(self)
        var start = 0
        var end = characters.count
        while start < end && characters[start].isWhitespace { start += 1 }
        while end > start && characters[end - 1].isWhitespace { end -= 1 }
        return String(characters[start..<end])
    }
}
