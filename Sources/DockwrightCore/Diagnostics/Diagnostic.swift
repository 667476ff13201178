import DockwrightSyntax

/// A finding as the engine reports it: a violation stamped with the rule's identity,
/// its configured severity and resolved positions.
public struct Diagnostic: Hashable, Sendable {
    /// The rule's code, e.g. `DL3020`.
    public let code: String
    /// The rule's name, e.g. `prefer-copy-over-add`.
    public let name: String
    /// The severity after configuration.
    public let severity: Severity
    /// What is wrong.
    public let message: String
    /// The file's path as given.
    public let path: String
    /// The bytes the finding is about.
    public let range: TextRange
    /// 1-based line and column of the first byte.
    public let start: SourcePosition
    /// 1-based line and column just past the last byte.
    public let end: SourcePosition
    /// A fix, when one exists.
    public let fix: Fix?
    /// Where the rule is documented.
    public let url: String

    /// Creates a diagnostic.
    public init(
        code: String, name: String, severity: Severity, message: String, path: String, range: TextRange,
        start: SourcePosition, end: SourcePosition, fix: Fix?, url: String
    ) {
        self.code = code
        self.name = name
        self.severity = severity
        self.message = message
        self.path = path
        self.range = range
        self.start = start
        self.end = end
        self.fix = fix
        self.url = url
    }
}
