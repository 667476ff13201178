import DockwrightShell
import DockwrightSyntax

/// A simple command of a RUN (or `ONBUILD RUN`) script, with what shell rules need to
/// judge it and to point at its words.
public struct ScriptCommand: Sendable {
    /// What the commands of one RUN share, held once for all of them: rules read every
    /// command of a file, and each command copied the RUN, its script, its environment
    /// and its view (several references each) where it now copies one and a position.
    final class Shared: Sendable {
        let run: RunScript
        let script: ShellScript
        let environment: VariableEnvironment?
        /// The script's commands, held here so a command reaches its view in one step.
        let commands: CommandViews

        init(run: RunScript, script: ShellScript, environment: VariableEnvironment?) {
            self.run = run
            self.script = script
            self.environment = environment
            commands = script.commands
        }
    }

    private let shared: Shared
    /// The command's position in its script's ``ShellScript/commands``.
    private let position: Int

    init(shared: Shared, position: Int) {
        self.shared = shared
        self.position = position
    }

    /// The command, wrappers (`sudo`, `env`, …) unwrapped.
    ///
    /// Read from the script when asked rather than copied into every command: most
    /// rules look at a command's name only, and pass over the rest.
    public var view: CommandView { shared.commands[position] }

    /// The RUN the command belongs to.
    public var run: RunScript { shared.run }
    /// The parsed script.
    public var script: ShellScript { shared.script }
    /// The ARG and ENV values the RUN sees; nil for an ONBUILD trigger, which runs
    /// with the environment of a build we cannot see.
    public var environment: VariableEnvironment? { shared.environment }

    /// The program's name without its folder, when literal.
    public var name: String? { shared.commands[position].name }

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
/// Reading a command by position costs a binary search over the RUNs; iterating, what
/// rules do, walks the RUNs in step and reads each RUN's environment once.
public struct ScriptCommands: RandomAccessCollection, Sendable {
    /// A RUN with at least one command.
    struct Run: Sendable {
        let run: RunScript
        /// The position of the RUN's first command in the collection.
        let firstCommand: Int

        /// The parsed script, read from the RUN rather than kept beside it: one reference
        /// less for every RUN of the file, for the whole lint (issue 13).
        var script: ShellScript {
            guard let script = run.script else { preconditionFailure("a RUN has an entry only when its script parsed") }
            return script
        }
    }

    private let runs: [Run]
    /// Where each RUN's ARG and ENV values are read from.
    private let argScope: ArgScope
    public let startIndex: Int
    public let endIndex: Int

    init(runs: [Run], argScope: ArgScope, count: Int) {
        self.init(runs: runs, argScope: argScope, bounds: 0..<count)
    }

    private init(runs: [Run], argScope: ArgScope, bounds: Range<Int>) {
        self.runs = runs
        self.argScope = argScope
        startIndex = bounds.lowerBound
        endIndex = bounds.upperBound
    }

    /// The commands at `bounds` (one RUN's, for ``DockerfileModel/scriptCommands(of:)``),
    /// as a collection of the same kind, so iterating them is as cheap as iterating all.
    public subscript(bounds: Range<Int>) -> ScriptCommands {
        precondition(bounds.lowerBound >= startIndex && bounds.upperBound <= endIndex, "ScriptCommands range out of bounds")
        return ScriptCommands(runs: runs, argScope: argScope, bounds: bounds)
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
        let run = runs[runIndex(of: position)]
        return ScriptCommand(
            shared: ScriptCommand.Shared(run: run.run, script: run.script, environment: environment(of: run)),
            position: position - run.firstCommand)
    }

    /// The index in `runs` of the last RUN whose first command is at or before `position`.
    private func runIndex(of position: Int) -> Int {
        runs.partitioningIndex { $0.firstCommand > position } - 1
    }

    private func environment(of run: Run) -> VariableEnvironment? {
        run.run.isOnbuildTrigger ? nil : argScope.variables(before: run.run.instruction)
    }

    public func makeIterator() -> Iterator { Iterator(self) }

    /// Walks the commands in order, moving to the next RUN when its first command is
    /// reached: 16 rules iterate every command of the file, and a binary search and an
    /// environment lookup per command were a tenth of a corpus run.
    public struct Iterator: IteratorProtocol {
        private let commands: ScriptCommands
        private var position: Int
        private var runIndex: Int
        /// The current RUN's first command in the collection, and where the next RUN's starts.
        private var runStart = 0
        private var nextRunStart = 0
        /// What the current RUN's commands share.
        private var shared: ScriptCommand.Shared?

        init(_ commands: ScriptCommands) {
            self.commands = commands
            position = commands.startIndex
            runIndex = commands.isEmpty ? 0 : commands.runIndex(of: commands.startIndex)
            if !commands.isEmpty { enterRun() }
        }

        private mutating func enterRun() {
            let runs = commands.runs
            runStart = runs[runIndex].firstCommand
            nextRunStart = runIndex + 1 < runs.count ? runs[runIndex + 1].firstCommand : Int.max
            let run = runs[runIndex]
            shared = ScriptCommand.Shared(run: run.run, script: run.script, environment: commands.environment(of: run))
        }

        public mutating func next() -> ScriptCommand? {
            guard position < commands.endIndex else { return nil }
            // A RUN without commands has no entry, so the next entry is the next RUN with any.
            if position >= nextRunStart {
                runIndex += 1
                enterRun()
            }
            guard let shared else { return nil }
            defer { position += 1 }
            return ScriptCommand(shared: shared, position: position - runStart)
        }
    }
}

extension ScriptCommands {
    /// The positions of the commands of each literal program name (``ScriptCommand/name``),
    /// in order: read from the scripts' command lists in one pass, without building a
    /// ``ScriptCommand`` for each.
    func positionsByName() -> [String: [Int]] {
        var positions: [String: [Int]] = [:]
        // Room for the few dozen programs a file usually runs, so the table is not
        // rehashed as it grows; bounded, as it is kept for the whole lint of the file.
        positions.reserveCapacity(Swift.min(count, 64))
        for run in runs {
            for (offset, view) in run.script.commands.enumerated() {
                guard let name = view.name else { continue }
                positions[name, default: []].append(run.firstCommand + offset)
            }
        }
        return positions
    }

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
            runs.append(Run(run: run, firstCommand: count))
            count += script.commands.count
        }
        self.init(runs: runs, argScope: model.stages.argScope, count: count)
    }
}
