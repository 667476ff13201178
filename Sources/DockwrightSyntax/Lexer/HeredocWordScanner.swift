#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds heredoc markers (`<<EOF`, `<<-'EOF'`, `3<<"EOF"`) in an instruction line.
///
/// Mirrors BuildKit's `heredocsFromLine`: the whole line is split into words by its
/// shell lexer (quotes and backslashes kept raw, unset variables kept as written,
/// `\` as escape whatever the escape directive says), and each word is matched
/// against `^(\d*)<<(-?)([^<]*)$`. If the lexer fails anywhere on the line (an
/// unterminated quote, a bad `${}`), BuildKit finds no heredoc at all.
struct HeredocWordScanner {
    /// A heredoc marker found on the line.
    struct Marker {
        var name: [UInt8]
        var fileDescriptor: UInt
        var expandsVariables: Bool
        var stripsLeadingTabs: Bool
        /// The logical range of the marker word.
        var range: Range<Int>
    }

    let bytes: [UInt8]

    /// The heredoc markers on the line, in order.
    func markers(in range: Range<Int>) -> [Marker] {
        // Every marker contains `<<`; without one the answer is empty whatever the
        // lexer would say, so most lines skip the word split.
        guard containsDoubleLessThan(range) else { return [] }
        guard let words = ShellWordSplitter(bytes: bytes, keepsQuotes: true).split(range) else { return [] }
        return words.compactMap(marker(from:))
    }

    /// `memchr` from one `<` to the next: it passes over the bytes between many at a
    /// time, where a loop cost a few instructions a byte of every RUN, COPY and ADD.
    private func containsDoubleLessThan(_ range: Range<Int>) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            var position = range.lowerBound
            while position + 1 < range.upperBound,
                  let found = memchr(base + position, Int32(UInt8(ascii: "<")), range.upperBound - 1 - position) {
                let index = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
                if buffer[index + 1] == UInt8(ascii: "<") { return true }
                position = index + 1
            }
            return false
        }
    }

    private func marker(from word: LexedWord) -> Marker? {
        let text = word.bytes
        var index = 0
        while index < text.count && GoText.isASCIIDigit(text[index]) { index += 1 }
        let digits = text[0..<index]
        guard index + 1 < text.count, text[index] == UInt8(ascii: "<"), text[index + 1] == UInt8(ascii: "<") else {
            return nil
        }
        index += 2
        var stripsTabs = false
        if index < text.count && text[index] == UInt8(ascii: "-") {
            stripsTabs = true
            index += 1
        }
        let rest = Array(text[index...])
        guard !rest.isEmpty, !rest.contains(UInt8(ascii: "<")) else { return nil }
        // BuildKit lexes the delimiter again without raw quotes; it must be one word.
        guard let plain = ShellWordSplitter(bytes: rest, keepsQuotes: false).split(0..<rest.count),
              plain.count == 1,
              let raw = ShellWordSplitter(bytes: rest, keepsQuotes: true).split(0..<rest.count),
              raw.count == 1 else { return nil }
        let name = plain[0].bytes
        // Quotes vanish in the plain reading only when part of the delimiter is quoted.
        let expands = quoteCount(name) == quoteCount(raw[0].bytes)
        var descriptor: UInt = 0
        if !digits.isEmpty {
            // Go's ParseUint error (overflow) leaves 0, as BuildKit ignores that error.
            descriptor = UInt(String(decoding: digits, as: UTF8.self)) ?? 0
        }
        return Marker(
            name: name, fileDescriptor: descriptor, expandsVariables: expands,
            stripsLeadingTabs: stripsTabs, range: word.range)
    }

    private func quoteCount(_ text: [UInt8]) -> Int {
        text.reduce(0) { $0 + ($1 == UInt8(ascii: "'") || $1 == UInt8(ascii: "\"") ? 1 : 0) }
    }
}

/// Splits text into words like BuildKit's shell lexer (`shell.Lex.ProcessWords`)
/// with an empty environment and unset variables kept as written.
///
/// Only word boundaries and failure matter for heredoc detection, so an expansion
/// contributes its source text; the lexer's errors (unterminated quotes, `${}`,
/// `${x` without `}`, an unknown modifier) make the whole split fail, as in BuildKit.
struct ShellWordSplitter {
    let bytes: [UInt8]
    /// Raw mode keeps quotes and backslashes in the words (`RawQuotes`, `RawEscapes`).
    let keepsQuotes: Bool

    private struct Words {
        var words: [LexedWord] = []
        var current: [UInt8] = []
        var start = 0
        var inWord = false

        mutating func addCharacter(_ scalar: UInt32, at position: Int, end: Int) {
            if GoText.isSpace(scalar) {
                if inWord && !current.isEmpty {
                    words.append(LexedWord(bytes: current, range: start..<position))
                    current = []
                    inWord = false
                }
            } else {
                addRaw([], scalar: scalar, at: position)
            }
        }

        mutating func addRaw(_ text: [UInt8], scalar: UInt32? = nil, at position: Int) {
            if !inWord && current.isEmpty { start = position }
            if let scalar { GoText.appendRune(scalar, to: &current) }
            current.append(contentsOf: text)
            inWord = true
        }

        mutating func finish(at end: Int) -> [LexedWord] {
            if !current.isEmpty { words.append(LexedWord(bytes: current, range: start..<end)) }
            return words
        }
    }

