import DockwrightCore
import DockwrightSyntax
import Synchronization
import Testing

/// A rule for tests: flags every `MARK` word in LABEL values and proposes a fix.
private struct ReplaceMarkerRule: Rule {
    static let description = RuleDescription(
        code: "DW900", name: "test-marker", category: .style, summary: "Test marker", severity: .info, fix: .always,
        rationale: "## Why\ntest", triggering: [], nonTriggering: [])

    init() {}

    func check(_ context: RuleContext) -> [Violation] {
        context.syntax.instructions.compactMap { instruction in
            guard instruction.kind == .label, case .keyValuePairs(let pairs, _) = instruction.arguments,
                  let pair = pairs.first(where: { $0.value.text == "MARK" }) else { return nil }
            return Violation(range: pair.value.range, fix: Fix(
                title: "Replace the marker", applicability: .safe,
                edits: [Edit(range: pair.value.range, replacement: "done")]))
        }
    }
}

/// The marker rule under another code, proposing the very same fix.
private struct SecondMarkerRule: Rule {
    static let description = RuleDescription(
        code: "DW903", name: "test-marker-two", category: .style, summary: "Test marker two", severity: .info,
        fix: .always, rationale: "## Why\ntest", triggering: [], nonTriggering: [])

    init() {}

    func check(_ context: RuleContext) -> [Violation] { ReplaceMarkerRule().check(context) }
}

/// The marker rule with an unsafe fix.
private struct UnsafeMarkerRule: Rule {
    static let description = RuleDescription(
        code: "DW904", name: "test-marker-unsafe", category: .style, summary: "Test unsafe marker", severity: .info,
        fix: .always, rationale: "## Why\ntest", triggering: [], nonTriggering: [])

    init() {}

    func check(_ context: RuleContext) -> [Violation] {
        ReplaceMarkerRule().check(context).map { violation in
            Violation(range: violation.range, fix: violation.fix.map {
                Fix(title: "Replace the marker, unsafely", applicability: .unsafe, edits: $0.edits)
            })
        }
    }
}

/// The unsafe marker rule, building its fix through the context, which skips it below
/// the loop's level.
private struct LevelAwareMarkerRule: Rule {
    static let description = RuleDescription(
        code: "DW905", name: "test-marker-level", category: .style, summary: "Test level marker", severity: .info,
        fix: .always, rationale: "## Why\ntest", triggering: [], nonTriggering: [])

    init() {}

    func check(_ context: RuleContext) -> [Violation] {
        UnsafeMarkerRule().check(context).map { violation in
            Violation(range: violation.range, fix: violation.fix.flatMap { full in
                context.fix(.unsafe, title: full.title) { full.edits }
            })
        }
    }
}

/// The label values each pass of a fix showed the observing rules below, by code.
private let labelValuesSeen = Mutex<[String: [[String]]]>([:])

/// The label values of a file, as a rule sees them.
private func labelValues(_ context: RuleContext) -> [String] {
    context.syntax.instructions.compactMap { instruction in
        guard instruction.kind == .label, case .keyValuePairs(let pairs, _) = instruction.arguments else { return nil }
        return pairs.first?.value.text
    }
}

/// A rule without fixes that flags every LABEL and records what each run saw.
private struct ObservingLabelRule: Rule {
    static let description = RuleDescription(
        code: "DW906", name: "test-observer", category: .style, summary: "Test observer", severity: .info, fix: .none,
        rationale: "## Why\ntest", triggering: [], nonTriggering: [])

    init() {}

    func check(_ context: RuleContext) -> [Violation] {
        labelValuesSeen.withLock { $0[Self.description.code, default: []].append(labelValues(context)) }
        return context.syntax.instructions.filter { $0.kind == .label }.map { Violation(range: $0.keyword.range) }
    }
}

/// A rule whose only fixes, as its example shows, are unsafe; it records what each run saw.
private struct ObservingUnsafeRule: Rule {
    static let description = RuleDescription(
        code: "DW907", name: "test-unsafe-observer", category: .style, summary: "Test unsafe observer", severity: .info,
        fix: .always, rationale: "## Why\ntest", triggering: [], nonTriggering: [],
        fixes: [FixExample("FROM a\nLABEL x=MARK\n", "FROM a\nLABEL x=MARK # seen\n", .unsafe)])

