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

/// Every simple command of a file's scripts, in source order, each built when read.
///
/// The collection keeps one entry per RUN (its script and where its commands start),
/// not a ``ScriptCommand`` per command: one RUN of 30,000 `&& echo` lines held 9 MB of
/// those values per 0.5 MB of input. A command's environment is read from the file's
/// ``ArgScope`` when the command is, not stored per RUN: a stored view is six words, a
/// third of the entry, and reading one costs two binary searches, as the RUN's own does.
/// Reading a command costs a binary search over the RUNs.
public struct ScriptCommands: RandomAccessCollection, Sendable {
    /// A RUN with at least one command.
    struct Run: Sendable {
        let run: RunScript
        let script: ShellScript
        /// The position of the RUN's first command in the collection.
        let firstCommand: Int
    }

    private let runs: [Run]
    /// Where each RUN's ARG and ENV values are read from.
    private let argScope: ArgScope
    public let startIndex = 0
    public let endIndex: Int

    init(runs: [Run], argScope: ArgScope, count: Int) {
        self.runs = runs
        self.argScope = argScope
        endIndex = count
    }

    /// The positions of the commands of the RUN that starts at `offset`; empty when it has
    /// none. A binary search over the RUNs, which are in source order, rather than a
    /// table kept per RUN.
    func positions(ofRunAt offset: Int) -> Range<Int> {
        let low = runs.partitioningIndex { $0.run.instruction.range.start >= offset }
        guard low < runs.count, runs[low].run.instruction.range.start == offset else { return 0..<0 }
        return runs[low].firstCommand..<(low + 1 < runs.count ? runs[low + 1].firstCommand : endIndex)
    }

    public subscript(position: Int) -> ScriptCommand {
        precondition(indices.contains(position), "ScriptCommands index out of range")
        // The last RUN whose first command is at or before `position`.
        let run = runs[runs.partitioningIndex { $0.firstCommand > position } - 1]
        return ScriptCommand(
            run: run.run, script: run.script, view: run.script.commands[position - run.firstCommand],
            environment: run.run.isOnbuildTrigger ? nil : argScope.variables(before: run.run.instruction))
    }
}

extension ScriptCommands {
    /// Every command of every script of `model` with its environment: computed once per
    /// file for the facts and rules that read commands.
    init(_ model: DockerfileModel) {
        let scripts = model.runAndTriggerScripts
        var runs: [Run] = []
        // Kept for the whole lint: room for every script up front, not the slack of growth.
        runs.reserveCapacity(scripts.count)
        var count = 0
        for run in scripts {
            guard let script = run.script, !script.commands.isEmpty else { continue }
            runs.append(Run(run: run, script: script, firstCommand: count))
            count += script.commands.count
        }
        self.init(runs: runs, argScope: model.stages.argScope, count: count)
    }
}
