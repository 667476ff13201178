/// One word of a command, split into its quoted and expanded parts.
public struct ShellWord: Hashable, Sendable {
    /// The parts, in order.
    public var parts: [ShellWordPart]
    /// The bytes of the word, in script offsets.
    public var range: Range<Int>

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
public indirect enum ShellWordPart: Hashable, Sendable {
    /// Unquoted text, backslash escapes resolved.
    case literal(String)
    /// `'text'`.
    case singleQuoted(String)
    /// `"…"`, with its own parts.
    case doubleQuoted([ShellWordPart])
    /// Bash's `$'…'`, escapes resolved.
    case ansiCQuoted(String)
    /// `$name`, `${name}`, `${name:-word}`, …
    case parameter(ShellParameterExpansion)
    /// `$(list)`.
    case commandSubstitution(ShellList)
    /// `` `list` ``.
    case backquoted(ShellList)
    /// Bash's `<(list)` or `>(list)`.
    case processSubstitution(ShellList)
    /// `$((expression))`.
    case arithmetic(ShellArithmetic)

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
    public var name: String
    /// The operator after the name (`:-`, `-`, `:+`, `#`, `%%`, `/`, …); empty when none.
    public var operatorText: String
    /// The operand after the operator, parsed as a word.
    public var operand: ShellWord?
    /// The whole expansion's bytes.
    public var range: Range<Int>
}
