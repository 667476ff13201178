import DockwrightSyntax

/// What linting one file produced.
public struct LintResult: Sendable {
    /// The parsed file.
    public let syntax: DockerfileSyntax
    /// The findings, unsuppressed, ordered by position then code.
    public let diagnostics: [Diagnostic]
}

/// Runs rules over files: the engine stamps codes and severities, turns syntax
/// errors into findings, applies suppressions and orders the output.
public struct Linter: Sendable {
    /// The code of a file BuildKit's parser rejects (hadolint's DL1000).
    public static let parseErrorCode = "DL1000"
    /// The code of what BuildKit's instruction stage rejects.
    public static let buildErrorCode = "DW000"

    /// The rules to run.
    public let rules: [any Rule]
    /// Severity overrides by code.
    public let severityOverrides: [String: Severity]
    /// The files of the build context the linted files are built with, when known.
    public let buildContext: BuildContextListing?
    /// Checkers run after the rules (ShellCheck); their findings obey the same pragmas.
    public var externalCheckers: [any ExternalChecker] = []

    /// Creates a linter that runs `rules`.
    public init(rules: [any Rule], severityOverrides: [String: Severity] = [:], buildContext: BuildContextListing? = nil) {
        self.rules = rules
        self.severityOverrides = severityOverrides
        self.buildContext = buildContext
    }

    /// Lints one file.
    public func lint(_ source: SourceFile) -> LintResult {
        lint(DockerfileSyntax.parse(source))
    }

    /// Lints an already parsed file.
    public func lint(_ syntax: DockerfileSyntax) -> LintResult {
        let source = syntax.source
        var diagnostics: [Diagnostic] = syntax.errors.map { error in
            let isParserError = error.stage == .parser
            return Diagnostic(
                code: isParserError ? Self.parseErrorCode : Self.buildErrorCode,
                name: isParserError ? "invalid-dockerfile" : "invalid-instruction", severity: .error,
                message: error.message, path: source.path, range: error.range,
                start: source.location(of: error.range.start), end: source.location(of: error.range.end), fix: nil,
                url: "")
        }
        // Rules see a tree BuildKit accepts; on a file it rejects, only the errors are reported.
        if !syntax.hasParserErrors {
            let context = RuleContext(syntax: syntax, buildContext: buildContext)
            let suppressions = Suppressions(syntax)
            for rule in rules {
                let description = type(of: rule).description
                for violation in rule.check(context)
                where !suppressions.suppresses(code: description.code, name: description.name, at: violation.range.start) {
                    diagnostics.append(Diagnostic(
                        code: description.code, name: description.name,
                        severity: severityOverrides[description.code] ?? description.severity,
                        message: violation.message ?? description.summary, path: source.path, range: violation.range,
                        start: source.location(of: violation.range.start), end: source.location(of: violation.range.end),
                        fix: violation.fix, url: description.url))
                }
            }
            for checker in externalCheckers {
                for finding in checker.findings(in: context)
                where !suppressions.suppresses(code: finding.code, name: finding.name, at: finding.range.start) {
                    diagnostics.append(Diagnostic(
                        code: finding.code, name: finding.name, severity: finding.severity, message: finding.message,
                        path: source.path, range: finding.range, start: source.location(of: finding.range.start),
                        end: source.location(of: finding.range.end), fix: nil, url: finding.url))
                }
            }
        }
        diagnostics.sort { ($0.range.start, $0.code, $0.range.end) < ($1.range.start, $1.code, $1.range.end) }
        return LintResult(syntax: syntax, diagnostics: diagnostics)
    }
}
