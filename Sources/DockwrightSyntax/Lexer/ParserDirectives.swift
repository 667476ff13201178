/// Recognises parser directives with BuildKit's rules.
///
/// BuildKit feeds every line it reads to its directive parser until one line does
/// not look like `# name=value` or names an unknown directive; from then on nothing
/// is a directive. A blank line, a plain comment and any instruction all end the
/// directive block. Each directive may appear once.
struct ParserDirectiveScanner {
    /// The directives BuildKit knows; `check` arrived after the oracle's v0.12.5.
    static let knownNames: Set<String> = ["syntax", "escape", "check"]

    /// What one line meant to the directive parser.
    enum Outcome {
        /// The line was not looked at, or did not end the block.
        case notDirective
        /// A directive: its lower-case name and the logical ranges of line and value.
        case directive(name: String, value: Range<Int>)
        /// A repeated directive: BuildKit fails the build.
        case duplicate(name: String, value: Range<Int>)
    }

    private(set) var isDone = false
    private var seen: Set<String> = []

    /// Looks at one line (already stripped of its line end, and of leading
    /// whitespace when it starts an instruction), as `DirectiveParser.ParseLine` does.
    mutating func scan(_ bytes: [UInt8], _ range: Range<Int>) -> Outcome {
        guard !isDone else { return .notDirective }
        guard let (name, value) = Self.match(bytes, range) else {
            isDone = true
            return .notDirective
        }
        guard Self.knownNames.contains(name) else {
            isDone = true
            return .notDirective
        }
        if seen.contains(name) { return .duplicate(name: name, value: value) }
        seen.insert(name)
        return .directive(name: name, value: value)
    }

    /// Matches `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` by hand; `\s` is RE2's
    /// `[\t\n\f\r ]`, without the vertical tab.
    static func match(_ bytes: [UInt8], _ range: Range<Int>) -> (name: String, value: Range<Int>)? {
        func isRE2Space(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
        }
        var position = range.lowerBound
        let end = range.upperBound
        guard position < end, bytes[position] == UInt8(ascii: "#") else { return nil }
        position += 1
        while position < end && isRE2Space(bytes[position]) { position += 1 }
        guard position < end, GoText.isASCIILetter(bytes[position]) else { return nil }
        let nameStart = position
        while position < end && (GoText.isASCIILetter(bytes[position]) || GoText.isASCIIDigit(bytes[position])) {
            position += 1
        }
        let name = GoText.asciiLowercased(bytes[nameStart..<position])
        while position < end && isRE2Space(bytes[position]) { position += 1 }
        guard position < end, bytes[position] == UInt8(ascii: "=") else { return nil }
        position += 1
        guard position < end else { return nil }
        var valueStart = position
        while valueStart < end && isRE2Space(bytes[valueStart]) { valueStart += 1 }
        var valueEnd = end
        while valueEnd > valueStart && isRE2Space(bytes[valueEnd - 1]) { valueEnd -= 1 }
        if valueStart == valueEnd {
            // Only whitespace after `=`: the lazy `(.+?)` still needs one character,
            // so the regex backtracks and captures the last one.
            return (name, (end - 1)..<end)
        }
        return (name, valueStart..<valueEnd)
    }
}
