import Testing
@testable import DockwrightServer

@Suite("Language server: base protocol and lifecycle")
struct ProtocolTests {
    @Test("initialize announces the capabilities; shutdown then exit ends with status 0")
    func lifecycle() throws {
        let connection = ServerConnection()
        let result = try #require(connection.initialize())
        #expect(result["serverInfo"]?["name"] == "dockwright")
        let capabilities = try #require(result["capabilities"])
        #expect(capabilities["positionEncoding"] == "utf-16")
        #expect(capabilities["textDocumentSync"]?["change"] == 2)
        #expect(capabilities["hoverProvider"] == true)
        #expect(capabilities["documentFormattingProvider"] == true)
        #expect(capabilities["documentRangeFormattingProvider"] == true)
        #expect(capabilities["codeActionProvider"]?["codeActionKinds"]?.arrayValue?.contains("source.fixAll.dockwright") == true)
        #expect(capabilities["diagnosticProvider"] != nil)
        #expect(connection.request("shutdown")?["result"] == .null)
        #expect(connection.request("textDocument/hover", [:])?["error"]?["code"] == .integer(LanguageServer.ErrorCode.invalidRequest))
        connection.notify("exit")
        #expect(connection.waitForExit() == 0)
    }

    @Test("exit without shutdown ends with status 1, and so does the end of input")
    func exitWithoutShutdown() {
        let connection = ServerConnection()
        connection.initialize()
        connection.notify("exit")
        #expect(connection.waitForExit() == 1)
        let other = ServerConnection()
        other.initialize()
        #expect(other.closeInput() == 1)
    }

    @Test("utf-8 positions when the client offers them")
    func utf8Negotiation() {
        let connection = ServerConnection()
        let result = connection.initialize(capabilities: ["general": ["positionEncodings": ["utf-8", "utf-16"]]])
        #expect(result?["capabilities"]?["positionEncoding"] == "utf-8")
    }

    @Test("requests before initialize, unknown methods and bad params get the protocol's errors")
    func errorCodes() {
        let connection = ServerConnection()
        #expect(connection.request("textDocument/hover", [:])?["error"]?["code"]
            == .integer(LanguageServer.ErrorCode.serverNotInitialized))
        connection.initialize()
        #expect(connection.request("textDocument/definition", [:])?["error"]?["code"]
            == .integer(LanguageServer.ErrorCode.methodNotFound))
        #expect(connection.request("textDocument/hover", ["textDocument": ["uri": 3]])?["error"]?["code"]
            == .integer(LanguageServer.ErrorCode.invalidParams))
        #expect(connection.request("initialize", ["capabilities": [:]])?["error"]?["code"]
            == .integer(LanguageServer.ErrorCode.invalidRequest))
    }

    @Test("malformed input is answered or skipped, and the server keeps serving")
    func malformedInput() {
        let connection = ServerConnection()
        connection.initialize()
        // Not JSON.
        connection.sendRaw(Array("Content-Length: 9\r\n\r\n{not json".utf8))
        #expect(connection.next { $0["error"]?["code"] == .integer(LanguageServer.ErrorCode.parseError) } != nil)
        // A header without Content-Length.
        connection.sendRaw(Array("Content-Type: nothing\r\n\r\n".utf8))
        // JSON that is not an object, a request with a bad id, a method of the wrong type.
        for body in ["[1,2]", "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"x\"}", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":5}"] {
            connection.sendRaw(Array("Content-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8))
        }
        #expect(connection.next { $0["id"] == .integer(7) }?["error"]?["code"] == .integer(LanguageServer.ErrorCode.invalidRequest))
        // A notification with params of the wrong type is logged, not fatal.
        connection.notify("textDocument/didOpen", ["textDocument": 12])
        // Deeply nested JSON does not overflow the stack.
        let deep = String(repeating: "[", count: 100_000)
        connection.sendRaw(Array("Content-Length: \(deep.utf8.count)\r\n\r\n\(deep)".utf8))
        let hover = connection.request("shutdown")
        #expect(hover?["result"] == .null)
        connection.notify("exit")
        #expect(connection.waitForExit() == 0)
    }

    @Test("$/cancelRequest answers a queued request with RequestCancelled")
    func cancel() {
        let connection = ServerConnection()
        connection.initialize()
        connection.open("file:///tmp/cancel/Dockerfile", "FROM alpine\n")
        // The request and its cancellation arrive together, so the cancellation is read first.
        let request: JSONValue = ["jsonrpc": "2.0", "id": 99, "method": "textDocument/hover", "params": [
            "textDocument": ["uri": "file:///tmp/cancel/Dockerfile"], "position": ["line": 0, "character": 1],
        ]]
        let cancel: JSONValue = ["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": 99]]
        connection.sendRaw(ServerConnection.frame(request) + ServerConnection.frame(cancel))
        #expect(connection.response(to: 99)?["error"]?["code"] == .integer(LanguageServer.ErrorCode.requestCancelled))
        // A later request with another id is answered normally.
        #expect(connection.request("textDocument/hover", [
            "textDocument": ["uri": "file:///tmp/cancel/Dockerfile"], "position": ["line": 0, "character": 1],
        ])?["result"]?["contents"] != nil)
    }
}
