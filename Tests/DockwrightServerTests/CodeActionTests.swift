import DockwrightSyntax
import Testing
@testable import DockwrightServer

@Suite("Language server: code actions and formatting")
struct CodeActionTests {
    private func connection(capabilities: JSONValue = [:], options: JSONValue? = nil, text: String = Fixtures.dockerfile) -> ServerConnection {
        let connection = ServerConnection()
        connection.initialize(capabilities: capabilities, options: options)
        connection.open(Fixtures.uri, text)
        return connection
    }

    private func actions(_ connection: ServerConnection, _ range: JSONValue, only: [String]? = nil) -> [JSONValue] {
        var context: [String: JSONValue] = ["diagnostics": []]
        if let only { context["only"] = .array(only.map { .string($0) }) }
        return connection.request("textDocument/codeAction", [
            "textDocument": ["uri": .string(Fixtures.uri)], "range": range, "context": .object(context),
        ])?["result"]?.arrayValue ?? []
    }

    @Test("a safe quick fix is preferred and edits only the flagged keyword")
    func safeQuickFix() throws {
        let connection = connection()
        let all = actions(connection, lspRange(2, 1, 2, 1), only: ["quickfix"])
        let fix = try #require(all.first { $0["title"] == "Replace `ADD` with `COPY` (DL3020)" })
        #expect(fix["kind"] == "quickfix")
        #expect(fix["isPreferred"] == true)
        #expect(fix["diagnostics"]?.arrayValue?.first?["code"] == "DL3020")
        #expect(Fixtures.edits(of: fix, uri: Fixtures.uri) == [["range": lspRange(2, 0, 2, 3), "newText": "COPY"]])
        #expect(all.allSatisfy { $0["kind"] == "quickfix" })
    }

    @Test("an unsafe quick fix says so and is never preferred; the setting hides it")
    func unsafeQuickFix() throws {
        let shown = actions(connection(), lspRange(3, 30, 3, 30), only: ["quickfix"])
        let unsafe = try #require(shown.first { $0["title"]?.stringValue?.contains("DL3015, unsafe") == true })
        #expect(unsafe["isPreferred"] == nil)
        let hidden = actions(connection(options: ["unsafeFixes": false]), lspRange(3, 30, 3, 30), only: ["quickfix"])
        #expect(!hidden.contains { $0["title"]?.stringValue?.contains("unsafe") == true })
        #expect(hidden.contains { $0["title"] == "Ignore DL3015 for this instruction" })
    }

    @Test("ignore actions insert a pragma in the file's style that silences the finding", arguments: [
        ("ADD a /a\n", "# dockwright ignore=DL3020\nADD a /a\n"),
        ("# hadolint ignore=DL3008\nRUN true\n\nADD a /a\n", "# hadolint ignore=DL3008\nRUN true\n\n# hadolint ignore=DL3020\nADD a /a\n"),
        ("# keep me\n# dockwright ignore=DL3008\nADD a /a\n", "# keep me\n# dockwright ignore=DL3008,DL3020\nADD a /a\n"),
        ("RUN true\r\n  ADD a /a\r\n", "RUN true\r\n  # dockwright ignore=DL3020\r\n  ADD a /a\r\n"),
    ])
    func ignorePragma(body: String, expected: String) throws {
        let text = "FROM debian:12\n" + body
        let connection = connection(text: text)
        // Split on scalars: in Swift "\r\n" is one Character.
        let line = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { String($0).contains("ADD") } ?? 0
        let ignore = try #require(actions(connection, lspRange(line, 0, line, 20)).first { $0["title"] == "Ignore DL3020 for this instruction" })
        let fixed = Fixtures.apply(Fixtures.edits(of: ignore, uri: Fixtures.uri), to: text)
        #expect(fixed == "FROM debian:12\n" + expected)
        connection.notify("textDocument/didChange", [
            "textDocument": ["uri": .string(Fixtures.uri), "version": 2], "contentChanges": [["text": .string(fixed)]],
        ])
        let pulled = connection.request("textDocument/diagnostic", ["textDocument": ["uri": .string(Fixtures.uri)]])
        let codes = Fixtures.codes(pulled?["result"]?["items"])
        #expect(!codes.contains("DL3020"))
    }

