import DockwrightSyntax

/// A shell word after substituting the ARG and ENV values a RUN sees.
///
/// Parts whose value is only known when the script runs (`$(…)`, unset variables,
/// shell variables) become ``unknown`` characters, so `flask==$VERSION` still shows
/// its `==` while a lone `$PACKAGE` is ``isOpaque``. An unquoted variable whose value
/// has blanks splits into several fields, as the shell splits it.
public struct ExpandedWord: Sendable {
    /// A word's value (or one field of it).
    public init(value: String, word: ShellWord) {
        self.value = value
        self.word = word
    }

    /// The value; unknown parts are ``unknown`` characters.
    public let value: String
    /// The word as written (shared by the fields of one split word).
    public let word: ShellWord

    /// Stands for a part whose value is unknown.
    public static let unknown: Character = "\u{1}"

    /// Whether nothing of the value is known: a word made only of unknown expansions.
    public var isOpaque: Bool { value.allSatisfy { $0 == Self.unknown } }

    /// The value for messages, unknown parts shown as `…`.
    public var displayText: String { value.map { $0 == Self.unknown ? "…" : String($0) }.joined() }

    /// Whether every part of the value is known.
    public var isLiteral: Bool { !value.contains(Self.unknown) }

    /// Expands words against `environment` (variables missing from it are unknown).
    public static func expand(_ words: [ShellWord], environment: VariableEnvironment) -> [ExpandedWord] {
        var result: [ExpandedWord] = []
        for word in words {
            var splits = false
            let value = expand(word.parts, environment: environment, quoted: false, splits: &splits)
            if splits {
                let fields = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
                result += fields.map { ExpandedWord(value: String($0), word: word) }
            } else {
                result.append(ExpandedWord(value: value, word: word))
            }
        }
        return result
    }

    private static func expand(
        _ parts: [ShellWordPart], environment: VariableEnvironment, quoted: Bool, splits: inout Bool
    ) -> String {
        var value = ""
        for part in parts {
            switch part {
            case .literal(let text), .singleQuoted(let text), .ansiCQuoted(let text):
                value += text
            case .doubleQuoted(let inner):
                value += expand(inner, environment: environment, quoted: true, splits: &splits)
            case .parameter(let parameter):
                guard let text = expand(parameter, environment: environment) else {
                    value.append(unknown)
                    continue
                }
                if !quoted && text.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) { splits = true }
                value += text
            case .commandSubstitution, .backquoted, .processSubstitution, .arithmetic:
                value.append(unknown)
            }
        }
        return value
    }

    /// A parameter's value from ARG and ENV values (the shell layer's one reading); nil when unknown.
    private static func expand(_ parameter: ShellParameterExpansion, environment: VariableEnvironment) -> String? {
        parameter.value(in: environment) { operand in
            var ignored = false
            // Unknown parts stay marked inside the value (`foo…`), as in any other word.
            return expand(operand.parts, environment: environment, quoted: true, splits: &ignored)
        }
    }
}
