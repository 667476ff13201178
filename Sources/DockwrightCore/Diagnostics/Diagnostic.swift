import DockwrightSyntax

/// A finding as the engine reports it: a violation stamped with the rule's identity,
/// its configured severity and resolved positions.
///
/// A file of many RUNs has tens of thousands of findings, all kept until they are
/// printed, so a finding is compact (40 bytes): what every finding of a rule in one
/// file shares (code, name, URL, path, severity, the file itself) is one reference, the
/// byte range is two 32-bit offsets, and lines and columns are not stored at all but
/// computed from the file's line index when a report asks for them, which a report
/// does once or twice per finding.
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
        /// Where the findings' lines and columns come from.
        let placement: Placement

        init(
            code: String, name: String, severity: Severity, path: String, url: String,
            template: MessageTemplate? = nil, placement: Placement
        ) {
            self.code = code
            self.name = name
            self.severity = severity
            self.path = path
            self.url = url
            self.template = template
            self.placement = placement
        }

        /// The same origin for one finding at `range`, its place stated outright.
        func placing(_ range: TextRange) -> Origin {
            guard case .located(let source) = placement else { return self }
            return Origin(
                code: code, name: name, severity: severity, path: path, url: url, template: template,
                placement: .given(range: range, start: source.location(of: range.start), end: source.location(of: range.end)))
        }
    }

    /// How a finding's range and positions are known.
    enum Placement: Sendable {
        /// From the finding's 32-bit offsets, located in the file they point into.
        case located(in: SourceFile)
        /// Stated when the finding was made: a finding built with explicit positions,
        /// or one whose offsets do not fit 32 bits; its origin is its own.
        case given(range: TextRange, start: SourcePosition, end: SourcePosition)
    }

    private let origin: Origin
    /// The message, or the varying part of the origin's template.
    private let text: String
    /// The range's offsets, unless the origin's placement gives the range.
    private let rangeStart: UInt32
    private let rangeEnd: UInt32
    /// A fix, when one exists.
    public let fix: Fix?

    /// What is wrong.
    public var message: String {
        guard let template = origin.template else { return text }
        return template.message(with: text)
    }
    /// The bytes the finding is about.
    public var range: TextRange {
        switch origin.placement {
        case .located: TextRange(start: Int(rangeStart), end: Int(rangeEnd))
        case .given(let range, _, _): range
        }
    }
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
    public var start: SourcePosition {
        switch origin.placement {
        case .located(let source): source.location(of: Int(rangeStart))
        case .given(_, let start, _): start
        }
    }
    /// 1-based line and column just past the last byte.
    public var end: SourcePosition {
        switch origin.placement {
        case .located(let source): source.location(of: Int(rangeEnd))
        case .given(_, _, let end): end
        }
    }

    /// Creates a diagnostic at explicitly given positions.
    public init(
        code: String, name: String, severity: Severity, message: String, path: String, range: TextRange,
        start: SourcePosition, end: SourcePosition, fix: Fix?, url: String
    ) {
        origin = Origin(
            code: code, name: name, severity: severity, path: path, url: url,
            placement: .given(range: range, start: start, end: end))
        text = message
        rangeStart = 0
        rangeEnd = 0
        self.fix = fix
    }

    /// Creates a diagnostic that shares `origin` with the other findings of its rule in its
    /// file; `text` is its message, or the varying part of the origin's template. The
    /// origin's placement is `.located`; a range past 4 GiB, which no file the CLI reads
    /// reaches, gets an origin of its own that states it.
    init(origin: Origin, text: String, range: TextRange, fix: Fix?) {
        if let start = UInt32(exactly: range.start), let end = UInt32(exactly: range.end) {
            self.origin = origin
            rangeStart = start
            rangeEnd = end
        } else {
            self.origin = origin.placing(range)
            rangeStart = 0
            rangeEnd = 0
        }
        self.text = text
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
