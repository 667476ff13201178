#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a Dockerfile line by line exactly as BuildKit's `parser.Parse` does, but
/// keeps every byte, records positions, and recovers from errors instead of stopping.
struct Parser {
    /// A physical line: from `start` to `end` (after its `\n`, or end of file).
    struct PhysicalLine {
        let start: Int
        /// Where the content ends once trailing `\r` and `\n` bytes are trimmed
        /// (BuildKit's `trimNewline`, which trims every trailing CR and LF).
        let contentEnd: Int
        let end: Int
    }

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    let source: SourceFile
    let bytes: [UInt8]
    var position = 0
    /// BuildKit's `currentLine`: the 1-based number of the last line read.
    var lineNumber = 0
    var directiveScanner = ParserDirectiveScanner()
    var escape = UInt8(ascii: "\\")
    var items: [SyntaxItem] = []
    var directives: [ParserDirective] = []
    var errors: [SyntaxError] = []

    init(source: SourceFile) {
        self.source = source
        self.bytes = source.bytes
    }

    /// The largest source the tree can describe: tokens and instructions keep 32-bit offsets.
    static let maximumSourceSize = Int(UInt32.max)

    mutating func parse() -> DockerfileSyntax {
        guard bytes.count <= Self.maximumSourceSize else {
            return DockerfileSyntax(
                source: source, items: [], directives: [], escapeCharacter: "\\",
                errors: [SyntaxError("file larger than 4 GiB", range: .empty(at: 0), stage: .parser)])
        }
        var sawInstruction = false
        while position < bytes.count {
            let line = readLine()
            var contentStart = line.start
            if line.start == 0 && bytes.starts(with: Self.byteOrderMark) {
                // Mirrors BuildKit: only the first line loses a byte-order mark.
                items.append(.byteOrderMark(TextRange(start: 0, end: 3)))
                contentStart = 3
            }
            let tokenStart = GoText.skipLeadingSpace(bytes, from: contentStart, to: line.contentEnd)
            let isDirective = scanDirective(tokenStart..<line.contentEnd)
            let lineRange = TextRange(start: contentStart, end: line.end)
            if tokenStart < line.contentEnd && bytes[tokenStart] == UInt8(ascii: "#") {
                items.append(.trivia(TriviaLine(kind: isDirective ? .directive : .comment, range: lineRange)))
                continue
            }
            let (keptEnd, continues) = trimContinuation(tokenStart, line.contentEnd)
            if !continues && keptEnd == tokenStart {
                items.append(.trivia(TriviaLine(kind: .blank, range: lineRange)))
                continue
            }
            sawInstruction = true
            let instruction = readInstruction(
                firstLine: lineRange, tokenStart: tokenStart, keptEnd: keptEnd, continues: continues)
            items.append(.instruction(instruction))
        }
        if !sawInstruction {
            errors.append(SyntaxError("file with no instructions", range: .empty(at: bytes.count), stage: .parser))
        }
        if items.capacity > items.count + items.count / 8 {
            // The array grew by doubling; a large file would keep up to half of it unused.
            items = items.withUnsafeBufferPointer { Array($0) }
        }
        let escapeCharacter: Character = escape == UInt8(ascii: "`") ? "`" : "\\"
        var allErrors = errors
        allErrors.append(contentsOf: InstructionChecker(items: items).check())
        allErrors.sort { ($0.range.start, $0.range.end) < ($1.range.start, $1.range.end) }
        return DockerfileSyntax(
            source: source, items: items, directives: directives, escapeCharacter: escapeCharacter,
            errors: allErrors)
    }

    /// Reads the next physical line; BuildKit splits on `\n` only.
    mutating func readLine() -> PhysicalLine {
        let start = position
        let newline = bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress, start < buffer.count,
                  let found = memchr(base + start, Int32(UInt8(ascii: "\n")), buffer.count - start) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        let end = newline.map { $0 + 1 } ?? bytes.count
        var contentEnd = end
        while contentEnd > start && (bytes[contentEnd - 1] == 0x0A || bytes[contentEnd - 1] == 0x0D) { contentEnd -= 1 }
        position = end
        lineNumber += 1
        // Mirrors bufio.Scanner's 64 KiB buffer: BuildKit fails when a line, with its
        // `\n`, does not fit; a last line without one fails once it fills the buffer.
        let hasTerminator = end > start && bytes[end - 1] == UInt8(ascii: "\n")
        if end - start > Self.maximumLineLength || (!hasTerminator && end - start == Self.maximumLineLength) {
            errors.append(SyntaxError(
                "dockerfile line greater than max allowed size of \(Self.maximumLineLength - 1)",
                range: TextRange(start: start, end: contentEnd), stage: .parser))
        }
        return PhysicalLine(start: start, contentEnd: contentEnd, end: end)
    }

