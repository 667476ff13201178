import DockwrightCore
import DockwrightOutput
import DockwrightRules

/// `dockwright rules [--markdown] [CODE|NAME]`: lists the rules or explains one.
struct RulesCommand {
    let output: OutputStream
    let errors: OutputStream

    func run(_ arguments: [String]) -> ExitCode {
        let rules = BuiltinRules.all
        if arguments.contains("--help") || arguments.contains("-h") {
            output.write("""
                Usage: dockwright rules [--markdown] [CODE|NAME]

                  (no argument)   list every rule: code, name, category, severity, on by default, fix
                  CODE|NAME       explain one rule, from the same text as Rules.md
                  --markdown      print Rules.md

                """)
            return .success
        }
        if arguments == ["--markdown"] {
            output.write(RulesMarkdown.render(rules))
            return .success
        }
        if let query = arguments.first {
            guard let rule = rules.first(where: {
                $0.description.code.lowercased() == query.lowercased() || $0.description.name == query.lowercased()
            }) else {
                errors.write("dockwright rules: no rule named '\(query)'\n")
                return .failure
            }
            output.write(RulesMarkdown.section(rule))
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
