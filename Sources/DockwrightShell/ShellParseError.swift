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

extension ShellParseError {
    /// The message of a script nested deeper than the parser's limit (`ShellParser`'s
    /// `maximumDepth`): a limit of dockwright's, not a shell syntax error.
    public static let nestingLimitMessage = "nesting is too deep"

    /// Whether the script hit dockwright's parser limit rather than a syntax error.
    public var isParserLimit: Bool { message == Self.nestingLimitMessage }
}
