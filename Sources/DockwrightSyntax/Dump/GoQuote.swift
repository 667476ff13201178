/// Go's `strconv.Quote`, used by BuildKit's AST dump and its error messages.
enum GoQuote {
    /// Quotes UTF-8 bytes; invalid bytes become `\x` escapes, as in Go.
    static func quote<Bytes: Collection<UInt8>>(_ text: Bytes) -> String where Bytes.Index == Int {
        let bytes = Array(text)
        var output = "\""
        var position = 0
        while position < bytes.count {
            let (scalar, width) = GoText.decodeRune(bytes, at: position, end: bytes.count)
            if scalar == GoText.replacementCharacter && width == 1 {
                output += "\\x" + hex(UInt32(bytes[position]), digits: 2)
                position += 1
                continue
            }
            position += width
            switch scalar {
            case 0x22: output += "\\\""
            case 0x5C: output += "\\\\"
            case 0x07: output += "\\a"
            case 0x08: output += "\\b"
            case 0x0C: output += "\\f"
            case 0x0A: output += "\\n"
            case 0x0D: output += "\\r"
            case 0x09: output += "\\t"
            case 0x0B: output += "\\v"
            default:
                if isPrintable(scalar), let unicodeScalar = Unicode.Scalar(scalar) {
                    output.unicodeScalars.append(unicodeScalar)
                } else if scalar < 0x80 {
                    output += "\\x" + hex(scalar, digits: 2)
                } else if scalar < 0x10000 {
                    output += "\\u" + hex(scalar, digits: 4)
                } else {
                    output += "\\U" + hex(scalar, digits: 8)
                }
            }
        }
        return output + "\""
    }

    /// Quotes a string.
    static func quote(_ text: String) -> String {
        quote(Array(text.utf8))
    }

    /// An approximation of `unicode.IsPrint`: exact for ASCII and for the
    /// spaces and format characters Dockerfiles actually contain.
    private static func isPrintable(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x20...0x7E: return true
        case 0..<0x20, 0x7F...0xA0, 0xAD: return false
        case 0x1680, 0x2000...0x200F, 0x2028...0x202F, 0x205F...0x2064, 0x3000, 0xFEFF, 0xFFF9...0xFFFB: return false
        case 0xE000...0xF8FF, 0xF0000...0x10FFFF: return false
        default: return true
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: Swift.max(0, digits - text.count)) + text
    }
}
