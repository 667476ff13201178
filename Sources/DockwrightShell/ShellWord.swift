/// One word of a command, split into its quoted and expanded parts.
///
/// Most words are plain text or plain `$name` expansions, and their parts say no more
/// than their bytes do: such a word keeps only a reference to the script's bytes (one
/// retain, no allocation) and reads its parts again when asked. A script of many
/// short words otherwise keeps an array for every word and a box for every `$name`,
/// several times the bytes of the script (issue 13's memory budget). Every other word
/// keeps the parts the parser made.
public struct ShellWord: Hashable, Sendable {
    private enum Storage: Sendable {
        /// The parts as parsed.
        case parsed([ShellWordPart])
        /// The script's bytes; the word's bytes are one literal part, as written.
        case literal([UInt8])
        /// The script's bytes; the word is literal text and plain parameters, which
        /// ``SpelledWord/parts(of:in:)`` reads back exactly as the parser made them.
        case spelled([UInt8])
    }

    private var storage: Storage
    /// Stored in 32 bits: a script holds a word for every argument it spells.
    private var span: ScriptSpan

    /// A word of `parts` spelled by the bytes `range`.
    init(parts: [ShellWordPart], range: Range<Int>) {
        storage = .parsed(parts)
        span = ScriptSpan(range)
    }

    /// A word whose bytes `range` of `scriptBytes` are all one literal part, as written.
    init(literalIn scriptBytes: [UInt8], range: Range<Int>) {
        storage = .literal(scriptBytes)
        span = ScriptSpan(range)
    }

    /// A word that ``SpelledWord/parts(of:in:)`` reads back from `scriptBytes`.
    init(spelledIn scriptBytes: [UInt8], range: Range<Int>) {
        storage = .spelled(scriptBytes)
        span = ScriptSpan(range)
    }

    /// The parts, in order.
    public var parts: [ShellWordPart] {
        get {
            switch storage {
            case .parsed(let parts): return parts
            case .literal(let bytes): return [.literal(String(decoding: bytes[range], as: UTF8.self))]
            case .spelled(let bytes): return SpelledWord.parts(of: range, in: bytes)
            }
        }
        set { storage = .parsed(newValue) }
    }

    /// The bytes of the word, in script offsets.
    public var range: Range<Int> { span.range }

    /// The word's bytes when they are its whole value (one literal part, as written):
    /// a test of its value can read them without making the value a String.
    var literalBytes: ArraySlice<UInt8>? {
        if case .literal(let bytes) = storage { return bytes[range] }
        return nil
    }

    /// Whether the word is kept as its bytes: literal text and plain `$name` parameters
    /// only, so no part of it holds a substitution, arithmetic or a parameter operator.
    /// Walks looking for those pass such a word over without making its parts.
    var isStoredAsBytes: Bool {
        if case .parsed = storage { return false }
        return true
    }

    /// Whether the word's bytes alone tell its parts: kept as its bytes, or one literal
    /// part (a short word whose part list the file's scripts share). Two such words of
    /// the same bytes at the same offset are equal.
    var isToldByItsBytes: Bool {
        guard case .parsed(let parts) = storage else { return true }
        guard parts.count == 1, case .literal = parts[0] else { return false }
        return true
    }

    /// The word's value with quotes removed, or nil when it contains an expansion
    /// whose value is only known at run time.
    public var literalValue: String? {
        switch storage {
        case .literal(let bytes):
            return String(decoding: bytes[range], as: UTF8.self)
        case .spelled:
            // A spelled word has a parameter; else it would be stored as literal.
            return nil
        case .parsed(let parts):
            return ShellWordPart.literalValue(of: parts)
        }
    }

    /// Whether any part of the word is quoted.
    public var isQuoted: Bool {
        guard case .parsed(let parts) = storage else { return false }
        return parts.contains { part in
            switch part {
            case .singleQuoted, .doubleQuoted, .ansiCQuoted: return true
            default: return false
            }
        }
    }

    /// Equal as the parsed words were: by parts and bytes, however they are stored.
    public static func == (lhs: ShellWord, rhs: ShellWord) -> Bool {
        lhs.span == rhs.span && lhs.parts == rhs.parts
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(parts)
        hasher.combine(span)
    }
}

/// Reads the parts of a word of literal text and plain parameters (`$name`, `$1`,
/// `${name}`) back from its bytes, the way ``ShellParser`` reads them; the parser
/// stores a word this way only after checking the two readings agree.
enum SpelledWord {
    static func parts(of range: Range<Int>, in bytes: [UInt8]) -> [ShellWordPart] {
        var parts: [ShellWordPart] = []
        var literalStart = range.lowerBound
        var position = range.lowerBound
        let end = range.upperBound
        func flushLiteral(upTo offset: Int) {
            if offset > literalStart {
                parts.append(.literal(String(decoding: bytes[literalStart..<offset], as: UTF8.self)))
            }
        }
        while position < end {
            guard bytes[position] == UInt8(ascii: "$"), let nameRange = parameterName(at: position, end: end, in: bytes)
            else {
                position += 1
                continue
            }
            flushLiteral(upTo: position)
            let expansionEnd = bytes[position + 1] == UInt8(ascii: "{") ? nameRange.upperBound + 1 : nameRange.upperBound
            parts.append(.parameter(ShellParameterExpansion(
                name: String(decoding: bytes[nameRange], as: UTF8.self), operatorText: "", operand: nil,
                range: position..<expansionEnd)))
            position = expansionEnd
            literalStart = position
        }
        flushLiteral(upTo: end)
        return parts
    }

