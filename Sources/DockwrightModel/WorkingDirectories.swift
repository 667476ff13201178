import DockwrightShell
import DockwrightSyntax

/// Follows WORKDIR through every stage (BuildKit resolves a relative WORKDIR against
/// the previous one and expands ARG and ENV values in it).
package enum WorkingDirectories {
    /// The WORKDIR in effect before each top-level instruction, by start offset.
    static func compute(_ graph: StageGraph) -> [Int: ImagePath] {
        var result: [Int: ImagePath] = [:]
        var stageEnds: [ImagePath] = []
        let scope = graph.argScope
        for stage in graph.stages {
            var current = ImagePath.relative(anchor: stage.from.range.start, path: "")
            if let base = stage.baseStageIndex, base < stageEnds.count { current = stageEnds[base] }
            for instruction in stage.instructions {
                result[instruction.range.start] = current
                guard instruction.kind == .workdir, let written = instruction.values.first else { continue }
                if let value = expanded(written, before: instruction, scope: scope) {
                    current = current.appending(value)
                } else {
                    current = .relative(anchor: instruction.range.start, path: "")
                }
            }
            stageEnds.append(current)
        }
        return result
    }

    /// A word with the stage's ARG and ENV values substituted, or nil when it names a
    /// variable the file does not define (the base image might) or does not expand.
    package static func expanded(_ word: String, before instruction: InstructionSyntax, scope: ArgScope) -> String? {
        guard word.contains("$") else { return unquoted(word) }
        guard let environment = scope.variables(before: instruction) else { return nil }
        let expansion = scope.expander.evaluate(word, environment: environment)
        guard expansion.undefinedNames.isEmpty else { return nil }
        return expansion.value
    }

    /// A word without one level of matching quotes.
    package static func unquoted(_ value: String) -> String {
        var text = Substring(value)
        if text.count >= 2, let first = text.first, first == text.last, first == "\"" || first == "'" {
            text = text.dropFirst().dropLast()
        }
        return String(text)
    }
}
