import DockwrightSyntax

/// What linting one file produced.
public struct LintResult: Sendable {
    /// The parsed file.
    public let syntax: DockerfileSyntax
    /// The findings, unsuppressed, ordered by position then code.
    public let diagnostics: [Diagnostic]

    /// The same file with only the findings at `range` of ``diagnostics``, for a
    /// report written a few findings at a time.
    public func findings(_ range: Range<Int>) -> LintResult {
        LintResult(syntax: syntax, diagnostics: Array(diagnostics[range]))
    }
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
    /// Settings the rules read (the engine owns configuration; rules get it through the context).
    public let options: RuleOptions
    /// Checkers run after the rules (ShellCheck); their findings obey the same pragmas.
    public var externalCheckers: [any ExternalChecker] = []
    /// Whether inline `# hadolint ignore=` / `# dockwright ignore=` pragmas silence
    /// findings; hadolint's `disable-ignore-pragma` turns them off.
    public var honorsPragmas = true
    /// Whether findings keep their fixes. A report that never shows them drops each
    /// rule's fixes as soon as the rule is done; a file with a finding on every line
    /// would otherwise hold one per finding until it is printed.
    public var keepsFixes = true

    /// Creates a linter that runs `rules`.
    public init(
        rules: [any Rule], severityOverrides: [String: Severity] = [:], buildContext: BuildContextListing? = nil,
        options: RuleOptions = RuleOptions()
    ) {
        self.rules = rules
        self.severityOverrides = severityOverrides
        self.buildContext = buildContext
        self.options = options
        stamps = rules.map { rule in
            let description = type(of: rule).description
            return Stamp(
                code: description.code, name: description.name,
                severity: severityOverrides[description.code] ?? description.severity, summary: description.summary,
                url: description.url, buildKitCheckName: description.buildKitCheckName,
                greatestFixApplicability: description.fixAvailability == .none
                    ? nil : description.fixes.map(\.applicability).max() ?? .safe)
        }
    }

    /// What the engine stamps on a rule's findings, read once from its description
    /// (copying the whole description, examples included, per rule and file showed in
    /// profiles). A class: the loop over the rules takes one reference per rule and
    /// file instead of retaining each of its strings.
    private final class Stamp: Sendable {
        let code: String
        let name: String
        /// The configured severity, overrides applied.
        let severity: Severity
        let summary: String
        let url: String
        let buildKitCheckName: String?
        /// The safest fix the rule makes, as its fix examples show (any, without examples;
        /// nil for none): the fix loop defers the rules whose fixes it would not apply.
        let greatestFixApplicability: Applicability?

        init(
            code: String, name: String, severity: Severity, summary: String, url: String, buildKitCheckName: String?,
            greatestFixApplicability: Applicability?
        ) {
            self.code = code
            self.name = name
            self.severity = severity
            self.summary = summary
            self.url = url
            self.buildKitCheckName = buildKitCheckName
            self.greatestFixApplicability = greatestFixApplicability
        }

        /// Whether the rule may make a fix the fix loop applies at `level` (any fix when nil).
        func makesFixes(appliedAt level: Applicability?) -> Bool {
            guard let greatest = greatestFixApplicability, greatest != .displayOnly else { return false }
            return level.map { greatest >= $0 } ?? true
        }
    }

    /// One stamp per rule, in the order of ``rules``.
    private let stamps: [Stamp]

    /// Lints one file.
    public func lint(_ source: SourceFile) -> LintResult {
        lint(DockerfileSyntax.parse(source))
    }

    /// Lints an already parsed file.
    public func lint(_ syntax: DockerfileSyntax) -> LintResult {
        lint(syntax, applyingFixesFrom: nil)
    }

    /// Lints a file for the fix loop, which applies fixes at `level` and above (all when
    /// nil). A fix below it is never applied, only counted ("fixable with --unsafe"), so
    /// it keeps its title and applicability but not its edits: in `fix` at the safe level,
    /// a file with an unsafe fix on every install otherwise held all of them per pass.
    func lint(_ syntax: DockerfileSyntax, applyingFixesFrom level: Applicability?) -> LintResult {
        var started = start(syntax, applyingFixesFrom: level, deferringRulesWithoutFixesToApply: false)
        return finish(&started)
    }

