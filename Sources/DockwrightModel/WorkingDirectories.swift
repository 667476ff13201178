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
    static func compute(_ graph: StageGraph) -> WorkingDirectoryMap {
        var result = WorkingDirectoryMap()
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
                result.append(current, at: instruction.range.start)
                guard instruction.kind == .workdir else { continue }
                let environment = scope.variables(before: instruction) ?? [:]
                current = changed(current, by: instruction, environment: environment, scope: scope)
            }
            stageEnds.append(current)
        }
        return result
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
        return current.appending(value)
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

/// The WORKDIR in effect before each top-level instruction, by start offset
/// (``DockerfileModel/workingDirectories``).
///
/// Instructions are recorded in source order, so their starts form one sorted array,
/// and each points at its folder in a list that holds a run of equal folders once: a
/// file of many stages keeps 12 bytes per instruction instead of a dictionary entry
/// and a copy of the path.
public struct WorkingDirectoryMap: Sendable {
    private var starts: [Int] = []
    private var folderIndices: [UInt32] = []
    private var folders: [ImagePath] = []

    /// Records `folder` for the instruction starting at `start`, after every earlier one.
    mutating func append(_ folder: ImagePath, at start: Int) {
        if folders.last != folder { folders.append(folder) }
        starts.append(start)
        folderIndices.append(UInt32(folders.count - 1))
    }

    /// The folder before the instruction starting at `start`; nil for an offset where no
    /// top-level instruction starts.
    public subscript(start: Int) -> ImagePath? {
        var low = 0
        var high = starts.count
        while low < high {
            let middle = (low + high) / 2
            if starts[middle] < start { low = middle + 1 } else { high = middle }
        }
        guard low < starts.count, starts[low] == start else { return nil }
        return folders[Int(folderIndices[low])]
    }
}
