import DockwrightCore
import DockwrightSyntax
import Testing

@Suite struct FixApplierTests {
    private let text = Array("0123456789".utf8)

    private func fix(_ title: String, _ edits: Edit...) -> Fix {
        Fix(title: title, applicability: .safe, edits: edits)
    }

    @Test func nonOverlappingFixesAllApplyAndTheRestIsKept() {
        let (output, applied) = FixApplier.apply([
            fix("b", Edit(range: TextRange(start: 5, end: 6), replacement: "five")),
            fix("a", Edit(range: TextRange(start: 1, end: 2), replacement: "")),
        ], to: text)
        #expect(String(decoding: output, as: UTF8.self) == "0234five6789")
        #expect(applied.map(\.title) == ["a", "b"])
    }

    @Test func overlappingAndAdjacentFixesWaitForTheNextPass() {
        let (output, applied) = FixApplier.apply([
            fix("first", Edit(range: TextRange(start: 2, end: 5), replacement: "x")),
            fix("overlaps", Edit(range: TextRange(start: 4, end: 6), replacement: "y")),
            fix("adjacent", Edit(range: TextRange(start: 5, end: 6), replacement: "z")),
        ], to: text)
        #expect(String(decoding: output, as: UTF8.self) == "01x56789")
        #expect(applied.map(\.title) == ["first"])
    }

    @Test func aMultiEditFixAppliesWhole() {
        let (output, _) = FixApplier.apply([
            fix("move", Edit.delete(TextRange(start: 7, end: 9)), Edit.insert("78", at: 0)),
        ], to: text)
        #expect(String(decoding: output, as: UTF8.self) == "780123456" + "9")
    }

    @Test func identicalEditsFromTwoFixesApplyOnce() {
        let edit = Edit(range: TextRange(start: 0, end: 1), replacement: "A")
        let (output, applied) = FixApplier.apply([fix("one", edit), fix("two", edit)], to: text)
        #expect(String(decoding: output, as: UTF8.self) == "A123456789")
        #expect(applied.count == 1)
    }
}
