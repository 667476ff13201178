/// Finds the first syntax error of a JSON5 text, with its line, column and what was
/// expected there in plain words. `JSONDecoder` only says "The given data was not
/// valid JSON."; this runs only after it fails, so its cost never touches a valid file.
struct JSON5Syntax {
    /// A syntax error: 1-based line and column (in characters), and the message.
    struct Problem: Error, Equatable {
        let line: Int
        let column: Int
        let message: String
    }

    private let bytes: [UInt8]
    private var offset = 0
    private var depth = 0

    /// The first problem of `bytes`, or nil when its syntax is valid JSON5.
    static func firstProblem(in bytes: [UInt8]) -> Problem? {
        var scanner = JSON5Syntax(bytes: bytes)
        do throws(Problem) {
            try scanner.skipSpace()
            try scanner.value(context: "the configuration")
            try scanner.skipSpace()
            if scanner.offset < bytes.count {
                throw scanner.problem("expected the end of the file after the closing '}'")
            }
            return nil
        } catch {
            return error
        }
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The 1-based line and column of a byte offset; columns count characters, not bytes.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in bytes[..<Swift.min(offset, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    private func problem(_ message: String) -> Problem {
        let (line, column) = Self.position(of: offset, in: bytes)
        return Problem(line: line, column: column, message: message)
    }

    private var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    /// What the scanner sees, for messages: `'x'` or "the end of the file".
    private var found: String {
        guard let byte = current else { return "the end of the file" }
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16))"
    }

    private mutating func skipSpace() throws(Problem) {
        while let byte = current {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0xA0 {
                offset += 1
            } else if byte == UInt8(ascii: "/"), offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "/") {
                while let next = current, next != 0x0A { offset += 1 }
            } else if byte == UInt8(ascii: "/"), offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "*") {
                let start = offset
                offset += 2
                while offset + 1 < bytes.count && !(bytes[offset] == UInt8(ascii: "*") && bytes[offset + 1] == UInt8(ascii: "/")) {
                    offset += 1
                }
                guard offset + 1 < bytes.count else {
                    offset = start
                    throw problem("a /* comment is never closed with */")
                }
                offset += 2
            } else if byte == 0xEF, offset + 2 < bytes.count, bytes[offset + 1] == 0xBB, bytes[offset + 2] == 0xBF {
                offset += 3
            } else {
                return
            }
        }
    }

    private mutating func value(context: String) throws(Problem) {
        guard let byte = current else { throw problem("expected a value for \(context), found the end of the file") }
        switch byte {
        case UInt8(ascii: "{"): try object()
        case UInt8(ascii: "["): try array(context: context)
        case UInt8(ascii: "\""), UInt8(ascii: "'"): try string()
        default:
            // Numbers, true, false, null, Infinity, NaN: a run of word characters.
            let start = offset
            while let next = current, isWordByte(next) || next == UInt8(ascii: "+") || next == UInt8(ascii: "-")
                || next == UInt8(ascii: ".") {
                offset += 1
            }
            let word = String(decoding: bytes[start..<offset], as: UTF8.self)
            guard !word.isEmpty else { throw problem("expected a value for \(context), found \(found)") }
            let isLiteral = ["true", "false", "null", "Infinity", "+Infinity", "-Infinity", "NaN"].contains(word)
            if !isLiteral && !isNumber(word) {
                offset = start
                throw problem("expected a value for \(context), found '\(word)'; text values need quotes, like \"\(word)\"")
            }
        }
    }

    private mutating func object() throws(Problem) {
        depth += 1
        defer { depth -= 1 }
        guard depth < 64 else { throw problem("nested too deeply") }
        offset += 1
        var previousKey: String?
        while true {
            try skipSpace()
            if current == UInt8(ascii: "}") {
                offset += 1
                return
            }
            if previousKey != nil {
                guard current == UInt8(ascii: ",") else {
                    throw problem("expected ',' or '}' after the value of '\(previousKey ?? "")', found \(found)")
                }
                offset += 1
                try skipSpace()
                if current == UInt8(ascii: "}") {
                    offset += 1
                    return
                }
            }
            let key = try key()
            try skipSpace()
            guard current == UInt8(ascii: ":") else { throw problem("expected ':' after the key '\(key)', found \(found)") }
            offset += 1
            try skipSpace()
            try value(context: "'\(key)'")
            previousKey = key
        }
    }

    private mutating func key() throws(Problem) -> String {
        guard let byte = current else { throw problem("expected a key or '}', found the end of the file") }
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            let start = offset + 1
            try string()
            return String(decoding: bytes[start..<(offset - 1)], as: UTF8.self)
        }
        let start = offset
        while let next = current, isWordByte(next) { offset += 1 }
        guard offset > start else { throw problem("expected a key in quotes or '}', found \(found)") }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    private mutating func array(context: String) throws(Problem) {
        depth += 1
        defer { depth -= 1 }
        guard depth < 64 else { throw problem("nested too deeply") }
        offset += 1
        var count = 0
        while true {
            try skipSpace()
            if current == UInt8(ascii: "]") {
                offset += 1
                return
            }
            if count > 0 {
                guard current == UInt8(ascii: ",") else {
                    throw problem("expected ',' or ']' after item \(count) of \(context), found \(found)")
                }
                offset += 1
                try skipSpace()
                if current == UInt8(ascii: "]") {
                    offset += 1
                    return
                }
            }
            try value(context: "item \(count + 1) of \(context)")
            count += 1
        }
    }

    private mutating func string() throws(Problem) {
        let start = offset
        let quote = bytes[offset]
        offset += 1
        while let byte = current {
            if byte == quote {
                offset += 1
                return
            }
            if byte == UInt8(ascii: "\\") {
                offset += 2
                continue
            }
            if byte == 0x0A { break }
            offset += 1
        }
        offset = start
        throw problem("a string starting here is never closed with \(quote == UInt8(ascii: "'") ? "'" : "\"")")
    }

    private func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "$") || byte >= 0x80
    }

    private func isNumber(_ word: String) -> Bool {
        var text = Substring(word)
        if text.first == "+" || text.first == "-" { text = text.dropFirst() }
        if text.lowercased().hasPrefix("0x") {
            return text.count > 2 && text.dropFirst(2).allSatisfy(\.isHexDigit)
        }
        var sawDigit = false
        var sawDot = false
        var sawExponent = false
        var previous: Character?
        for character in text {
            if character.isASCII && character.isNumber {
                sawDigit = true
            } else if character == "." && !sawExponent && !sawDot {
                // One dot, before any exponent.
                sawDot = true
            } else if (character == "e" || character == "E") && sawDigit && !sawExponent {
                sawExponent = true
            } else if (character == "+" || character == "-") && (previous == "e" || previous == "E") {
                // An exponent's sign.
            } else {
                return false
            }
            previous = character
        }
        return sawDigit
    }
}
