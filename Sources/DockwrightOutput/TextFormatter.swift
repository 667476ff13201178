import DockwrightCore
import DockwrightSyntax

/// The human format: a header per finding, the source lines with the span
/// underlined, a help line naming the fix, and a footer with counts.
public struct TextFormatter: Sendable {
    /// Whether to use ANSI colours.
    public let usesColor: Bool

    /// Creates a formatter.
    public init(usesColor: Bool = false) {
        self.usesColor = usesColor
    }

    /// How many findings were rendered, and how many of them carry a fix; the footer's figures.
    public struct Tally: Sendable {
        var findings = 0
        var safeFixes = 0
        var unsafeFixes = 0

        /// An empty tally.
        public init() {}

        /// Counts another tally's findings into this one.
        mutating func add(_ other: Tally) {
            findings += other.findings
            safeFixes += other.safeFixes
            unsafeFixes += other.unsafeFixes
        }
    }

    /// Renders the findings of several files, then the footer.
    public func format(_ results: [LintResult]) -> String {
        var tally = Tally()
        return results.map { format($0, tally: &tally) }.joined() + footer(tally)
    }

    /// Renders one file's findings, counting them into `tally`.
    public func format(_ result: LintResult, tally: inout Tally) -> String {
        var text = ""
        for diagnostic in result.diagnostics {
            text += render(diagnostic, in: result.syntax.source) + "\n"
            tally.findings += 1
            switch diagnostic.fix?.applicability {
            case .safe?: tally.safeFixes += 1
            case .unsafe?: tally.unsafeFixes += 1
            default: break
            }
        }
        return text
    }

    /// The closing line with the counts and the fix hints; empty when nothing was found.
    public func footer(_ tally: Tally) -> String {
        guard tally.findings > 0 else { return "" }
        var text = "Found \(tally.findings) finding\(tally.findings == 1 ? "" : "s")."
        if tally.safeFixes > 0 { text += " \(tally.safeFixes) fixable with `dockwright fix`." }
        if tally.unsafeFixes > 0 { text += " \(tally.unsafeFixes) more with `dockwright fix --unsafe`." }
        return text + "\n"
    }

    /// One finding with its code frame.
    public func render(_ diagnostic: Diagnostic, in source: SourceFile) -> String {
        let marker = diagnostic.fix?.applicability == .safe ? " [*]" : ""
        // Control characters from file names and Dockerfile text never reach the terminal raw.
        var text = "\(paint(TerminalText.escaped(diagnostic.path), "1")):\(diagnostic.start.line):\(diagnostic.start.column): "
            + "\(paint(diagnostic.severity.rawValue, color(for: diagnostic.severity))) [\(diagnostic.code)]\(marker) "
            + "\(TerminalText.escaped(diagnostic.message))\n"
        text += frame(diagnostic, in: source)
        if let fix = diagnostic.fix, fix.applicability != .displayOnly {
            text += "  = help: \(fix.title) (\(fix.applicability == .safe ? "safe" : "unsafe") fix)\n"
        }
        return text
    }

    /// The first line of the span with its number and a caret underline.
    private func frame(_ diagnostic: Diagnostic, in source: SourceFile) -> String {
        let lineIndex = diagnostic.start.line - 1
        let lines = source.lineIndex
        guard lineIndex >= 0, lineIndex < lines.lineCount else { return "" }
        let lineStart = lines.start(ofLine: lineIndex)
        var lineEnd = lineIndex + 1 < lines.lineCount ? lines.start(ofLine: lineIndex + 1) : source.bytes.count
        while lineEnd > lineStart && (source.bytes[lineEnd - 1] == 0x0A || source.bytes[lineEnd - 1] == 0x0D) { lineEnd -= 1 }
        let line = TerminalText.escaped(String(decoding: source.bytes[lineStart..<lineEnd], as: UTF8.self))
        let gutter = String(diagnostic.start.line)
        let padding = String(repeating: " ", count: gutter.count)
        // Tabs are kept under the span so the carets line up in any tab width.
        let prefix = line.unicodeScalars.prefix(diagnostic.start.column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
        let spanEnd = diagnostic.end.line == diagnostic.start.line ? diagnostic.end.column : line.unicodeScalars.count + 1
        let width = Swift.max(1, spanEnd - diagnostic.start.column)
        return "\(padding) |\n\(gutter) | \(line)\n\(padding) | \(prefix)\(paint(String(repeating: "^", count: width), "31"))\n"
    }

    private func color(for severity: Severity) -> String {
        switch severity {
        case .error: return "31"
        case .warning: return "33"
        case .info: return "36"
        case .style: return "35"
        }
    }

    private func paint(_ text: String, _ code: String) -> String {
        usesColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
