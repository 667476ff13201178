import DockwrightCore
import DockwrightShell
import DockwrightSyntax

/// A simple command of a RUN (or `ONBUILD RUN`) script, with what shell rules need to
/// judge it and to point at its words.
struct ScriptCommand: Sendable {
    /// The RUN the command belongs to.
    let run: RunScript
    /// The parsed script.
    let script: ShellScript
    /// The command, wrappers (`sudo`, `env`, …) unwrapped.
    let view: CommandView
    /// The ARG and ENV values the RUN sees; nil for an ONBUILD trigger, which runs
    /// with the environment of a build we cannot see.
    let environment: VariableEnvironment?

    /// The program's name without its folder, when literal.
    var name: String? { view.name }

    /// The Dockerfile bytes of a word of this command.
    func range(of word: ShellWord) -> TextRange { script.sourceRange(word.range) }

    /// The words after the program's name, with ARG and ENV references expanded.
    var expandedArguments: [ExpandedWord] {
        ExpandedWord.expand(Array(view.arguments), environment: environment ?? [:])
    }
}

/// A shell word after substituting the ARG and ENV values a RUN sees.
///
/// Parts whose value is only known when the script runs (`$(…)`, unset variables,
/// shell variables) become ``unknown`` characters, so `flask==$VERSION` still shows
/// its `==` while a lone `$PACKAGE` is ``isOpaque``. An unquoted variable whose value
/// has blanks splits into several fields, as the shell splits it.
struct ExpandedWord {
    /// The value; unknown parts are ``unknown`` characters.
    let value: String
    /// The word as written (shared by the fields of one split word).
    let word: ShellWord

    /// Stands for a part whose value is unknown.
    static let unknown: Character = "\u{1}"

    /// Whether nothing of the value is known: a word made only of unknown expansions.
    var isOpaque: Bool { value.allSatisfy { $0 == Self.unknown } }

    /// The value for messages, unknown parts shown as `…`.
    var displayText: String { value.map { $0 == Self.unknown ? "…" : String($0) }.joined() }

    /// Whether every part of the value is known.
    var isLiteral: Bool { !value.contains(Self.unknown) }

