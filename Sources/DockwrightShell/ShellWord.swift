/// One word of a command, split into its quoted and expanded parts.
public struct ShellWord: Hashable, Sendable {
    /// The parts, in order.
    public var parts: [ShellWordPart]
    /// Stored in 32 bits: a script holds a word for every argument it spells.
    private var span: ScriptSpan

    /// A word of `parts` spelled by the bytes `range`.
    init(parts: [ShellWordPart], range: Range<Int>) {
        self.parts = parts
        span = ScriptSpan(range)
    }

    /// The bytes of the word, in script offsets.
    public var range: Range<Int> { span.range }

    /// The word's value with quotes removed, or nil when it contains an expansion
    /// whose value is only known at run time.
    public var literalValue: String? {
        var value = ""
        for part in parts {
            guard let text = part.literalValue else { return nil }
            value += text
        }
        return value
    }

    /// Whether any part of the word is quoted.
    public var isQuoted: Bool {
        parts.contains { part in
            switch part {
            case .singleQuoted, .doubleQuoted, .ansiCQuoted: return true
            default: return false
            }
        }
    }
}

/// A piece of a word.
///
/// Only the cases with large payloads are boxed: a literal or quoted part is stored
/// in its word's array, not in a heap box of its own.
public enum ShellWordPart: Hashable, Sendable {
    /// Unquoted text, backslash escapes resolved.
    case literal(String)
    /// `'text'`.
    case singleQuoted(String)
    /// `"…"`, with its own parts.
    case doubleQuoted([ShellWordPart])
    /// Bash's `$'…'`, escapes resolved.
    case ansiCQuoted(String)
    /// `$name`, `${name}`, `${name:-word}`, …
    indirect case parameter(ShellParameterExpansion)
    /// `$(list)`.
    indirect case commandSubstitution(ShellList)
    /// `` `list` ``.
    indirect case backquoted(ShellList)
    /// Bash's `<(list)` or `>(list)`.
    indirect case processSubstitution(ShellList)
    /// `$((expression))`.
    indirect case arithmetic(ShellArithmetic)

    /// The text this part always produces, or nil when it depends on run time.
    public var literalValue: String? {
        switch self {
        case .literal(let text), .singleQuoted(let text), .ansiCQuoted(let text):
            return text
        case .doubleQuoted(let parts):
            var value = ""
            for part in parts {
                guard let text = part.literalValue else { return nil }
                value += text
            }
            return value
        case .parameter, .commandSubstitution, .backquoted, .processSubstitution, .arithmetic:
            return nil
        }
    }
}

/// A parameter expansion.
public struct ShellParameterExpansion: Hashable, Sendable {
    /// The parameter's name (`HOME`, `1`, `@`, …).
    public let name: String
    /// Stored in 32 bits: each expansion is a box of its own, one per `$name`.
    private let span: ScriptSpan
    /// The operator and operand, boxed and nil for a plain `$name`, the common case:
    /// they would otherwise take 32 bytes of every expansion's box.
    private let operation: Operation?

    private indirect enum Operation: Hashable, Sendable {
        case applying(operatorText: String, operand: ShellWord?)
    }

    init(name: String, operatorText: String, operand: ShellWord?, range: Range<Int>) {
        self.name = name
        span = ScriptSpan(range)
        operation = operatorText.isEmpty && operand == nil ? nil : .applying(operatorText: operatorText, operand: operand)
    }

    /// The operator after the name (`:-`, `-`, `:+`, `#`, `%%`, `/`, …); empty when none.
    public var operatorText: String {
        guard case .applying(let operatorText, _)? = operation else { return "" }
        return operatorText
    }

    /// The operand after the operator, parsed as a word.
    public var operand: ShellWord? {
        guard case .applying(_, let operand)? = operation else { return nil }
        return operand
    }

    /// The whole expansion's bytes.
    public var range: Range<Int> { span.range }
}

/// A byte range of a script in 32 bits each end, for the nodes a script has one of per
/// word or command; scripts are parts of Dockerfiles, far below 4 GB.
struct ScriptSpan: Hashable, Sendable {
    private let start: UInt32
    private let end: UInt32

    init(_ range: Range<Int>) {
        start = UInt32(clamping: range.lowerBound)
        end = UInt32(clamping: range.upperBound)
    }

    var range: Range<Int> { Int(start)..<Int(end) }
}
