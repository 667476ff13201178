import DockwrightCore
import DockwrightSyntax
import Testing

/// A rule for tests: a LABEL's key goes into one of two templates by its length, and a
/// key of one character gets a message of its own.
private struct LabelKeyRule: Rule {
    static let description = RuleDescription(
        code: "DW913", name: "test-label-key", category: .style, summary: "Test key", severity: .info,
        fix: .none, rationale: "## Why\ntest", triggering: [], nonTriggering: [])
    private static let short = MessageTemplate("`", "` is short; `", "` again")
    private static let long = MessageTemplate("long key ", "")

    init() {}

    func check(_ context: RuleContext) -> [Violation] {
        context.syntax.instructions.filter { $0.kind == .label }.map { instruction in
            let key = instruction.values[0]
            if key.count == 1 { return Violation(range: instruction.keyword.range, message: "one letter: \(key)") }
            return Violation(range: instruction.keyword.range, message: key.count < 5 ? Self.short : Self.long, with: key)
        }
    }
}

/// Messages with one varying part are spelled out when asked for, the same as if
/// they had been written whole.
@Suite struct MessageTemplateTests {
    @Test func theVaryingPartGoesIntoEveryGap() {
        #expect(MessageTemplate("`", "` is unpinned; write `", "=<version>`").message(with: "curl")
            == "`curl` is unpinned; write `curl=<version>`")
        #expect(MessageTemplate("no gap").message(with: "x") == "no gap")
        #expect(Violation(range: .empty(at: 0), message: MessageTemplate("a ", ""), with: "b")
            == Violation(range: .empty(at: 0), message: "a b"))
    }

    /// Parts are packed by length, so colons, digits, multi-byte text and empty parts
    /// come back exactly, each into its own gap.
    @Test func eachGapTakesItsOwnPartWhateverItHolds() {
        let template = MessageTemplate(eachGapItsOwnPart: "`", "` runs after `", "` (", ")")
        func message(_ parts: [String]) -> String? { Violation(range: .empty(at: 0), message: template, with: parts).message }
        #expect(message(["apt-get", "COPY a:b /c", "12:x"]) == "`apt-get` runs after `COPY a:b /c` (12:x)")
        #expect(message(["3:é", "", "ü"]) == "`3:é` runs after `` (ü)")
        #expect(Violation(range: .empty(at: 0), message: template, with: ["a", "b", "c"])
            == Violation(range: .empty(at: 0), message: "`a` runs after `b` (c)"))
    }

    @Test func findingsOfTwoTemplatesAndPlainMessagesReadAsWritten() {
        let text = "FROM alpine:3.20\nLABEL ab=1\nLABEL abcdefg=2\nLABEL a=3\nLABEL cd=4\n"
        let messages = Linter(rules: [LabelKeyRule()]).lint(SourceFile(path: "Dockerfile", text: text)).diagnostics.map(\.message)
        #expect(messages == ["`ab` is short; `ab` again", "long key abcdefg", "one letter: a", "`cd` is short; `cd` again"])
    }
}
