/// Turns one logical line into keyword, flags and arguments, mirroring BuildKit's
/// `newNodeFromLine` and its dispatch table of line parsers.
struct CommandReader {
    /// What `newNodeFromLine` produces for one line.
    struct Command {
        let keyword: Token
        let kind: InstructionKind?
        let flags: [FlagSyntax]
        let arguments: InstructionArguments

        /// Whether BuildKit looks for heredocs in this command (its `canContainHeredoc`):
        /// RUN, COPY and ADD in shell form, also as an ONBUILD trigger.
        var acceptsHeredocs: Bool {
            if case .trigger(let inner) = arguments {
                return inner.kind?.acceptsHeredocs == true && !inner.isExecForm
            }
            return kind?.acceptsHeredocs == true && !arguments.isExecForm
        }
    }

    let logical: LogicalText
    let escape: UInt8
    private(set) var errors: [SyntaxError] = []

    init(logical: LogicalText, escape: UInt8) {
        self.logical = logical
        self.escape = escape
    }

    private var bytes: [UInt8] { logical.bytes }
    private var lexer: ArgumentLexer { ArgumentLexer(bytes: logical.bytes) }

    /// How deep `ONBUILD ONBUILD …` chains are read as nested triggers.
    ///
    /// BuildKit recurses without limit (and its instruction stage rejects any
    /// chain); past this depth the rest is kept as text, so a hostile line of
    /// a million ONBUILDs cannot exhaust the stack here or when the tree is freed.
    static let maximumTriggerDepth = 32

    mutating func read(_ range: Range<Int>, depth: Int = 0) -> Command {
        let (keywordRange, remainder) = lexer.splitCommand(range)
        let keyword = token(keywordRange)
        let kind = InstructionKind(keyword: keyword.text)
        var flags: [FlagSyntax] = []
        var rest = range.upperBound..<range.upperBound
        if let remainder {
            let (lexedFlags, argumentsStart) = lexer.extractFlags(remainder)
            flags = lexedFlags.map { FlagSyntax(text: string($0.bytes), range: sourceRange($0.range)) }
            rest = GoText.trimSpace(bytes, argumentsStart..<remainder.upperBound)
        }
        let arguments = readArguments(rest, kind: kind, depth: depth)
        return Command(keyword: keyword, kind: kind, flags: flags, arguments: arguments)
    }

    private mutating func readArguments(_ rest: Range<Int>, kind: InstructionKind?, depth: Int) -> InstructionArguments {
        guard let kind else { return .ignored }
        switch kind.argumentParsing {
        case .jsonOrShell:
            return readJSONOrShell(rest)
        case .jsonOrWords:
            switch ExecFormDecoder(bytes: bytes).decode(rest) {
            case .strings(let elements): return .execForm(elements.map(token(_:)))
            case .notStringArray(let element): return rejectNonStringArray(element)
            case .notJSON: return whitespaceWords(rest)
            }
        case .whitespaceWords:
            return whitespaceWords(rest)
        case .singleString:
            return rest.isEmpty ? .none : .text(token(rest))
        case .nameOrNameValue:
            let words = lexer.words(rest, escape: escape)
            return words.isEmpty ? .none : .words(words.map(token(_:)))
        case .nameValue:
            return readNameValue(rest, keyword: kind == .env ? "ENV" : "LABEL")
        case .healthcheck:
            return readHealthcheck(rest)
        case .subcommand:
            guard !rest.isEmpty else { return .none }
            guard depth < Self.maximumTriggerDepth else { return .text(token(rest)) }
            let inner = read(rest, depth: depth + 1)
            let innerRange = sourceRange(rest)
            return .trigger(InstructionSyntax(
                range: innerRange, keyword: inner.keyword, kind: inner.kind, flags: inner.flags,
                arguments: inner.arguments, heredocs: [], logicalText: logical, lines: [],
                startLine: 0, endLine: 0))
        }
    }

    /// `parseMaybeJSON`: exec form when the text is a JSON array of strings.
    private mutating func readJSONOrShell(_ rest: Range<Int>) -> InstructionArguments {
        guard !rest.isEmpty else { return .none }
        switch ExecFormDecoder(bytes: bytes).decode(rest) {
        case .strings(let elements): return .execForm(elements.map(token(_:)))
        case .notStringArray(let element): return rejectNonStringArray(element)
        case .notJSON: return .shellForm(token(rest))
        }
    }

