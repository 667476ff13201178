/// A piece of an instruction: its value as BuildKit reads it, and where it is written.
public struct Token: Hashable, Sendable {
    /// The value after BuildKit's processing (quotes kept or JSON decoded, as the
    /// instruction's parser does), with invalid UTF-8 replaced by U+FFFD.
    public let text: String
    /// The bytes of the source file that spell the token.
    public let range: TextRange

    /// Creates a token.
    public init(text: String, range: TextRange) {
        self.text = text
        self.range = range
    }
}
