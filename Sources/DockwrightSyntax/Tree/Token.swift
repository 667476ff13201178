/// A piece of an instruction: its value as BuildKit reads it, and where it is written.
///
/// The position is kept as two 32-bit offsets rather than a ``TextRange`` of two
/// `Int`s: a large file holds a few tokens per line, and the parser reads sources of
/// at most 4 GiB (the CLI reads at most 16 MiB).
public struct Token: Hashable, Sendable {
    /// The value after BuildKit's processing (quotes kept or JSON decoded, as the
    /// instruction's parser does), with invalid UTF-8 replaced by U+FFFD.
    public let text: String
    private let start: UInt32
    private let end: UInt32

    /// The bytes of the source file that spell the token.
    public var range: TextRange { TextRange(start: Int(start), end: Int(end)) }

    /// Creates a token.
    public init(text: String, range: TextRange) {
        self.text = text
        start = UInt32(clamping: range.start)
        end = UInt32(clamping: range.end)
    }
}
