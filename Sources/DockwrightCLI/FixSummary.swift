import DockwrightCore

/// What `dockwright fix PATH …` tells the user on standard error: how many findings
/// it fixed in how many files, how many remain and how many of those `--unsafe`
/// would fix (`Fixed 7 findings in 3 files; 21 remain (4 fixable with --unsafe).`).
struct FixSummary {
    private var fixed = 0
    private var files = 0
    private var remaining = 0
    private var unsafeFixable = 0
    private var safeFixable = 0

    /// Counts one file's result.
    mutating func add(_ result: FixResult, changed: Bool, level: Applicability) {
        if changed {
            fixed += result.appliedCount
            files += 1
        }
        remaining += result.remaining.diagnostics.count
        for diagnostic in result.remaining.diagnostics {
            switch diagnostic.fix?.applicability {
            case .unsafe? where level == .safe: unsafeFixable += 1
            case .safe?: safeFixable += 1
            default: break
            }
        }
    }

    /// Takes back a file that could not be written: its fixes did not happen.
    mutating func unwritten(_ result: FixResult) {
        fixed -= result.appliedCount
        files -= 1
    }

    /// The summary line; `isDryRun` for `--diff` and `--check`, which write nothing.
    func text(isDryRun: Bool, level: Applicability) -> String {
        let findings = "\(fixed) finding\(fixed == 1 ? "" : "s")"
        let filesText = "\(files) file\(files == 1 ? "" : "s")"
        var text: String
        if fixed == 0 {
            text = "Nothing to fix"
        } else {
            text = (isDryRun ? "Would fix " : "Fixed ") + "\(findings) in \(filesText)"
        }
        if remaining == 0 {
            text += fixed == 0 ? "." : "; none remain."
        } else {
            text += "; \(remaining) remain\(remaining == 1 ? "s" : "")"
            var fixable: [String] = []
            if unsafeFixable > 0 { fixable.append("\(unsafeFixable) fixable with --unsafe") }
            // Fixes the loop dropped (they would break the file) or left for another run.
            if safeFixable > 0 { fixable.append("\(safeFixable) with a fix that was not applied") }
            text += fixable.isEmpty ? "." : " (\(fixable.joined(separator: ", ")))."
        }
        return text + "\n"
    }

    /// `--show-fixes`: each fix applied to a file, counted by rule and title.
    static func fixList(_ result: FixResult, path: String) -> String {
        guard !result.applied.isEmpty else { return "" }
        var counts: [(key: String, count: Int)] = []
        for (code, fix) in result.applied {
            let key = "\(code) \(fix.title)"
            if let index = counts.firstIndex(where: { $0.key == key }) {
                counts[index].count += 1
            } else {
                counts.append((key, 1))
            }
        }
        return "\(path):\n" + counts.map { "  \($0.count) × \($0.key)\n" }.joined()
    }

    /// `--show-remaining`: the findings left after fixing, one line each.
    static func remainingLines(_ result: FixResult) -> String {
        result.remaining.diagnostics.map { diagnostic in
            let marker = diagnostic.fix.map { $0.applicability == .unsafe ? " [unsafe fix]" : " [fix]" } ?? ""
            return "\(diagnostic.path):\(diagnostic.start.line):\(diagnostic.start.column): "
                + "\(diagnostic.severity.rawValue) [\(diagnostic.code)] \(diagnostic.message)\(marker)\n"
        }.joined()
    }

    /// A unified diff with ANSI colours, as git prints one: headers bold, hunk lines
    /// cyan, removals red, additions green.
    static func colored(diff: String) -> String {
        diff.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let color: String
            if line.hasPrefix("---") || line.hasPrefix("+++") {
                color = "1"
            } else if line.hasPrefix("@@") {
                color = "36"
            } else if line.hasPrefix("-") {
                color = "31"
            } else if line.hasPrefix("+") {
                color = "32"
            } else {
                return String(line)
            }
            return "\u{1B}[\(color)m" + line + "\u{1B}[0m"
        }.joined(separator: "\n")
    }
}