    init() {}

    func check(_ context: RuleContext) -> [Violation] {
        labelValuesSeen.withLock { $0[Self.description.code, default: []].append(labelValues(context)) }
        return context.syntax.instructions.filter { $0.kind == .label }.map { label in
            Violation(range: label.keyword.range, fix: Fix(
                title: "Mark it seen", applicability: .unsafe, edits: [Edit.insert(" # seen", at: label.range.end - 1)]))
        }
    }
}

/// A rule whose fix always breaks the file.
private struct BreakingRule: Rule {
    static let description = RuleDescription(
        code: "DW901", name: "test-breaker", category: .style, summary: "Test breaker", severity: .info, fix: .always,
        rationale: "## Why\ntest", triggering: [], nonTriggering: [])

    init() {}

    func check(_ context: RuleContext) -> [Violation] {
        guard let from = context.syntax.instructions.first else { return [] }
        return [Violation(range: from.keyword.range, fix: Fix(
            title: "Break the file", applicability: .safe, edits: [Edit.insert("ENV ONLYKEY\n", at: from.range.end)]))]
    }
}

/// A rule whose fixes all share one title, one of which breaks the file.
private struct SharedTitleRule: Rule {
    static let description = RuleDescription(
        code: "DW902", name: "test-shared-title", category: .style, summary: "Test shared title", severity: .info,
        fix: .always, rationale: "## Why\ntest", triggering: [], nonTriggering: [])

    init() {}

    func check(_ context: RuleContext) -> [Violation] {
        context.syntax.instructions.compactMap { instruction in
            guard instruction.kind == .label, case .keyValuePairs(let pairs, _) = instruction.arguments,
                  let pair = pairs.first, pair.value.text == "MARK" || pair.value.text == "BREAK" else { return nil }
            let edit = pair.value.text == "BREAK"
                ? Edit.insert("ENV ONLYKEY\n", at: instruction.range.end)
                : Edit(range: pair.value.range, replacement: "done")
            return Violation(range: pair.value.range, fix: Fix(title: "Tidy the label", applicability: .safe, edits: [edit]))
        }
    }
}

@Suite struct FixLoopTests {
    /// The passes a fix applies fixes from run only the rules that may make a fix at its
    /// level; the others run once, on the pass that applies nothing, and report on the
    /// fixed file as a lint of it would.
    @Test func rulesWithoutFixesAtTheLevelRunOnlyOnTheLastPass() {
        let text = "FROM a\nLABEL x=MARK\nLABEL y=MARK\n"
        let linter = Linter(rules: [ObservingLabelRule(), ObservingUnsafeRule(), ReplaceMarkerRule()])
        let result = linter.fix(SourceFile(path: "D", text: text), level: .safe)
        let seen = labelValuesSeen.withLock { seen in
            defer { seen = [:] }
            return seen
        }
        #expect(String(decoding: result.output, as: UTF8.self) == "FROM a\nLABEL x=done\nLABEL y=done\n")
        #expect(seen["DW906"] == [["done", "done"]])
        #expect(seen["DW907"] == [["done", "done"]])
        // As a lint of the output says, each unsafe fix kept as its title alone.
        let whole = linter.lint(SourceFile(path: "D", bytes: result.output))
        func summary(_ diagnostics: [Diagnostic]) -> [String] {
            diagnostics.map { "\($0.code) \($0.range) \($0.message) \($0.fix?.title ?? "-")" }
        }
        #expect(summary(result.remaining.diagnostics) == summary(whole.diagnostics))
        #expect(result.remaining.diagnostics.map(\.code) == ["DW906", "DW907", "DW906", "DW907"])
        #expect(!result.didNotConverge)
    }

