import DockwrightCore
import DockwrightSyntax
import Testing

@Suite("Suppressions in files with CRLF line ends")
struct SuppressionsLineEndingTests {
    @Test("a pragma line ended by CRLF suppresses its code on the next instruction")
    func crlfPragma() {
        let syntax = DockerfileSyntax.parse("FROM debian:12\r\n# hadolint ignore=DL3020\r\nADD a /a\r\n")
        let suppressions = Suppressions(syntax)
        #expect(suppressions.suppresses(code: "DL3020", name: "prefer-copy-over-add", at: syntax.instructions[1].range.start))
        // Its close twin without the pragma still fires: only the named instruction is silent.
        #expect(!suppressions.suppresses(code: "DL3020", name: "prefer-copy-over-add", at: syntax.instructions[0].range.start))
    }
}
