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
