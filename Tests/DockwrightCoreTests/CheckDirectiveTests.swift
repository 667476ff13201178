import DockwrightCore
import DockwrightSyntax
import Testing

/// A stand-in for a rule implementing a BuildKit check: flags every LABEL keyword.
private struct LabelCheckRule: Rule {
    static let description = RuleDescription(
        code: "DW910", name: "test-label-check", category: .style, summary: "Test check", severity: .warning,
        fix: .none, rationale: "## Why\ntest", triggering: [], nonTriggering: [], buildKitCheckName: "DuplicateStageName")

    init() {}

    func check(_ context: RuleContext) -> [Violation] {
        context.syntax.instructions.filter { $0.kind == .label }.map { Violation(range: $0.keyword.range) }
    }
}

/// The same findings from a rule BuildKit has no check for.
private struct LabelPlainRule: Rule {
    static let description = RuleDescription(
        code: "DW911", name: "test-label-plain", category: .style, summary: "Test plain", severity: .info,
        fix: .none, rationale: "## Why\ntest", triggering: [], nonTriggering: [])

    init() {}

    func check(_ context: RuleContext) -> [Violation] {
        context.syntax.instructions.filter { $0.kind == .label }.map { Violation(range: $0.keyword.range) }
    }
}

@Suite struct CheckDirectiveTests {
    private func lint(_ text: String, overrides: [String: Severity] = [:]) -> [Diagnostic] {
        Linter(rules: [LabelCheckRule(), LabelPlainRule()], severityOverrides: overrides)
            .lint(SourceFile(path: "D", text: text)).diagnostics
    }

    @Test func parsesAsBuildKitDoes() throws {
        let options = try CheckDirective.parse(" skip = A, B ,C; error = True ").get()
        #expect(options.skipped == ["A", "B", "C"])
        #expect(options.isError && !options.skipsAll)
        #expect(try CheckDirective.parse("skip=all").get().skipsAll)
        #expect(try CheckDirective.parse("").get() == CheckDirective())
        #expect(try CheckDirective.parse("experimental=all;skip=X").get().enablesAllExperimental)
        // SplitN(…, 3): the third part keeps its `;`, so this is one odd experimental name, not an error.
        #expect(try CheckDirective.parse("error=0;skip=A;experimental=B;junk").get().experimental == ["B;junk"])
        #expect(throws: CheckDirectiveError.self) { try CheckDirective.parse("skip=A;severity=high").get() }
        #expect(throws: CheckDirectiveError.self) { try CheckDirective.parse("error=yes").get() }
        #expect(throws: CheckDirectiveError.self) { try CheckDirective.parse("skip").get() }
    }

    @Test func skipTurnsOffTheNamedChecksOnly() {
        let text = "# check=skip=JSONArgsRecommended,DuplicateStageName\nFROM a\nLABEL x=1\n"
        #expect(lint(text).map(\.code) == ["DW911"])
        // BuildKit compares names exactly.
        #expect(lint("# check=skip=duplicatestagename\nFROM a\nLABEL x=1\n").map(\.code) == ["DW910", "DW911"])
    }

    @Test func skipAllTurnsOffBuildKitChecksButNotOtherRules() {
        #expect(lint("# check=skip=all\nFROM a\nLABEL x=1\n").map(\.code) == ["DW911"])
    }

    @Test func errorTrueMakesBuildKitChecksErrors() {
        let diagnostics = lint("# check=error=true\nFROM a\nLABEL x=1\n", overrides: ["DW910": .style])
        #expect(diagnostics.map(\.severity) == [.error, .info])
        #expect(lint("# check=error=false\nFROM a\nLABEL x=1\n").map(\.severity) == [.warning, .info])
    }

    @Test func anInvalidDirectiveIsABuildErrorAndIsIgnored() {
        let diagnostics = lint("# check=skip=all;level=high\nFROM a\nLABEL x=1\n")
        #expect(diagnostics.map(\.code) == [Linter.buildErrorCode, "DW910", "DW911"])
        #expect(diagnostics.first?.message.hasPrefix("failed to parse check options: invalid check option \"level\"") == true)
        #expect(diagnostics.first?.start == SourcePosition(line: 1, column: 9))
    }

    @Test func theDirectiveCountsOnlyAtTheTop() {
        #expect(lint("FROM a\n# check=skip=all\nLABEL x=1\n").map(\.code) == ["DW910", "DW911"])
    }

    @Test func dockwrightPragmasAcceptTheCheckNameAndHadolintPragmasDoNot() {
        #expect(lint("FROM a\n# dockwright ignore=DuplicateStageName\nLABEL x=1\n").map(\.code) == ["DW911"])
        #expect(lint("FROM a\n# dockwright ignore=duplicatestagename\nLABEL x=1\n").map(\.code) == ["DW911"])
        #expect(lint("# dockwright global ignore=DuplicateStageName\nFROM a\nLABEL x=1\n").map(\.code) == ["DW911"])
        // hadolint rejects the whole comment when an entry is not made of `DLSC` and digits.
        #expect(lint("FROM a\n# hadolint ignore=DuplicateStageName\nLABEL x=1\n").map(\.code) == ["DW910", "DW911"])
    }
}
