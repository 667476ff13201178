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
        /// The image word is missing, fails to expand or expands to nothing. Boxed: the
        /// error is twice the size of the other cases, and every stage keeps a base.
        indirect case unresolved(StageResolutionError)
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
            if case .stage(let index) = source { stageIndex = index } else { stageIndex = nil }
        }

        /// The index of the stage read from, or nil for an image or an invalid reference.
        ///
        /// Stored rather than computed from `source`, as ``Stage/baseStageIndex`` is: Swift
        /// 6.3.1's optimizer (CopyPropagation) crashed in release builds on a loop over
        /// stages' dependencies that switched on the inlined enum.
        public let stageIndex: Int?
    }

    /// The fields, stored once: the graph's array, each ``BaseImage`` and every copy a
    /// rule makes share them. Sized for the common stage: the `--platform` flag, which
    /// few stages write, is boxed apart, and the name and image words are read from the
    /// FROM when asked for.
    private final class Storage: Sendable {
        let index: Int
        let from: InstructionSyntax
        let name: String?
        let baseName: String?
        let base: Base
        let baseStageIndex: Int?
        let platform: PlatformBox?
        let instructions: [InstructionSyntax]
        let dependencies: [Dependency]

        init(
            index: Int, from: InstructionSyntax, name: String?, baseName: String?, base: Base, platform: Platform?,
            instructions: [InstructionSyntax], dependencies: [Dependency]
        ) {
            self.index = index
            self.from = from
            self.name = name
            self.baseName = baseName
            self.base = base
            if case .stage(let index) = base { baseStageIndex = index } else { baseStageIndex = nil }
            self.platform = platform.map(PlatformBox.init)
            self.instructions = instructions
            self.dependencies = dependencies
        }
    }

    private final class PlatformBox: Sendable {
        let platform: Platform

        init(_ platform: Platform) { self.platform = platform }
    }

    private let storage: Storage

    /// The 0-based position of the stage in the file.
    public var index: Int { storage.index }
    /// The FROM instruction.
    public var from: InstructionSyntax { storage.from }
    /// The `AS` name in lower case, as BuildKit stores it, or nil for an unnamed stage.
    public var name: String? { storage.name }
    /// The `AS` name as written.
    public var nameToken: Token? {
        guard name != nil, case .words(let words) = from.arguments, words.count == 3 else { return nil }
        return words[2]
    }
    /// The image word as written, e.g. `node:${NODE_VERSION}`.
    public var baseToken: Token? {
        guard case .words(let words) = from.arguments else { return nil }
        return words.first
    }
    /// The image word after substituting global ARGs and removing quotes, or nil when
    /// it is missing or fails to expand.
    public var baseName: String? { storage.baseName }
    /// What the stage starts from.
    public var base: Base { storage.base }
    /// The index of the base stage, or nil when the stage starts from an image.
    ///
    /// Stored rather than computed from `base`: Swift 6.3.1's optimizer
    /// (CopyPropagation) crashes in release builds on loops over stages that switch on
    /// the inlined enum and `continue`.
    public var baseStageIndex: Int? { storage.baseStageIndex }
    /// The `--platform` flag, when written.
    public var platform: Platform? { storage.platform?.platform }
    /// The instructions after the FROM, up to the next FROM.
    public var instructions: [InstructionSyntax] { storage.instructions }
    /// The stages and images the stage reads from, in order; ONBUILD triggers inherited
    /// from the base stage come first, as BuildKit runs them first.
    public var dependencies: [Dependency] { storage.dependencies }

    /// Creates a stage; its name and image words are read from `from`.
    public init(
        index: Int, from: InstructionSyntax, name: String?, baseName: String?, base: Base, platform: Platform?,
        instructions: [InstructionSyntax], dependencies: [Dependency]
    ) {
        storage = Storage(
            index: index, from: from, name: name, baseName: baseName, base: base, platform: platform,
            instructions: instructions, dependencies: dependencies)
    }

    public static func == (lhs: Stage, rhs: Stage) -> Bool {
        if lhs.storage === rhs.storage { return true }
        return lhs.index == rhs.index && lhs.from == rhs.from && lhs.name == rhs.name && lhs.baseName == rhs.baseName
            && lhs.base == rhs.base && lhs.platform == rhs.platform && lhs.instructions == rhs.instructions
            && lhs.dependencies == rhs.dependencies
    }

    public func hash(into hasher: inout Hasher) {
        // Equal stages have equal indexes and FROMs; the rest only refines.
        hasher.combine(storage.index)
        hasher.combine(storage.from)
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
