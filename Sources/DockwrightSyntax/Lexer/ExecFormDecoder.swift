/// Decodes the JSON array of an exec-form instruction with the exact acceptance
/// rules of Go's `encoding/json` Decoder, which BuildKit's `parseJSON` uses.
///
/// Go's decoder reads one JSON value and ignores what follows it, so
/// `CMD ["a"] trailing` is exec form. Any syntax error (or end of input before the
/// array closes) means "not JSON" and BuildKit falls back to shell form; a valid
/// array holding anything but strings is a hard error.
struct ExecFormDecoder {
    /// The outcome of reading an exec-form array.
    enum Outcome {
        /// A valid array of strings: each element's decoded bytes and logical range.
        case strings([LexedWord])
        /// Not a JSON array; the instruction is in shell form.
        case notJSON
        /// A valid JSON array with a non-string element at this logical range.
        case notStringArray(Range<Int>)
    }

    /// Go's `maxNestingDepth`: deeper input is a syntax error, not a crash.
    static let maximumDepth = 10_000

    let bytes: [UInt8]

    /// Decodes the array starting at the first non-space byte of `range`.
    func decode(_ range: Range<Int>) -> Outcome {
        let end = range.upperBound
        var position = GoText.skipLeadingSpace(bytes, from: range.lowerBound, to: end)
        guard position < end, bytes[position] == UInt8(ascii: "[") else { return .notJSON }

        enum Expectation { case value, valueOrClose, key, keyOrClose, colon, commaOrClose }
        var containers: [UInt8] = [UInt8(ascii: "[")]
        position += 1
        var expectation = Expectation.valueOrClose
        var elements: [LexedWord] = []
        var firstNonString: Range<Int>?

        func skipWhitespace() {
            while position < end {
                let byte = bytes[position]
                guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return }
                position += 1
            }
        }