    @Test func aRejectedFixDoesNotDisableTheOtherFixesOfItsRule() {
        // Pass one applies the first good fix after rejecting the broken one; the second good
        // fix, with the same code and title, is applied in pass two: rejection is by identity.
        let text = "FROM a\nLABEL a=BREAK\nLABEL b=MARK\nLABEL c=MARK\n"
        let result = Linter(rules: [SharedTitleRule()]).fix(SourceFile(path: "D", text: text), level: .safe)
        #expect(String(decoding: result.output, as: UTF8.self) == "FROM a\nLABEL a=BREAK\nLABEL b=done\nLABEL c=done\n")
        #expect(result.applied.map(\.code) == ["DW902", "DW902"])
        #expect(result.rejected.map(\.code) == ["DW902"])
    }

    @Test func theSameFixFromTwoRulesIsCreditedToTheRuleWhoseFixApplied() {
        let text = "FROM a\nLABEL x=MARK\n"
        let result = Linter(rules: [ReplaceMarkerRule(), SecondMarkerRule()]).fix(SourceFile(path: "D", text: text), level: .safe)
        #expect(String(decoding: result.output, as: UTF8.self) == "FROM a\nLABEL x=done\n")
        #expect(result.applied.map(\.code) == ["DW900"])
    }

    @Test func fixesRepeatUntilNothingChangesAndKeepEverythingElse() {
        let text = "# keep me\r\nFROM a\r\nLABEL one=MARK\r\n\r\n# and me\r\nLABEL two=MARK\r\n"
        let result = Linter(rules: [ReplaceMarkerRule()]).fix(SourceFile(path: "D", text: text), level: .safe)
        #expect(String(decoding: result.output, as: UTF8.self) == text.replacingMarks())
        #expect(result.applied.count == 2)
        #expect(result.remaining.diagnostics.isEmpty)
    }

    @Test func aFixThatBreaksTheFileIsDroppedAndReported() {
        let text = "FROM a\nRUN x\n"
        let result = Linter(rules: [BreakingRule()]).fix(SourceFile(path: "D", text: text), level: .safe)
        #expect(String(decoding: result.output, as: UTF8.self) == text)
        #expect(result.rejected.map(\.code) == ["DW901"])
    }

    /// The applied fixes are reported by code, title and applicability; their edits are
    /// in the output already, and the loop keeps none of them.
    @Test func appliedFixesKeepTheirTitleButNoEdits() {
        let text = "FROM a\nLABEL x=MARK\nLABEL y=MARK\n"
        let result = Linter(rules: [ReplaceMarkerRule()]).fix(SourceFile(path: "D", text: text), level: .safe)
        #expect(String(decoding: result.output, as: UTF8.self) == "FROM a\nLABEL x=done\nLABEL y=done\n")
        #expect(result.applied.map(\.code) == ["DW900", "DW900"])
        let lintedFixes = Linter(rules: [ReplaceMarkerRule()]).lint(SourceFile(path: "D", text: text)).diagnostics
            .compactMap(\.fix)
        #expect(result.applied.map(\.fix.title) == lintedFixes.map(\.title))
        #expect(result.applied.allSatisfy { $0.fix.applicability == .safe && $0.fix.edits.isEmpty })
        #expect(lintedFixes.allSatisfy { $0.edits.count == 1 })
    }

    @Test func unsafeLevelIsNeededForUnsafeFixes() {
        let text = "FROM a\nLABEL x=MARK\n"
        let result = Linter(rules: [ReplaceMarkerRule()]).fix(SourceFile(path: "D", text: text), level: .safe)
        #expect(result.applied.count == 1)
    }

    /// A fix below the loop's level is still counted, by title and applicability, but
    /// the loop keeps none of its edits; at its level it is applied as before.
    @Test func fixesBelowTheLevelRemainWithoutTheirEdits() {
        let source = SourceFile(path: "D", text: "FROM a\nLABEL x=MARK\nLABEL y=MARK\n")
        let linter = Linter(rules: [UnsafeMarkerRule()])
        let safe = linter.fix(source, level: .safe)
        #expect(safe.applied.isEmpty && safe.output == source.bytes)
        let fixes = safe.remaining.diagnostics.compactMap(\.fix)
        #expect(fixes.count == 2 && fixes.allSatisfy { $0.applicability == .unsafe && $0.edits.isEmpty })
        #expect(fixes.map(\.title) == ["Replace the marker, unsafely", "Replace the marker, unsafely"])
        #expect(linter.lint(source).diagnostics.compactMap(\.fix).allSatisfy { $0.edits.count == 1 })
        let unsafe = linter.fix(source, level: .unsafe)
        #expect(String(decoding: unsafe.output, as: UTF8.self) == "FROM a\nLABEL x=done\nLABEL y=done\n")
    }

