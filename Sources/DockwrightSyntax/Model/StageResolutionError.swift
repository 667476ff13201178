/// Why a stage's base, platform or `--from` source cannot be resolved, worded as
/// BuildKit words it when the build fails.
public struct StageResolutionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Hashable, Sendable {
        /// FROM has no image word.
        case missingBaseName
        /// Substituting variables failed.
        case expansion(VariableExpansionError)
        /// The image word, as written, expanded to nothing (for example an ARG without
        /// a default): `base name (${IMAGE}) should not be blank`.
        case blankBaseName(written: String)
        /// `--platform` expanded to nothing.
        case blankPlatform(written: String)
        /// `COPY --from=N` with no stage N.
        case invalidStageIndex(Int)
        /// `COPY --from` with a variable, which BuildKit refuses.
        case variableInCopyFrom
        /// `RUN --mount=from=` with a variable, which BuildKit refuses.
        case variableInMountFrom
    }

    /// What went wrong.
    public let kind: Kind
    /// Where the offending text is written.
    public let range: TextRange

    /// Creates an error.
    public init(_ kind: Kind, range: TextRange) {
        self.kind = kind
        self.range = range
    }

    /// The message `docker build` would print.
    public var message: String {
        switch kind {
        case .missingBaseName:
            return "FROM requires either one or three arguments"
        case .expansion(let error):
            return error.description
        case .blankBaseName(let written):
            return "base name (\(written)) should not be blank"
        case .blankPlatform(let written):
            return "empty platform value from expression \(written)"
        case .invalidStageIndex(let index):
            return "invalid stage index \(index)"
        case .variableInCopyFrom:
            return "variable expansion is not supported for --from, define a new stage with FROM using ARG from "
                + "global scope as a workaround"
        case .variableInMountFrom:
            return "'from' doesn't support variable expansion, define alias stage instead"
        }
    }

    public var description: String { message }
}
