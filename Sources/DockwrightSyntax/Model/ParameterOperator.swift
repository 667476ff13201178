/// The operators of `${name<op>word}`: one set and one reading of them for Dockerfile
/// words (BuildKit's `shell/lex.go`) and for RUN scripts (POSIX sh), so
/// `${x:-y}`, `${x:+y}`, `${x#p}`, `${x%%p}` and `${x//p/r}` have one answer everywhere.
public enum ParameterOperator: String, CaseIterable, Hashable, Sendable {
    case useDefault = "-"
    case useDefaultIfEmpty = ":-"
    case useAlternative = "+"
    case useAlternativeIfNonEmpty = ":+"
    case requireSet = "?"
    case requireNonEmpty = ":?"
    case removeShortestPrefix = "#"
    case removeLongestPrefix = "##"
    case removeShortestSuffix = "%"
    case removeLongestSuffix = "%%"
    case replaceFirst = "/"
    case replaceAll = "//"

    /// What `${name<op>word}` gives.
    public enum Outcome: Hashable, Sendable {
        /// The value.
        case value(String)
        /// The operand was needed but its value is not known.
        case unknownOperand
        /// `${name?…}` or `${name:?…}` of an unset (or empty) variable: the expansion fails.
        case missingRequired(isUnset: Bool)
        /// The operand is not a pattern BuildKit accepts; `pattern` is as BuildKit shows it.
        case invalidPattern(pattern: String, reason: String)
    }

    /// Whether the operand is a glob pattern rather than a word.
    public var takesPattern: Bool {
        switch self {
        case .removeShortestPrefix, .removeLongestPrefix, .removeShortestSuffix, .removeLongestSuffix, .replaceFirst,
             .replaceAll:
            return true
        default:
            return false
        }
    }

    /// Applies the operator to a variable's value (nil when unset). `operand` gives the
    /// word after the operator (for `/` and `//`, the pattern), nil when its value is not
    /// known; it is only asked for when the outcome depends on it. `replacement` is the
    /// text after the pattern's `/`.
    public func apply(to value: String?, operand: () -> String?, replacement: String = "") -> Outcome {
        let isMissing = value == nil || (rawValue.hasPrefix(":") && value?.isEmpty == true)
        switch self {
        case .useDefault, .useDefaultIfEmpty:
            return isMissing ? operandOutcome(operand) : .value(value ?? "")
        case .useAlternative, .useAlternativeIfNonEmpty:
            return isMissing ? .value("") : operandOutcome(operand)
        case .requireSet, .requireNonEmpty:
            return isMissing ? .missingRequired(isUnset: value == nil) : .value(value ?? "")
        case .removeShortestPrefix, .removeLongestPrefix, .removeShortestSuffix, .removeLongestSuffix:
            guard let pattern = operand() else { return .unknownOperand }
            return trim(Array(pattern.unicodeScalars), from: value ?? "")
        case .replaceFirst, .replaceAll:
            guard let pattern = operand() else { return .unknownOperand }
            return replace(pattern, with: replacement, in: value ?? "")
        }
    }

    private func operandOutcome(_ operand: () -> String?) -> Outcome {
        operand().map(Outcome.value) ?? .unknownOperand
    }

    /// `#`/`##` drop the shortest/longest matching prefix; `%`/`%%` the suffix, matched
    /// as BuildKit does: a prefix trim of the reversed pattern on the reversed value
    /// (so an error shows the reversed pattern, as BuildKit's does).
    private func trim(_ pattern: [Unicode.Scalar], from value: String) -> Outcome {
        let isGreedy = self == .removeLongestPrefix || self == .removeLongestSuffix
        let isSuffix = self == .removeShortestSuffix || self == .removeLongestSuffix
        let matched = isSuffix ? ShellPattern.reversed(pattern) : pattern
        let elements: [ShellPattern.Element]
        switch ShellPattern.elements(of: matched) {
        case .valid(let parsed): elements = parsed
        case .invalid(let reason):
            return .invalidPattern(pattern: String(String.UnicodeScalarView(matched)), reason: reason)
        }
        var text = Array(value.unicodeScalars)
        if isSuffix { text.reverse() }
        var rest = text[...]
        if let match = ShellPattern(elements, isGreedy: isGreedy, isAnchored: true).firstMatch(in: text, from: 0) {
            rest = text[match.upperBound...]
        }
        let result = isSuffix ? Array(rest.reversed()) : Array(rest)
        return .value(String(String.UnicodeScalarView(result)))
    }

    /// `/` replaces the first match of `pattern`, `//` every match.
    private func replace(_ pattern: String, with replacement: String, in value: String) -> Outcome {
        let elements: [ShellPattern.Element]
        switch ShellPattern.elements(of: Array(pattern.unicodeScalars)) {
        case .valid(let parsed): elements = parsed
        case .invalid(let reason): return .invalidPattern(pattern: pattern, reason: reason)
        }
        let matcher = ShellPattern(elements, isGreedy: true, isAnchored: false)
        let text = Array(value.unicodeScalars)
        return .value(self == .replaceAll
            ? matcher.replacingAllMatches(in: text, template: replacement)
            : matcher.replacingFirstMatch(in: text, with: replacement))
    }
}