        while true {
            skipWhitespace()
            guard position < end else { return .notJSON }
            let byte = bytes[position]
            let isTopLevelElement = containers.count == 1
            switch expectation {
            case .value, .valueOrClose:
                if expectation == .valueOrClose && byte == UInt8(ascii: "]") {
                    containers.removeLast()
                    position += 1
                } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                    guard containers.count < Self.maximumDepth else { return .notJSON }
                    if isTopLevelElement && firstNonString == nil { firstNonString = position..<(position + 1) }
                    containers.append(byte)
                    position += 1
                    expectation = byte == UInt8(ascii: "[") ? .valueOrClose : .keyOrClose
                    continue
                } else if byte == UInt8(ascii: "\"") {
                    let start = position
                    guard let decoded = decodeString(at: &position, end: end) else { return .notJSON }
                    if isTopLevelElement { elements.append(LexedWord(bytes: decoded, range: start..<position)) }
                    expectation = .commaOrClose
                    continue
                } else {
                    let start = position
                    guard scanScalar(at: &position, end: end) else { return .notJSON }
                    if isTopLevelElement && firstNonString == nil { firstNonString = start..<position }
                    expectation = .commaOrClose
                    continue
                }
            case .key, .keyOrClose:
                if expectation == .keyOrClose && byte == UInt8(ascii: "}") {
                    containers.removeLast()
                    position += 1
                } else if byte == UInt8(ascii: "\"") {
                    guard decodeString(at: &position, end: end) != nil else { return .notJSON }
                    expectation = .colon
                    continue
                } else {
                    return .notJSON
                }
            case .colon:
                guard byte == UInt8(ascii: ":") else { return .notJSON }
                position += 1
                expectation = .value
                continue
            case .commaOrClose:
                guard let container = containers.last else { return .notJSON }
                if byte == UInt8(ascii: ",") {
                    position += 1
                    expectation = container == UInt8(ascii: "[") ? .value : .key
                    continue
                }
                let closer = container == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
                guard byte == closer else { return .notJSON }
                containers.removeLast()
                position += 1
            }
            // A container just closed.
            if containers.isEmpty { break }
            expectation = .commaOrClose
        }
        if let firstNonString { return .notStringArray(firstNonString) }
        return .strings(elements)
    }

    /// Reads a JSON string starting at its opening quote; returns its decoded bytes,
    /// or nil on a syntax error. Invalid UTF-8 becomes U+FFFD, as in Go.
    private func decodeString(at position: inout Int, end: Int) -> [UInt8]? {
        var output: [UInt8] = []
        position += 1
        while position < end {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return output
            case 0x00..<0x20:
                return nil
            case UInt8(ascii: "\\"):
                guard position + 1 < end else { return nil }
                let escaped = bytes[position + 1]
                position += 2
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escaped)
                case UInt8(ascii: "b"): output.append(0x08)
                case UInt8(ascii: "f"): output.append(0x0C)
                case UInt8(ascii: "n"): output.append(0x0A)
                case UInt8(ascii: "r"): output.append(0x0D)
                case UInt8(ascii: "t"): output.append(0x09)
                case UInt8(ascii: "u"):
                    guard let unit = readHex4(at: position, end: end) else { return nil }
                    position += 4
                    var scalar = unit
                    if (0xD800..<0xDC00).contains(unit) {
                        // A high surrogate combines with a following \u low surrogate;
                        // alone it becomes U+FFFD and the next escape is read on its own.
                        if position + 6 <= end, bytes[position] == UInt8(ascii: "\\"),
                           bytes[position + 1] == UInt8(ascii: "u"),
                           let low = readHex4(at: position + 2, end: end), (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                            position += 6
                        } else {
                            scalar = GoText.replacementCharacter
                        }
                    } else if (0xDC00..<0xE000).contains(unit) {
                        scalar = GoText.replacementCharacter
                    }
                    GoText.appendRune(scalar, to: &output)
                default:
                    return nil
                }
            default:
                if byte < 0x80 {
                    output.append(byte)
                    position += 1
                } else {
                    let (scalar, width) = GoText.decodeRune(bytes, at: position, end: end)
                    if scalar == GoText.replacementCharacter && width == 1 {
                        GoText.appendRune(GoText.replacementCharacter, to: &output)
                    } else {
                        output.append(contentsOf: bytes[position..<(position + width)])
                    }
                    position += width
                }
            }
        }
        return nil
    }

    private func readHex4(at position: Int, end: Int) -> UInt32? {
        guard position + 4 <= end else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[position + offset]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        return value
    }

    /// Scans a number or `true`/`false`/`null`, following JSON's grammar exactly.
    private func scanScalar(at position: inout Int, end: Int) -> Bool {
        for literal in ["true", "false", "null"] {
            let literalBytes = Array(literal.utf8)
            if position + literalBytes.count <= end
                && Array(bytes[position..<(position + literalBytes.count)]) == literalBytes {
                position += literalBytes.count
                return true
            }
        }
        var cursor = position
        if cursor < end && bytes[cursor] == UInt8(ascii: "-") { cursor += 1 }
        guard cursor < end, GoText.isASCIIDigit(bytes[cursor]) else { return false }
        if bytes[cursor] == UInt8(ascii: "0") {
            cursor += 1
        } else {
            while cursor < end && GoText.isASCIIDigit(bytes[cursor]) { cursor += 1 }
        }
        if cursor < end && bytes[cursor] == UInt8(ascii: ".") {
            cursor += 1
            guard cursor < end, GoText.isASCIIDigit(bytes[cursor]) else { return false }
            while cursor < end && GoText.isASCIIDigit(bytes[cursor]) { cursor += 1 }
        }
        if cursor < end && (bytes[cursor] == UInt8(ascii: "e") || bytes[cursor] == UInt8(ascii: "E")) {
            cursor += 1
            if cursor < end && (bytes[cursor] == UInt8(ascii: "+") || bytes[cursor] == UInt8(ascii: "-")) { cursor += 1 }
            guard cursor < end, GoText.isASCIIDigit(bytes[cursor]) else { return false }
            while cursor < end && GoText.isASCIIDigit(bytes[cursor]) { cursor += 1 }
        }
        position = cursor
        return true
    }
}
