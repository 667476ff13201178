/// One instruction: every physical line it spans, its keyword, flags, arguments
/// and heredocs, each with its source range.
public struct InstructionSyntax: Hashable, Sendable {
    /// A physical line of the instruction and the part it plays.
    public struct Line: Hashable, Sendable {
        /// What a physical line is within an instruction.
        public enum Role: Hashable, Sendable {
            /// The line the keyword is on.
            case first
            /// A line joined by a continuation.
            case continuation
            /// A comment line inside a continuation; BuildKit skips it.
            case comment
            /// A blank line inside a continuation; BuildKit skips it and warns.
            case emptyContinuation
            /// A line of a heredoc body.
            case heredocBody
            /// The line that ends a heredoc.
            case heredocTerminator
        }

        /// The whole line, including its line end.
        public let range: TextRange
        /// What the line is.
        public let role: Role
    }

    /// All bytes of the instruction, from its first line to its last line end.
    public let range: TextRange
    /// The keyword as written, e.g. `run` or `COPY`.
    public let keyword: Token
    /// The instruction, or nil when BuildKit does not know the keyword.
    public let kind: InstructionKind?
    /// Flags before the arguments.
    public let flags: [FlagSyntax]
    /// The arguments as BuildKit splits them.
    public let arguments: InstructionArguments
    /// Heredocs, in the order their bodies follow the instruction.
    public let heredocs: [HeredocSyntax]
    /// The instruction's text with continuations joined (BuildKit's `Original`).
    public let logicalText: LogicalText
    /// The physical lines, in order; empty for the instruction inside ONBUILD.
    public let lines: [Line]
    /// The 1-based line of the keyword.
    public let startLine: Int
    /// The 1-based line where the instruction, heredocs included, ends.
    public let endLine: Int

    /// The instruction ONBUILD wraps, if this is an ONBUILD with a trigger.
    public var trigger: InstructionSyntax? {
        if case .trigger(let inner) = arguments { return inner }
        return nil
    }

    /// Whether the arguments are a JSON array (exec form).
    public var isExecForm: Bool { arguments.isExecForm }

    /// The flag named `name` (without `--`), the last one when repeated.
    public func flag(named name: String) -> FlagSyntax? {
        flags.last { $0.name == name }
    }

    /// The argument strings as BuildKit's parser gives them; ENV and LABEL as
    /// alternating keys and values, ONBUILD as its trigger's values.
    public var values: [String] {
        Self.values(of: arguments)
    }

    private static func values(of arguments: InstructionArguments) -> [String] {
        switch arguments {
        case .none: return []
        case .ignored: return [""]
        case .execForm(let tokens), .words(let tokens): return tokens.map(\.text)
        case .shellForm(let token), .text(let token): return [token.text]
        case .keyValuePairs(let pairs, _): return pairs.flatMap { [$0.key.text, $0.value.text] }
        case .healthcheck(let type, let command): return [type.text] + values(of: command)
        case .trigger(let inner): return inner.values
        }
    }
}