    /// The first step of a lint: the syntax errors, the `# check=` directive and the
    /// rules, or when `deferringRulesWithoutFixesToApply` only the rules that may make a fix
    /// applied at `level` (their fix examples show the safest fix each makes).
    ///
    /// The fix loop lints each pass this way and runs the other rules (and the external
    /// checkers) only on the pass that applies nothing, the one whose findings it reports:
    /// the findings of the passes it applies fixes from are dropped unread but for their
    /// fixes, and on a large file they were most of a pass's peak memory (issue 13).
    func start(
        _ syntax: DockerfileSyntax, applyingFixesFrom level: Applicability?, deferringRulesWithoutFixesToApply: Bool
    ) -> LintInProgress {
        let source = syntax.source
        // One error per cause. BuildKit stops at its parser's first error, so what the
        // instruction stage finds after it is a consequence (an unterminated heredoc's
        // body read as instructions: "unknown instruction: echo").
        let firstParserError = syntax.errors.lazy.filter { $0.stage == .parser }.map(\.range.start).min()
        let errors = syntax.errors.filter { error in
            error.stage == .parser || firstParserError.map { error.range.start < $0 } ?? true
        }
        var diagnostics: [Diagnostic] = errors.map { error in
            let isParserError = error.stage == .parser
            return Diagnostic(
                code: isParserError ? Self.parseErrorCode : Self.buildErrorCode,
                name: isParserError ? "invalid-dockerfile" : "invalid-instruction", severity: .error,
                message: Self.withHint(error, in: source), path: source.path, range: error.range,
                start: source.location(of: error.range.start), end: source.location(of: error.range.end), fix: nil,
                url: "")
        }
        // Rules see a tree BuildKit accepts; on a file it rejects, only the errors are reported.
        // A file with no stage and an instruction error (`FORM alpine`) gets only that
        // error: every rule finding would restate that no FROM was read.
        let hasNoStage = !errors.isEmpty && !syntax.instructions.contains { $0.kind == .from }
        guard !syntax.hasParserErrors && !hasNoStage else {
            return LintInProgress(syntax: syntax, level: level, diagnostics: diagnostics, findingsByRule: [], rules: nil)
        }
        let checks = checkDirective(of: syntax, into: &diagnostics)
        let rules = LintInProgress.Rules(
            context: RuleContext(
                syntax: syntax, buildContext: buildContext, options: options, buildsFixes: keepsFixes,
                appliedFixLevel: level),
            checks: checks, suppressions: honorsPragmas ? Suppressions(syntax) : Suppressions())
        let findingsByRule = findings(
            in: rules, ofRulesWithFixesToApply: deferringRulesWithoutFixesToApply ? true : nil, applyingFixesFrom: level)
        return LintInProgress(
            syntax: syntax, level: level, diagnostics: diagnostics, findingsByRule: findingsByRule,
            rules: deferringRulesWithoutFixesToApply ? rules : nil)
    }

    /// The lint `started` finished: the rules it deferred run, on its file's model, which
    /// is released before the findings are gathered in order. `started` is left empty.
    func finish(_ started: inout LintInProgress) -> LintResult {
        precondition(started.canFinish, "a lint whose findings were taken cannot be finished")
        if let rules = started.rules {
            started.rules = nil
            started.findingsByRule += findings(in: rules, ofRulesWithFixesToApply: false, applyingFixesFrom: started.level)
        }
        // Gathered once the rules are done and the file's model is gone.
        var diagnostics = Self.withoutRestatedErrors(started.takeGathered())
        Self.order(&diagnostics)
        return LintResult(syntax: started.syntax, diagnostics: diagnostics)
    }

    /// Puts findings in report order: by position, then code.
    static func order(_ diagnostics: inout [Diagnostic]) {
        diagnostics.sort { ($0.range.start, $0.code, $0.range.end) < ($1.range.start, $1.code, $1.range.end) }
    }

