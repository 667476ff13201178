/// Text primitives with the exact semantics of the Go standard library functions
/// BuildKit's parser calls (`unicode.IsSpace`, `utf8.DecodeRune`, `strings.TrimSpace`).
///
/// BuildKit works on Go strings, which are bytes; matching it on odd input
/// (invalid UTF-8, non-breaking spaces, vertical tabs) needs these rules, not Swift's.
enum GoText {
    /// The replacement character Go's decoder yields for an invalid byte.
    static let replacementCharacter: UInt32 = 0xFFFD

    /// Mirrors `unicode.IsSpace`.
    static func isSpace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Mirrors `unicode.IsSpace(rune(b))` on a single byte, which BuildKit uses in
    /// its flag and HEALTHCHECK scanners: bytes 0x85 and 0xA0 count as spaces there.
    static func isSpaceByte(_ byte: UInt8) -> Bool {
        isSpace(UInt32(byte))
    }

    /// Whether `byte` is in the class `[\t\v\f\r ]`, BuildKit's `reWhitespace`.
    static func isSplitWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C || byte == 0x0D
    }

    /// Decodes one rune at `offset` like `utf8.DecodeRune`: an invalid or truncated
    /// sequence yields U+FFFD with a width of one byte.
    static func decodeRune(_ bytes: [UInt8], at offset: Int, end: Int) -> (scalar: UInt32, width: Int) {
        let first = bytes[offset]
        if first < 0x80 { return (UInt32(first), 1) }
        let available = end - offset
        func continuation(_ index: Int) -> UInt32? {
            guard index < available else { return nil }
            let byte = bytes[offset + index]
            return byte & 0xC0 == 0x80 ? UInt32(byte & 0x3F) : nil
        }
        switch first {
        case 0xC2...0xDF:
            if let c1 = continuation(1) { return ((UInt32(first & 0x1F) << 6) | c1, 2) }
        case 0xE0...0xEF:
            if let c1 = continuation(1), let c2 = continuation(2) {
                let scalar = (UInt32(first & 0x0F) << 12) | (c1 << 6) | c2
                // Reject overlong forms and UTF-16 surrogates, as Go does.
                if scalar >= 0x800 && !(0xD800...0xDFFF).contains(scalar) { return (scalar, 3) }
            }
        case 0xF0...0xF4:
            if let c1 = continuation(1), let c2 = continuation(2), let c3 = continuation(3) {
                let scalar = (UInt32(first & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3
                if scalar >= 0x10000 && scalar <= 0x10FFFF { return (scalar, 4) }
            }
        default:
            break
        }
        return (replacementCharacter, 1)
    }

    /// The start of the last rune before `end`, and that rune, like `utf8.DecodeLastRune`.
    static func decodeLastRune(_ bytes: [UInt8], start: Int, end: Int) -> (scalar: UInt32, start: Int) {
        let last = bytes[end - 1]
        if last < 0x80 { return (UInt32(last), end - 1) }
        var candidate = end - 1
        let limit = Swift.max(start, end - 4)
        while candidate > limit && bytes[candidate] & 0xC0 == 0x80 { candidate -= 1 }
        let decoded = decodeRune(bytes, at: candidate, end: end)
        if candidate + decoded.width == end { return (decoded.scalar, candidate) }
        return (replacementCharacter, end - 1)
    }

    /// The first offset in `start..<end` that does not begin a Unicode space
    /// (`strings.TrimLeftFunc(s, unicode.IsSpace)`).
    static func skipLeadingSpace(_ bytes: [UInt8], from start: Int, to end: Int) -> Int {
        var position = start
        while position < end {
            let (scalar, width) = decodeRune(bytes, at: position, end: end)
            if !isSpace(scalar) { break }
            position += width
        }
        return position
    }

    /// The offset after the last rune in `start..<end` that is not a Unicode space.
    static func skipTrailingSpace(_ bytes: [UInt8], from start: Int, to end: Int) -> Int {
        var position = end
        while position > start {
            let (scalar, runeStart) = decodeLastRune(bytes, start: start, end: position)
            if !isSpace(scalar) { break }
            position = runeStart
        }
        return position
    }

    /// `strings.TrimSpace` as a range.
    static func trimSpace(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        let start = skipLeadingSpace(bytes, from: range.lowerBound, to: range.upperBound)
        let end = skipTrailingSpace(bytes, from: start, to: range.upperBound)
        return start..<end
    }

    /// Appends the UTF-8 encoding of `scalar` to `buffer`, as Go's `string(rune)` does.
    static func appendRune(_ scalar: UInt32, to buffer: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            buffer.append(UInt8(scalar))
        case 0x80..<0x800:
            buffer.append(UInt8(0xC0 | (scalar >> 6)))
            buffer.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            buffer.append(UInt8(0xE0 | (scalar >> 12)))
            buffer.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            buffer.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            buffer.append(UInt8(0xF0 | (scalar >> 18)))
            buffer.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            buffer.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            buffer.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Whether `byte` is an ASCII letter.
    static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// Whether `byte` is an ASCII digit.
    static func isASCIIDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }

    /// `s` with ASCII letters lowered; non-ASCII bytes are kept.
    static func asciiLowercased(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.map(\.asciiLowercased), as: UTF8.self)
    }
}
