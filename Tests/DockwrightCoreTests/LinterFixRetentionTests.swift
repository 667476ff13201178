import DockwrightCore
import DockwrightSyntax
import Testing

/// A rule for tests: every LABEL keyword is a finding with a fix that lowercases it.
private struct LowercaseLabelRule: Rule {
    static let description = RuleDescription(
        code: "DW912", name: "test-lowercase-label", category: .style, summary: "Test lowercase", severity: .info,
        fix: .always, rationale: "## Why\ntest", triggering: [], nonTriggering: [])

    init() {}

    func check(_ context: RuleContext) -> [Violation] {
        context.syntax.instructions.filter { $0.kind == .label }.map { instruction in
            Violation(
                range: instruction.keyword.range, message: "lowercase it",
                fix: Fix(title: "Lowercase", applicability: .safe, edits: [Edit(range: instruction.keyword.range, replacement: "label")]))
        }
    }
}

/// A rule for tests: says in its message whether its context builds fixes, and offers
/// one only through ``RuleContext/fix(_:)``.
private struct FixBuildingRule: Rule {
    static let description = RuleDescription(
        code: "DW914", name: "test-fix-building", category: .style, summary: "Test fix building", severity: .info,
        fix: .always, rationale: "## Why\ntest", triggering: [], nonTriggering: [])

    init() {}

    func check(_ context: RuleContext) -> [Violation] {
        context.syntax.instructions.filter { $0.kind == .label }.map { instruction in
            Violation(
                range: TextRange(start: instruction.keyword.range.end + 1, end: instruction.range.end),
                message: context.buildsFixes ? "builds" : "skips",
                fix: context.fix {
                    Fix(title: "Lowercase", applicability: .safe, edits: [Edit(range: instruction.keyword.range, replacement: "label")])
                })
        }
    }
}

/// A report that never shows fixes gets the same findings without them.
@Suite struct LinterFixRetentionTests {
    @Test func withoutFixesTheFindingsAreTheSameAndCarryNone() {
        let source = SourceFile(path: "Dockerfile", text: "FROM alpine:3.20\nLABEL a=b\nLABEL c=d\n")
        var linter = Linter(rules: [LowercaseLabelRule()])
        let kept = linter.lint(source).diagnostics
        linter.keepsFixes = false
        let dropped = linter.lint(source).diagnostics
        #expect(kept.count == 2 && kept.allSatisfy { $0.fix?.title == "Lowercase" })
        #expect(dropped.count == 2 && dropped.allSatisfy { $0.fix == nil })
        for (with, without) in zip(kept, dropped) {
            #expect(with.code == without.code && with.message == without.message && with.range == without.range)
            #expect(with.start == without.start && with.end == without.end && with.severity == without.severity)
        }
    }

    /// Rules are told when fixes are dropped, so they can skip building them.
    @Test func rulesSkipBuildingFixesThatAreDropped() {
        let source = SourceFile(path: "Dockerfile", text: "FROM alpine:3.20\nLABEL a=b\n")
        var linter = Linter(rules: [FixBuildingRule()])
        #expect(linter.lint(source).diagnostics.map { "\($0.message) \($0.fix != nil)" } == ["builds true"])
        linter.keepsFixes = false
        #expect(linter.lint(source).diagnostics.map { "\($0.message) \($0.fix != nil)" } == ["skips false"])
    }

    /// Lines and columns, computed from the file when asked for, are where the bytes
    /// are, counted in Unicode scalars, past multi-byte text and across lines.
    @Test func positionsAreComputedWhereTheBytesAre() {
        let source = SourceFile(path: "Dockerfile", text: "FROM alpine:3.20\nLABEL é=\"ü\" \\\n  x=y")
        let findings = Linter(rules: [FixBuildingRule()]).lint(source).diagnostics
        #expect(findings.map { "\($0.start)-\($0.end)" } == ["2:7-3:6"])
        #expect(findings.map(\.range) == [TextRange(start: 23, end: 38)])
        #expect(findings.first.map { $0.start == source.location(of: $0.range.start) && $0.end == source.location(of: $0.range.end) } == true)
    }
}
