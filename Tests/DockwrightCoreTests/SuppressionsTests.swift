import DockwrightCore
import DockwrightSyntax
import Testing

@Suite("Suppressions")
struct SuppressionsTests {
    @Test("Each pragma covers its own instruction and comments, found among thousands")
    func manyPragmasEachCoverTheirInstruction() {
        // One pragma per instruction: the lookup is a binary search over the covered
        // ranges, so a finding per instruction stays linear.
        var text = "FROM alpine:3.20\n"
        for index in 0..<3_000 {
            text += index % 2 == 0 ? "# hadolint ignore=DL3059\n# note\nRUN echo \(index)\n" : "\nRUN echo \(index)\n"
        }
        let syntax = DockerfileSyntax.parse(text)
        let suppressions = Suppressions(syntax)
        #expect(suppressions.perInstruction.count == 1_500)
        let runs = syntax.instructions.dropFirst()
        for (index, run) in runs.enumerated() {
            let suppressed = suppressions.suppresses(code: "DL3059", name: "x", at: run.range.start)
            #expect(suppressed == (index % 2 == 0))
            #expect(!suppressions.suppresses(code: "DL3008", name: "x", at: run.range.start))
        }
        // The second line of the file, the first `# hadolint` pragma's neighbour.
        let firstComment = "FROM alpine:3.20\n# hadolint ignore=DL3059\n".utf8.count
        #expect(suppressions.suppresses(code: "DL3059", name: "x", at: firstComment))
        #expect(!suppressions.suppresses(code: "DL3059", name: "x", at: 0))
        #expect(!suppressions.suppresses(code: "DL3059", name: "x", at: syntax.source.bytes.count))
    }
}
