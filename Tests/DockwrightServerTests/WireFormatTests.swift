import Testing
@testable import DockwrightServer

@Suite("Language server: JSON, framing and positions")
struct WireFormatTests {
    @Test("JSON round-trips strings with escapes, surrogate pairs and control characters")
    func jsonStrings() throws {
        let value = try JSONParser.parse(#"{"a":"x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","b":[1,-2,3.5,1e3,true,false,null]}"#)
        #expect(value["a"] == .string("x\"\\/\u{8}\u{c}\n\r\té😀"))
        #expect(value["b"] == [1, -2, .double(3.5), .double(1000), true, false, nil])
        #expect(try JSONParser.parse(value.serialized) == value)
        // A lone surrogate half becomes U+FFFD, as decoders do.
        #expect(try JSONParser.parse(#""\ud83d x""#) == .string("\u{FFFD} x"))
    }

    @Test("malformed JSON is an error, never a crash", arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "-", "1.", "\"\\x\"", "\"\u{1}\"", "tru", "[1] 2", "\"abc",
        String(repeating: "{\"a\":", count: 1000),
    ])
    func malformedJSON(text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test("frames split across reads, LF-only headers and extra headers are read; bad headers are skipped")
    func framing() {
        var framer = MessageFramer()
        let stream = Array("Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}".utf8)
            + Array("content-length: 4\n\n[42]".utf8) + Array("Nonsense\r\n\r\nContent-Length: 1\r\n\r\n7".utf8)
        var frames: [MessageFramer.Frame] = []
        for byte in stream {
            framer.append([byte][...])
            while let frame = framer.next() { frames.append(frame) }
        }
        #expect(frames.count == 4)
        #expect(frames[0] == .message(Array("{}".utf8)))
        #expect(frames[1] == .message(Array("[42]".utf8)))
        if case .malformed = frames[2] {} else { Issue.record("a header line without ':' must be reported") }
        #expect(frames[3] == .message(Array("7".utf8)))
    }

    @Test("an oversized message is skipped whole, and the next one is read")
    func oversized() {
        var framer = MessageFramer()
        framer.append(Array("Content-Length: \(MessageFramer.maximumBodyLength + 1)\r\n\r\n".utf8)[...])
        if case .malformed? = framer.next() {} else { Issue.record("an oversized message must be reported") }
        framer.append([UInt8](repeating: 0x20, count: MessageFramer.maximumBodyLength + 1)[...])
        framer.append(Array("Content-Length: 2\r\n\r\n{}".utf8)[...])
        #expect(framer.next() == .message(Array("{}".utf8)))
    }

    @Test("positions: LF, CRLF and lone CR end LSP lines; characters count UTF-16 units; out of range clamps")
    func positions() {
        let document = TextDocument(uri: "x", text: "a😀b\r\nc\rdé\n", version: 0, generation: 0)
        #expect(document.lineStarts == [0, 8, 10, 14])
        #expect(document.offset(of: LSPPosition(line: 0, character: 3), .utf16) == 5)
        #expect(document.offset(of: LSPPosition(line: 0, character: 2), .utf16) == 1)  // inside the pair: its start
        #expect(document.offset(of: LSPPosition(line: 0, character: 99), .utf16) == 6)  // the line's end, before CRLF
        #expect(document.offset(of: LSPPosition(line: 2, character: 3), .utf8) == 13)
        #expect(document.offset(of: LSPPosition(line: 2, character: 2), .utf8) == 11)  // inside é: its start
        #expect(document.offset(of: LSPPosition(line: 9, character: 0), .utf16) == 14)
        #expect(document.position(of: 5, .utf16) == LSPPosition(line: 0, character: 3))
        #expect(document.position(of: 5, .utf8) == LSPPosition(line: 0, character: 5))
        #expect(document.position(of: 13, .utf16) == LSPPosition(line: 2, character: 2))
    }

    @Test("file URIs decode percent-escapes and round-trip paths with spaces and non-ASCII")
    func fileURIs() {
        #expect(FileURI.path(of: "file:///tmp/a%20b/D%C3%A9") == "/tmp/a b/Dé")
        #expect(FileURI.path(of: "file://localhost/etc/x") == "/etc/x")
        #expect(FileURI.path(of: "untitled:Dockerfile") == nil)
        #expect(FileURI.path(of: FileURI.uri(of: "/tmp/ü x#1/Dockerfile")) == "/tmp/ü x#1/Dockerfile")
    }
}
