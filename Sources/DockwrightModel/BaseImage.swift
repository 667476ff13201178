import DockwrightSyntax

/// A stage's base image after ARG substitution, with what it was written as; stages
/// built on an earlier stage, and FROM lines that do not resolve, have none.
public struct BaseImage: Sendable {
    /// The stage the FROM starts.
    public var stage: Stage { stages[stageIndex] }
    /// The file's stages, shared with the stage graph: one reference instead of a copy
    /// of the stage (several hundred bytes each, held for every stage of the file).
    private let stages: [Stage]
    private let stageIndex: Int
    /// The reference after substituting the global ARGs (BuildKit's FROM expansion).
    public let reference: ImageReference
    /// The image word as written, e.g. `${BASE}` or `node:${NODE_VERSION}`.
    public let token: Token
    /// Whether the image word uses a variable.
    public let usesVariables: Bool
    /// Variables the image word uses that no ARG gives a value (no default, no
    /// `--build-arg`). BuildKit substitutes an empty string, but the real build most
    /// likely passes a value, so rules judge the word with ``probe(_:in:)`` instead.
    public let undefinedNames: [String]

    /// The base images of every stage, in order; `FROM stage` and unresolved words are skipped.
    static func all(in stages: StageGraph) -> [BaseImage] {
        stages.stages.compactMap { stage in
            guard case .image(let reference) = stage.base, let token = stage.baseToken else { return nil }
            let expansion = stages.argScope.expandInGlobalScope(token.text)
            return BaseImage(
                stages: stages.stages, stageIndex: stage.index, reference: reference, token: token,
                usesVariables: !expansion.referencedNames.isEmpty, undefinedNames: expansion.undefinedNames)
        }
    }

    /// The reference with every variable that has no value set to `value`: a rule that
    /// reaches the same verdict for a telling `value` knows the unset ARGs cannot change it
    /// (`${REGISTRY}/node:latest` is `latest` whatever `REGISTRY` is). Nil when it does not expand.
    public func probe(_ value: String, in model: DockerfileModel) -> ImageReference? {
        guard !undefinedNames.isEmpty else { return reference }
        let scope = model.stages.argScope
        var environment = scope.globalEnvironment
        for name in undefinedNames { environment[name] = value }
        return scope.expander.evaluate(token.text, environment: environment).value.map { ImageReference.parse($0) }
    }

    /// The subject of a message about `shown`: `` `alpine` ``, `` `${BASE}` resolves to
    /// `alpine`, which ``, or only the written word when it uses ARGs without a value.
    public func messageSubject(showing shown: String) -> String {
        if !undefinedNames.isEmpty { return "`\(token.text)`" }
        return usesVariables ? "`\(token.text)` resolves to `\(shown)`, which" : "`\(shown)`"
    }
}
