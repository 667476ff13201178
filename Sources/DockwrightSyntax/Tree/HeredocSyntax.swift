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
    /// The body exactly as written, byte for byte, line ends included, terminator
    /// excluded: the bytes of ``bodyRange``.
    public let contentBytes: [UInt8]
    /// The body as text, with invalid UTF-8 replaced by U+FFFD; positions must come
    /// from ``contentBytes`` and ``bodyRange``, never from this.
    public var content: String { String(decoding: contentBytes, as: UTF8.self) }
    /// Where the `<<EOF` word is written.
    public let markerRange: TextRange
    /// The body lines in the source.
    public let bodyRange: TextRange
    /// The terminator line, including its line end; nil when the file ends first.
    public let terminatorRange: TextRange?

    /// Whether a terminator line was found.
    public var isTerminated: Bool { terminatorRange != nil }
}
