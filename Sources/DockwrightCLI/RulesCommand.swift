import DockwrightCore
import DockwrightOutput
import DockwrightRules

/// `dockwright rules [--markdown] [CODE|NAME]`: lists the rules or explains one.
struct RulesCommand {
    let output: OutputStream
    let errors: OutputStream

    static let options: [OptionSpec] = [
        OptionSpec(names: ["--markdown"], value: nil, help: "print Rules.md"),
        OptionSpec(names: ["--help", "-h"], value: nil, help: "show this help"),
    ]

    func run(_ arguments: [String]) -> ExitCode {
        let rules = BuiltinRules.all
        let parsed: ParsedArguments
        do {
            parsed = try ArgumentParser.parse(arguments, options: Self.options, command: "rules")
        } catch {
            errors.write(error.message + "\n")
            return .failure
        }
        if parsed.has("--help") {
            output.write(ArgumentParser.commandHelp("rules [--markdown] [CODE|NAME|BUILDKIT-CHECK]", Self.options) + """

                With no argument, every rule: code, name, category, severity, on by default, fix.
                With a code, a name or the BuildKit check a rule implements, that rule
                explained, from the same text as Rules.md.

                """)
            return .success
        }
        if parsed.has("--markdown") {
            output.write(RulesMarkdown.render(rules))
            return .success
        }
        if let query = parsed.positional.first {
            let lowered = query.lowercased()
            // A code, a dockwright name, or the BuildKit check name a rule implements;
            // one BuildKit check can map to several rules (MultipleInstructionsDisallowed).
            let matches = rules.filter {
                $0.description.code.lowercased() == lowered || $0.description.name == lowered
                    || $0.description.buildKitCheckName?.lowercased() == lowered
            }
            guard !matches.isEmpty else {
                if RuleSelection.isBuildKitCheckName(query) {
                    errors.write("dockwright rules: '\(query)' is a BuildKit check that no dockwright rule implements yet\n")
                } else {
                    let candidates = rules.flatMap { [$0.description.code, $0.description.name] } + BuildKitChecks.names.sorted()
                    errors.write("dockwright rules: no rule named '\(query)'"
                        + Suggestion.didYouMean(query, among: candidates) + "; see 'dockwright rules'\n")
                }
                return .failure
            }
            output.write(matches.map { RulesMarkdown.section($0) }.joined(separator: "\n"))
            return .success
        }
        for rule in rules {
            let description = rule.description
            let fix = description.fixAvailability == .none ? "none" : Set(description.fixes.map(\.applicability)) == [.safe] ? "safe" : "unsafe"
            output.write("\(description.code)\t\(description.name)\t\(description.category.title)\t"
                + "\(description.severity.rawValue)\t\(description.isEnabledByDefault ? "on" : "off")\tfix: \(fix)\n")
        }
        return .success
    }
}