    /// The words of `range`, or nil when BuildKit's lexer would fail.
    func split(_ range: Range<Int>) -> [LexedWord]? {
        var position = range.lowerBound
        let end = range.upperBound
        var words = Words()
        let backslash = UInt32(UInt8(ascii: "\\"))
        while position < end {
            let (scalar, width) = GoText.decodeRune(bytes, at: position, end: end)
            let start = position
            switch scalar {
            case 0x27:  // '
                guard let close = bytes[(position + 1)..<end].firstIndex(of: UInt8(ascii: "'")) else { return nil }
                let inner = Array(bytes[(position + 1)..<close])
                words.addRaw(keepsQuotes ? Array(bytes[position...close]) : inner, at: start)
                position = close + 1
            case 0x22:  // "
                guard let (text, next) = doubleQuoted(from: position, end: end) else { return nil }
                words.addRaw(text, at: start)
                position = next
            case 0x24:  // $
                guard let next = dollarEnd(from: position, end: end) else { return nil }
                // An expansion's text is split on spaces again (`addString`).
                var cursor = position
                while cursor < next {
                    let (inner, innerWidth) = GoText.decodeRune(bytes, at: cursor, end: next)
                    words.addCharacter(inner, at: cursor, end: end)
                    cursor += innerWidth
                }
                position = next
            default:
                position += width
                if scalar == backslash {
                    if keepsQuotes { words.addRaw([], scalar: backslash, at: start) }
                    guard position < end else { break }
                    let (escaped, escapedWidth) = GoText.decodeRune(bytes, at: position, end: end)
                    words.addRaw([], scalar: escaped, at: start)
                    position += escapedWidth
                } else {
                    words.addCharacter(scalar, at: start, end: end)
                }
            }
        }
        return words.finish(at: end)
    }

    /// Reads a double-quoted string; returns its text and the offset after it.
    private func doubleQuoted(from start: Int, end: Int) -> ([UInt8], Int)? {
        var text: [UInt8] = keepsQuotes ? [UInt8(ascii: "\"")] : []
        var position = start + 1
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                if keepsQuotes { text.append(byte) }
                return (text, position + 1)
            }
            if byte == UInt8(ascii: "$") {
                guard let next = dollarEnd(from: position, end: end) else { return nil }
                text.append(contentsOf: bytes[position..<next])
                position = next
                continue
            }
            if byte == UInt8(ascii: "\\") {
                if keepsQuotes { text.append(byte) }
                position += 1
                guard position < end else { continue }
                let next = bytes[position]
                if next == UInt8(ascii: "\"") || next == UInt8(ascii: "$") || next == UInt8(ascii: "\\") {
                    text.append(next)
                    position += 1
                } else if !keepsQuotes {
                    text.append(byte)
                }
                continue
            }
            text.append(byte)
            position += 1
        }
        return nil
    }

    /// The offset after a `$` expansion starting at `start`, or nil on a lexer error.
    ///
    /// Nested expansions (`${a:-${b:-"$c"}}`) are followed with an explicit stack,
    /// so hostile nesting cannot exhaust the call stack.
    private func dollarEnd(from start: Int, end: Int) -> Int? {
        enum Context { case braceWord, doubleQuote }
        var contexts: [Context] = []
        var position = start
        // Reads the head of an expansion at `position` (a `$`): returns false on a
        // lexer error; pushes a context when a `${name<op>word}` body follows.
        func readHead() -> Bool {
            position += 1
            guard position < end else { return true }
            if bytes[position] != UInt8(ascii: "{") {
                position = nameEnd(from: position, end: end)
                return true
            }
            position += 1
            guard position < end else { return false }
            let first = bytes[position]
            if first == UInt8(ascii: "{") || first == UInt8(ascii: "}") || first == UInt8(ascii: ":") { return false }
            position = nameEnd(from: position, end: end)
            guard position < end else { return false }
            let operatorByte = bytes[position]
            position += 1
            switch operatorByte {
            case UInt8(ascii: "}"):
                return true
            case UInt8(ascii: ":"):
                guard position < end else { return false }
                let modifier = bytes[position]
                guard modifier == UInt8(ascii: "-") || modifier == UInt8(ascii: "+") || modifier == UInt8(ascii: "?") else {
                    return false
                }
                position += 1
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "%"),
                 UInt8(ascii: "/"):
                break
            default:
                return false
            }
            contexts.append(.braceWord)
            return true
        }
        guard readHead() else { return nil }
        while let context = contexts.last {
            guard position < end else { return nil }
            let byte = bytes[position]
            switch (context, byte) {
            case (.braceWord, UInt8(ascii: "}")):
                contexts.removeLast()
                position += 1
            case (.braceWord, UInt8(ascii: "'")):
                guard let close = bytes[(position + 1)..<end].firstIndex(of: UInt8(ascii: "'")) else { return nil }
                position = close + 1
            case (.braceWord, UInt8(ascii: "\"")):
                contexts.append(.doubleQuote)
                position += 1
            case (.doubleQuote, UInt8(ascii: "\"")):
                contexts.removeLast()
                position += 1
            case (_, UInt8(ascii: "$")):
                guard readHead() else { return nil }
            case (_, UInt8(ascii: "\\")):
                position += 2
            default:
                position += 1
            }
        }
        return position
    }

    /// The offset after a variable name (`processName`): digits, one special
    /// parameter, or letters, digits and underscores.
    private func nameEnd(from start: Int, end: Int) -> Int {
        var position = start
        guard position < end else { return position }
        let first = bytes[position]
        if GoText.isASCIIDigit(first) {
            while position < end && GoText.isASCIIDigit(bytes[position]) { position += 1 }
            return position
        }
        if "@*#?-$!0".utf8.contains(first) { return position + 1 }
        while position < end {
            let byte = bytes[position]
            guard GoText.isASCIILetter(byte) || GoText.isASCIIDigit(byte) || byte == UInt8(ascii: "_") else { break }
            position += 1
        }
        return position
    }
}