    /// The findings of the rules, those with fixes only or those without only when
    /// `withFixes` says so, then (unless only those with fixes) of each external checker,
    /// in arrays of exactly their size.
    private func findings(
        in rules: LintInProgress.Rules, ofRulesWithFixesToApply withFixes: Bool?, applyingFixesFrom level: Applicability?
    ) -> [[Diagnostic]] {
        let context = rules.context
        let checks = rules.checks
        let suppressions = rules.suppressions
        let source = context.syntax.source
        let placement = Diagnostic.Placement.located(in: source)
        var findingsByRule: [[Diagnostic]] = []
        for (rule, description) in zip(self.rules, stamps)
        where withFixes.map({ $0 == description.makesFixes(appliedAt: level) }) ?? true {
            let checkName = description.buildKitCheckName
            if let checkName, checks.skips(checkName) { continue }
            let violations = rule.check(context)
            // Most rules find nothing in most files: nothing below is set up for them.
            if violations.isEmpty { continue }
            // `error=true` fails BuildKit's build on the check, whatever a re-grade says.
            let severity = checkName != nil && checks.isError ? .error : description.severity
            // One origin for the rule's findings in this file, made at its first finding,
            // and one per message template the rule uses (rules use one or two).
            var origin: Diagnostic.Origin?
            var templatedOrigins: [Diagnostic.Origin] = []
            // The edit-less stand-ins of the rule's fixes below `level`, one per title.
            var standIns: [FixStandInKey: Fix] = [:]
            var findings: [Diagnostic] = []
            findings.reserveCapacity(violations.count)
            for violation in violations
            where !suppressions.suppresses(
                code: description.code, name: description.name, checkName: checkName, at: violation.range.start) {
                let shared: Diagnostic.Origin
                if let template = violation.template {
                    if let known = templatedOrigins.first(where: { $0.template === template }) {
                        shared = known
                    } else {
                        shared = Diagnostic.Origin(
                            code: description.code, name: description.name, severity: severity, path: source.path,
                            url: description.url, template: template, placement: placement)
                        templatedOrigins.append(shared)
                    }
                } else {
                    shared = origin ?? Diagnostic.Origin(
                        code: description.code, name: description.name, severity: severity, path: source.path,
                        url: description.url, placement: placement)
                    origin = shared
                }
                var fix = keepsFixes ? violation.fix : nil
                if let level, let full = fix, full.applicability < level {
                    let key = FixStandInKey(title: full.title, applicability: full.applicability)
                    let standIn = standIns[key] ?? Fix(title: full.title, applicability: full.applicability, edits: [])
                    standIns[key] = standIn
                    fix = standIn
                }
                findings.append(Diagnostic(
                    origin: shared, text: violation.text ?? description.summary, range: violation.range, fix: fix))
            }
            if !findings.isEmpty { findingsByRule.append(findings) }
        }
        guard withFixes != true else { return findingsByRule }
        for checker in externalCheckers {
            let found = checker.findings(in: context).filter { finding in
                !suppressions.suppresses(code: finding.code, name: finding.name, at: finding.range.start)
            }
            guard !found.isEmpty else { continue }
            findingsByRule.append(found.map { finding in
                Diagnostic(
                    code: finding.code, name: finding.name, severity: finding.severity, message: finding.message,
                    path: source.path, range: finding.range, start: source.location(of: finding.range.start),
                    end: source.location(of: finding.range.end), fix: nil, url: finding.url)
            })
        }
        return findingsByRule
    }

    /// What tells the stand-ins of a rule's unapplied fixes apart.
    private struct FixStandInKey: Hashable {
        let title: String
        let applicability: Applicability
    }

    /// BuildKit errors a rule restates, with the fix, at the same place: `RUN` before
    /// any `FROM` is BuildKit's "no build stage in current context" and DL3061. Only
    /// the rule's finding stays (one finding per cause); with the rule off, the error does.
    private static let restatingRules = ["no build stage in current context": "DL3061"]

    private static func withoutRestatedErrors(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var ruleStarts: [String: Set<Int>] = [:]
        for diagnostic in diagnostics where restatingRules.values.contains(diagnostic.code) {
            ruleStarts[diagnostic.code, default: []].insert(diagnostic.range.start)
        }
        guard !ruleStarts.isEmpty else { return diagnostics }
        return diagnostics.filter { diagnostic in
            guard diagnostic.code == buildErrorCode, let code = restatingRules[diagnostic.message] else { return true }
            return ruleStarts[code]?.contains(diagnostic.range.start) != true
        }
    }

    /// The error's message, with what to do where the parser's own words do not say
    /// (they stay BuildKit's, for the dump; the hint is the linter's).
    private static func withHint(_ error: SyntaxError, in source: SourceFile) -> String {
        guard error.message == "unterminated heredoc" else { return error.message }
        // The range is the marker, `<<EOF`, `<<-EOF` or `<<"EOF"`.
        let marker = source.text(in: error.range)
        let name = marker.drop { $0 == "<" || $0 == "-" }.filter { $0 != "\"" && $0 != "'" }
        guard !name.isEmpty else { return error.message }
        return "unterminated heredoc: no line holding only `\(name)` ends it; add one after its last line"
    }

    /// The file's `# check=` options. BuildKit fails the build on a directive it cannot
    /// parse (dockerfile2llb `newRuleLinter`), so that is reported as a build error
    /// (DW000) and the directive is then ignored.
    private func checkDirective(of syntax: DockerfileSyntax, into diagnostics: inout [Diagnostic]) -> CheckDirective {
        guard let (directive, options) = CheckDirective.of(syntax) else { return CheckDirective() }
        switch options {
        case .success(let checks):
            return checks
        case .failure(let error):
            let source = syntax.source
            diagnostics.append(Diagnostic(
                code: Self.buildErrorCode, name: "invalid-instruction", severity: .error,
                message: "failed to parse check options: \(error.message); BuildKit fails the build, "
                    + "and dockwright ignores the directive",
                path: source.path, range: directive.valueRange, start: source.location(of: directive.valueRange.start),
                end: source.location(of: directive.valueRange.end), fix: nil, url: ""))
            return CheckDirective()
        }
    }
}
