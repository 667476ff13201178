/// A problem found while reading a Dockerfile, with its exact position.
public struct SyntaxError: Hashable, Sendable, Error {
    /// Which stage of a Docker build would report the problem.
    public enum Stage: String, Hashable, Sendable {
        /// BuildKit's parser rejects the file: `docker build` fails before anything else.
        case parser
        /// The parser accepts the file but BuildKit's instruction stage rejects it
        /// (an unknown instruction, a wrong argument count, an unknown flag).
        case instruction
    }

    /// The message, worded like BuildKit's where BuildKit has one.
    public let message: String
    /// The bytes the problem is about; may be empty, pointing between two bytes.
    public let range: TextRange
    /// The stage that would report it.
    public let stage: Stage

    /// Creates a syntax error.
    public init(_ message: String, range: TextRange, stage: Stage) {
        self.message = message
        self.range = range
        self.stage = stage
    }
}