    /// The name of a plain parameter starting with the `$` at `offset`: a name, one
    /// digit or one special character, alone or in braces; nil for anything else,
    /// which stays literal text.
    private static func parameterName(at offset: Int, end: Int, in bytes: [UInt8]) -> Range<Int>? {
        guard offset + 1 < end else { return nil }
        let isBraced = bytes[offset + 1] == UInt8(ascii: "{")
        let nameStart = isBraced ? offset + 2 : offset + 1
        guard nameStart < end else { return nil }
        var nameEnd = nameStart
        let first = bytes[nameStart]
        if isNameStart(first) {
            nameEnd += 1
            while nameEnd < end && (isNameStart(bytes[nameEnd]) || GoTextDigits.isDigit(bytes[nameEnd])) { nameEnd += 1 }
        } else if GoTextDigits.isDigit(first) {
            nameEnd += 1
            while isBraced && nameEnd < end && GoTextDigits.isDigit(bytes[nameEnd]) { nameEnd += 1 }
        } else if "@*#?-$!".utf8.contains(first) {
            nameEnd += 1
        } else {
            return nil
        }
        if isBraced {
            guard nameEnd < end, bytes[nameEnd] == UInt8(ascii: "}") else { return nil }
        }
        return nameStart..<nameEnd
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }
}

/// A piece of a word.
///
/// Only the cases with large payloads are boxed: a literal or quoted part is stored
/// in its word's array, not in a heap box of its own.
public enum ShellWordPart: Hashable, Sendable {
    /// Unquoted text, backslash escapes resolved.
    case literal(String)
    /// `'text'`.
    case singleQuoted(String)
    /// `"…"`, with its own parts.
    case doubleQuoted([ShellWordPart])
    /// Bash's `$'…'`, escapes resolved.
    case ansiCQuoted(String)
    /// `$name`, `${name}`, `${name:-word}`, …
    indirect case parameter(ShellParameterExpansion)
    /// `$(list)`.
    indirect case commandSubstitution(ShellList)
    /// `` `list` ``.
    indirect case backquoted(ShellList)
    /// Bash's `<(list)` or `>(list)`.
    indirect case processSubstitution(ShellList)
    /// `$((expression))`.
    indirect case arithmetic(ShellArithmetic)

    /// The text this part always produces, or nil when it depends on run time.
    public var literalValue: String? {
        switch self {
        case .literal(let text), .singleQuoted(let text), .ansiCQuoted(let text):
            return text
        case .doubleQuoted(let parts):
            return Self.literalValue(of: parts)
        case .parameter, .commandSubstitution, .backquoted, .processSubstitution, .arithmetic:
            return nil
        }
    }
}

/// A parameter expansion.
public struct ShellParameterExpansion: Hashable, Sendable {
    /// The parameter's name (`HOME`, `1`, `@`, …).
    public let name: String
    /// Stored in 32 bits: each expansion is a box of its own, one per `$name`.
    private let span: ScriptSpan
    /// The operator and operand, boxed and nil for a plain `$name`, the common case:
    /// they would otherwise take 32 bytes of every expansion's box.
    private let operation: Operation?

    private indirect enum Operation: Hashable, Sendable {
        case applying(operatorText: String, operand: ShellWord?)
    }

    init(name: String, operatorText: String, operand: ShellWord?, range: Range<Int>) {
        self.name = name
        span = ScriptSpan(range)
        operation = operatorText.isEmpty && operand == nil ? nil : .applying(operatorText: operatorText, operand: operand)
    }

    /// The operator after the name (`:-`, `-`, `:+`, `#`, `%%`, `/`, …); empty when none.
    public var operatorText: String {
        guard case .applying(let operatorText, _)? = operation else { return "" }
        return operatorText
    }

    /// The operand after the operator, parsed as a word.
    public var operand: ShellWord? {
        guard case .applying(_, let operand)? = operation else { return nil }
        return operand
    }

    /// The whole expansion's bytes.
    public var range: Range<Int> { span.range }
}

/// A byte range of a script in 32 bits each end, for the nodes a script has one of per
/// word or command; scripts are parts of Dockerfiles, far below 4 GB.
struct ScriptSpan: Hashable, Sendable {
    private let start: UInt32
    private let end: UInt32

    init(_ range: Range<Int>) {
        start = UInt32(clamping: range.lowerBound)
        end = UInt32(clamping: range.upperBound)
    }

    var range: Range<Int> { Int(start)..<Int(end) }
}

extension ShellWordPart {
    /// The parts' values joined, or nil when one is known only at run time: a word's
    /// value, and a double-quoted part's.
    static func literalValue(of parts: [ShellWordPart]) -> String? {
        // One part, most words: its text as it is, not appended to an empty String.
        if parts.count == 1 { return parts[0].literalValue }
        var value = ""
        for part in parts {
            guard let text = part.literalValue else { return nil }
            value += text
        }
        return value
    }
}