    /// A rule that builds its fix through ``RuleContext/fix(_:title:_:)`` gives the loop
    /// the same stand-in below its level, and the whole fix at it.
    @Test func rulesSkipBuildingFixesBelowTheLevel() {
        let source = SourceFile(path: "D", text: "FROM a\nLABEL x=MARK\n")
        let linter = Linter(rules: [LevelAwareMarkerRule()])
        let safe = linter.fix(source, level: .safe)
        #expect(safe.remaining.diagnostics.compactMap(\.fix).map { "\($0.title) \($0.applicability) \($0.edits.count)" }
            == ["Replace the marker, unsafely unsafe 0"])
        #expect(String(decoding: linter.fix(source, level: .unsafe).output, as: UTF8.self) == "FROM a\nLABEL x=done\n")
    }

    /// Below the level, every finding with the same title gets the one edit-less stand-in,
    /// and the edits are never built; at the level each finding gets its own edits.
    @Test func theContextSharesOneStandInPerTitleBelowTheLevel() {
        let syntax = DockerfileSyntax.parse("FROM a\n")
        let context = RuleContext(syntax: syntax, appliedFixLevel: .safe)
        var builtEdits = 0
        func edits(_ offset: Int) -> [Edit] {
            builtEdits += 1
            return [Edit.insert("x", at: offset)]
        }
        let first = context.fix(.unsafe, title: "Move it") { edits(0) }
        let second = context.fix(.unsafe, title: "Move it") { edits(1) }
        let other = context.fix(.unsafe, title: "Split it") { edits(2) }
        #expect(builtEdits == 0)
        #expect(first == second && first?.edits.isEmpty == true && first?.applicability == .unsafe)
        #expect(other?.title == "Split it" && other?.edits.isEmpty == true)
        let applied = context.fix(.safe, title: "Move it") { edits(3) }
        #expect(builtEdits == 1 && applied?.edits == [Edit.insert("x", at: 3)])
    }

    @Test func suppressedFindingsAreNotFixed() {
        let text = "FROM a\n# dockwright ignore=DW900\nLABEL x=MARK\n# hadolint ignore=test-marker\nLABEL y=MARK\nLABEL z=MARK\n"
        let result = Linter(rules: [ReplaceMarkerRule()]).fix(SourceFile(path: "D", text: text), level: .safe)
        #expect(String(decoding: result.output, as: UTF8.self)
            == "FROM a\n# dockwright ignore=DW900\nLABEL x=MARK\n# hadolint ignore=test-marker\nLABEL y=MARK\nLABEL z=done\n")
    }
}

@Suite struct SuppressionTests {
    @Test func pragmasApplyToTheNextInstructionOnly() {
        let text = "# hadolint global ignore=DW901\nFROM a\n# dockwright ignore=DW900,other\nLABEL x=MARK\n\n# hadolint ignore=DW900\n\nLABEL y=MARK\n"
        let diagnostics = Linter(rules: [ReplaceMarkerRule(), BreakingRule()]).lint(SourceFile(path: "D", text: text)).diagnostics
        // The blank line breaks the second pragma's link to its instruction, as in hadolint.
        #expect(diagnostics.map(\.code) == ["DW900"])
        #expect(diagnostics.first?.start.line == 8)
    }

    @Test func filesBuildKitRejectsReportOnlyTheParseError() {
        let diagnostics = Linter(rules: [ReplaceMarkerRule()]).lint(SourceFile(path: "D", text: "FROM a\nENV X\nLABEL x=MARK\n")).diagnostics
        #expect(diagnostics.map(\.code) == [Linter.parseErrorCode])
        #expect(diagnostics.first?.start == SourcePosition(line: 2, column: 5))
    }
}

private extension String {
    func replacingMarks() -> String {
        split(separator: "MARK", omittingEmptySubsequences: false).joined(separator: "done")
    }
}
