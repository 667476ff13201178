/// One build stage: a FROM instruction and the instructions up to the next FROM.
///
/// Built by ``StageGraph``, which resolves the base and the `--from` sources the way
/// BuildKit's Dockerfile frontend does.
public struct Stage: Hashable, Sendable {
    /// What a stage starts from.
    public enum Base: Hashable, Sendable {
        /// An earlier stage, by index.
        case stage(Int)
        /// An image from a registry, or `scratch` (see ``ImageReference/isScratch``).
        /// The reference may be invalid; see ``ImageReference/error``.
        case image(ImageReference)
        /// The image word is missing, fails to expand or expands to nothing.
        case unresolved(StageResolutionError)
    }

    /// The `--platform` flag of the FROM and its value after substituting global ARGs.
    public struct Platform: Hashable, Sendable {
        /// The flag as written.
        public let flag: FlagSyntax
        /// The platform after substitution, or why there is none.
        public let result: Result<String, StageResolutionError>

        /// Creates a platform.
        public init(flag: FlagSyntax, result: Result<String, StageResolutionError>) {
            self.flag = flag
            self.result = result
        }

        /// The platform after substitution, or nil when it could not be resolved.
        public var value: String? {
            if case .success(let value) = result { return value }
            return nil
        }
    }

    /// A stage or image the stage reads from: `COPY --from=…` or `RUN --mount=from=…`.
    public struct Dependency: Hashable, Sendable {
        /// The instruction the dependency comes from.
        public enum Kind: Hashable, Sendable {
            /// `COPY --from=…`.
            case copy
            /// `RUN --mount=…,from=…`.
            case runMount
        }

        /// What the reference names.
        public enum Source: Hashable, Sendable {
            /// A stage, by index. It may be this stage or a later one, which BuildKit
            /// rejects (`cannot copy from stage …, it needs to be defined before current stage`).
            case stage(Int)
            /// An image from a registry.
            case image(ImageReference)
            /// A reference BuildKit rejects: a variable, or a stage index out of range.
            case invalid(StageResolutionError)
        }

        /// The instruction the dependency comes from.
        public let kind: Kind
        /// The COPY or RUN, or the base stage's ONBUILD that wraps it.
        public let instruction: InstructionSyntax
        /// The reference as written after flag processing, e.g. `build` or `0`.
        public let reference: String
        /// Where the reference is written (the whole flag when it cannot be narrowed).
        public let range: TextRange
        /// What the reference names.
        public let source: Source
        /// Whether it comes from an ONBUILD trigger of the base stage, which BuildKit
        /// runs at the start of this stage.
        public let isOnbuildTrigger: Bool

        /// Creates a dependency.
        public init(
            kind: Kind, instruction: InstructionSyntax, reference: String, range: TextRange, source: Source,
            isOnbuildTrigger: Bool
        ) {
            self.kind = kind
            self.instruction = instruction
            self.reference = reference
            self.range = range
            self.source = source
            self.isOnbuildTrigger = isOnbuildTrigger
        }

        /// The index of the stage read from, or nil for an image or an invalid reference.
        public var stageIndex: Int? {
            if case .stage(let index) = source { return index }
            return nil
        }
    }

    /// The 0-based position of the stage in the file.
    public let index: Int
    /// The FROM instruction.
    public let from: InstructionSyntax
    /// The `AS` name in lower case, as BuildKit stores it, or nil for an unnamed stage.
    public let name: String?
    /// The `AS` name as written.
    public let nameToken: Token?
    /// The image word as written, e.g. `node:${NODE_VERSION}`.
    public let baseToken: Token?
    /// The image word after substituting global ARGs and removing quotes, or nil when
    /// it is missing or fails to expand.
    public let baseName: String?
    /// What the stage starts from.
    public let base: Base
    /// The index of the base stage, or nil when the stage starts from an image.
    ///
    /// Stored rather than computed from `base`: Swift 6.3.1's optimizer
    /// (CopyPropagation) crashes in release builds on loops over stages that switch on
    /// the inlined enum and `continue`.
    public let baseStageIndex: Int?
    /// The `--platform` flag, when written.
    public let platform: Platform?
    /// The instructions after the FROM, up to the next FROM.
    public let instructions: [InstructionSyntax]
    /// The stages and images the stage reads from, in order; ONBUILD triggers inherited
    /// from the base stage come first, as BuildKit runs them first.
    public let dependencies: [Dependency]

    /// Creates a stage.
    public init(
        index: Int, from: InstructionSyntax, name: String?, nameToken: Token?, baseToken: Token?, baseName: String?,
        base: Base, platform: Platform?, instructions: [InstructionSyntax], dependencies: [Dependency]
    ) {
        self.index = index
        self.from = from
        self.name = name
        self.nameToken = nameToken
        self.baseToken = baseToken
        self.baseName = baseName
        self.base = base
        if case .stage(let index) = base { self.baseStageIndex = index } else { self.baseStageIndex = nil }
        self.platform = platform
        self.instructions = instructions
        self.dependencies = dependencies
    }

    /// Whether the stage has an `AS` name.
    public var isNamed: Bool { name != nil }

    /// The name BuildKit shows in progress output: the `AS` name, or `stage-N`.
    public var displayName: String { name ?? "stage-\(index)" }


    /// The base image, or nil when the stage starts from another stage or is unresolved.
    public var baseImage: ImageReference? {
        if case .image(let reference) = base { return reference }
        return nil
    }
}
