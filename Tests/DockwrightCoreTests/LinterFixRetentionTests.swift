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
}
