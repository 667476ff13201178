import DockwrightSyntax

/// A finding from a checker outside dockwright's rules (ShellCheck), already placed in
/// the Dockerfile and graded; the linter applies suppressions to it like to a rule's.
public struct ExternalFinding: Hashable, Sendable {
    /// The code it is reported and suppressed under, e.g. `SC2086`.
    public let code: String
    /// The name that also suppresses it, e.g. `shellcheck`.
    public let name: String
    /// The severity, after any re-grading the checker applies.
    public let severity: Severity
    /// The message.
    public let message: String
    /// Where, in the Dockerfile.
    public let range: TextRange
    /// Where the code is documented.
    public let url: String

    /// Creates a finding.
    public init(code: String, name: String, severity: Severity, message: String, range: TextRange, url: String) {
        self.code = code
        self.name = name
        self.severity = severity
        self.message = message
        self.range = range
        self.url = url
    }
}

/// Something besides the rules that checks a file, such as ShellCheck run by the CLI.
///
/// Rules stay pure (no processes, no file system); a checker that needs either lives in
/// the CLI and is handed to ``Linter``, which runs it only on files BuildKit accepts.
public protocol ExternalChecker: Sendable {
    /// The findings in a file.
    func findings(in context: RuleContext) -> [ExternalFinding]
}
