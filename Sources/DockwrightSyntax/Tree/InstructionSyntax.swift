#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

        /// The line's offsets in 32 bits (the parser reads sources of at most 4 GiB): a
        /// line is 12 bytes rather than 24, and an instruction of thousands of continued
        /// or heredoc lines keeps one per line for the whole lint (issue 13).
        private let start: UInt32
        private let end: UInt32
        /// What the line is.
        public let role: Role

        /// A line of `role` spanning `range`.
        public init(range: TextRange, role: Role) {
            start = UInt32(clamping: range.start)
            end = UInt32(clamping: range.end)
            self.role = role
        }

        /// The whole line, including its line end.
        public var range: TextRange { TextRange(start: Int(start), end: Int(end)) }
    }

    /// The fields, stored once however many times the instruction is copied.
    ///
    /// Laid out for the common instruction, one line without flags or heredocs: its
    /// line is ``range``, its joined text a slice of the source, and its one ENV pair or
    /// one word is kept inline rather than in an array of one. Offsets and line numbers
    /// are 32-bit (the parser reads sources of at most 4 GiB). A large file holds one of
    /// these per line, so each field costs the file bytes per line.
    private final class Storage: Sendable {
        /// The file's bytes, shared: the text of a one-segment instruction and of the short
        /// tokens kept as ranges.
        let source: [UInt8]?
        /// Whatever few instructions have: flags, heredocs, several lines, joined text.
        let extras: Extras?
        let start: UInt32
        let end: UInt32
        let textStart: UInt32
        let textLength: UInt32
        /// The line of the keyword; the last line is the same unless ``extras`` says otherwise.
        let startLine: UInt32
        /// The keyword's offset from ``start`` and its length, unless ``extras`` holds it
        /// (``InstructionSyntax/compactKeyword(_:range:source:)``). With ``kind`` these
        /// fill the bytes before ``arguments`` (aligned at 8): the record is 82 bytes, a
        /// 96-byte block.
        let keywordOffset: UInt16
        let keywordLength: UInt8
        let kind: InstructionKind?
        let arguments: StoredArguments

        init(
            source: [UInt8]?, extras: Extras?, keyword: (offset: UInt16, length: UInt8), range: TextRange,
            textStart: Int, textLength: Int, startLine: Int, arguments: StoredArguments, kind: InstructionKind?
        ) {
            self.source = source
            self.extras = extras
            keywordOffset = keyword.offset
            keywordLength = keyword.length
            start = UInt32(clamping: range.start)
            end = UInt32(clamping: range.end)
            self.textStart = UInt32(clamping: textStart)
            self.textLength = UInt32(clamping: textLength)
            self.startLine = UInt32(clamping: startLine)
            self.arguments = arguments
            self.kind = kind
        }
    }

    /// A token whose text is at most 15 UTF-8 bytes and exactly its bytes in the source,
    /// kept as its range: Swift keeps such a text inline rather than on the heap, so
    /// spelling it again from the source costs no memory, and the range takes 8 bytes
    /// where the token takes 24. Most keywords, words and ENV pairs are such tokens.
    /// With a larger `maximumLength` (a shell-form command), the text is spelled again
    /// on each read instead of kept in a heap string per instruction.
    private struct ShortSourceToken: Sendable {
        let start: UInt32
        let end: UInt32

        init(start: UInt32, end: UInt32) {
            self.start = start
            self.end = end
        }

        init?(_ token: Token, source: [UInt8]?, maximumLength: Int = 15) {
            let range = token.range
            guard let source, range.end - range.start <= maximumLength, range.end <= source.count,
                  range.end <= Int(UInt32.max),
                  range.start <= range.end, source[range.start..<range.end].elementsEqual(token.text.utf8)
            else { return nil }
            start = UInt32(range.start)
            end = UInt32(range.end)
        }

        func token(in source: [UInt8]?) -> Token {
            let range = TextRange(start: Int(start), end: Int(end))
            return Token(text: String(decoding: source?[range.start..<range.end] ?? [], as: UTF8.self), range: range)
        }
    }

    /// The parts most instructions lack, in one box that most instructions do not have.
    private final class Extras: Sendable {
        let flags: [FlagSyntax]
        let heredocs: [HeredocSyntax]
        /// The physical lines; nil for the one line that is the instruction's range.
        let lines: [Line]?
        /// The joined text; nil when it is the source slice the storage records.
        let joinedText: JoinedText?
        /// The keyword; nil when the storage keeps it as an offset and a length.
        let keyword: Token?
        /// The line where the instruction, heredocs included, ends.
        let endLine: Int

        init(
            flags: [FlagSyntax], heredocs: [HeredocSyntax], lines: [Line]?, joinedText: JoinedText?, keyword: Token?,
            endLine: Int
        ) {
            self.flags = flags
            self.heredocs = heredocs
            self.lines = lines
            self.joinedText = joinedText
            self.keyword = keyword
            self.endLine = endLine
        }
    }

    /// The joined text of an instruction over several lines.
    private enum JoinedText: Sendable {
        /// The slices of the source it joins, its bytes being theirs: spelled again on
        /// each read, as a one-line instruction's text is. A RUN over two lines (every RUN
        /// a merge leaves) kept its joined bytes and slices in two more blocks (issue 13).
        case segments([LogicalText.Segment])
        /// Text that is not its slices' source bytes, kept whole.
        indirect case kept(LogicalText)

        /// The text, spelled from `source` when it keeps only its slices.
        func text(in source: [UInt8]?) -> LogicalText {
            switch self {
            case .kept(let text):
                return text
            case .segments(let segments):
                let length = segments.last.map { $0.logicalStart + $0.length } ?? 0
                return LogicalText(bytes: Self.bytes(0..<length, of: segments, in: source), segments: segments)
            }
        }

        /// The bytes `logicalRange` of the text, as a string: only those of the slices.
        func string(_ logicalRange: Range<Int>, in source: [UInt8]?) -> String {
            switch self {
            case .kept(let text):
                return String(decoding: text.bytes[logicalRange], as: UTF8.self)
            case .segments(let segments):
                return String(decoding: Self.bytes(logicalRange, of: segments, in: source), as: UTF8.self)
            }
        }

        /// The bytes `logicalRange` of the text `segments` join in `source`, copied slice
        /// by slice (empty without the source; the slices were checked when kept).
        private static func bytes(
            _ logicalRange: Range<Int>, of segments: [LogicalText.Segment], in source: [UInt8]?
        ) -> [UInt8] {
            guard let source else { return [] }
            var bytes = [UInt8](repeating: 0, count: logicalRange.count)
            bytes.withUnsafeMutableBytes { output in
                source.withUnsafeBytes { input in
                    for segment in segments {
                        let start = Swift.max(segment.logicalStart, logicalRange.lowerBound)
                        let end = Swift.min(segment.logicalStart + segment.length, logicalRange.upperBound)
                        guard start < end, segment.sourceStart + end - segment.logicalStart <= input.count else { continue }
                        let from = segment.sourceStart + start - segment.logicalStart
                        UnsafeMutableRawBufferPointer(rebasing: output[(start - logicalRange.lowerBound)...])
                            .copyMemory(from: UnsafeRawBufferPointer(rebasing: input[from..<from + end - start]))
                    }
                }
            }
            return bytes
        }

        /// Whether `segments` of `source`, joined in order, are `text`; read in place.
        static func spell(_ segments: [LogicalText.Segment], in source: [UInt8], equals text: [UInt8]) -> Bool {
            var offset = 0
            for segment in segments {
                let end = segment.sourceStart + segment.length
                guard segment.logicalStart == offset, end <= source.count, offset + segment.length <= text.count,
                      bytesEqual(source, segment.sourceStart, text, offset, count: segment.length)
                else { return false }
                offset += segment.length
            }
            return offset == text.count
        }
    }

    /// Whether `count` bytes of `left` from `leftStart` equal those of `right` from
    /// `rightStart`, compared as memory (the parser checks every continued instruction so).
    private static func bytesEqual(_ left: [UInt8], _ leftStart: Int, _ right: [UInt8], _ rightStart: Int, count: Int) -> Bool {
        guard count > 0 else { return true }
        return left.withUnsafeBytes { leftBytes in
            right.withUnsafeBytes { rightBytes in
                guard let leftBase = leftBytes.baseAddress, let rightBase = rightBytes.baseAddress else { return false }
                return memcmp(leftBase + leftStart, rightBase + rightStart, count) == 0
            }
        }
    }

    /// The arguments as parsed, except that the single pair of an ENV or LABEL and the
    /// one to three words of a FROM (`FROM image AS name`), ARG, COPY or ADD are kept
    /// without an array around them, as ranges of the source when they are short tokens
    /// of it (``ShortSourceToken``).
    /// A pair or words that are not spill into an array: every case here is at most as
    /// large as ``InstructionArguments`` itself.
    private enum StoredArguments: Sendable {
        case asParsed(InstructionArguments)
        case onePair(key: ShortSourceToken, value: ShortSourceToken, hasEquals: Bool, isLegacyForm: Bool)
        case oneWord(ShortSourceToken)
        case twoWords(ShortSourceToken, ShortSourceToken)
        case threeWords(ShortSourceToken, ShortSourceToken, ShortSourceToken)
        /// A shell-form command written on the keyword's line as it reads: a file of
        /// one-line RUNs held a heap string per RUN for the whole lint (issue 13).
        case shellFormInSource(ShortSourceToken)
        /// A shell-form command over several lines, spelled by the bytes `logical` of the
        /// instruction's joined text and written at `source`: merged RUNs are such.
        case shellFormInJoinedText(logical: ShortSourceToken, source: ShortSourceToken)

        init(_ arguments: InstructionArguments, source: [UInt8]?, joinedText: LogicalText?) {
            if case .shellForm(let command) = arguments, command.text.utf8.count > 15, let joinedText,
               let stored = Self.inJoinedText(command, joinedText) {
                self = stored
                return
            }
            switch arguments {
            case .keyValuePairs(let pairs, let isLegacyForm) where pairs.count == 1:
                if let key = ShortSourceToken(pairs[0].key, source: source),
                   let value = ShortSourceToken(pairs[0].value, source: source) {
                    self = .onePair(key: key, value: value, hasEquals: pairs[0].separator == "=",
                                    isLegacyForm: isLegacyForm)
                    return
                }
            case .words(let tokens) where tokens.count == 1:
                if let word = ShortSourceToken(tokens[0], source: source) {
                    self = .oneWord(word)
                    return
                }
            case .words(let tokens) where tokens.count == 2:
                if let first = ShortSourceToken(tokens[0], source: source),
                   let second = ShortSourceToken(tokens[1], source: source) {
                    self = .twoWords(first, second)
                    return
                }
            case .words(let tokens) where tokens.count == 3:
                if let first = ShortSourceToken(tokens[0], source: source),
                   let second = ShortSourceToken(tokens[1], source: source),
                   let third = ShortSourceToken(tokens[2], source: source) {
                    self = .threeWords(first, second, third)
                    return
                }
            case .shellForm(let command) where command.text.utf8.count > 15:
                // Up to 15 bytes the text is inline in the token already, and free to read.
                if let command = ShortSourceToken(command, source: source, maximumLength: Int(UInt32.max)) {
                    self = .shellFormInSource(command)
                    return
                }
            default:
                break
            }
            self = .asParsed(arguments)
        }

        /// `command` as offsets into `joinedText` when those bytes spell it exactly.
        private static func inJoinedText(_ command: Token, _ joinedText: LogicalText) -> StoredArguments? {
            let range = command.range
            guard range.end <= Int(UInt32.max),
                  let start = joinedText.logicalOffset(ofSource: range.start),
                  let end = joinedText.logicalOffset(ofSource: range.end), start <= end, end <= joinedText.bytes.count
            else { return nil }
            var text = command.text
            let spellsIt = text.withUTF8 { utf8 in
                guard utf8.count == end - start else { return false }
                guard let textBase = utf8.baseAddress else { return true }
                return joinedText.bytes.withUnsafeBytes { bytes in
                    bytes.baseAddress.map { memcmp($0 + start, textBase, end - start) == 0 } ?? false
                }
            }
            guard spellsIt else { return nil }
            return .shellFormInJoinedText(
                logical: ShortSourceToken(start: UInt32(start), end: UInt32(end)),
                source: ShortSourceToken(start: UInt32(range.start), end: UInt32(range.end)))
        }

        func arguments(in source: [UInt8]?, joinedText: JoinedText?) -> InstructionArguments {
            switch self {
            case .asParsed(let arguments):
                return arguments
            case .onePair(let key, let value, let hasEquals, let isLegacyForm):
                let pair = KeyValuePair(
                    key: key.token(in: source), value: value.token(in: source), separator: hasEquals ? "=" : "")
                return .keyValuePairs([pair], isLegacyForm: isLegacyForm)
            case .oneWord(let word):
                return .words([word.token(in: source)])
            case .twoWords(let first, let second):
                return .words([first.token(in: source), second.token(in: source)])
            case .shellFormInSource(let command):
                return .shellForm(command.token(in: source))
            case .shellFormInJoinedText(let logical, let written):
                let text = joinedText?.string(Int(logical.start)..<Int(logical.end), in: source)
                return .shellForm(Token(
                    text: text ?? "", range: TextRange(start: Int(written.start), end: Int(written.end))))
            case .threeWords(let first, let second, let third):
                return .words([first.token(in: source), second.token(in: source), third.token(in: source)])
            }
        }
    }

    private let storage: Storage

    /// Creates an instruction; the parser is the only producer. With `source`, the
    /// file's bytes, a one-segment text is kept as a range into them.
    init(
        range: TextRange, keyword: Token, kind: InstructionKind?, flags: [FlagSyntax],
        arguments: InstructionArguments, heredocs: [HeredocSyntax], logicalText: LogicalText, lines: [Line],
        startLine: Int, endLine: Int, source: [UInt8]? = nil
    ) {
        var textStart = 0
        var textLength = 0
        var joinedText: LogicalText? = logicalText
        if source != nil, logicalText.segmentCount == 1 {
            let segment = logicalText.segment(at: 0)
            if segment.logicalStart == 0, segment.length == logicalText.bytes.count {
                textStart = segment.sourceStart
                textLength = segment.length
                joinedText = nil
            }
        }
        var storedLines: [Line]? = lines
        if lines.count == 1, let line = lines.first, line.role == .first, line.range == range {
            storedLines = nil
        }
        let shortKeyword = Self.compactKeyword(keyword, range: range, source: source)
        // Kept as its slices when the source spells it, as it does for what the parser reads.
        let storedJoinedText = joinedText.map { text -> JoinedText in
            guard let source, JoinedText.spell(text.segments, in: source, equals: text.bytes) else { return .kept(text) }
            return .segments(text.segments)
        }
        let extras = flags.isEmpty && heredocs.isEmpty && storedLines == nil && joinedText == nil
            && shortKeyword != nil && endLine == startLine
            ? nil
            : Extras(flags: flags, heredocs: heredocs, lines: storedLines, joinedText: storedJoinedText,
                     keyword: shortKeyword == nil ? keyword : nil, endLine: endLine)
        storage = Storage(
            source: source, extras: extras, keyword: shortKeyword ?? (0, 0), range: range,
            textStart: textStart, textLength: textLength, startLine: startLine,
            arguments: StoredArguments(arguments, source: source, joinedText: joinedText), kind: kind)
    }

    /// The keyword as its offset from the instruction's start and its length, when it is a
    /// ``ShortSourceToken`` less than 64 KiB into the instruction.
    private static func compactKeyword(
        _ keyword: Token, range: TextRange, source: [UInt8]?
    ) -> (offset: UInt16, length: UInt8)? {
        guard let short = ShortSourceToken(keyword, source: source), Int(short.start) >= range.start,
              Int(short.start) - range.start <= Int(UInt16.max) else { return nil }
        return (UInt16(Int(short.start) - range.start), UInt8(short.end - short.start))
    }

    /// All bytes of the instruction, from its first line to its last line end.
    public var range: TextRange { TextRange(start: Int(storage.start), end: Int(storage.end)) }
    /// The keyword as written, e.g. `run` or `COPY`.
    public var keyword: Token {
        if let keyword = storage.extras?.keyword { return keyword }
        let start = Int(storage.start) + Int(storage.keywordOffset)
        let range = TextRange(start: start, end: start + Int(storage.keywordLength))
        return Token(text: String(decoding: storage.source?[range.start..<range.end] ?? [], as: UTF8.self), range: range)
    }
    /// The instruction, or nil when BuildKit does not know the keyword.
    public var kind: InstructionKind? { storage.kind }
    /// Flags before the arguments.
    public var flags: [FlagSyntax] { storage.extras?.flags ?? [] }
    /// The arguments as BuildKit splits them.
    public var arguments: InstructionArguments {
        storage.arguments.arguments(in: storage.source, joinedText: storage.extras?.joinedText)
    }
    /// Heredocs, in the order their bodies follow the instruction.
    public var heredocs: [HeredocSyntax] { storage.extras?.heredocs ?? [] }
    /// The instruction's text with continuations joined (BuildKit's `Original`).
    public var logicalText: LogicalText {
        if let joined = storage.extras?.joinedText { return joined.text(in: storage.source) }
        let start = Int(storage.textStart)
        let length = Int(storage.textLength)
        return LogicalText(
            bytes: Array(storage.source?[start..<start + length] ?? []),
            segments: [LogicalText.Segment(logicalStart: 0, sourceStart: start, length: length)])
    }
    /// The physical lines, in order; empty for the instruction inside ONBUILD.
    public var lines: [Line] {
        storage.extras?.lines ?? [Line(range: range, role: .first)]
    }
    /// The 1-based line of the keyword.
    public var startLine: Int { Int(storage.startLine) }
    /// The 1-based line where the instruction, heredocs included, ends.
    public var endLine: Int { storage.extras?.endLine ?? Int(storage.startLine) }

    public static func == (lhs: InstructionSyntax, rhs: InstructionSyntax) -> Bool {
        if lhs.storage === rhs.storage { return true }
        return lhs.range == rhs.range && lhs.keyword == rhs.keyword && lhs.kind == rhs.kind
            && lhs.flags == rhs.flags && lhs.arguments == rhs.arguments && lhs.heredocs == rhs.heredocs
            && lhs.logicalText == rhs.logicalText && lhs.lines == rhs.lines
            && lhs.startLine == rhs.startLine && lhs.endLine == rhs.endLine
    }

    public func hash(into hasher: inout Hasher) {
        // Equal instructions have equal ranges and keywords; the rest only refines.
        hasher.combine(range)
        hasher.combine(keyword)
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
