import DockwrightModel
import DockwrightSyntax

/// Inline suppressions: `# dockwright ignore=…` and `# hadolint ignore=…` in the
/// comment lines right above an instruction, and `# dockwright global ignore=…` /
/// `# hadolint global ignore=…` anywhere in the file. Entries are codes or names;
/// `# dockwright` pragmas also take the BuildKit check name a rule implements
/// (`DuplicateStageName`), in any letter case as `--select` does. `# hadolint`
/// pragmas do not: hadolint's grammar allows only the letters of `DLSC` and digits in
/// an entry and drops the whole comment otherwise, so a file shared with hadolint
/// would be linted differently by the two tools.
public struct Suppressions: Sendable {
    /// Codes and names ignored in the whole file.
    public private(set) var global: Set<String> = []
    /// BuildKit check names, lower-cased, ignored in the whole file.
    public private(set) var globalCheckNames: Set<String> = []
    /// For each suppressed instruction's byte range, the codes and names ignored there,
    /// and the lower-cased BuildKit check names.
    public private(set) var perInstruction: [(range: TextRange, entries: Set<String>, checkNames: Set<String>)] = []

    /// Reads the suppressions of a parsed file.
    public init(_ syntax: DockerfileSyntax) {
        var pending: Set<String> = []
        // Where the first pending pragma is: the pragma covers the comment lines below it
        // too, so a finding on a comment (DL1001) can be silenced like one on an instruction.
        var pendingStart: Int?
        var pendingCheckNames: Set<String> = []
        for item in syntax.items {
            switch item {
            case .trivia(let line) where line.kind == .comment:
                guard let pragma = Pragma(comment: syntax.source.text(in: line.range)),
                      case .ignore(let entries, let isGlobal) = pragma.directive else { continue }
                let checkNames = pragma.tool == .dockwright ? Set(entries.map { $0.lowercased() }) : []
                if isGlobal {
                    global.formUnion(entries)
                    globalCheckNames.formUnion(checkNames)
                } else {
                    pending.formUnion(entries)
                    pendingCheckNames.formUnion(checkNames)
                    pendingStart = pendingStart ?? line.range.start
                }
            case .trivia(let line) where line.kind == .blank:
                // hadolint applies a pragma to the very next instruction; a blank line breaks the link.
                pending = []
                pendingStart = nil
                pendingCheckNames = []
            case .instruction(let instruction):
                if !pending.isEmpty {
                    let start = min(pendingStart ?? instruction.range.start, instruction.range.start)
                    perInstruction.append((TextRange(start: start, end: instruction.range.end), pending, pendingCheckNames))
                }
                pending = []
                pendingStart = nil
                pendingCheckNames = []
            default:
                break
            }
        }
    }

    /// Whether a finding of `code`/`name` (or of the BuildKit check `checkName`)
    /// starting at `offset` is suppressed.
    public func suppresses(code: String, name: String, checkName: String? = nil, at offset: Int) -> Bool {
        let loweredCheckName = checkName?.lowercased()
        func matches(_ entries: Set<String>, _ checkNames: Set<String>) -> Bool {
            entries.contains(code) || entries.contains(name) || loweredCheckName.map { checkNames.contains($0) } == true
        }
        if matches(global, globalCheckNames) { return true }
        // The ranges are in file order and do not overlap: a binary search finds the
        // one entry that can hold `offset`, so many pragmas and findings stay linear.
        var low = 0
        var high = perInstruction.count
        while low < high {
            let middle = (low + high) / 2
            if perInstruction[middle].range.end <= offset { low = middle + 1 } else { high = middle }
        }
        guard low < perInstruction.count else { return false }
        let entry = perInstruction[low]
        return entry.range.contains(offset) && matches(entry.entries, entry.checkNames)
    }
}

extension Suppressions {
    /// No suppressions: what a linter uses when pragmas are disabled.
    public init() {}
}
