/// The exact bytes of one Dockerfile and where they came from.
///
/// Bytes are kept as read: invalid UTF-8, NUL bytes, CR line ends and a
/// byte-order mark all survive, so printing the tree gives back the input.
public struct SourceFile: Sendable {
    /// The path as given by the user, or `<stdin>`.
    public let path: String
    /// The file's bytes, unchanged.
    public let bytes: [UInt8]
    /// Line starts, for turning offsets into lines and columns.
    public let lineIndex: LineIndex

    /// Creates a source file from raw bytes.
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        self.lineIndex = LineIndex(bytes)
    }

    /// Creates a source file from text, encoded as UTF-8.
    public init(path: String = "<memory>", text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// The 1-based line and column of a byte offset.
    public func location(of offset: Int) -> SourcePosition {
        lineIndex.location(of: offset, in: bytes)
    }

    /// The text of `range`, with invalid UTF-8 replaced by U+FFFD.
    public func text(in range: TextRange) -> String {
        String(decoding: bytes[range.start..<range.end], as: UTF8.self)
    }
}
