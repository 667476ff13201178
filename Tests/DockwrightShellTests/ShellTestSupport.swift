import DockwrightShell
import Testing

/// Parses a script and records a test issue when it does not parse.
func parseScript(_ script: String, sourceLocation: SourceLocation = #_sourceLocation) -> ShellScript? {
    switch ShellParser.parse(script) {
    case .success(let parsed):
        return parsed
    case .failure(let error):
        Issue.record("did not parse: \(error.message) at \(error.offset) in \(script)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The parse error of a script that must not parse.
func parseError(_ script: String, sourceLocation: SourceLocation = #_sourceLocation) -> ShellParseError? {
    switch ShellParser.parse(script) {
    case .success:
        Issue.record("expected a parse error for \(script)", sourceLocation: sourceLocation)
        return nil
    case .failure(let error):
        return error
    }
}

/// The simple commands of a script in pre-order, as `name arg arg` strings
/// (`?` for a word that is not literal).
func commandLines(_ script: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
    guard let parsed = parseScript(script, sourceLocation: sourceLocation) else { return [] }
    return parsed.simpleCommands.map { command in
        command.words.map { $0.literalValue ?? "?" }.joined(separator: " ")
    }
}
