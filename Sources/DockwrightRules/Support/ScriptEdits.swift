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
    static func removal(ofCommandAt index: Int, in script: ShellScript, context: RuleContext) -> Edit? {
        guard index > 0 else { return nil }
        let command = script.commands[index]
        let previous = script.commands[index - 1]
        guard isPlain(command), isPlain(previous) else { return nil }
        let start = script.sourceRange(previous.command.range).end
        let commandRange = script.sourceRange(command.command.range)
        guard start < commandRange.start else { return nil }
        let escape = escapeByte(context)
        var operators = ""
        var hasNewline = false
        var previousByte: UInt8 = 0
        for byte in context.bytes[start..<commandRange.start] {
            switch byte {
            case UInt8(ascii: "&"), UInt8(ascii: ";"): operators.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: "\n") where previousByte != escape: hasNewline = true
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), escape: break
            default: return nil
            }
            if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\r") { previousByte = byte }
        }
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
