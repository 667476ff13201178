/// Why an image reference is not valid, worded as Docker's reference parser words it.
public struct ImageReferenceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: Hashable, Sendable {
        /// Nothing was written.
        case empty
        /// A bare 64-character hexadecimal string, which Docker reads as an image ID.
        case hexadecimalIdentifier
        /// The repository path has upper-case letters.
        case uppercaseRepository
        /// The text does not follow the reference grammar.
        case invalidFormat
        /// The name (registry and path) is longer than 255 characters.
        case nameTooLong
        /// The digest's algorithm is not sha256, sha384 or sha512.
        case unsupportedDigestAlgorithm
        /// The digest's hexadecimal part has the wrong length for its algorithm.
        case invalidDigestLength
        /// The digest's hexadecimal part is malformed (for example upper case).
        case invalidDigestFormat
    }

    /// What is wrong.
    public let kind: Kind
    /// The message `docker build` would print.
    public let message: String

    /// Creates an error.
    public init(_ kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
