/// Why a word could not be expanded, worded as BuildKit's shell lexer words it.
///
/// BuildKit wraps every message as `failed to process "<word>": <message>`;
/// ``description`` gives that form and ``message`` the part after the colon.
public struct VariableExpansionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Hashable, Sendable {
        /// A `${` with no closing `}`: `syntax error: missing '}'`.
        case missingClosingBrace
        /// A `${name/pattern` with no second `/`: `syntax error: missing '/' in ${}`.
        case missingSlash
        /// `${}`, `${{…}`, `${:…}`: `syntax error: bad substitution`.
        case badSubstitution
        /// An operator BuildKit does not know, such as `${name!x}` or `${name:=x}`;
        /// the operator text as BuildKit prints it, e.g. `:=`.
        case unsupportedModifier(String)
        /// A `'` with no closing quote.
        case unterminatedSingleQuote
        /// A `"` with no closing quote.
        case unterminatedDoubleQuote
        /// `${name?message}` or `${name:?message}` on an unset (or empty) variable.
        case requiredVariable(name: String, message: String)
        /// A `#`, `%` or `/` pattern with an escape BuildKit rejects, e.g. `\x`.
        case invalidPattern(pattern: String, reason: String)
        /// Substitutions nested deeper than ``VariableExpander/maximumNestingDepth``;
        /// BuildKit has no limit, we stop to keep the stack bounded.
        case nestingTooDeep
        /// Substitutions that produce more than ``VariableExpander/maximumSubstitutionLength``
        /// bytes (or than ``ArgScope``'s budget for the file); BuildKit has no limit, we
        /// stop to keep time and memory linear in the file.
        case substitutionTooLong
    }

    /// What went wrong.
    public let kind: Kind
    /// The word that was being expanded.
    public let word: String

    /// Creates an error for `word`.
    public init(_ kind: Kind, word: String) {
        self.kind = kind
        self.word = word
    }

    /// The message without BuildKit's `failed to process` prefix.
    public var message: String {
        switch kind {
        case .missingClosingBrace: return "syntax error: missing '}'"
        case .missingSlash: return "syntax error: missing '/' in ${}"
        case .badSubstitution: return "syntax error: bad substitution"
        case .unsupportedModifier(let modifier): return "unsupported modifier (\(modifier)) in substitution"
        case .unterminatedSingleQuote: return "unexpected end of statement while looking for matching single-quote"
        case .unterminatedDoubleQuote: return "unexpected end of statement while looking for matching double-quote"
        case .requiredVariable(let name, let message): return "\(name): \(message)"
        case .invalidPattern(let pattern, let reason): return "invalid pattern (\(pattern)) in substitution: \(reason)"
        case .nestingTooDeep: return "syntax error: substitutions nested too deeply"
        case .substitutionTooLong: return "substituted values too long to follow"
        }
    }

    /// The full message, as `docker build` prints it: `failed to process "<word>": <message>`.
    public var description: String {
        "failed to process \(GoQuote.quote(Array(word.utf8))): \(message)"
    }
}
