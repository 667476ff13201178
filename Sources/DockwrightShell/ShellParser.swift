import DockwrightSyntax

/// A hand-written parser for the POSIX shell language with the bash extensions
/// Dockerfiles use (`[[ ]]`, `(( ))`, `$'…'`, `<(…)`, arrays, `function`).
///
/// It never traps: invalid scripts give a ``ShellParseError``. Nesting deeper than
/// ``maximumDepth`` is an error too, so hostile input cannot exhaust the stack.
public struct ShellParser {
    /// How deeply commands, substitutions and expansions may nest.
    public static let maximumDepth = 200

    /// Parses `text` as a shell script.
    public static func parse(_ text: LogicalText) -> Result<ShellScript, ShellParseError> {
        var sharedWords = SharedWords()
        return parse(text, run: nil, sharing: &sharedWords)
    }

    /// The part lists of short literal words, by text, and the word lists of short
    /// commands, by offset and text, that the scripts of one file share; see
    /// ``sharedIfCommon(_:)`` and ``sharedIfCommon(_:from:to:)``.
    struct SharedWords {
        fileprivate var parts: [String: [ShellWordPart]] = [:]
        fileprivate var commands: [CommandKey: [ShellWord]] = [:]

        /// Where a command starts in its script, and its bytes (at most 16), packed.
        fileprivate struct CommandKey: Hashable {
            let start: Int
            let length: Int
            /// Bytes 0–7 and 8–15, the first in the lowest byte.
            let low: UInt64
            let high: UInt64

            init(start: Int, bytes: ArraySlice<UInt8>) {
                self.start = start
                length = bytes.count
                var low: UInt64 = 0
                var high: UInt64 = 0
                for (index, byte) in bytes.enumerated() {
                    if index < 8 {
                        low |= UInt64(byte) << (8 * UInt64(index))
                    } else {
                        high |= UInt64(byte) << (8 * UInt64(index - 8))
                    }
                }
                self.low = low
                self.high = high
            }
        }
    }

    /// Parses `text`, the script of `run` when it is a RUN's, sharing the part lists of
    /// its common words with the other scripts parsed with `sharedWords`.
    static func parse(
        _ text: LogicalText, run: RunScript.Fields?, sharing sharedWords: inout SharedWords
    ) -> Result<ShellScript, ShellParseError> {
        var parser = ShellParser(bytes: text.bytes)
        // Moved, not copied: the parser holds the only reference while it adds words.
        swap(&parser.sharedWords, &sharedWords)
        defer { swap(&parser.sharedWords, &sharedWords) }
        do {
            let body = try parser.parseProgram()
            return .success(ShellScript(
                text: text, body: body, comments: parser.comments, commandCount: parser.commandCount, run: run))
        } catch {
            return .failure(error)
        }
    }

    /// Parses a plain string; offsets map one to one onto it.
    public static func parse(_ script: String) -> Result<ShellScript, ShellParseError> {
        let bytes = Array(script.utf8)
        return parse(LogicalText(bytes: bytes, segments: [.init(logicalStart: 0, sourceStart: 0, length: bytes.count)]))
    }

