import DockwrightCore

/// The output formats `--format` accepts.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, json, sarif, checkstyle, gnu, github, gitlab, junit

    /// Renders lint results; `rules` supplies rule metadata (SARIF's rule table).
    public func render(_ results: [LintResult], rules: [any Rule.Type], usesColor: Bool = false) -> String {
        switch self {
        case .text: return TextFormatter(usesColor: usesColor).format(results)
        case .json: return MachineFormats.json(results)
        case .sarif: return MachineFormats.sarif(results, rules: rules)
        case .checkstyle: return MachineFormats.checkstyle(results)
        case .gnu: return MachineFormats.gnu(results)
        case .github: return MachineFormats.github(results)
        case .gitlab: return MachineFormats.gitlab(results)
        case .junit: return MachineFormats.junit(results)
        }
    }
}
