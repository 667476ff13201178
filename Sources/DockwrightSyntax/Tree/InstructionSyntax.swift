/// One instruction: every physical line it spans, its keyword, flags, arguments
/// and heredocs, each with its source range.
///
/// A value with one reference inside: the fields live once, in a shared immutable
/// box, so the copies the tree, the stages and the scripts hold of an instruction cost
/// a pointer each instead of the whole record (a large file's memory was mostly those
/// copies), and copying one retains once instead of once per field.
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

    /// The fields, stored once however many times the instruction is copied.
    private final class Storage: Sendable {
        let range: TextRange
        let keyword: Token
        let kind: InstructionKind?
        let flags: [FlagSyntax]
        let arguments: InstructionArguments
        let heredocs: [HeredocSyntax]
        let text: StoredText
        let lines: StoredLines
        let startLine: Int
        let endLine: Int

        init(
            range: TextRange, keyword: Token, kind: InstructionKind?, flags: [FlagSyntax],
            arguments: InstructionArguments, heredocs: [HeredocSyntax], text: StoredText, lines: StoredLines,
            startLine: Int, endLine: Int
        ) {
            self.range = range
            self.keyword = keyword
            self.kind = kind
            self.flags = flags
            self.arguments = arguments
            self.heredocs = heredocs
            self.text = text
            self.lines = lines
            self.startLine = startLine
            self.endLine = endLine
        }
    }

    /// The joined text. Most instructions are one physical line, whose joined text is a
    /// slice of the source: it is kept as a range into the file's bytes (shared, not
    /// copied) and built only when asked for, which few rules do.
    private enum StoredText: Sendable {
        case sourceSlice(source: [UInt8], start: Int, length: Int)
        case joined(LogicalText)
    }

    /// The physical lines, without an array for the common single line.
    private enum StoredLines: Sendable {
        case none
        case first(TextRange)
        case all([Line])
    }

    private let storage: Storage

    /// Creates an instruction; the parser is the only producer. With `source`, the
    /// file's bytes, a one-line text is kept as a range into them.
    init(
        range: TextRange, keyword: Token, kind: InstructionKind?, flags: [FlagSyntax],
        arguments: InstructionArguments, heredocs: [HeredocSyntax], logicalText: LogicalText, lines: [Line],
        startLine: Int, endLine: Int, source: [UInt8]? = nil
    ) {
        let text: StoredText
        if let source, logicalText.segments.count == 1, let segment = logicalText.segments.first,
           segment.logicalStart == 0, segment.length == logicalText.bytes.count {
            text = .sourceSlice(source: source, start: segment.sourceStart, length: segment.length)
        } else {
            text = .joined(logicalText)
        }
        let storedLines: StoredLines
        if lines.isEmpty {
            storedLines = .none
        } else if lines.count == 1, let line = lines.first, line.role == .first {
            storedLines = .first(line.range)
        } else {
            storedLines = .all(lines)
        }
        storage = Storage(
            range: range, keyword: keyword, kind: kind, flags: flags, arguments: arguments, heredocs: heredocs,
            text: text, lines: storedLines, startLine: startLine, endLine: endLine)
    }

    /// All bytes of the instruction, from its first line to its last line end.
    public var range: TextRange { storage.range }
    /// The keyword as written, e.g. `run` or `COPY`.
    public var keyword: Token { storage.keyword }
    /// The instruction, or nil when BuildKit does not know the keyword.
    public var kind: InstructionKind? { storage.kind }
    /// Flags before the arguments.
    public var flags: [FlagSyntax] { storage.flags }
    /// The arguments as BuildKit splits them.
    public var arguments: InstructionArguments { storage.arguments }
    /// Heredocs, in the order their bodies follow the instruction.
    public var heredocs: [HeredocSyntax] { storage.heredocs }
    /// The instruction's text with continuations joined (BuildKit's `Original`).
    public var logicalText: LogicalText {
        switch storage.text {
        case .sourceSlice(let source, let start, let length):
            return LogicalText(
                bytes: Array(source[start..<start + length]),
                segments: [LogicalText.Segment(logicalStart: 0, sourceStart: start, length: length)])
        case .joined(let text):
            return text
        }
    }
    /// The physical lines, in order; empty for the instruction inside ONBUILD.
    public var lines: [Line] {
        switch storage.lines {
        case .none: return []
        case .first(let range): return [Line(range: range, role: .first)]
        case .all(let lines): return lines
        }
    }
    /// The 1-based line of the keyword.
    public var startLine: Int { storage.startLine }
    /// The 1-based line where the instruction, heredocs included, ends.
    public var endLine: Int { storage.endLine }

    public static func == (lhs: InstructionSyntax, rhs: InstructionSyntax) -> Bool {
        if lhs.storage === rhs.storage { return true }
        let left = lhs.storage
        let right = rhs.storage
        return left.range == right.range && left.keyword == right.keyword && left.kind == right.kind
            && left.flags == right.flags && left.arguments == right.arguments && left.heredocs == right.heredocs
            && lhs.logicalText == rhs.logicalText && lhs.lines == rhs.lines
            && left.startLine == right.startLine && left.endLine == right.endLine
    }

    public func hash(into hasher: inout Hasher) {
        // Equal instructions have equal ranges and keywords; the rest only refines.
        hasher.combine(storage.range)
        hasher.combine(storage.keyword)
        hasher.combine(storage.kind)
    }

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
