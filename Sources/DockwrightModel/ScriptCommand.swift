import DockwrightShell
import DockwrightSyntax

/// A simple command of a RUN (or `ONBUILD RUN`) script, with what shell rules need to
/// judge it and to point at its words.
public struct ScriptCommand: Sendable {
    /// The RUN the command belongs to.
    public let run: RunScript
    /// The parsed script.
    public let script: ShellScript
    /// The command, wrappers (`sudo`, `env`, …) unwrapped.
    public let view: CommandView
    /// The ARG and ENV values the RUN sees; nil for an ONBUILD trigger, which runs
    /// with the environment of a build we cannot see.
    public let environment: VariableEnvironment?

    /// The program's name without its folder, when literal.
    public var name: String? { view.name }

    /// The Dockerfile bytes of a word of this command.
    public func range(of word: ShellWord) -> TextRange { script.sourceRange(word.range) }

    /// The words after the program's name, with ARG and ENV references expanded.
    public var expandedArguments: [ExpandedWord] {
        ExpandedWord.expand(Array(view.arguments), environment: environment ?? [:])
    }
}

/// Every command of every script with its environment, and where each RUN's commands
/// are: computed once per file for the facts and rules that read commands.
struct ScriptCommandIndex: Sendable {
    let all: [ScriptCommand]
    let byRun: [Int: Range<Int>]

    init(_ model: DockerfileModel) {
        var commands: [ScriptCommand] = []
        var ranges: [Int: Range<Int>] = [:]
        for run in model.runAndTriggerScripts {
            guard let script = run.script else { continue }
            let environment = run.isOnbuildTrigger ? nil : model.stages.argScope.variables(before: run.instruction)
            let start = commands.count
            for view in script.commands {
                commands.append(ScriptCommand(run: run, script: script, view: view, environment: environment))
            }
            if ranges[run.instruction.range.start] == nil { ranges[run.instruction.range.start] = start..<commands.count }
        }
        all = commands
        byRun = ranges
    }
}
