import Testing
@testable import DockwrightServer

@Suite("Language server: hover")
struct HoverTests {
    private func hover(_ text: String, line: Int, character: Int) -> JSONValue? {
        let connection = ServerConnection()
        connection.initialize()
        connection.open(Fixtures.uri, text)
        return connection.request("textDocument/hover", [
            "textDocument": ["uri": .string(Fixtures.uri)], "position": ["line": .integer(line), "character": .integer(character)],
        ])?["result"]
    }

    @Test("a rule code in a pragma shows the rule's summary, rationale and link")
    func pragmaCode() throws {
        let result = try #require(hover("FROM debian:12\n# hadolint ignore=DL3008,DL3020\nADD a /a\n", line: 1, character: 27))
        let text = try #require(result["contents"]?["value"]?.stringValue)
        #expect(text.contains("DL3020") && text.contains("prefer-copy-over-add") && text.contains("## Why"))
        #expect(text.contains("Rules.md#dl3020-prefer-copy-over-add"))
        #expect(result["range"] == lspRange(1, 25, 1, 31))
    }

    @Test("a rule name in a # dockwright pragma and a check name in # check= are explained too")
    func pragmaNameAndCheckDirective() throws {
        let byName = try #require(hover("FROM debian:12\n# dockwright ignore=prefer-copy-over-add\nADD a /a\n", line: 1, character: 25))
        #expect(byName["contents"]?["value"]?.stringValue?.contains("DL3020") == true)
        let byCheck = try #require(hover("# check=skip=JSONArgsRecommended\nFROM debian:12\nCMD x\n", line: 0, character: 16))
        #expect(byCheck["contents"]?["value"]?.stringValue?.contains("JSON") == true)
    }

    @Test("an instruction keyword shows what it does and the rules that check it")
    func keyword() throws {
        let result = try #require(hover("FROM debian:12\nCOPY a /a\n", line: 1, character: 2))
        let text = try #require(result["contents"]?["value"]?.stringValue)
        #expect(text.contains("### COPY") && text.contains("build context"))
        #expect(text.contains("Rules that check it"))
        #expect(result["range"] == lspRange(1, 0, 1, 4))
    }

    @Test("a finding shows its message and its fix, after a non-ASCII prefix")
    func finding() throws {
        let text = "FROM debian:12\nRUN echo 😀 && apt-get install -y curl\n"
        let result = try #require(hover(text, line: 1, character: 36))
        let value = try #require(result["contents"]?["value"]?.stringValue)
        #expect(value.contains("DL3008"))
        #expect(result["range"] == lspRange(1, 34, 1, 38))
    }
}