    /// Expands words against `environment` (variables missing from it are unknown).
    static func expand(_ words: [ShellWord], environment: VariableEnvironment) -> [ExpandedWord] {
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

extension RuleContext {
    /// Every simple command of every parsed POSIX script (RUN and `ONBUILD RUN`,
    /// heredoc bodies included), in source order. PowerShell and cmd scripts and
    /// scripts that do not parse have none.
    var scriptCommands: [ScriptCommand] { derived(AllScriptCommands.self).all }

    /// The commands of one RUN's script.
    func scriptCommands(of run: RunScript) -> [ScriptCommand] {
        let commands = derived(AllScriptCommands.self)
        guard let range = commands.byRun[run.instruction.range.start] else { return [] }
        return Array(commands.all[range])
    }
}

/// Every command of every script with its environment, computed once per file for the
/// rules that read commands, and where each RUN's commands are.
private enum AllScriptCommands: DerivedFact {
    struct Value: Sendable {
        let all: [ScriptCommand]
        let byRun: [Int: Range<Int>]
    }

    static func compute(in context: RuleContext) -> Value {
        var commands: [ScriptCommand] = []
        var byRun: [Int: Range<Int>] = [:]
        for run in context.runAndTriggerScripts {
            guard let script = run.script else { continue }
            let environment = run.isOnbuildTrigger ? nil : context.stages.argScope.variables(before: run.instruction)
            let start = commands.count
            for view in script.commands {
                commands.append(ScriptCommand(run: run, script: script, view: view, environment: environment))
            }
            if byRun[run.instruction.range.start] == nil { byRun[run.instruction.range.start] = start..<commands.count }
        }
        return Value(all: commands, byRun: byRun)
    }
}

/// Reads a command line the way option parsers do: flags, the values of the flags
/// that take one, and operands.
struct OptionScanner {
    /// How flags are spelled.
    enum Style {
        /// GNU/optparse: `--long[=value]`, and clusters of short flags (`-Ur file`).
        case gnu
        /// Go's `flag` package: `-name[=value]` or `--name[=value]`, one flag a word.
        case go
    }

    /// Long (`--target`) and short (`-t`) flags that take a value (Go style: `-tags`).
    let flagsWithValues: Set<String>
    /// How flags are spelled.
    var style: Style = .gnu

    /// One word of the command line, classified.
    enum Item {
        /// A flag, with its value when it takes one (`--target=dir`, `--target dir`, `-tdir`).
        case flag(name: String, value: ExpandedWord?, word: ExpandedWord)
        /// An operand.
        case operand(ExpandedWord)
    }

    /// Classifies `words`; after `--` every word is an operand (unless `stopsAtDoubleDash`,
    /// where the scan ends instead).
    func scan(_ words: [ExpandedWord], stopsAtDoubleDash: Bool = false) -> [Item] {
        var items: [Item] = []
        var index = 0
        var flagsEnded = false
        while index < words.count {
            let word = words[index]
            let value = word.value
            index += 1
            if !flagsEnded && value == "--" {
                if stopsAtDoubleDash { break }
                flagsEnded = true
                continue
            }
            guard !flagsEnded, value.count > 1, value.hasPrefix("-") else {
                items.append(.operand(word))
                continue
            }
            if value.hasPrefix("--") || style == .go {
                if let equals = value.firstIndex(of: "=") {
                    let name = normalized(String(value[..<equals]))
                    let attached = ExpandedWord(value: String(value[value.index(after: equals)...]), word: word.word)
                    items.append(.flag(name: name, value: attached, word: word))
                } else if flagsWithValues.contains(normalized(value)), index < words.count {
                    items.append(.flag(name: normalized(value), value: words[index], word: word))
                    index += 1
                } else {
                    items.append(.flag(name: normalized(value), value: nil, word: word))
                }
                continue
            }
            // A cluster of short flags (`-Ur file`): the first one that takes a value
            // takes the rest of the word, or the next word.
            var characters = Array(value.dropFirst())
            while !characters.isEmpty {
                let name = "-" + String(characters.removeFirst())
                guard flagsWithValues.contains(name) else {
                    items.append(.flag(name: name, value: nil, word: word))
                    continue
                }
                if !characters.isEmpty {
                    var rest = String(characters)
                    if rest.hasPrefix("=") { rest.removeFirst() }
                    items.append(.flag(name: name, value: ExpandedWord(value: rest, word: word.word), word: word))
                } else if index < words.count {
                    items.append(.flag(name: name, value: words[index], word: word))
                    index += 1
                } else {
                    items.append(.flag(name: name, value: nil, word: word))
                }
                break
            }
        }
        return items
    }

    /// Go accepts `--name` for `-name`.
    private func normalized(_ name: String) -> String {
        style == .go && name.hasPrefix("--") ? String(name.dropFirst()) : name
    }
}

extension Array where Element == OptionScanner.Item {
    /// The operands, in order.
    var operands: [ExpandedWord] {
        compactMap { item in
            if case .operand(let word) = item { return word }
            return nil
        }
    }

    /// Whether a flag with one of `names` is given.
    func hasFlag(_ names: String...) -> Bool {
        contains { item in
            if case .flag(let name, _, _) = item { return names.contains(name) }
            return false
        }
    }

    /// The value of the last flag named one of `names`.
    func flagValue(_ names: String...) -> ExpandedWord? {
        var found: ExpandedWord?
        for case .flag(let name, let value, _) in self where names.contains(name) { found = value ?? found }
        return found
    }
}

extension RuleContext {
    /// Where to insert a new instruction that must run just before `instruction`: the
    /// start of its line, or of the comment lines right above it, so those comments
    /// (and suppressions) stay with the instruction they describe.
    func insertionOffset(before instruction: InstructionSyntax) -> Int {
        var blockStart: Int?
        for item in syntax.items {
            switch item {
            case .byteOrderMark:
                continue
            case .trivia(let line):
                if line.kind == .comment {
                    if blockStart == nil { blockStart = line.range.start }
                } else {
                    blockStart = nil
                }
            case .instruction(let other):
                if other.range.start == instruction.range.start { return blockStart ?? lineStart(of: other.range.start) }
                blockStart = nil
            }
        }
        return lineStart(of: instruction.range.start)
    }

    /// The offset of the start of the line holding `offset`.
    func lineStart(of offset: Int) -> Int {
        let bytes = self.bytes
        var start = min(offset, bytes.count)
        while start > 0 && bytes[start - 1] != UInt8(ascii: "\n") && bytes[start - 1] != UInt8(ascii: "\r") { start -= 1 }
        return start
    }
}
