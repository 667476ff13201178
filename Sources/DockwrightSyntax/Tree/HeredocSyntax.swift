/// A here-document (`<<EOF` … `EOF`) attached to a RUN, COPY or ADD.
public struct HeredocSyntax: Hashable, Sendable {
    /// The delimiter with quotes removed, e.g. `EOF` for `<<'EOF'`.
    public let name: String
    /// The file descriptor written before `<<`, 0 when none is written.
    public let fileDescriptor: UInt
    /// Whether variables in the body are expanded (the delimiter is unquoted).
    public let expandsVariables: Bool
    /// Whether leading tabs are stripped (`<<-`).
    public let stripsLeadingTabs: Bool
    /// The file's bytes, shared with the source: the body is read from them when asked
    /// for rather than copied, as a heredoc of a large file kept a second copy of its
    /// whole body for the whole lint (issue 13).
    private let source: [UInt8]
    /// The body exactly as written, byte for byte, line ends included, terminator
    /// excluded: the bytes of ``bodyRange``.
    public var contentBytes: [UInt8] { Array(source[bodyRange.start..<bodyRange.end]) }
    /// The body as text, with invalid UTF-8 replaced by U+FFFD; positions must come
    /// from ``contentBytes`` and ``bodyRange``, never from this.
    public var content: String { String(decoding: contentBytes, as: UTF8.self) }
    /// Where the `<<EOF` word is written.
    public let markerRange: TextRange
    /// The body lines in the source.
    public let bodyRange: TextRange
    /// The terminator line, including its line end; nil when the file ends first.
    public let terminatorRange: TextRange?

    /// A heredoc whose body is `bodyRange` of `source`, the file's bytes.
    init(
        name: String, fileDescriptor: UInt, expandsVariables: Bool, stripsLeadingTabs: Bool, source: [UInt8],
        markerRange: TextRange, bodyRange: TextRange, terminatorRange: TextRange?
    ) {
        self.name = name
        self.fileDescriptor = fileDescriptor
        self.expandsVariables = expandsVariables
        self.stripsLeadingTabs = stripsLeadingTabs
        self.source = source
        self.markerRange = markerRange
        self.bodyRange = bodyRange
        self.terminatorRange = terminatorRange
    }

    /// Whether a terminator line was found.
    public var isTerminated: Bool { terminatorRange != nil }

    public static func == (lhs: HeredocSyntax, rhs: HeredocSyntax) -> Bool {
        lhs.name == rhs.name && lhs.fileDescriptor == rhs.fileDescriptor && lhs.expandsVariables == rhs.expandsVariables
            && lhs.stripsLeadingTabs == rhs.stripsLeadingTabs && lhs.markerRange == rhs.markerRange
            && lhs.bodyRange == rhs.bodyRange && lhs.terminatorRange == rhs.terminatorRange
            && lhs.source[lhs.bodyRange.start..<lhs.bodyRange.end]
                .elementsEqual(rhs.source[rhs.bodyRange.start..<rhs.bodyRange.end])
    }

    public func hash(into hasher: inout Hasher) {
        // Equal heredocs have equal names and ranges; the body only refines.
        hasher.combine(name)
        hasher.combine(markerRange)
        hasher.combine(bodyRange)
    }
}
