/// A comment addressed to the linter: `# dockwright …` or `# hadolint …`. The one
/// grammar that suppression, merging and layer reordering all read.
public struct Pragma: Hashable, Sendable {
    /// The tool the comment addresses.
    public enum Tool: String, Hashable, Sendable {
        case dockwright
        case hadolint
    }

    /// What the comment says.
    public enum Directive: Hashable, Sendable {
        /// `ignore=A,B` or `global ignore=A,B`: codes or names (and for dockwright,
        /// BuildKit check names) whose findings are silenced.
        case ignore(entries: Set<String>, isGlobal: Bool)
        /// `shell=NAME`: hadolint's pragma naming the shell the RUNs below it are
        /// written for (`# hadolint shell=powershell`), so they are not read as POSIX sh.
        case shell(String)
        /// Anything else after the tool name (`# hadolint shell=powershell`, or an
        /// `ignore=` with no entries): not understood, but still the linter's, so a
        /// rewrite must not move it away from its instruction.
        case other
    }

    /// The tool addressed.
    public let tool: Tool
    /// What it says.
    public let directive: Directive

    /// The ignore entries, when the pragma is a (non-global) `ignore=`.
    public var ignoredEntries: Set<String>? {
        if case .ignore(let entries, false) = directive { return entries }
        return nil
    }

    /// A pragma saying `directive` to `tool`.
    public init(tool: Tool, directive: Directive) {
        self.tool = tool
        self.directive = directive
    }

    /// Reads a comment line (`#` first, after optional spaces), or nil when it is not
    /// addressed to dockwright or hadolint.
    ///
    /// `# <tool> [global] ignore=A,B`: spaces are allowed around each word and entry,
    /// and an entry ends at its first space (hadolint's pragma parser).
    public init?(comment: some StringProtocol) {
        self.init(line: Substring(comment))
    }

    /// ``init(comment:)`` on one concrete type: called from other modules, the generic
    /// initializer ran unspecialized, a witness call per byte, for every comment line.
    private init?(line comment: Substring) {
        guard Self.mayAddressATool(comment.utf8) else { return nil }
        var text = comment.drop { Self.isSpace($0) }
        guard text.hasPrefix("#") else { return nil }
        text = text.dropFirst().drop { $0 == " " || $0 == "\t" }
        // The bytes first: a comment that does not start with a tool's name in bytes does
        // not by Character either (no character is canonically equivalent to these ASCII
        // letters), and most comments that get here name neither.
        guard let tool = [Tool.dockwright, .hadolint].first(where: {
            text.utf8.starts(with: $0.rawValue.utf8) && text.hasPrefix($0.rawValue)
        }) else { return nil }
        self.tool = tool
        text = text.dropFirst(tool.rawValue.count).drop { $0 == " " || $0 == "\t" }
        self.directive = Self.directive(in: text) ?? .other
    }

    private static func directive(in rest: Substring) -> Directive? {
        var text = rest
        if text.hasPrefix("shell") {
            let value = text.dropFirst("shell".count).drop { $0 == " " || $0 == "\t" }
            guard value.hasPrefix("=") else { return nil }
            let shell = value.dropFirst().drop { isSpace($0) }.prefix { !isSpace($0) }
            return shell.isEmpty ? nil : .shell(String(shell))
        }
        var isGlobal = false
        if text.hasPrefix("global") {
            isGlobal = true
            text = text.dropFirst("global".count).drop { $0 == " " || $0 == "\t" }
        }
        guard text.hasPrefix("ignore") else { return nil }
        text = text.dropFirst("ignore".count).drop { $0 == " " || $0 == "\t" }
        guard text.hasPrefix("=") else { return nil }
        let entries = text.dropFirst().split(separator: ",").map { entry in
            String(entry.drop { isSpace($0) }.prefix { !isSpace($0) })
        }.filter { !$0.isEmpty }
        return entries.isEmpty ? nil : .ignore(entries: Set(entries), isGlobal: isGlobal)
    }

    /// Whether the bytes are spaces, `#`, spaces and then a `d` or an `h`: what every
    /// pragma starts with. Most comments are not pragmas, and reading them by Character
    /// cost more than reading the rest of the file; a comment this turns away is one the
    /// reading by Character turns away too, as a space or `#` followed by a combining
    /// mark is neither there nor here.
    private static func mayAddressATool(_ bytes: some Collection<UInt8>) -> Bool {
        var index = bytes.startIndex
        while index != bytes.endIndex, isSpaceByte(bytes[index]) { index = bytes.index(after: index) }
        guard index != bytes.endIndex, bytes[index] == UInt8(ascii: "#") else { return false }
        index = bytes.index(after: index)
        while index != bytes.endIndex, bytes[index] == 0x20 || bytes[index] == 0x09 { index = bytes.index(after: index) }
        return index != bytes.endIndex && (bytes[index] == UInt8(ascii: "d") || bytes[index] == UInt8(ascii: "h"))
    }

    /// A space, tab, CR or LF, tested without the array a literal list would build per byte.
    private static func isSpaceByte(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    private static func isSpace(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\r" || character == "\n" || character == "\r\n"
    }
}