    /// `bufio.MaxScanTokenSize`, the longest line, line end included, BuildKit reads.
    static let maximumLineLength = 64 * 1024

    /// Feeds a line to the directive scanner; returns whether it is a directive.
    private mutating func scanDirective(_ range: Range<Int>) -> Bool {
        switch directiveScanner.scan(bytes, range) {
        case .notDirective:
            return false
        case .duplicate(let name, _):
            errors.append(SyntaxError(
                "only one \(name) parser directive can be used",
                range: TextRange(start: range.lowerBound, end: range.upperBound), stage: .parser))
            return true
        case .directive(let name, let valueRange):
            let value = String(decoding: bytes[valueRange], as: UTF8.self)
            let valueTextRange = TextRange(start: valueRange.lowerBound, end: valueRange.upperBound)
            directives.append(ParserDirective(
                name: name, value: value, range: TextRange(start: range.lowerBound, end: range.upperBound),
                valueRange: valueTextRange))
            if name == "escape" {
                if value == "\\" || value == "`" {
                    escape = bytes[valueRange.lowerBound]
                } else {
                    errors.append(SyntaxError(
                        "invalid escape token '\(value)' does not match ` or \\", range: valueTextRange, stage: .parser))
                }
            }
            return true
        }
    }

    /// Removes a line continuation, mirroring BuildKit's
    /// `([^E])E[ \t]*$|^E[ \t]*$` for escape character E: the escape character
    /// continues the line when only spaces and tabs follow it, unless it is
    /// itself escaped (`foo\\` ends the instruction, a Windows path's friend).
    func trimContinuation(_ start: Int, _ end: Int) -> (keptEnd: Int, continues: Bool) {
        var cursor = end
        while cursor > start && (bytes[cursor - 1] == 0x20 || bytes[cursor - 1] == 0x09) { cursor -= 1 }
        guard cursor > start, bytes[cursor - 1] == escape else { return (end, false) }
        let escapeOffset = cursor - 1
        if escapeOffset == start { return (start, true) }
        if bytes[escapeOffset - 1] != escape { return (escapeOffset, true) }
        return (end, false)
    }

    /// Whether a line is a comment once leading whitespace is skipped.
    func isComment(_ line: PhysicalLine) -> Bool {
        let first = GoText.skipLeadingSpace(bytes, from: line.start, to: line.contentEnd)
        return first < line.contentEnd && bytes[first] == UInt8(ascii: "#")
    }

