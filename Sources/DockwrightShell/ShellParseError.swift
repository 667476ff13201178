/// Why a script could not be parsed, and where.
public struct ShellParseError: Error, Hashable, Sendable {
    /// What is wrong, e.g. "unterminated single quote".
    public let message: String
    /// The script offset where the problem was found.
    public let offset: Int

    /// Creates an error.
    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }
}
