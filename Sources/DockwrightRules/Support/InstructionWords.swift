import DockwrightCore
import DockwrightSyntax

/// Reading instruction words the way BuildKit does: variables substituted with the
/// stage's ARG and ENV values at that point, quotes removed.
enum InstructionWords {
    /// `word` expanded against the environment just before `instruction` (the global
    /// ARGs for a FROM); nil for an instruction the ARG scope does not know (an
    /// ONBUILD trigger).
    static func expansion(of word: String, at instruction: InstructionSyntax, in context: RuleContext)
        -> VariableExpansion? {
        let scope = context.stages.argScope
        guard let environment = scope.variables(before: instruction) else { return nil }
        return scope.expander.evaluate(word, environment: environment)
    }

    /// The value of `word` when every variable it uses has a value here; nil when it
    /// uses one without a value (a `--build-arg` or the base image decides) or fails.
    static func resolvedValue(of word: String, at instruction: InstructionSyntax, in context: RuleContext) -> String? {
        guard let expansion = expansion(of: word, at: instruction, in: context), expansion.undefinedNames.isEmpty
        else { return nil }
        return expansion.value
    }

    /// `text` without one pair of surrounding double or single quotes.
    static func unquoted(_ text: String) -> String {
        if text.count >= 2, let first = text.first, first == text.last, first == "\"" || first == "'" {
            return String(text.dropFirst().dropLast())
        }
        return text
    }

    /// Whether a path is absolute on Linux (`/x`) or Windows (`C:\x`, `C:/x`, `\x`).
    static func isAbsolutePath(_ path: String) -> Bool {
        if path.hasPrefix("/") || path.hasPrefix("\\") { return true }
        let scalars = Array(path.unicodeScalars.prefix(2))
        guard scalars.count == 2, scalars[1] == ":" else { return false }
        return ("a"..."z").contains(scalars[0]) || ("A"..."Z").contains(scalars[0])
    }

    /// Whether the source bytes of `token` spell its text exactly (no continuation,
    /// escape or quote processing), so offsets inside the text are source offsets.
    static func isWrittenPlainly(_ token: Token, in context: RuleContext) -> Bool {
        context.syntax.source.text(in: token.range) == token.text
    }
}
