import DockwrightSyntax

/// Inline suppressions: `# dockwright ignore=…` and `# hadolint ignore=…` in the
/// comment lines right above an instruction, and `# dockwright global ignore=…` /
/// `# hadolint global ignore=…` anywhere in the file. Entries are codes or names.
public struct Suppressions: Sendable {
    /// Codes and names ignored in the whole file.
    public private(set) var global: Set<String> = []
    /// For each suppressed instruction's byte range, the codes and names ignored there.
    public private(set) var perInstruction: [(range: TextRange, entries: Set<String>)] = []

    /// Reads the suppressions of a parsed file.
    public init(_ syntax: DockerfileSyntax) {
        var pending: Set<String> = []
        // Where the first pending pragma is: the pragma covers the comment lines below it
        // too, so a finding on a comment (DL1001) can be silenced like one on an instruction.
        var pendingStart: Int?
        for item in syntax.items {
            switch item {
            case .trivia(let line) where line.kind == .comment:
                guard let pragma = Self.pragma(in: syntax.source.text(in: line.range)) else { continue }
                if pragma.isGlobal {
                    global.formUnion(pragma.entries)
                } else {
                    pending.formUnion(pragma.entries)
                    pendingStart = pendingStart ?? line.range.start
                }
            case .trivia(let line) where line.kind == .blank:
                // hadolint applies a pragma to the very next instruction; a blank line breaks the link.
                pending = []
                pendingStart = nil
            case .instruction(let instruction):
                if !pending.isEmpty {
                    let start = min(pendingStart ?? instruction.range.start, instruction.range.start)
                    perInstruction.append((TextRange(start: start, end: instruction.range.end), pending))
                }
                pending = []
                pendingStart = nil
            default:
                break
            }
        }
    }

    /// Whether a finding of `code`/`name` starting at `offset` is suppressed.
    public func suppresses(code: String, name: String, at offset: Int) -> Bool {
        if global.contains(code) || global.contains(name) { return true }
        return perInstruction.contains { entry in
            entry.range.contains(offset) && (entry.entries.contains(code) || entry.entries.contains(name))
        }
    }

    /// Parses `# <tool> [global] ignore=A,B` where tool is dockwright or hadolint.
    public static func pragma(in comment: String) -> (isGlobal: Bool, entries: Set<String>)? {
        var text = Substring(comment.trimmingGoSpaceCharacters())
        guard text.hasPrefix("#") else { return nil }
        text = text.dropFirst().drop { $0 == " " || $0 == "\t" }
        guard let tool = ["dockwright", "hadolint"].first(where: { text.hasPrefix($0) }) else { return nil }
        text = text.dropFirst(tool.count).drop { $0 == " " || $0 == "\t" }
        var isGlobal = false
        if text.hasPrefix("global") {
            isGlobal = true
            text = text.dropFirst("global".count).drop { $0 == " " || $0 == "\t" }
        }
        guard text.hasPrefix("ignore") else { return nil }
        text = text.dropFirst("ignore".count).drop { $0 == " " || $0 == "\t" }
        guard text.hasPrefix("=") else { return nil }
        text = text.dropFirst()
        let list = text.split(separator: ",").map {
            String($0.trimmingGoSpaceCharacters().prefix { $0 != " " && $0 != "\t" })
        }
        let entries = Set(list.filter { !$0.isEmpty })
        return entries.isEmpty ? nil : (isGlobal, entries)
    }
}

extension StringProtocol {
    /// The text without leading and trailing ASCII spaces, tabs and line ends.
    func trimmingGoSpaceCharacters() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