    private let bytes: [UInt8]
    private var position = 0
    private var end: Int
    private var depth = 0
    private var comments: [Range<Int>] = []
    /// How many simple commands with words were parsed: the script's command views.
    private var commandCount = 0
    private var sharedWords = SharedWords()
    private static let sharedLiteralLimit = 256
    /// The longest word ``sharedIfCommon(_:)`` shares: one that fits a small String.
    private static let sharedWordLength = 15
    /// From how many items a list is copied without spare room.
    private static let compactedListLength = 64
    /// Where the line holding pending heredoc redirections ends, and where the
    /// script resumes after their bodies.
    private var heredocLineEnd: Int?
    private var heredocResume: Int?

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        self.end = bytes.count
    }

    private static let closingWords: Set<String> = ["then", "else", "elif", "fi", "do", "done", "esac", "}"]
    private static let reservedWords: Set<String> = [
        "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "in", "{", "}",
        "!", "[[", "]]", "function", "select", "time",
    ]
    /// ``reservedWords`` with their bytes, for ``peekReservedWord()``: it runs before
    /// every command and list item, and matching bytes costs less than making the word a
    /// String and hashing it (most words there are command names, not reserved words).
    private static let reservedWordTable: [(bytes: [UInt8], word: String, isClosing: Bool)] =
        reservedWords.sorted().map { (Array($0.utf8), $0, closingWords.contains($0)) }
    /// The longest reserved word's length (`function`).
    private static let longestReservedWord = reservedWords.map(\.utf8.count).max() ?? 0

    // MARK: - Lists

    private mutating func parseProgram() throws(ShellParseError) -> ShellList {
        let list = try parseList()
        if position < end {
            throw ShellParseError("unexpected \(describe(at: position))", at: position)
        }
        return list
    }

    /// Reads and-or lists until the end, a `)`, a `;;`, or a closing reserved word,
    /// which is left for the caller.
    private mutating func parseList() throws(ShellParseError) -> ShellList {
        let start = position
        var items: [ShellListItem] = []
        while true {
            try skipSeparatorsAndNewlines()
            guard position < end else { break }
            let byte = bytes[position]
            if byte == UInt8(ascii: ")") || isCaseTerminator(at: position) { break }
            if peekClosingWord() != nil { break }
            let andOr = try parseAndOr()
            skipBlanks()
            var isBackground = false
            if position < end {
                let next = bytes[position]
                if next == UInt8(ascii: "&") && !starts(with: "&&") && !starts(with: "&>") {
                    isBackground = true
                    position += 1
                } else if next == UInt8(ascii: ";") && !isCaseTerminator(at: position) {
                    position += 1
                } else if next != UInt8(ascii: "\n") && next != UInt8(ascii: "#") && next != UInt8(ascii: ")")
                    && !isCaseTerminator(at: position) && peekClosingWord() == nil {
                    throw ShellParseError("unexpected \(describe(at: position))", at: position)
                }
            }
            items.append(ShellListItem(andOr: andOr, isBackground: isBackground))
        }
        let listEnd = items.last?.range.upperBound ?? start
        // A long list, of a script of thousands of commands, is kept without the spare
        // room its growth left; a short one is not worth the copy.
        let kept = items.count >= Self.compactedListLength ? items.compacted() : items
        return ShellList(items: kept, range: (items.first?.range.lowerBound ?? start)..<listEnd)
    }

    private mutating func parseAndOr() throws(ShellParseError) -> ShellAndOrList {
        var pipelines = [try parsePipeline()]
        var operators: [ShellAndOrOperator] = []
        while true {
            skipBlanks()
            if starts(with: "&&") {
                operators.append(.and)
            } else if starts(with: "||") {
                operators.append(.or)
            } else {
                break
            }
            position += 2
            try skipSeparatorsAndNewlines(allowingSemicolon: false)
            pipelines.append(try parsePipeline())
        }
        let range = pipelines[0].range.lowerBound..<pipelines[pipelines.count - 1].range.upperBound
        return ShellAndOrList(pipelines: pipelines, operators: operators, range: range)
    }

    private mutating func parsePipeline() throws(ShellParseError) -> ShellPipeline {
        skipBlanks()
        let start = position
        var isNegated = false
        var isTimed = false
        while let word = peekReservedWord(), word == "!" || word == "time" {
            position += word.utf8.count
            skipBlanks()
            if word == "!" { isNegated = true } else { isTimed = true }
            if word == "time" && starts(with: "-p") && isDelimiter(at: position + 2) {
                position += 2
                skipBlanks()
            }
        }
        var commands = ShellCommands(try parseCommand())
        while true {
            skipBlanks()
            guard position < end, bytes[position] == UInt8(ascii: "|"), !starts(with: "||") else { break }
            position += starts(with: "|&") ? 2 : 1
            try skipSeparatorsAndNewlines(allowingSemicolon: false)
            commands.append(try parseCommand())
        }
        return ShellPipeline(
            commands: commands, isNegated: isNegated, isTimed: isTimed,
            range: start..<commands[commands.count - 1].range.upperBound)
    }

    // MARK: - Commands

    private mutating func parseCommand() throws(ShellParseError) -> ShellCommand {
        skipBlanks()
        let start = position
        guard position < end else { throw ShellParseError("expected a command", at: position) }
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw ShellParseError("nesting is too deep", at: position) }

        let kind: ShellCommandKind
        if starts(with: "((") {
            kind = .arithmeticCommand(try readArithmetic(openingLength: 2))
        } else if bytes[position] == UInt8(ascii: "(") {
            position += 1
            // Like shfmt, an empty `( )` or `{ }` is accepted (bash would refuse it).
            let list = try parseList()
            try expect(")")
            kind = .subshell(list)
        } else if let word = peekReservedWord() {
            switch word {
            case "{":
                position += 1
                let list = try parseList()
                try expectReserved("}")
                kind = .braceGroup(list)
            case "if": kind = try parseIf()
            case "for", "select": kind = try parseFor()
            case "while", "until": kind = try parseWhile(isUntil: word == "until")
            case "case": kind = try parseCase()
            case "function": kind = try parseFunctionKeyword()
            case "[[": kind = try parseTestClause()
            case "in", "]]":
                return try parseSimpleCommand(start: start)
            default:
                throw ShellParseError("unexpected `\(word)`", at: position)
            }
        } else {
            return try parseSimpleCommand(start: start)
        }
        var redirects: [ShellRedirect] = []
        while true {
            skipBlanks()
            guard let redirect = try parseRedirectIfPresent() else { break }
            redirects.append(redirect)
        }
        return ShellCommand(kind: kind, redirects: redirects, range: start..<(redirects.last?.range.upperBound ?? position))
    }

    private mutating func parseSimpleCommand(start: Int) throws(ShellParseError) -> ShellCommand {
        var assignments: [ShellAssignment] = []
        var words: [ShellWord] = []
        var redirects: [ShellRedirect] = []
        var lastEnd = start
        while true {
            skipBlanks()
            guard position < end else { break }
            let byte = bytes[position]
            if byte == UInt8(ascii: "(") {
                guard words.count == 1, assignments.isEmpty, redirects.isEmpty, let name = words[0].literalValue else {
                    throw ShellParseError("unexpected (", at: position)
                }
                return try parseFunctionBody(name: name, start: start)
            }
            if isProcessSubstitutionStart(at: position) {
                let word = try parseWord()
                words.append(word)
                lastEnd = word.range.upperBound
                continue
            }
            if let redirect = try parseRedirectIfPresent() {
                redirects.append(redirect)
                lastEnd = redirect.range.upperBound
                continue
            }
            if isMetacharacter(byte) || byte == UInt8(ascii: "#") { break }
            if words.isEmpty, let assignment = try parseAssignmentIfPresent() {
                assignments.append(assignment)
                lastEnd = assignment.range.upperBound
                continue
            }
            let word = try parseWord()
            guard !word.range.isEmpty else { throw ShellParseError("unexpected \(describe(at: position))", at: position) }
            words.append(word)
            lastEnd = word.range.upperBound
        }
        guard !(assignments.isEmpty && words.isEmpty && redirects.isEmpty) else {
            throw ShellParseError("expected a command, found \(describe(at: position))", at: position)
        }
        if assignments.isEmpty && redirects.isEmpty { words = sharedIfCommon(words, from: start, to: lastEnd) }
        let command = SimpleCommand(assignments: assignments, words: words, redirects: redirects, range: start..<lastEnd)
        if !words.isEmpty { commandCount += 1 }
        return ShellCommand(kind: .simple(command), redirects: [], range: start..<lastEnd)
    }

    private mutating func parseFunctionBody(name: String, start: Int) throws(ShellParseError) -> ShellCommand {
        position += 1
        skipBlanks()
        try expect(")")
        try skipSeparatorsAndNewlines(allowingSemicolon: false)
        let body = try parseCommand()
        return ShellCommand(kind: .functionDefinition(name: name, body: body), redirects: [], range: start..<body.range.upperBound)
    }

    private mutating func parseFunctionKeyword() throws(ShellParseError) -> ShellCommandKind {
        position += "function".utf8.count
        skipBlanks()
        let nameWord = try parseWord()
        guard let name = nameWord.literalValue, !name.isEmpty else {
            throw ShellParseError("expected a function name", at: nameWord.range.lowerBound)
        }
        skipBlanks()
        if position < end && bytes[position] == UInt8(ascii: "(") {
            position += 1
            skipBlanks()
            try expect(")")
        }
        try skipSeparatorsAndNewlines(allowingSemicolon: false)
        return .functionDefinition(name: name, body: try parseCommand())
    }

    private mutating func parseIf() throws(ShellParseError) -> ShellCommandKind {
        position += 2
        var branches: [ShellConditionalBranch] = []
        var elseBody: ShellList?
        while true {
            let condition = try parseCondition()
            try expectReserved("then")
            let body = try parseNonEmptyList(context: "then")
            branches.append(ShellConditionalBranch(condition: condition, body: body))
            if peekReservedWord() == "elif" {
                position += 4
                continue
            }
            if peekReservedWord() == "else" {
                position += 4
                elseBody = try parseNonEmptyList(context: "else")
            }
            try expectReserved("fi")
            return .ifClause(branches: branches, elseBody: elseBody)
        }
    }

    private mutating func parseWhile(isUntil: Bool) throws(ShellParseError) -> ShellCommandKind {
        position += 5  // "while" and "until" have the same length
        let condition = try parseCondition()
        try expectReserved("do")
        let body = try parseNonEmptyList(context: "do")
        try expectReserved("done")
        return .whileLoop(condition: condition, body: body, isUntil: isUntil)
    }

    private mutating func parseFor() throws(ShellParseError) -> ShellCommandKind {
        position += peekReservedWord() == "select" ? 6 : 3
        skipBlanks()
        if starts(with: "((") {
            let header = try readArithmetic(openingLength: 2)
            try skipSeparatorsAndNewlines(allowingSemicolon: true)
            try expectReserved("do")
            let body = try parseNonEmptyList(context: "do")
            try expectReserved("done")
            return .arithmeticForLoop(header: header, body: body)
        }
        let nameWord = try parseWord()
        guard let name = nameWord.literalValue, isName(name) else {
            throw ShellParseError("expected a variable name after `for`", at: nameWord.range.lowerBound)
        }
        try skipSeparatorsAndNewlines(allowingSemicolon: false)
        var words: [ShellWord]?
        if peekReservedWord() == "in" {
            position += 2
            var list: [ShellWord] = []
            while true {
                skipBlanks()
                guard position < end else { break }
                let byte = bytes[position]
                if byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "#") { break }
                let word = try parseWord()
                guard !word.range.isEmpty else { throw ShellParseError("unexpected \(describe(at: position))", at: position) }
                list.append(word)
            }
            words = list
        }
        try skipSeparatorsAndNewlines(allowingSemicolon: true)
        try expectReserved("do")
        let body = try parseNonEmptyList(context: "do")
        try expectReserved("done")
        return .forLoop(variable: name, words: words, body: body)
    }

    private mutating func parseCase() throws(ShellParseError) -> ShellCommandKind {
        position += 4
        skipBlanks()
        let subject = try parseWord()
        guard !subject.range.isEmpty else { throw ShellParseError("expected a word after `case`", at: position) }
        try skipSeparatorsAndNewlines(allowingSemicolon: false)
        try expectReserved("in")
        var arms: [ShellCaseArm] = []
        while true {
            try skipSeparatorsAndNewlines(allowingSemicolon: false)
            if peekReservedWord() == "esac" {
                position += 4
                break
            }
            guard position < end else { throw ShellParseError("expected `esac`", at: position) }
            if bytes[position] == UInt8(ascii: "(") { position += 1 }
            var patterns: [ShellWord] = []
            while true {
                skipBlanks()
                let pattern = try parseWord()
                guard !pattern.range.isEmpty else {
                    throw ShellParseError("expected a case pattern, found \(describe(at: position))", at: position)
                }
                patterns.append(pattern)
                skipBlanks()
                if position < end && bytes[position] == UInt8(ascii: "|") {
                    position += 1
                    continue
                }
                try expect(")")
                break
            }
            let body = try parseList()
            arms.append(ShellCaseArm(patterns: patterns, body: body))
            skipBlanks()
            if starts(with: ";;&") {
                position += 3
            } else if starts(with: ";;") || starts(with: ";&") {
                position += 2
            } else if peekReservedWord() != "esac" {
                throw ShellParseError("expected `;;` or `esac`", at: position)
            }
        }
        return .caseClause(subject: subject, arms: arms)
    }

    private mutating func parseTestClause() throws(ShellParseError) -> ShellCommandKind {
        position += 2
        var words: [ShellWord] = []
        while true {
            skipBlanks()
            guard position < end, bytes[position] != UInt8(ascii: "\n") else {
                throw ShellParseError("expected `]]`", at: position)
            }
            if peekReservedWord() == "]]" {
                position += 2
                return .testClause(words)
            }
            if starts(with: "&&") || starts(with: "||") {
                position += 2
                continue
            }
            let byte = bytes[position]
            if isMetacharacter(byte) && !isProcessSubstitutionStart(at: position) {
                position += 1
                continue
            }
            let word = try parseWord()
            if word.range.isEmpty {
                position += 1
            } else {
                words.append(word)
            }
        }
    }

    /// The condition of `if`, `while` or `until`; shfmt accepts an empty one (`if; then`).
    private mutating func parseCondition() throws(ShellParseError) -> ShellList {
        skipBlanks()
        if position < end && bytes[position] == UInt8(ascii: ";") && !isCaseTerminator(at: position) {
            position += 1
            return ShellList(items: [], range: position..<position)
        }
        return try parseList()
    }

    private mutating func parseNonEmptyList(context: String) throws(ShellParseError) -> ShellList {
        let start = position
        let list = try parseList()
        guard !list.items.isEmpty else { throw ShellParseError("`\(context)` must be followed by a command", at: start) }
        return list
    }

    // MARK: - Redirections and assignments

    private mutating func parseRedirectIfPresent() throws(ShellParseError) -> ShellRedirect? {
        let start = position
        var cursor = position
        while cursor < end && GoTextDigits.isDigit(bytes[cursor]) { cursor += 1 }
        let hasDescriptor = cursor > position
        guard cursor < end, bytes[cursor] == UInt8(ascii: "<") || bytes[cursor] == UInt8(ascii: ">")
            || (!hasDescriptor && bytes[cursor] == UInt8(ascii: "&") && cursor + 1 < end && bytes[cursor + 1] == UInt8(ascii: ">"))
        else { return nil }
        if isProcessSubstitutionStart(at: cursor) { return nil }
        let descriptor = hasDescriptor ? Int(String(decoding: bytes[position..<cursor], as: UTF8.self)) : nil
        var operatorText = ""
        for candidate in ShellRedirect.operators where starts(with: candidate, at: cursor) {
            operatorText = candidate
            break
        }
        position = cursor + operatorText.utf8.count
        skipBlanks()
        let target = try parseWord()
        guard !target.range.isEmpty else {
            throw ShellParseError("expected a word after \(operatorText)", at: position)
        }
        var body: Range<Int>?
        if operatorText == "<<" || operatorText == "<<-" {
            body = try readHeredocBody(delimiter: target, stripsTabs: operatorText == "<<-")
        }
        return ShellRedirect(
            operatorText: operatorText, fileDescriptor: descriptor, target: target, heredocBody: body,
            range: start..<target.range.upperBound)
    }

    /// Finds the body of a heredoc: it starts after the current line (or after the
    /// previous heredoc of the same line) and ends at the delimiter line.
    private mutating func readHeredocBody(delimiter: ShellWord, stripsTabs: Bool) throws(ShellParseError) -> Range<Int> {
        let name = Array((delimiter.literalValue ?? text(delimiter.range)).utf8)
        var bodyStart: Int
        if let resume = heredocResume {
            bodyStart = resume
        } else {
            var newline = position
            while newline < end && bytes[newline] != UInt8(ascii: "\n") { newline += 1 }
            guard newline < end else { throw ShellParseError("unclosed here-document", at: delimiter.range.lowerBound) }
            heredocLineEnd = newline
            bodyStart = newline + 1
        }
        var lineStart = bodyStart
        while lineStart <= end {
            var lineEnd = lineStart
            while lineEnd < end && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            var contentStart = lineStart
            if stripsTabs {
                while contentStart < lineEnd && bytes[contentStart] == 0x09 { contentStart += 1 }
            }
            if bytes[contentStart..<lineEnd].elementsEqual(name) {
                heredocResume = lineEnd < end ? lineEnd + 1 : end
                return bodyStart..<lineStart
            }
            guard lineEnd < end else { break }
            lineStart = lineEnd + 1
        }
        throw ShellParseError("unclosed here-document", at: delimiter.range.lowerBound)
    }

    private mutating func parseAssignmentIfPresent() throws(ShellParseError) -> ShellAssignment? {
        let start = position
        var cursor = position
        guard cursor < end, isNameStart(bytes[cursor]) else { return nil }
        while cursor < end && isNameCharacter(bytes[cursor]) { cursor += 1 }
        let nameEnd = cursor
        if cursor < end && bytes[cursor] == UInt8(ascii: "[") {
            while cursor < end && bytes[cursor] != UInt8(ascii: "]") { cursor += 1 }
            guard cursor < end else { return nil }
            cursor += 1
        }
        var isAppend = false
        if cursor + 1 < end && bytes[cursor] == UInt8(ascii: "+") && bytes[cursor + 1] == UInt8(ascii: "=") {
            isAppend = true
            cursor += 2
        } else if cursor < end && bytes[cursor] == UInt8(ascii: "=") {
            cursor += 1
        } else {
            return nil
        }
        // Made only now: the first word of most commands is a program's name, not an assignment.
        let name = String(decoding: bytes[start..<nameEnd], as: UTF8.self)
        position = cursor
        if position < end && bytes[position] == UInt8(ascii: "(") {
            position += 1
            var elements: [ShellWord] = []
            while true {
                try skipSeparatorsAndNewlines(allowingSemicolon: false)
                guard position < end else { throw ShellParseError("unterminated array", at: start) }
                if bytes[position] == UInt8(ascii: ")") {
                    position += 1
                    break
                }
                let word = try parseWord()
                guard !word.range.isEmpty else { throw ShellParseError("unexpected \(describe(at: position))", at: position) }
                elements.append(word)
            }
            return ShellAssignment(name: name, value: nil, arrayElements: elements, isAppend: isAppend, range: start..<position)
        }
        var value: ShellWord?
        if position < end && !isMetacharacter(bytes[position]) {
            let word = try parseWord()
            if !word.range.isEmpty { value = word }
        }
        return ShellAssignment(name: name, value: value, arrayElements: nil, isAppend: isAppend, range: start..<position)
    }

    // MARK: - Words

    /// How a word ends.
    private enum WordContext {
        /// An ordinary word: ends at a blank or a metacharacter.
        case command
        /// The operand of `${name<op>…}`: ends only at an unquoted `}`.
        case braceOperand
    }

    private mutating func parseWord(_ context: WordContext = .command) throws(ShellParseError) -> ShellWord {
        let start = position
        if context == .command, let plainEnd = plainWordEnd() {
            position = plainEnd
            return plainWord(start..<plainEnd)
        }
        var builder = WordPartsBuilder()
        while position < end {
            let byte = bytes[position]
            switch context {
            case .command:
                if isProcessSubstitutionStart(at: position) && position == start {
                    let opening = position
                    position += 2
                    builder.append(.processSubstitution(try parseNestedList(closing: ")", openedAt: opening)))
                    continue
                }
                if isMetacharacter(byte) { return finish() }
            case .braceOperand:
                if byte == UInt8(ascii: "}") { return finish() }
            }
            switch byte {
            case UInt8(ascii: "\\"):
                if position + 1 < end && bytes[position + 1] == UInt8(ascii: "\n") {
                    position += 2
                } else if position + 1 < end {
                    builder.literal.append(bytes[position + 1])
                    position += 2
                } else {
                    builder.literal.append(byte)
                    position += 1
                }
            case UInt8(ascii: "'"):
                builder.append(.singleQuoted(try readSingleQuoted()))
            case UInt8(ascii: "\""):
                builder.append(.doubleQuoted(try parseDoubleQuoted()))
            case UInt8(ascii: "$"):
                builder.append(try parseDollar())
            case UInt8(ascii: "`"):
                builder.append(.backquoted(try parseBackquoted()))
            default:
                if context == .command && isExtendedGlobStart(at: position) {
                    // Bash's extended glob `@(a|b)`, kept as written, as shfmt does.
                    builder.literal.append(contentsOf: try readExtendedGlob())
                    continue
                }
                // The run of plain bytes up to the next one that needs a look, in one append.
                let runStart = position
                position += 1
                while position < end, isPlainWordByte(bytes[position], context) && !isExtendedGlobStart(at: position) {
                    position += 1
                }
                builder.literal.append(contentsOf: bytes[runStart..<position])
            }
        }
        return finish()

        func finish() -> ShellWord {
            word(of: builder.finish(), range: start..<position)
        }
    }

    /// Whether a byte inside a word is its own text, whatever follows (bar an extended
    /// glob's start): not a quote, escape or expansion, and not what ends the word.
    private func isPlainWordByte(_ byte: UInt8, _ context: WordContext) -> Bool {
        switch byte {
        case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "$"), UInt8(ascii: "`"):
            return false
        default:
            switch context {
            case .command: return !isMetacharacter(byte)
            case .braceOperand: return byte != UInt8(ascii: "}")
            }
        }
    }

    /// Where the ordinary word at the current position ends when it is plain ASCII text:
    /// no quote, escape, expansion or extended glob, so its one literal part is its bytes
    /// as written. Nil for an empty word or any other, which ``parseWord(_:)`` reads part
    /// by part.
    private func plainWordEnd() -> Int? {
        var cursor = position
        while cursor < end {
            let byte = bytes[cursor]
            if isMetacharacter(byte) { break }
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "$"), UInt8(ascii: "`"):
                return nil
            case 0x80...:
                return nil
            default:
                if isExtendedGlobStart(at: cursor) { return nil }
                cursor += 1
            }
        }
        return cursor > position ? cursor : nil
    }

    /// The word of a plain word's bytes (``plainWordEnd()``), stored as ``word(of:range:)``
    /// stores its one literal part, without building the part for a long word, which
    /// keeps only its bytes.
    private mutating func plainWord(_ range: Range<Int>) -> ShellWord {
        guard range.count <= Self.sharedWordLength else { return ShellWord(literalIn: bytes, range: range) }
        return word(of: [.literal(String(decoding: bytes[range], as: UTF8.self))], range: range)
    }

    /// The word of `parts`, stored as compactly as it reads back: common short words
    /// share their parts, and words of plain text and plain parameters keep none
    /// (see ``ShellWord``), once reading their bytes again gives the same parts.
    private mutating func word(of parts: [ShellWordPart], range: Range<Int>) -> ShellWord {
        let shared = sharedIfCommon(parts)
        if shared.isShared { return ShellWord(parts: shared.parts, range: range) }
        var hasParameter = false
        for part in parts {
            switch part {
            case .literal:
                continue
            case .parameter(let expansion) where expansion.operatorText.isEmpty:
                hasParameter = true
            default:
                return ShellWord(parts: parts, range: range)
            }
        }
        if !hasParameter {
            // One literal part spelled by the bytes themselves: nothing escaped or joined.
            if parts.count == 1, case .literal(let text) = parts[0], text.utf8.elementsEqual(bytes[range]) {
                return ShellWord(literalIn: bytes, range: range)
            }
            return ShellWord(parts: parts, range: range)
        }
        guard SpelledWord.parts(of: range, in: bytes) == parts else { return ShellWord(parts: parts, range: range) }
        return ShellWord(spelledIn: bytes, range: range)
    }

    /// The list of an earlier word spelled the same, for a short word of one literal
    /// part: command names and flags repeat all through a script and across a file's
    /// scripts, and each copy would otherwise keep a list of its own. The table is
    /// bounded, so a file of unique words does not grow it.
    private mutating func sharedIfCommon(_ parts: [ShellWordPart]) -> (parts: [ShellWordPart], isShared: Bool) {
        guard parts.count == 1, case .literal(let text) = parts[0], text.utf8.count <= Self.sharedWordLength else {
            return (parts, false)
        }
        guard sharedWords.parts.count < Self.sharedLiteralLimit else {
            if let shared = sharedWords.parts[text] { return (shared, true) }
            return (parts, false)
        }
        // Room for the whole table at once: growing it step by step hashed every word again
        // at each step, and the scripts of one file fill most of it.
        if sharedWords.parts.isEmpty { sharedWords.parts.reserveCapacity(Self.sharedLiteralLimit) }
        // Found or added with one hash of the word.
        return (Self.value(of: &sharedWords.parts[text, default: parts]), true)
    }

    /// `words`, the words of the command at `start..<end`, or the list of an earlier
    /// command of the file's scripts with the same text at the same offset: a file runs
    /// the same short commands (`apt-get update`) in RUN after RUN, and each kept a list
    /// of its words (issue 13). Only words their bytes tell (``ShellWord/isToldByItsBytes``)
    /// qualify, so equal keys mean equal lists; at most ``sharedLiteralLimit`` commands are kept,
    /// each of at most 16 bytes, packed into the key without an allocation.
    private mutating func sharedIfCommon(_ words: [ShellWord], from start: Int, to end: Int) -> [ShellWord] {
        guard !words.isEmpty, end - start <= 16, words.allSatisfy(\.isToldByItsBytes) else { return words }
        let key = SharedWords.CommandKey(start: start, bytes: bytes[start..<end])
        if let shared = sharedWords.commands[key] {
            if shared.count == words.count && zip(shared, words).allSatisfy({ $0.range == $1.range }) { return shared }
            return words
        }
        if sharedWords.commands.count < Self.sharedLiteralLimit { sharedWords.commands[key] = words }
        return words
    }

    /// The value behind a dictionary entry reached in place.
    private static func value(of entry: inout [ShellWordPart]) -> [ShellWordPart] { entry }

    private func isExtendedGlobStart(at offset: Int) -> Bool {
        guard offset + 1 < end, bytes[offset + 1] == UInt8(ascii: "(") else { return false }
        return "?*+@!".utf8.contains(bytes[offset])
    }

    /// Reads `@(…)`-style extended glob text up to its matching parenthesis.
    private mutating func readExtendedGlob() throws(ShellParseError) -> [UInt8] {
        let start = position
        position += 2
        var parenthesisDepth = 1
        while position < end {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "\\") && position < end {
                position += 1
            } else if byte == UInt8(ascii: "(") {
                parenthesisDepth += 1
            } else if byte == UInt8(ascii: ")") {
                parenthesisDepth -= 1
                if parenthesisDepth == 0 { return Array(bytes[start..<position]) }
            }
        }
        throw ShellParseError("unterminated extended glob", at: start)
    }

    private mutating func readSingleQuoted() throws(ShellParseError) -> String {
        let start = position
        position += 1
        while position < end && bytes[position] != UInt8(ascii: "'") { position += 1 }
        guard position < end else { throw ShellParseError("unterminated single quote", at: start) }
        position += 1
        return String(decoding: bytes[(start + 1)..<(position - 1)], as: UTF8.self)
    }

    private mutating func parseDoubleQuoted() throws(ShellParseError) -> [ShellWordPart] {
        let start = position
        position += 1
        if let plain = plainDoubleQuotedEnd() {
            // Text without escapes or expansions: its one literal part is its bytes.
            let content = position..<plain
            position = plain + 1
            return content.isEmpty ? [] : [.literal(String(decoding: bytes[content], as: UTF8.self))]
        }
        var builder = WordPartsBuilder()
        while position < end {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return builder.finish()
            case UInt8(ascii: "\\"):
                // Inside double quotes a backslash escapes only $ ` " \ and newline.
                if position + 1 < end {
                    let next = bytes[position + 1]
                    if next == UInt8(ascii: "\n") {
                        position += 2
                        continue
                    }
                    if next == UInt8(ascii: "$") || next == UInt8(ascii: "`") || next == UInt8(ascii: "\"")
                        || next == UInt8(ascii: "\\") {
                        builder.literal.append(next)
                        position += 2
                        continue
                    }
                }
                builder.literal.append(byte)
                position += 1
            case UInt8(ascii: "$"):
                builder.append(try parseDollar())
            case UInt8(ascii: "`"):
                builder.append(.backquoted(try parseBackquoted()))
            default:
                builder.literal.append(byte)
                position += 1
            }
        }
        throw ShellParseError("unterminated double quote", at: start)
    }

    /// Where the double-quoted text at the current position (after its opening quote)
    /// closes when it holds no backslash, `$` or backquote; nil for any other, read part
    /// by part.
    private func plainDoubleQuotedEnd() -> Int? {
        var cursor = position
        while cursor < end {
            switch bytes[cursor] {
            case UInt8(ascii: "\""): return cursor
            case UInt8(ascii: "\\"), UInt8(ascii: "$"), UInt8(ascii: "`"): return nil
            default: cursor += 1
            }
        }
        return nil
    }

    private mutating func parseDollar() throws(ShellParseError) -> ShellWordPart {
        let start = position
        guard position + 1 < end else {
            position += 1
            return .literal("$")
        }
        let next = bytes[position + 1]
        switch next {
        case UInt8(ascii: "'"):
            position += 1
            return .ansiCQuoted(try readANSICQuoted())
        case UInt8(ascii: "\""):
            position += 1
            return .doubleQuoted(try parseDoubleQuoted())
        case UInt8(ascii: "("):
            if position + 2 < end && bytes[position + 2] == UInt8(ascii: "(") {
                position += 1
                return .arithmetic(try readArithmetic(openingLength: 2))
            }
            position += 2
            return .commandSubstitution(try parseNestedList(closing: ")", openedAt: start))
        case UInt8(ascii: "{"):
            return .parameter(try parseBracedParameter())
        default:
            position += 1
            let nameStart = position
            if isNameStart(next) {
                while position < end && isNameCharacter(bytes[position]) { position += 1 }
            } else if GoTextDigits.isDigit(next) || "@*#?-$!".utf8.contains(next) {
                position += 1
            } else {
                return .literal("$")
            }
            let name = String(decoding: bytes[nameStart..<position], as: UTF8.self)
            return .parameter(ShellParameterExpansion(name: name, operatorText: "", operand: nil, range: start..<position))
        }
    }

    private mutating func parseBracedParameter() throws(ShellParseError) -> ShellParameterExpansion {
        let start = position
        position += 2
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw ShellParseError("nesting is too deep", at: start) }
        // `${#name}` (length) and `${!name}` (indirection) prefix the name.
        if position + 1 < end, bytes[position] == UInt8(ascii: "#") || bytes[position] == UInt8(ascii: "!"),
           bytes[position + 1] != UInt8(ascii: "}") {
            position += 1
        }
        let nameStart = position
        if position < end && isNameStart(bytes[position]) {
            while position < end && isNameCharacter(bytes[position]) { position += 1 }
        } else if position < end && GoTextDigits.isDigit(bytes[position]) {
            while position < end && GoTextDigits.isDigit(bytes[position]) { position += 1 }
        } else if position < end && "@*#?-$!".utf8.contains(bytes[position]) {
            position += 1
        }
        let name = String(decoding: bytes[nameStart..<position], as: UTF8.self)
        guard !name.isEmpty else { throw ShellParseError("bad substitution", at: start) }
        if position < end && bytes[position] == UInt8(ascii: "[") {
            var bracketDepth = 0
            while position < end {
                if bytes[position] == UInt8(ascii: "[") { bracketDepth += 1 }
                if bytes[position] == UInt8(ascii: "]") {
                    bracketDepth -= 1
                    if bracketDepth == 0 { break }
                }
                position += 1
            }
            guard position < end else { throw ShellParseError("unterminated ${", at: start) }
            position += 1
        }
        guard position < end else { throw ShellParseError("unterminated ${", at: start) }
        if bytes[position] == UInt8(ascii: "}") {
            position += 1
            return ShellParameterExpansion(name: name, operatorText: "", operand: nil, range: start..<position)
        }
        let operators = [":-", ":=", ":?", ":+", "##", "%%", "//", "/#", "/%", "^^", ",,", "-", "=", "?", "+", "#", "%",
                         "/", "^", ",", "@", ":"]
        var operatorText = ""
        for candidate in operators where starts(with: candidate) {
            operatorText = candidate
            break
        }
        guard !operatorText.isEmpty else { throw ShellParseError("bad substitution", at: position) }
        position += operatorText.utf8.count
        let operand = try parseWord(.braceOperand)
        guard position < end else { throw ShellParseError("unterminated ${", at: start) }
        position += 1
        return ShellParameterExpansion(name: name, operatorText: operatorText, operand: operand, range: start..<position)
    }

    /// Reads `$'…'`, resolving bash's C-style escapes.
    private mutating func readANSICQuoted() throws(ShellParseError) -> String {
        let start = position
        position += 1
        var output: [UInt8] = []
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "'") {
                position += 1
                return String(decoding: output, as: UTF8.self)
            }
            guard byte == UInt8(ascii: "\\"), position + 1 < end else {
                output.append(byte)
                position += 1
                continue
            }
            let escaped = bytes[position + 1]
            position += 2
            switch escaped {
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "a"): output.append(0x07)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "v"): output.append(0x0B)
            case UInt8(ascii: "e"), UInt8(ascii: "E"): output.append(0x1B)
            case UInt8(ascii: "x"):
                var value: UInt32 = 0
                var count = 0
                while count < 2, position < end, let digit = hexValue(bytes[position]) {
                    value = value * 16 + digit
                    position += 1
                    count += 1
                }
                output.append(UInt8(truncatingIfNeeded: value))
            default:
                output.append(escaped)
            }
        }
        throw ShellParseError("unterminated $'", at: start)
    }

    /// Reads `((…))` or `$((…))` from its opening parentheses. Command substitutions
    /// inside the expression (`$(($(nproc) - 1))`) are parsed, as bash runs them.
    private mutating func readArithmetic(openingLength: Int) throws(ShellParseError) -> ShellArithmetic {
        let start = position
        position += openingLength
        let expressionStart = position
        var parenthesisDepth = openingLength
        var substitutions: [ShellList] = []
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "$") && starts(with: "$(") && !starts(with: "$((") {
                let opening = position
                position += 2
                substitutions.append(try parseNestedList(closing: ")", openedAt: opening))
                continue
            }
            if byte == UInt8(ascii: "`") {
                substitutions.append(try parseBackquoted())
                continue
            }
            if byte == UInt8(ascii: "(") {
                parenthesisDepth += 1
            } else if byte == UInt8(ascii: ")") {
                parenthesisDepth -= 1
                if parenthesisDepth == 0 {
                    position += 1
                    let expressionEnd = Swift.max(expressionStart, position - 2)
                    return ShellArithmetic(
                        expression: String(decoding: bytes[expressionStart..<expressionEnd], as: UTF8.self),
                        substitutions: substitutions)
                }
            }
            position += 1
        }
        throw ShellParseError("unterminated arithmetic expression", at: start)
    }

    /// Parses the list inside `$(…)` or `<(…)`, whose opening is already consumed.
    private mutating func parseNestedList(closing: String, openedAt start: Int) throws(ShellParseError) -> ShellList {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw ShellParseError("nesting is too deep", at: start) }
        let list = try parseList()
        try skipSeparatorsAndNewlines()
        guard position < end, starts(with: closing) else {
            throw ShellParseError("unterminated command substitution", at: start)
        }
        position += closing.utf8.count
        return list
    }

    /// Parses `` `…` `` in place, bounded by the closing backquote.
    private mutating func parseBackquoted() throws(ShellParseError) -> ShellList {
        let start = position
        var closing = position + 1
        while closing < end && bytes[closing] != UInt8(ascii: "`") {
            closing += bytes[closing] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard closing < end else { throw ShellParseError("unterminated backquote", at: start) }
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw ShellParseError("nesting is too deep", at: start) }
        let savedEnd = end
        end = closing
        position += 1
        let list = try parseList()
        guard position == closing else { throw ShellParseError("unexpected \(describe(at: position))", at: position) }
        end = savedEnd
        position = closing + 1
        return list
    }

    // MARK: - Lexical helpers

    private func isMetacharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "<"),
             UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"):
            return true
        default:
            return false
        }
    }

    private func isDelimiter(at offset: Int) -> Bool {
        offset >= end || isMetacharacter(bytes[offset])
    }

    private func isProcessSubstitutionStart(at offset: Int) -> Bool {
        offset + 1 < end && (bytes[offset] == UInt8(ascii: "<") || bytes[offset] == UInt8(ascii: ">"))
            && bytes[offset + 1] == UInt8(ascii: "(")
    }

    private func isCaseTerminator(at offset: Int) -> Bool {
        offset + 1 < end && bytes[offset] == UInt8(ascii: ";")
            && (bytes[offset + 1] == UInt8(ascii: ";") || bytes[offset + 1] == UInt8(ascii: "&"))
    }

    private func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    private func isNameCharacter(_ byte: UInt8) -> Bool {
        isNameStart(byte) || GoTextDigits.isDigit(byte)
    }

    private func isName(_ text: String) -> Bool {
        guard let first = text.utf8.first, isNameStart(first) else { return false }
        return text.utf8.allSatisfy(isNameCharacter)
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private func starts(with text: String, at offset: Int? = nil) -> Bool {
        var cursor = offset ?? position
        for byte in text.utf8 {
            guard cursor < end, bytes[cursor] == byte else { return false }
            cursor += 1
        }
        return true
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    private func describe(at offset: Int) -> String {
        guard offset < end else { return "end of script" }
        if let word = peekWord(at: offset), Self.reservedWords.contains(word) { return "`\(word)`" }
        if isCaseTerminator(at: offset) { return "`;;`" }
        return "`\(String(decoding: [bytes[offset]], as: UTF8.self))`"
    }

    /// Skips spaces, tabs and backslash-newline continuations.
    private mutating func skipBlanks() {
        while position < end {
            let byte = bytes[position]
            if byte == 0x20 || byte == 0x09 {
                position += 1
            } else if byte == UInt8(ascii: "\\") && position + 1 < end && bytes[position + 1] == UInt8(ascii: "\n") {
                position += 2
            } else {
                break
            }
        }
    }

    /// Skips blanks, comments, newlines (and the heredoc bodies after them) and,
    /// unless told otherwise, lone `;` separators.
    private mutating func skipSeparatorsAndNewlines(allowingSemicolon: Bool = false) throws(ShellParseError) {
        while true {
            skipBlanks()
            guard position < end else { return }
            let byte = bytes[position]
            if byte == UInt8(ascii: "#") {
                let start = position
                while position < end && bytes[position] != UInt8(ascii: "\n") { position += 1 }
                comments.append(start..<position)
            } else if byte == UInt8(ascii: "\n") {
                position += 1
                if let resume = heredocResume, let lineEnd = heredocLineEnd, position - 1 >= lineEnd {
                    position = Swift.max(position, resume)
                    heredocResume = nil
                    heredocLineEnd = nil
                }
            } else if allowingSemicolon && byte == UInt8(ascii: ";") && !isCaseTerminator(at: position) {
                position += 1
            } else {
                return
            }
        }
    }

    private func peekWord(at offset: Int) -> String? {
        var cursor = offset
        while cursor < end {
            let byte = bytes[cursor]
            if !isPlainWordByte(byte, .command) { break }
            cursor += 1
        }
        guard cursor > offset else { return nil }
        if cursor < end && !isMetacharacter(bytes[cursor]) { return nil }
        return String(decoding: bytes[offset..<cursor], as: UTF8.self)
    }

    /// The reserved word at the current position, when it stands alone.
    private func peekReservedWord() -> String? {
        reservedWordEntry()?.word
    }

    private func peekClosingWord() -> String? {
        guard let entry = reservedWordEntry(), entry.isClosing else { return nil }
        return entry.word
    }

    /// The entry of ``reservedWordTable`` spelled by the word at the current position
    /// (the word ``peekWord(at:)`` reads), compared as bytes.
    private func reservedWordEntry() -> (bytes: [UInt8], word: String, isClosing: Bool)? {
        var cursor = position
        while cursor < end {
            let byte = bytes[cursor]
            if !isPlainWordByte(byte, .command) { break }
            cursor += 1
            if cursor - position > Self.longestReservedWord { return nil }
        }
        guard cursor > position else { return nil }
        if cursor < end && !isMetacharacter(bytes[cursor]) { return nil }
        let length = cursor - position
        for entry in Self.reservedWordTable where entry.bytes.count == length {
            if entry.bytes.elementsEqual(bytes[position..<cursor]) { return entry }
        }
        return nil
    }

    private mutating func expect(_ text: String) throws(ShellParseError) {
        skipBlanks()
        guard starts(with: text) else {
            throw ShellParseError("expected `\(text)`, found \(describe(at: position))", at: position)
        }
        position += text.utf8.count
    }

    private mutating func expectReserved(_ word: String) throws(ShellParseError) {
        try skipSeparatorsAndNewlines()
        guard peekReservedWord() == word else {
            throw ShellParseError("expected `\(word)`, found \(describe(at: position))", at: position)
        }
        position += word.utf8.count
    }
}

/// Collects a word's parts, merging adjacent literal text into one part.
private struct WordPartsBuilder {
    var parts: [ShellWordPart] = []
    var literal: [UInt8] = []

    mutating func append(_ part: ShellWordPart) {
        if case .literal(let text) = part {
            literal.append(contentsOf: text.utf8)
            return
        }
        flush()
        parts.append(part)
    }

    mutating func finish() -> [ShellWordPart] {
        flush()
        return parts
    }

    private mutating func flush() {
        guard !literal.isEmpty else { return }
        parts.append(.literal(String(decoding: literal, as: UTF8.self)))
        literal.removeAll()
    }
}

/// ASCII digit test shared by the shell lexer.
enum GoTextDigits {
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