    @Test("source.fixAll gives the safe fixes only; the unsafe action is offered when asked for by name")
    func fixAll() throws {
        let connection = connection()
        let onSave = actions(connection, lspRange(0, 0, 0, 0), only: ["source.fixAll"])
        #expect(onSave.map { $0["kind"] } == ["source.fixAll.dockwright"])
        #expect(Fixtures.apply(Fixtures.edits(of: onSave.first, uri: Fixtures.uri), to: Fixtures.dockerfile) == Fixtures.safelyFixed)
        let unsafe = actions(connection, lspRange(0, 0, 0, 0), only: ["source.fixAll.dockwright.unsafe"])
        #expect(unsafe.map { $0["kind"] } == ["source.fixAll.dockwright.unsafe"])
        #expect(Fixtures.apply(Fixtures.edits(of: unsafe.first, uri: Fixtures.uri), to: Fixtures.dockerfile) == Fixtures.unsafelyFixed)
        let menu = actions(connection, lspRange(0, 0, 0, 0), only: ["source"])
        #expect(menu.map { $0["kind"] } == ["source.fixAll.dockwright", "source.fixAll.dockwright.unsafe"])
        let safeOnly = self.connection(options: ["unsafe-fixes": false])
        #expect(actions(safeOnly, lspRange(0, 0, 0, 0), only: ["source"]).count == 1)
    }

    @Test("edits are versioned documentChanges when the client takes them")
    func documentChanges() throws {
        let connection = connection(capabilities: ["workspace": ["workspaceEdit": ["documentChanges": true]]])
        let action = try #require(actions(connection, lspRange(0, 0, 0, 0), only: ["source.fixAll"]).first)
        let change = try #require(action["edit"]?["documentChanges"]?.arrayValue?.first)
        #expect(change["textDocument"] == ["uri": .string(Fixtures.uri), "version": 1])
    }

    @Test("formatting returns minimal edits to what `dockwright fix -` prints")
    func formatting() throws {
        let connection = connection()
        let edits = try #require(connection.request("textDocument/formatting", [
            "textDocument": ["uri": .string(Fixtures.uri)], "options": ["tabSize": 4, "insertSpaces": true],
        ])?["result"])
        #expect(Fixtures.apply(edits, to: Fixtures.dockerfile) == Fixtures.safelyFixed)
        #expect(edits.arrayValue?.first == ["range": lspRange(2, 0, 2, 3), "newText": "COPY"])
        #expect(edits.arrayValue?.count == 2)
    }

    @Test("range formatting fixes only the instructions in the range")
    func rangeFormatting() throws {
        let connection = connection()
        let edits = connection.request("textDocument/rangeFormatting", [
            "textDocument": ["uri": .string(Fixtures.uri)], "range": lspRange(4, 0, 4, 3),
            "options": ["tabSize": 4, "insertSpaces": true],
        ])?["result"]
        let formatted = Fixtures.apply(edits, to: Fixtures.dockerfile)
        #expect(formatted.contains("ADD app.py"))
        #expect(formatted.contains("LABEL org.opencontainers.image.authors=\"me\""))
    }

    @Test("text diff edits are minimal and never split a character")
    func textDiff() {
        let old = Array("a\nbé\nc\nd\n".utf8)
        let new = Array("a\nbè\nc\nX\nd\n".utf8)
        let changes = TextDiff.changes(from: old, to: new)
        #expect(changes.count == 2)
        var bytes = old
        for change in changes.reversed() { bytes.replaceSubrange(change.range.start..<change.range.end, with: change.replacement) }
        #expect(bytes == new)
        #expect(changes.first?.range == TextRange(start: 3, end: 5))
    }
}

@Suite("Language server: resolving fix-all actions")
struct ResolveTests {
    @Test("a client that resolves gets fix-all actions without edits, and the edits on resolve")
    func resolve() throws {
        let connection = ServerConnection()
        connection.initialize(capabilities: ["textDocument": ["codeAction": ["resolveSupport": ["properties": ["edit"]]]]])
        connection.open(Fixtures.uri, Fixtures.dockerfile)
        let actions = connection.request("textDocument/codeAction", [
            "textDocument": ["uri": .string(Fixtures.uri)], "range": lspRange(0, 0, 0, 0),
            "context": ["diagnostics": [], "only": ["source.fixAll"]],
        ])?["result"]?.arrayValue ?? []
        let fixAll = try #require(actions.first)
        #expect(fixAll["edit"] == nil)
        let resolved = try #require(connection.request("codeAction/resolve", fixAll)?["result"])
        #expect(Fixtures.apply(Fixtures.edits(of: resolved, uri: Fixtures.uri), to: Fixtures.dockerfile) == Fixtures.safelyFixed)
        #expect(connection.request("codeAction/resolve", ["title": "x"])?["error"]?["code"]
            == .integer(LanguageServer.ErrorCode.invalidParams))
    }
}