    /// Reads the continuation lines, arguments and heredocs of one instruction.
    private mutating func readInstruction(
        firstLine: TextRange, tokenStart: Int, keptEnd: Int, continues firstContinues: Bool
    ) -> InstructionSyntax {
        let startLine = lineNumber
        var lines = [InstructionSyntax.Line(range: firstLine, role: .first)]
        var logicalBytes = Array(bytes[tokenStart..<keptEnd])
        var segments = [LogicalText.Segment(logicalStart: 0, sourceStart: tokenStart, length: keptEnd - tokenStart)]
        var continues = firstContinues
        while continues && position < bytes.count {
            let line = readLine()
            _ = scanDirective(line.start..<line.contentEnd)
            let range = TextRange(start: line.start, end: line.end)
            if isComment(line) {
                lines.append(InstructionSyntax.Line(range: range, role: .comment))
                continue
            }
            if GoText.skipLeadingSpace(bytes, from: line.start, to: line.contentEnd) == line.contentEnd {
                lines.append(InstructionSyntax.Line(range: range, role: .emptyContinuation))
                continue
            }
            let (kept, next) = trimContinuation(line.start, line.contentEnd)
            segments.append(LogicalText.Segment(
                logicalStart: logicalBytes.count, sourceStart: line.start, length: kept - line.start))
            logicalBytes.append(contentsOf: bytes[line.start..<kept])
            lines.append(InstructionSyntax.Line(range: range, role: .continuation))
            continues = next
        }
        // The instruction keeps these for the whole lint; grown by doubling, an instruction
        // of thousands of continued lines kept up to half of each unused.
        let logical = LogicalText(bytes: Self.withoutSpareRoom(logicalBytes), segments: Self.withoutSpareRoom(segments))
        var reader = CommandReader(logical: logical, escape: escape)
        let command = reader.read(0..<logicalBytes.count)
        errors.append(contentsOf: reader.errors)

        var heredocs: [HeredocSyntax] = []
        if command.acceptsHeredocs {
            let markers = HeredocWordScanner(bytes: logicalBytes).markers(in: 0..<logicalBytes.count)
            heredocs = readHeredocs(markers, logical: logical, lines: &lines)
        }
        let range = TextRange(start: firstLine.start, end: lines.last?.range.end ?? firstLine.end)
        lines = Self.withoutSpareRoom(lines)
        return InstructionSyntax(
            range: range, keyword: command.keyword, kind: command.kind, flags: command.flags,
            arguments: command.arguments, heredocs: heredocs, logicalText: logical, lines: lines,
            startLine: startLine, endLine: lineNumber, source: bytes)
    }

    /// `list` without its spare room when that is more than an eighth of it: a short list
    /// is left as it is, as copying it would cost more time than its room costs memory.
    private static func withoutSpareRoom<Element>(_ list: [Element]) -> [Element] {
        list.count >= 32 ? list.compactedWhenSpareExceedsAnEighth() : list
    }

    /// Reads the bodies of `markers`, in order, from the lines after the instruction.
    ///
    /// A body runs to the first line equal to its delimiter (after leading tabs
    /// for `<<-`). When the file ends first, BuildKit fails; we report the marker
    /// and read the following lines as instructions again, so the rest of the file
    /// is still checked.
    private mutating func readHeredocs(
        _ markers: [HeredocWordScanner.Marker], logical: LogicalText, lines: inout [InstructionSyntax.Line]
    ) -> [HeredocSyntax] {
        var heredocs: [HeredocSyntax] = []
        for marker in markers {
            let bodyStart = position
            let lineNumberAtStart = lineNumber
            let errorCountAtStart = errors.count
            var bodyLines: [InstructionSyntax.Line] = []
            var terminator: TextRange?
            while position < bytes.count {
                let line = readLine()
                var candidateStart = line.start
                if marker.stripsLeadingTabs {
                    while candidateStart < line.contentEnd && bytes[candidateStart] == 0x09 { candidateStart += 1 }
                }
                let range = TextRange(start: line.start, end: line.end)
                if bytes[candidateStart..<line.contentEnd].elementsEqual(marker.name) {
                    terminator = range
                    break
                }
                bodyLines.append(InstructionSyntax.Line(range: range, role: .heredocBody))
            }
            let markerRange = logical.sourceRange(of: marker.range)
            let name = String(decoding: marker.name, as: UTF8.self)
            guard let terminator else {
                errors.removeSubrange(errorCountAtStart...)
                errors.append(SyntaxError("unterminated heredoc", range: markerRange, stage: .parser))
                position = bodyStart
                lineNumber = lineNumberAtStart
                heredocs.append(HeredocSyntax(
                    name: name, fileDescriptor: marker.fileDescriptor, expandsVariables: marker.expandsVariables,
                    stripsLeadingTabs: marker.stripsLeadingTabs, source: bytes, markerRange: markerRange,
                    bodyRange: .empty(at: bodyStart), terminatorRange: nil))
                break
            }
            lines.append(contentsOf: bodyLines)
            lines.append(InstructionSyntax.Line(range: terminator, role: .heredocTerminator))
            heredocs.append(HeredocSyntax(
                name: name, fileDescriptor: marker.fileDescriptor, expandsVariables: marker.expandsVariables,
                stripsLeadingTabs: marker.stripsLeadingTabs,
                source: bytes,
                markerRange: markerRange, bodyRange: TextRange(start: bodyStart, end: terminator.start),
                terminatorRange: terminator))
        }
        return heredocs
    }
}
