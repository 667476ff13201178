/// A parser directive (`# syntax=`, `# escape=`, `# check=`) at the top of the file.
public struct ParserDirective: Hashable, Sendable {
    /// The directive's name in lower case.
    public let name: String
    /// Its value, trimmed as BuildKit trims it.
    public let value: String
    /// The whole comment line, without its line end.
    public let range: TextRange
    /// Where the value is written.
    public let valueRange: TextRange
}

/// A line outside any instruction.
public struct TriviaLine: Hashable, Sendable {
    /// What the line holds.
    public enum Kind: Hashable, Sendable {
        /// Only whitespace.
        case blank
        /// A `#` comment.
        case comment
        /// A parser directive.
        case directive
    }

    /// What the line holds.
    public let kind: Kind
    private let start: UInt32
    private let end: UInt32

    /// The whole line, including its line end.
    public var range: TextRange { TextRange(start: Int(start), end: Int(end)) }

    /// Creates a line; 32-bit offsets, like ``Token``'s, keep a file's item per line small.
    init(kind: Kind, range: TextRange) {
        self.kind = kind
        start = UInt32(clamping: range.start)
        end = UInt32(clamping: range.end)
    }
}

/// One top-level piece of a Dockerfile. In order, the items cover every byte of the file.
public enum SyntaxItem: Hashable, Sendable {
    /// A UTF-8 byte-order mark at the very start.
    case byteOrderMark(TextRange)
    /// A blank, comment or directive line.
    case trivia(TriviaLine)
    /// An instruction, with all its lines.
    case instruction(InstructionSyntax)

    /// The bytes the item covers.
    public var range: TextRange {
        switch self {
        case .byteOrderMark(let range): return range
        case .trivia(let line): return line.range
        case .instruction(let instruction): return instruction.range
        }
    }
}

/// A parsed Dockerfile: a lossless syntax tree over the original bytes.
public struct DockerfileSyntax: Sendable {
    /// The file the tree was parsed from.
    public let source: SourceFile
    /// Every byte of the file, split into items, in order and without gaps.
    public let items: [SyntaxItem]
    /// The parser directives found at the top of the file.
    public let directives: [ParserDirective]
    /// The escape character in effect: `\` or `` ` ``.
    public let escapeCharacter: Character
    /// Problems found, ordered by position.
    public let errors: [SyntaxError]

    /// The instructions, in file order.
    public let instructions: [InstructionSyntax]

    /// Creates a tree; the parser is the only producer.
    init(
        source: SourceFile, items: [SyntaxItem], directives: [ParserDirective], escapeCharacter: Character,
        errors: [SyntaxError]
    ) {
        self.source = source
        self.items = items
        self.directives = directives
        self.escapeCharacter = escapeCharacter
        self.errors = errors
        // Counted first, so the array is allocated once at its size: a large file's
        // `compactMap` left up to half of it unused.
        let count = items.reduce(0) { count, item in
            if case .instruction = item { return count + 1 }
            return count
        }
        var instructions: [InstructionSyntax] = []
        instructions.reserveCapacity(count)
        for case .instruction(let instruction) in items { instructions.append(instruction) }
        self.instructions = instructions
    }

    /// The index in ``items`` of the item that starts at byte `offset`, found by binary
    /// search (the items are in order and without gaps).
    public func itemIndex(startingAt offset: Int) -> Int? {
        var low = 0
        var high = items.count
        while low < high {
            let middle = (low + high) / 2
            if items[middle].range.start < offset { low = middle + 1 } else { high = middle }
        }
        return low < items.count && items[low].range.start == offset ? low : nil
    }

    /// Whether BuildKit's parser would reject the file.
    public var hasParserErrors: Bool { errors.contains { $0.stage == .parser } }

    /// The source bytes, rebuilt from the tree's pieces.
    ///
    /// Instructions contribute their physical lines; equality with the input
    /// is the lossless invariant the round-trip tests check.
    public func printedBytes() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(source.bytes.count)
        for item in items {
            switch item {
            case .byteOrderMark(let range):
                output.append(contentsOf: source.bytes[range.start..<range.end])
            case .trivia(let line):
                output.append(contentsOf: source.bytes[line.range.start..<line.range.end])
            case .instruction(let instruction):
                for line in instruction.lines {
                    output.append(contentsOf: source.bytes[line.range.start..<line.range.end])
                }
            }
        }
        return output
    }

    /// Parses `source`. Never throws and never traps: problems become ``errors``.
    public static func parse(_ source: SourceFile) -> DockerfileSyntax {
        var parser = Parser(source: source)
        return parser.parse()
    }

    /// Parses UTF-8 text; a convenience for tests and tools.
    public static func parse(_ text: String, path: String = "<memory>") -> DockerfileSyntax {
        parse(SourceFile(path: path, text: text))
    }
}
