import DockwrightSyntax

/// The working directory in effect at an instruction: the last WORKDIR before it in its
/// stage or in the stages it is built on, resolved as BuildKit's `dispatchWorkdir` does
/// (variables substituted, a relative path joined to the one before it, `.`/`..` cleaned).
public struct WorkingDirectory: Hashable, Sendable {
    /// The absolute path, or nil when it is not known here: no WORKDIR of the file sets
    /// it (the image's own applies), or one uses a variable without a value.
    public let path: String?
    /// Whether a WORKDIR of this file (or an `ONBUILD WORKDIR` of a base stage) set it,
    /// rather than the base image.
    public let isSetInFile: Bool

    /// A directory: `path` when known, set by the file or by the base image.
    public init(path: String?, isSetInFile: Bool) {
        self.path = path
        self.isSetInFile = isSetInFile
    }

    /// The base image's working directory, which the file does not show.
    static let image = WorkingDirectory(path: nil, isSetInFile: false)

    /// The directory after a WORKDIR whose argument expands to `value` (nil when it
    /// does not expand to a known value).
    func changed(to value: String?) -> WorkingDirectory {
        guard let value else { return WorkingDirectory(path: nil, isSetInFile: true) }
        if value.hasPrefix("/") { return WorkingDirectory(path: Self.cleaned(value), isSetInFile: true) }
        // A relative path joins the current one; under an unknown image WORKDIR it stays
        // unknown (BuildKit joins to the image's, which the file does not show).
        guard let base = path else { return WorkingDirectory(path: nil, isSetInFile: true) }
        return WorkingDirectory(path: Self.cleaned(base + "/" + value), isSetInFile: true)
    }

    /// Go's `path.Clean` for an absolute path: no empty, `.` or `..` elements.
    static func cleaned(_ path: String) -> String {
        var elements: [Substring] = []
        for element in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch element {
            case ".": continue
            case "..": _ = elements.popLast()
            default: elements.append(element)
            }
        }
        return "/" + elements.joined(separator: "/")
    }

    /// Every WORKDIR change of every stage, by stage: the directory each stage starts
    /// with, and the offset of each WORKDIR with the directory after it. One walk.
    static func changes(in stages: StageGraph) -> [StageChanges] {
        var result: [StageChanges] = []
        let scope = stages.argScope
        for stage in stages.stages {
            // `scratch` has no WORKDIR: BuildKit runs in `/`.
            var current = scope.inheritsImageEnvironment(stageIndex: stage.index)
                ? WorkingDirectory.image : WorkingDirectory(path: "/", isSetInFile: false)
            if let base = stage.baseStageIndex, base < result.count {
                current = result[base].changes.last?.directory ?? result[base].initial
                // BuildKit runs a stage's ONBUILD triggers in the stages built on it.
                for trigger in stages.stages[base].instructions.compactMap(\.trigger) where trigger.kind == .workdir {
                    guard case .text(let token) = trigger.arguments else { continue }
                    let environment = scope.variables(atEndOfStage: base) ?? [:]
                    current = current.changed(to: Self.value(of: token, environment: environment, scope: scope))
                }
            }
            let initial = current
            var changes: [(offset: Int, directory: WorkingDirectory)] = []
            for instruction in stage.instructions where instruction.kind == .workdir {
                guard case .text(let token) = instruction.arguments else { continue }
                let environment = scope.variables(before: instruction) ?? [:]
                current = current.changed(to: Self.value(of: token, environment: environment, scope: scope))
                changes.append((instruction.range.start, current))
            }
            result.append(StageChanges(initial: initial, changes: changes))
        }
        return result
    }

    /// The directory a stage starts in, and where each of its WORKDIRs changes it.
    struct StageChanges: Sendable {
        let initial: WorkingDirectory
        let changes: [(offset: Int, directory: WorkingDirectory)]
    }

    private static func value(of token: Token, environment: VariableEnvironment, scope: ArgScope) -> String? {
        let expansion = scope.expander.evaluate(token.text, environment: environment)
        guard expansion.undefinedNames.isEmpty else { return nil }
        return expansion.value
    }
}
