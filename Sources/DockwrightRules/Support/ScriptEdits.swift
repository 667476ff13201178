import DockwrightCore
import DockwrightShell
import DockwrightSyntax

/// Edits that take a word or a whole command out of a RUN script while keeping the
/// rest of the script's text, and so its meaning, as written.
///
/// Each removal spans only blanks, line continuations and the one operator that joined
/// the removed part to what precedes it; a comment or any other text in between makes
/// it refuse (nil), so no fix ever deletes more than the words it names.
enum ScriptEdits {
    /// Deletes `word` and the blanks before it, back to the end of `previous` (the word
    /// before it in the same command): `pip install --no-cache-dir x` → `pip install x`.
    static func removal(of word: ShellWord, after previous: ShellWord, in script: ShellScript,
                        context: RuleContext) -> Edit? {
        let start = script.sourceRange(previous.range).end
        let end = script.sourceRange(word.range).end
        let wordStart = script.sourceRange(word.range).start
        guard start < wordStart, wordStart < end,
              isBlank(context.bytes[start..<wordStart], escape: escapeByte(context)) else { return nil }
        return Edit(range: TextRange(start: start, end: end), replacement: "")
    }

    /// Deletes the top-level command `script.commands[index]` together with the `&&`,
    /// `;` or newline that joins it to the command before it: `a && yum clean all && b`
    /// → `a && b`. Only a command that always succeeds may be removed this way (a
    /// cleanup): then the and-or list around it keeps its outcome.
    /// The first command of a script goes with the `&&` or `;` after it instead:
    /// `npm config set x && npm ci` → `npm ci`.
    static func removal(ofCommandAt index: Int, in script: ShellScript, context: RuleContext) -> Edit? {
        let command = script.commands[index]
        guard isPlain(command) else { return nil }
        let commandRange = script.sourceRange(command.command.range)
        guard index > 0, isPlain(script.commands[index - 1]) else {
            guard index + 1 < script.commands.count, command.context.operatorBefore == nil else { return nil }
            let next = script.commands[index + 1]
            let nextStart = script.sourceRange(next.command.range).start
            guard isPlain(next), commandRange.end < nextStart,
                  let joint = joint(context.bytes[commandRange.end..<nextStart], escape: escapeByte(context))
            else { return nil }
            switch joint.operators {
            case "&&": guard next.context.operatorBefore == .and else { return nil }
            case ";": guard command.context.isLastInAndOrList else { return nil }
            default: return nil
            }
            return Edit(range: TextRange(start: commandRange.start, end: nextStart), replacement: "")
        }
        let start = script.sourceRange(script.commands[index - 1].command.range).end
        guard start < commandRange.start,
              let joint = joint(context.bytes[start..<commandRange.start], escape: escapeByte(context)) else { return nil }
        let operators = joint.operators
        let hasNewline = joint.hasNewline
        switch operators {
        case "&&": guard command.context.operatorBefore == .and else { return nil }
        case ";", "":
            // A whole list item: `a; clean || b` would otherwise become `a || b`.
            guard operators == ";" || hasNewline, command.context.operatorBefore == nil,
                  command.context.isLastInAndOrList else { return nil }
        default: return nil
        }
        return Edit(range: TextRange(start: start, end: commandRange.end), replacement: "")
    }

    /// The operators and unescaped newlines between two commands, or nil when
    /// anything else (a comment, a word) stands between them.
    private static func joint(_ bytes: ArraySlice<UInt8>, escape: UInt8) -> (operators: String, hasNewline: Bool)? {
        var operators = ""
        var hasNewline = false
        var previousByte: UInt8 = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"), UInt8(ascii: ";"): operators.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: "\n") where previousByte != escape: hasNewline = true
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), escape: break
            default: return nil
            }
            if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\r") { previousByte = byte }
        }
        return (operators, hasNewline)
    }

    /// A command that runs directly in the script's shell, on its own in its pipeline.
    private static func isPlain(_ view: CommandView) -> Bool {
        view.context.enclosures.isEmpty && view.context.pipelineLength == 1 && !view.context.isBackground
    }

    /// Whether the bytes are only blanks and line continuations.
    private static func isBlank(_ bytes: ArraySlice<UInt8>, escape: UInt8) -> Bool {
        bytes.allSatisfy { [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), escape].contains($0) }
    }

    /// The file's escape character as a byte (`\` or `` ` ``).
    private static func escapeByte(_ context: RuleContext) -> UInt8 {
        context.syntax.escapeCharacter == "`" ? UInt8(ascii: "`") : UInt8(ascii: "\\")
    }
}
