import DockwrightSyntax

/// A finding as the engine reports it: a violation stamped with the rule's identity,
/// its configured severity and resolved positions.
///
/// A file of many RUNs has tens of thousands of findings, all kept until they are
/// printed, so a finding is compact: what every finding of a rule in one file shares
/// (code, name, URL, path, severity) is one reference, and lines and columns are 32-bit.
public struct Diagnostic: Hashable, Sendable {
    /// What the findings of one rule in one file share.
    final class Origin: Sendable {
        let code: String
        let name: String
        let severity: Severity
        let path: String
        let url: String
        /// The fixed text of the findings' messages, when only a part of each varies.
        let template: MessageTemplate?

        init(code: String, name: String, severity: Severity, path: String, url: String, template: MessageTemplate? = nil) {
            self.code = code
            self.name = name
            self.severity = severity
            self.path = path
            self.url = url
            self.template = template
        }
    }

    private let origin: Origin
    /// The message, or the varying part of the origin's template.
    private let text: String
    /// What is wrong.
    public var message: String {
        guard let template = origin.template else { return text }
        return template.message(with: text)
    }
    /// The bytes the finding is about.
    public let range: TextRange
    private let startLine: UInt32
    private let startColumn: UInt32
    private let endLine: UInt32
    private let endColumn: UInt32
    /// A fix, when one exists.
    public let fix: Fix?

    /// The rule's code, e.g. `DL3020`.
    public var code: String { origin.code }
    /// The rule's name, e.g. `prefer-copy-over-add`.
    public var name: String { origin.name }
    /// The severity after configuration.
    public var severity: Severity { origin.severity }
    /// The file's path as given.
    public var path: String { origin.path }
    /// Where the rule is documented.
    public var url: String { origin.url }
    /// 1-based line and column of the first byte.
    public var start: SourcePosition { SourcePosition(line: Int(startLine), column: Int(startColumn)) }
    /// 1-based line and column just past the last byte.
    public var end: SourcePosition { SourcePosition(line: Int(endLine), column: Int(endColumn)) }

    /// Creates a diagnostic.
    public init(
        code: String, name: String, severity: Severity, message: String, path: String, range: TextRange,
        start: SourcePosition, end: SourcePosition, fix: Fix?, url: String
    ) {
        self.init(
            origin: Origin(code: code, name: name, severity: severity, path: path, url: url), text: message,
            range: range, start: start, end: end, fix: fix)
    }

    /// Creates a diagnostic that shares `origin` with the other findings of its rule in its
    /// file; `text` is its message, or the varying part of the origin's template.
    /// Lines and columns saturate at 2³²−1, which only a file over 4 GB could pass.
    init(origin: Origin, text: String, range: TextRange, start: SourcePosition, end: SourcePosition, fix: Fix?) {
        self.origin = origin
        self.text = text
        self.range = range
        startLine = UInt32(clamping: start.line)
        startColumn = UInt32(clamping: start.column)
        endLine = UInt32(clamping: end.line)
        endColumn = UInt32(clamping: end.column)
        self.fix = fix
    }

    public static func == (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        lhs.code == rhs.code && lhs.name == rhs.name && lhs.severity == rhs.severity && lhs.message == rhs.message
            && lhs.path == rhs.path && lhs.range == rhs.range && lhs.start == rhs.start && lhs.end == rhs.end
            && lhs.fix == rhs.fix && lhs.url == rhs.url
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(name)
        hasher.combine(severity)
        hasher.combine(message)
        hasher.combine(path)
        hasher.combine(range)
        hasher.combine(start)
        hasher.combine(end)
        hasher.combine(fix)
        hasher.combine(url)
    }
}