    private mutating func rejectNonStringArray(_ element: Range<Int>) -> InstructionArguments {
        errors.append(SyntaxError(
            "when using JSON array syntax, arrays must be comprised of strings only",
            range: sourceRange(element), stage: .parser))
        return .none
    }

    /// `parseStringsWhitespaceDelimited`.
    private func whitespaceWords(_ rest: Range<Int>) -> InstructionArguments {
        guard !rest.isEmpty else { return .none }
        return .words(lexer.whitespaceSeparatedWords(rest).map(token(_:)))
    }

    /// `parseNameVal`: ENV and LABEL.
    private mutating func readNameValue(_ rest: Range<Int>, keyword: String) -> InstructionArguments {
        let words = lexer.words(rest, escape: escape)
        guard let first = words.first else { return .none }
        let equals = UInt8(ascii: "=")
        if !first.bytes.contains(equals) {
            // The legacy `ENV key value` form: split once on whitespace.
            var keyEnd = rest.lowerBound
            while keyEnd < rest.upperBound && !GoText.isSplitWhitespace(bytes[keyEnd]) { keyEnd += 1 }
            guard keyEnd < rest.upperBound else {
                errors.append(SyntaxError(
                    "\(keyword) must have two arguments", range: sourceRange(rest), stage: .parser))
                return .keyValuePairs([], isLegacyForm: true)
            }
            var valueStart = keyEnd
            while valueStart < rest.upperBound && GoText.isSplitWhitespace(bytes[valueStart]) { valueStart += 1 }
            let pair = KeyValuePair(
                key: token(rest.lowerBound..<keyEnd), value: token(valueStart..<rest.upperBound), separator: "")
            return .keyValuePairs([pair], isLegacyForm: true)
        }
        var pairs: [KeyValuePair] = []
        pairs.reserveCapacity(words.count)
        for word in words {
            guard let equalsIndex = word.bytes.firstIndex(of: equals) else {
                errors.append(SyntaxError(
                    "Syntax error - can't find = in \(GoQuote.quote(word.bytes)). Must be of the form: name=value",
                    range: sourceRange(word.range), stage: .parser))
                continue
            }
            // The word's text equals its logical bytes up to the first `=` (parseWords
            // keeps quotes and escapes), so the same index splits the source.
            let logicalEquals = bytes[word.range].firstIndex(of: equals) ?? word.range.lowerBound
            let key = Token(text: string(word.bytes[..<equalsIndex]), range: sourceRange(word.range.lowerBound..<logicalEquals))
            let valueStart = Swift.min(logicalEquals + 1, word.range.upperBound)
            let value = Token(
                text: string(word.bytes[(equalsIndex + 1)...]), range: sourceRange(valueStart..<word.range.upperBound))
            pairs.append(KeyValuePair(key: key, value: value, separator: "="))
        }
        return .keyValuePairs(pairs, isLegacyForm: false)
    }

    /// `parseHealthConfig`: a type word (found byte by byte), then like `parseMaybeJSON`.
    private mutating func readHealthcheck(_ rest: Range<Int>) -> InstructionArguments {
        var separator = rest.lowerBound
        while separator < rest.upperBound && !GoText.isSpaceByte(bytes[separator]) { separator += 1 }
        var next = separator
        while next < rest.upperBound && GoText.isSpaceByte(bytes[next]) { next += 1 }
        guard separator > rest.lowerBound else { return .none }
        let type = token(rest.lowerBound..<separator)
        return .healthcheck(type: type, command: readJSONOrShell(next..<rest.upperBound))
    }

    // MARK: - Tokens

    private func token(_ range: Range<Int>) -> Token {
        Token(text: string(bytes[range]), range: sourceRange(range))
    }

    private func token(_ word: LexedWord) -> Token {
        Token(text: string(word.bytes), range: sourceRange(word.range))
    }

    private func sourceRange(_ range: Range<Int>) -> TextRange {
        logical.sourceRange(of: range)
    }

    /// Decoded straight from the array's storage: copying the bytes into a new array
    /// first cost an allocation per token.
    private func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    private func string(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
