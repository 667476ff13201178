import DockwrightSyntax

/// A stage's base image after ARG substitution, with what it was written as; stages
/// built on an earlier stage, and FROM lines that do not resolve, have none.
public struct BaseImage: Sendable {
    /// The stage the FROM starts (a reference to the graph's, not a copy).
    public let stage: Stage
    /// Whether the image word uses a variable.
    public let usesVariables: Bool
    /// Variables the image word uses that no ARG gives a value (no default, no
    /// `--build-arg`). BuildKit substitutes an empty string, but the real build most
    /// likely passes a value, so rules judge the word with ``probe(_:in:)`` instead.
    public let undefinedNames: [String]

    /// The reference after substituting the global ARGs (BuildKit's FROM expansion): the
    /// stage's own, read from it rather than copied, as a file of thousands of stages
    /// kept a second copy of each (issue 13).
    public var reference: ImageReference {
        // `all(in:)` makes base images only of stages built on an image.
        guard case .image(let reference) = stage.base else { return ImageReference.parse(stage.baseName ?? "") }
        return reference
    }

    /// The image word as written, e.g. `${BASE}` or `node:${NODE_VERSION}`: read from the
    /// FROM when asked for, like ``reference``.
    public var token: Token {
        stage.baseToken ?? Token(text: "", range: .empty(at: stage.from.range.start))
    }

    /// The base images of every stage, in order; `FROM stage` and unresolved words are skipped.
    static func all(in stages: StageGraph) -> [BaseImage] {
        // Reserved at the most it can need: `compactMap` left up to half of a large array unused.
        var images: [BaseImage] = []
        images.reserveCapacity(stages.stages.count)
        for stage in stages.stages {
            if case .image = stage.base, let token = stage.baseToken {
                let expansion = stages.argScope.expandInGlobalScope(token.text)
                images.append(BaseImage(
                    stage: stage, usesVariables: !expansion.referencedNames.isEmpty,
                    undefinedNames: expansion.undefinedNames))
            }
        }
        return images
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
