/// A word found in a logical line: its value and the logical bytes it spans.
struct LexedWord {
    /// The word's value as BuildKit builds it.
    var bytes: [UInt8]
    /// The logical bytes it was read from.
    var range: Range<Int>
}

/// Splits an instruction's logical text the way BuildKit's `splitCommand`,
/// `extractBuilderFlags`, `parseWords` and `reWhitespace.Split` do.
struct ArgumentLexer {
    let bytes: [UInt8]

    /// The keyword, and where the text after it (flags and arguments) starts.
    ///
    /// Mirrors `splitCommand`: trim Unicode spaces, then split once on `[\t\v\f\r ]+`.
    func splitCommand(_ range: Range<Int>) -> (keyword: Range<Int>, remainder: Range<Int>?) {
        let trimmed = GoText.trimSpace(bytes, range)
        var keywordEnd = trimmed.lowerBound
        while keywordEnd < trimmed.upperBound && !GoText.isSplitWhitespace(bytes[keywordEnd]) { keywordEnd += 1 }
        if keywordEnd == trimmed.upperBound { return (trimmed, nil) }
        var argumentsStart = keywordEnd
        while argumentsStart < trimmed.upperBound && GoText.isSplitWhitespace(bytes[argumentsStart]) {
            argumentsStart += 1
        }
        return (trimmed.lowerBound..<keywordEnd, argumentsStart..<trimmed.upperBound)
    }

    /// Reads leading `--flags`; returns them and where the arguments start.
    ///
    /// Mirrors `extractBuilderFlags`, which walks bytes, not runes: a byte of 0x85 or
    /// 0xA0 counts as a space, and each byte of 0x80 or more becomes the rune of the
    /// same number, so non-ASCII flag values come out as Latin-1 mojibake, as in BuildKit.
    func extractFlags(_ range: Range<Int>) -> (flags: [LexedWord], arguments: Int) {
        enum Phase { case spaces, word, quote }
        var flags: [LexedWord] = []
        var phase = Phase.spaces
        var word: [UInt8] = []
        var wordStart = range.lowerBound
        var quote: UInt8 = 0
        var blankAllowed = false
        var position = range.lowerBound
        let end = range.upperBound
        let dash = UInt8(ascii: "-")
        let backslash = UInt8(ascii: "\\")

        func isBareDoubleDash(_ word: [UInt8]) -> Bool { word == [dash, dash] }

        while position <= end {
            let byte: UInt8 = position < end ? bytes[position] : 0
            if phase == .spaces {
                if position == end { break }
                if GoText.isSpaceByte(byte) {
                    position += 1
                    continue
                }
                if byte != dash || position + 1 == end || bytes[position + 1] != dash {
                    return (flags, position)
                }
                phase = .word
                wordStart = position
            }
            if position == end {
                if !isBareDoubleDash(word) && (blankAllowed || !word.isEmpty) {
                    flags.append(LexedWord(bytes: word, range: wordStart..<end))
                }
                break
            }
            var character = byte
            if phase == .word {
                if GoText.isSpaceByte(character) {
                    phase = .spaces
                    if isBareDoubleDash(word) { return (flags, position) }
                    if blankAllowed || !word.isEmpty {
                        flags.append(LexedWord(bytes: word, range: wordStart..<position))
                    }
                    word = []
                    blankAllowed = false
                    position += 1
                    continue
                }
                if character == UInt8(ascii: "'") || character == UInt8(ascii: "\"") {
                    quote = character
                    blankAllowed = true
                    phase = .quote
                    position += 1
                    continue
                }
                if character == backslash {
                    if position + 1 == end {
                        position += 1
                        continue
                    }
                    position += 1
                    character = bytes[position]
                }
                GoText.appendRune(UInt32(character), to: &word)
                position += 1
                continue
            }
            // Inside quotes.
            if character == quote {
                phase = .word
                position += 1
                continue
            }
            if character == backslash {
                if position + 1 == end {
                    phase = .word
                    position += 1
                    continue
                }
                position += 1
                character = bytes[position]
            }
            GoText.appendRune(UInt32(character), to: &word)
            position += 1
        }
        return (flags, end)
    }

    /// Quote-aware words, quotes and escape characters kept; mirrors `parseWords`.
    func words(_ range: Range<Int>, escape: UInt8) -> [LexedWord] {
        enum Phase { case spaces, word, quote }
        var words: [LexedWord] = []
        var phase = Phase.spaces
        var word: [UInt8] = []
        var wordStart = range.lowerBound
        var quote: UInt32 = 0
        var blankAllowed = false
        var scalar: UInt32 = 0
        var width = 0
        var position = range.lowerBound
        let end = range.upperBound
        let escapeScalar = UInt32(escape)

        while position <= end {
            if position != end {
                (scalar, width) = GoText.decodeRune(bytes, at: position, end: end)
            }
            if phase == .spaces {
                if position == end { break }
                if GoText.isSpace(scalar) {
                    position += width
                    continue
                }
                phase = .word
                wordStart = position
            }
            if position == end {
                if blankAllowed || !word.isEmpty { words.append(LexedWord(bytes: word, range: wordStart..<end)) }
                break
            }
            if phase == .word {
                if GoText.isSpace(scalar) {
                    phase = .spaces
                    if blankAllowed || !word.isEmpty {
                        words.append(LexedWord(bytes: word, range: wordStart..<position))
                    }
                    word = []
                    blankAllowed = false
                    position += width
                    continue
                }
                if scalar == 0x27 || scalar == 0x22 {
                    quote = scalar
                    blankAllowed = true
                    phase = .quote
                }
                if scalar == escapeScalar {
                    if position + width == end {
                        position += width
                        continue
                    }
                    // Outside quotes the escape character and the next character are both kept.
                    GoText.appendRune(scalar, to: &word)
                    position += width
                    (scalar, width) = GoText.decodeRune(bytes, at: position, end: end)
                }
                GoText.appendRune(scalar, to: &word)
                position += width
                continue
            }
            // Inside quotes.
            if scalar == quote { phase = .word }
            // The escape character escapes nothing inside single quotes.
            if scalar == escapeScalar && quote != 0x27 {
                if position + width == end {
                    phase = .word
                    position += width
                    continue
                }
                position += width
                GoText.appendRune(scalar, to: &word)
                (scalar, width) = GoText.decodeRune(bytes, at: position, end: end)
            }
            GoText.appendRune(scalar, to: &word)
            position += width
        }
        return words
    }

    /// Words separated by runs of `[\t\v\f\r ]`; mirrors `reWhitespace.Split(rest, -1)`.
    func whitespaceSeparatedWords(_ range: Range<Int>) -> [LexedWord] {
        var words: [LexedWord] = []
        var start = range.lowerBound
        var position = range.lowerBound
        while position < range.upperBound {
            if GoText.isSplitWhitespace(bytes[position]) {
                words.append(LexedWord(bytes: Array(bytes[start..<position]), range: start..<position))
                while position < range.upperBound && GoText.isSplitWhitespace(bytes[position]) { position += 1 }
                start = position
            } else {
                position += 1
            }
        }
        words.append(LexedWord(bytes: Array(bytes[start..<range.upperBound]), range: start..<range.upperBound))
        return words
    }
}
