import DockwrightShell
import DockwrightSyntax

/// Follows WORKDIR through every stage as BuildKit's `dispatchWorkdir` does: ARG and
/// ENV values are substituted, a relative path joins the one before it, and `.`/`..`
/// are resolved.
package enum WorkingDirectories {
    /// The WORKDIR in effect before each top-level instruction, by start offset.
    ///
    /// A stage built on an image starts in the image's own folder, which the file does
    /// not show (`.relative` anchored at its FROM); `scratch` starts in `/`. A stage built
    /// on another starts where that one ended, after the base stage's `ONBUILD WORKDIR`
    /// triggers, which BuildKit runs in the stages built on it. A WORKDIR naming a
    /// variable the file does not define starts a folder of its own (anchored there).
    static func compute(_ graph: StageGraph) -> WorkingDirectoryTable {
        var table = WorkingDirectoryTable()
        var stageEnds: [ImagePath] = []
        let scope = graph.argScope
        for stage in graph.stages {
            var current = scope.inheritsImageEnvironment(stageIndex: stage.index)
                ? ImagePath.relative(anchor: stage.from.range.start, path: "") : .absolute("/")
            if let base = stage.baseStageIndex, base < stageEnds.count {
                current = stageEnds[base]
                for trigger in graph.stages[base].instructions.compactMap(\.trigger) where trigger.kind == .workdir {
                    let environment = scope.variables(atEndOfStage: base) ?? [:]
                    current = changed(current, by: trigger, environment: environment, scope: scope)
                }
            }
            for instruction in stage.instructions {
                table.append(instruction.range.start, current)
                guard instruction.kind == .workdir else { continue }
                let environment = scope.variables(before: instruction) ?? [:]
                current = changed(current, by: instruction, environment: environment, scope: scope)
            }
            stageEnds.append(current)
        }
        return table
    }

    /// A path word of `instruction` (a WORKDIR or a COPY destination) with the ARG and
    /// ENV values substituted, or nil when it names a variable the file does not define
    /// (the base image might) or does not expand.
    package static func expanded(_ word: String, before instruction: InstructionSyntax, scope: ArgScope) -> String? {
        guard word.contains("$") else { return InstructionText.unquoted(word) }
        guard let environment = scope.variables(before: instruction) else { return nil }
        return expanded(word, environment: environment, scope: scope)
    }

    /// The folder after `workdir` runs in `current`.
    private static func changed(
        _ current: ImagePath, by workdir: InstructionSyntax, environment: VariableEnvironment, scope: ArgScope
    ) -> ImagePath {
        guard let written = workdir.values.first else { return current }
        guard let value = expanded(written, environment: environment, scope: scope) else {
            return .relative(anchor: workdir.range.start, path: "")
        }
        let next = current.appending(value)
        return utf8Count(of: next) > longestPath ? .relative(anchor: workdir.range.start, path: "") : next
    }

    /// Linux's `PATH_MAX`. A longer folder cannot be created or entered, so the build fails
    /// there; past it the folder counts as one the file does not show. That also keeps a
    /// chain of thousands of relative WORKDIRs from building ever longer paths, which
    /// would take time and memory quadratic in the file.
    static let longestPath = 4096

    private static func utf8Count(of path: ImagePath) -> Int {
        switch path {
        case .absolute(let text), .relative(_, let text), .home(let text): text.utf8.count
        }
    }

    /// A word with the ARG and ENV values substituted, or nil when it names a variable
    /// the file does not define or does not expand.
    private static func expanded(_ word: String, environment: VariableEnvironment, scope: ArgScope) -> String? {
        guard word.contains("$") else { return InstructionText.unquoted(word) }
        let expansion = scope.expander.evaluate(word, environment: environment)
        guard expansion.undefinedNames.isEmpty else { return nil }
        return expansion.value
    }
}

/// The WORKDIR in effect before each top-level instruction of a stage, by the
/// instruction's start offset: the offsets in order, and the folder only where it
/// changes. A dictionary of every instruction's folder cost a large file 90 bytes a line.
public struct WorkingDirectoryTable: Sendable {
    /// The start offset of every top-level instruction of every stage, in file order.
    private var starts: [Int] = []
    /// Where the folder changes: the index in ``starts`` from which `path` holds.
    private var changes: [(first: Int, path: ImagePath)] = []

    /// Records the folder in effect before the instruction at `start`, after those before it.
    mutating func append(_ start: Int, _ path: ImagePath) {
        if changes.last?.path != path { changes.append((starts.count, path)) }
        starts.append(start)
    }

    /// The folder before the top-level instruction starting at `offset`; nil when no
    /// instruction of a stage starts there (instructions before the first FROM, triggers).
    public subscript(offset: Int) -> ImagePath? {
        let index = starts.partitioningIndex { $0 >= offset }
        guard index < starts.count, starts[index] == offset else { return nil }
        return changes[changes.partitioningIndex { $0.first > index } - 1].path
    }
}
