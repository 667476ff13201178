import DockwrightCore

/// The output formats `--format` accepts. The last five are hadolint's shapes, so CI
/// set up for hadolint keeps reading the report.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, json, sarif, checkstyle, gnu, github, gitlab, junit
    case tty, codeclimate
    case gitlabCodeclimate = "gitlab_codeclimate"
    case sonarqube, codacy

    /// Whether the report shows findings' fixes: JSON's `fix` objects and the text
    /// format's fix lines and markers. Every other format leaves them out.
    public var showsFixes: Bool { self == .json || self == .text }

    /// Renders lint results; `rules` supplies rule metadata (SARIF's rule table).
    public func render(_ results: [LintResult], rules: [any Rule.Type], usesColor: Bool = false) -> String {
        var report = ReportStream(format: self, rules: rules, usesColor: usesColor)
        return report.header + results.map { report.add($0) }.joined() + report.footer()
    }
}

/// A report written one file at a time: ``header``, then ``add(_:)`` for each file in
/// order, then ``footer()``. A caller that writes each part as it comes can drop each
/// file's tree at once, so linting many files holds a few trees, not all of them.
public struct ReportStream: Sendable {
    /// The format being written.
    public let format: OutputFormat
    /// What opens the report, before the first file.
    public let header: String
    private let usesColor: Bool
    private let sarifRuleIndices: [String: Int]
    private var hasWrittenAnObject = false
    private var tally = TextFormatter.Tally()
    // JUnit's opening tag carries the totals, so its suites wait for the footer;
    // they hold the findings' text only, never a file's source.
    private var junitSuites = ""
    private var junitTests = 0
    private var junitFailures = 0

    /// Starts a report; `rules` supplies rule metadata (SARIF's rule table).
    public init(format: OutputFormat, rules: [any Rule.Type], usesColor: Bool = false) {
        self.format = format
        self.usesColor = usesColor
        switch format {
        case .json, .gitlab, .gitlabCodeclimate: header = "["
        case .sarif: header = MachineFormats.sarifHeader(rules: rules)
        case .checkstyle: header = MachineFormats.checkstyleHeader
        case .sonarqube: header = "{\"issues\": ["
        case .text, .gnu, .github, .junit, .tty, .codeclimate, .codacy: header = ""
        }
        sarifRuleIndices = format == .sarif ? MachineFormats.sarifRuleIndices(rules: rules) : [:]
    }

    /// The part of the report for one more file.
    public mutating func add(_ result: LintResult) -> String {
        add(render(result))
    }

    /// One file's part of the report, rendered without the report's running state
    /// (separators, totals), so a worker thread can render it and drop the file's tree
    /// while the caller writes the parts before it.
    public struct RenderedFile: Sendable {
        fileprivate enum Content: Sendable {
            /// Text written as it is.
            case text(String)
            /// Array elements joined by the format's separator, which also goes before
            /// them unless they open the report. Joined as they are rendered: a file of
            /// many findings never holds its elements and their joined text at once.
            case elements(String, separator: String)
            /// The text format's findings, and what they add to the footer's figures.
            case findings(String, TextFormatter.Tally)
            /// A JUnit suite, kept for the footer, with its test and failure counts.
            case junitSuite(String, tests: Int, failures: Int)
        }

        fileprivate let content: Content

        /// Array elements, rendered one at a time into their joined text.
        fileprivate static func elements(_ elements: some Sequence<String>, separator: String) -> RenderedFile {
            RenderedFile(content: .elements(elements.joined(separator: separator), separator: separator))
        }
    }

    /// Whether a file's part is its findings' parts one after another, so that a file
    /// can be rendered and written a slice of its findings at a time. Not for the
    /// formats that wrap a file's findings (Checkstyle, JUnit) or number its twins
    /// across the file (the fingerprints of SARIF and GitLab).
    public var rendersInSlices: Bool {
        switch format {
        case .text, .json, .gnu, .github, .tty, .codeclimate, .sonarqube, .codacy: true
        case .sarif, .checkstyle, .gitlab, .junit, .gitlabCodeclimate: false
        }
    }

    /// Renders one file's part; ``add(_:)-(RenderedFile)`` then places it in the report.
    public func render(_ result: LintResult) -> RenderedFile {
        switch format {
        case .text:
            var fileTally = TextFormatter.Tally()
            let text = TextFormatter(usesColor: usesColor).format(result, tally: &fileTally)
            return RenderedFile(content: .findings(text, fileTally))
        case .json:
            let separator = MachineFormats.arraySeparator
            return RenderedFile(content: .elements(MachineFormats.jsonElements(result, separator: separator), separator: separator))
        case .gitlab: return .elements(MachineFormats.gitlabObjects(result), separator: MachineFormats.arraySeparator)
        case .sarif: return .elements(MachineFormats.sarifResults(result, ruleIndices: sarifRuleIndices), separator: ", ")
        case .checkstyle: return RenderedFile(content: .text(MachineFormats.checkstyle(result)))
        case .gnu: return RenderedFile(content: .text(MachineFormats.gnu(result)))
        case .github: return RenderedFile(content: .text(MachineFormats.github(result)))
        case .tty: return RenderedFile(content: .text(HadolintFormats.tty(result, usesColor: usesColor)))
        case .codeclimate: return RenderedFile(content: .text(HadolintFormats.codeClimateObjects(result).lazy.map { $0 + "\u{0}" }.joined()))
        case .gitlabCodeclimate:
            return .elements(HadolintFormats.codeClimateObjects(result, withFingerprints: true), separator: ", ")
        case .sonarqube: return .elements(HadolintFormats.sonarQubeObjects(result), separator: ", ")
        case .codacy: return RenderedFile(content: .text(HadolintFormats.codacyObjects(result).lazy.map { $0 + "\n" }.joined()))
        case .junit:
            return RenderedFile(content: .junitSuite(
                MachineFormats.junitSuite(result), tests: Swift.max(1, result.diagnostics.count), failures: result.diagnostics.count))
        }
    }

    /// The part of the report for one more file, rendered by ``render(_:)``.
    public mutating func add(_ rendered: RenderedFile) -> String {
        var text = ""
        add(rendered) { text += $0 }
        return text
    }

    /// Places a rendered part in the report, handing `write` its pieces in order: a
    /// part as large as a file's findings is written as it is, never copied to join it
    /// to a separator.
    public mutating func add(_ rendered: RenderedFile, write: (String) -> Void) {
        switch rendered.content {
        case .text(let text):
            write(text)
        case .elements(let elements, let separator):
            guard !elements.isEmpty else { return }
            if hasWrittenAnObject { write(separator) }
            hasWrittenAnObject = true
            write(elements)
        case .findings(let text, let fileTally):
            tally.add(fileTally)
            write(text)
        case .junitSuite(let suite, let tests, let failures):
            junitSuites += suite
            junitTests += tests
            junitFailures += failures
        }
    }

    /// What closes the report, after the last file.
    public func footer() -> String {
        switch format {
        case .text: return TextFormatter(usesColor: usesColor).footer(tally)
        case .json, .gitlab, .gitlabCodeclimate: return "]\n"
        case .sarif: return MachineFormats.sarifFooter
        case .checkstyle: return MachineFormats.checkstyleFooter
        case .sonarqube: return "]}\n"
        case .gnu, .github, .tty, .codeclimate, .codacy: return ""
        case .junit:
            return MachineFormats.junitHeader(tests: junitTests, failures: junitFailures) + junitSuites + MachineFormats.junitFooter
        }
    }
}
