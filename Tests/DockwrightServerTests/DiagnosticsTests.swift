import Testing
@testable import DockwrightServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Language server: text sync and diagnostics")
struct DiagnosticsTests {
    @Test("opening a document publishes its findings with exact ranges, codes, links, severities and tags")
    func pushOnOpen() throws {
        let connection = ServerConnection()
        connection.initialize()
        connection.open(Fixtures.uri, Fixtures.dockerfile, version: 4)
        let published = try #require(connection.notification("textDocument/publishDiagnostics", uri: Fixtures.uri))
        #expect(published["params"]?["version"] == 4)
        let diagnostics = try #require(published["params"]?["diagnostics"]?.arrayValue)
        #expect(Fixtures.codes(.array(diagnostics)) == ["DL3020", "DW002", "DL3009", "DL3015", "DL3008", "DL4000", "DL3025"])
        let add = try #require(diagnostics.first { $0["code"] == "DL3020" })
        #expect(add["range"] == lspRange(2, 0, 2, 3))
        #expect(add["severity"] == 1)
        #expect(add["source"] == "dockwright")
        #expect(add["codeDescription"]?["href"]?.stringValue?.hasSuffix("Rules.md#dl3020-prefer-copy-over-add") == true)
        let maintainer = try #require(diagnostics.first { $0["code"] == "DL4000" })
        #expect(maintainer["tags"] == [2])
        #expect(diagnostics.first { $0["code"] == "DL3015" }?["severity"] == 3)
    }

    @Test("positions count UTF-16 code units, or bytes when utf-8 was agreed", arguments: [false, true])
    func nonASCIIPositions(utf8: Bool) throws {
        let connection = ServerConnection()
        connection.initialize(capabilities: utf8 ? ["general": ["positionEncodings": ["utf-8"]]] : [:])
        let line = "RUN echo 😀ü && apt-get install -y curl"
        connection.open(Fixtures.uri, "# é\nFROM debian:12\n" + line + "\n")
        let published = try #require(connection.notification("textDocument/publishDiagnostics", uri: Fixtures.uri))
        let pin = try #require(published["params"]?["diagnostics"]?.arrayValue?.first { $0["code"] == "DL3008" })
        let prefix = line[..<(line.firstRange(of: "curl")?.lowerBound ?? line.endIndex)]
        let start = utf8 ? prefix.utf8.count : prefix.utf16.count
        #expect(pin["range"] == lspRange(2, start, 2, start + 4))
    }

    @Test("incremental edits in UTF-16 positions after non-ASCII text update the findings")
    func incrementalEdits() throws {
        let connection = ServerConnection()
        connection.initialize()
        let line = "RUN echo 😀ü && apt-get install -y curl"
        connection.open(Fixtures.uri, "FROM debian:12\n" + line + "\nADD a /a\n")
        _ = connection.notification("textDocument/publishDiagnostics", uri: Fixtures.uri)
        let curl = line[..<(line.firstRange(of: "curl")?.lowerBound ?? line.endIndex)].utf16.count
        connection.notify("textDocument/didChange", [
            "textDocument": ["uri": .string(Fixtures.uri), "version": 2],
            "contentChanges": [
                // Pin the package (after the emoji: UTF-16 columns), then ADD → COPY.
                ["range": lspRange(1, curl + 4, 1, curl + 4), "text": "=7.88"],
                ["range": lspRange(2, 0, 2, 3), "text": "COPY"],
            ],
        ])
        let published = try #require(connection.notification("textDocument/publishDiagnostics", uri: Fixtures.uri))
        #expect(published["params"]?["version"] == 2)
        let codes = Fixtures.codes(published["params"]?["diagnostics"])
        #expect(!codes.contains("DL3008") && !codes.contains("DL3020"))
        // The text is exactly what the client has: formatting sees the edited text.
        let formatted = connection.request("textDocument/formatting", [
            "textDocument": ["uri": .string(Fixtures.uri)], "options": ["tabSize": 4, "insertSpaces": true],
        ])
        #expect(formatted?["result"]?.arrayValue?.isEmpty == true)
    }

    @Test("an older version never replaces a newer one, and stale findings are never published")
    func outOfOrderVersions() throws {
        let connection = ServerConnection()
        connection.initialize()
        connection.open(Fixtures.uri, "FROM debian:12\n", version: 1)
        _ = connection.notification("textDocument/publishDiagnostics", uri: Fixtures.uri)
        func change(_ version: Int, _ text: String) {
            connection.notify("textDocument/didChange", [
                "textDocument": ["uri": .string(Fixtures.uri), "version": .integer(version)],
                "contentChanges": [["text": .string(text)]],
            ])
        }
        for version in 2...30 { change(version, "FROM debian:12\n" + String(repeating: "ADD a /a\n", count: version)) }
        change(3, "FROM debian:12\nMAINTAINER old\n")
        let messages = connection.drain(for: 1.0)
        let versions = messages.filter { $0["method"] == "textDocument/publishDiagnostics" }
            .compactMap { $0["params"]?["version"]?.integerValue }
        #expect(versions.last == 30)
        #expect(versions == versions.sorted())
        #expect(messages.contains { $0["method"] == "window/logMessage" })
        let pulled = connection.request("textDocument/diagnostic", ["textDocument": ["uri": .string(Fixtures.uri)]])
        #expect(Fixtures.codes(pulled?["result"]?["items"]).filter { $0 == "DL3020" }.count == 30)
    }

    @Test("a client that pulls gets reports and unchanged results, and no pushed copies")
    func pullDiagnostics() throws {
        let connection = ServerConnection()
        connection.initialize(capabilities: ["textDocument": ["diagnostic": ["dynamicRegistration": false]]])
        connection.open(Fixtures.uri, Fixtures.dockerfile)
        let first = try #require(connection.request("textDocument/diagnostic", ["textDocument": ["uri": .string(Fixtures.uri)]])?["result"])
        #expect(first["kind"] == "full")
        #expect(Fixtures.codes(first["items"]).contains("DL3020"))
        let again = connection.request("textDocument/diagnostic", [
            "textDocument": ["uri": .string(Fixtures.uri)], "previousResultId": first["resultId"] ?? .null,
        ])
        #expect(again?["result"]?["kind"] == "unchanged")
        connection.notify("textDocument/didChange", [
            "textDocument": ["uri": .string(Fixtures.uri), "version": 2], "contentChanges": [["text": "FROM debian:12\n"]],
        ])
        let changed = connection.request("textDocument/diagnostic", [
            "textDocument": ["uri": .string(Fixtures.uri)], "previousResultId": first["resultId"] ?? .null,
        ])
        #expect(changed?["result"]?["kind"] == "full")
        #expect(connection.drain(for: 0.3).allSatisfy { $0["method"] != "textDocument/publishDiagnostics" })
    }

    @Test("initializationOptions select, ignore and re-grade rules")
    func initializationOptions() throws {
        let connection = ServerConnection()
        connection.initialize(options: ["ignore": ["DL3020"], "severity": ["DL4000": "info"]])
        connection.open(Fixtures.uri, Fixtures.dockerfile)
        let published = try #require(connection.notification("textDocument/publishDiagnostics", uri: Fixtures.uri))
        let diagnostics = published["params"]?["diagnostics"]
        #expect(!Fixtures.codes(diagnostics).contains("DL3020"))
        #expect(diagnostics?.arrayValue?.first { $0["code"] == "DL4000" }?["severity"] == 3)
    }

    @Test("workspace/configuration settings apply and re-lint open documents")
    func workspaceConfiguration() throws {
        let connection = ServerConnection()
        connection.initialize(capabilities: ["workspace": ["configuration": true]])
        let request = try #require(connection.next { $0["method"] == "workspace/configuration" })
        #expect(request["params"]?["items"]?.arrayValue?.first?["section"] == "dockwright")
        connection.open(Fixtures.uri, Fixtures.dockerfile)
        _ = connection.notification("textDocument/publishDiagnostics", uri: Fixtures.uri)
        connection.send(["jsonrpc": "2.0", "id": request["id"] ?? .null, "result": [["select": ["DL4000"]]]])
        let published = try #require(connection.notification("textDocument/publishDiagnostics", uri: Fixtures.uri))
        #expect(Fixtures.codes(published["params"]?["diagnostics"]) == ["DL4000"])
    }

    @Test("configuration files are read as the CLI reads them and reloaded when they change")
    func configurationFiles() throws {
        var template = Array("/tmp/dockwright-server-XXXXXX".utf8CString)
        let folder = try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) })
        defer { _ = system("rm -rf '\(folder)'") }
        func write(_ name: String, _ text: String) {
            let file = fopen(folder + "/" + name, "w")
            fputs(text, file)
            fclose(file)
        }
        write(".dockwright.json", "{ // JSON5, as the CLI reads it\n ignore: ['DL3020'],\n}\n")
        write("Dockerfile", Fixtures.dockerfile)
        let uri = FileURI.uri(of: folder + "/Dockerfile")
        let connection = ServerConnection()
        connection.initialize()
        connection.open(uri, Fixtures.dockerfile)
        let first = try #require(connection.notification("textDocument/publishDiagnostics", uri: uri))
        let firstCodes = Fixtures.codes(first["params"]?["diagnostics"])
        #expect(!firstCodes.contains("DL3020"))
        write(".dockwright.json", "{}\n")
        connection.notify("workspace/didChangeWatchedFiles", ["changes": [["uri": .string(FileURI.uri(of: folder + "/.dockwright.json")), "type": 2]]])
        let second = try #require(connection.notification("textDocument/publishDiagnostics", uri: uri))
        let secondCodes = Fixtures.codes(second["params"]?["diagnostics"])
        #expect(secondCodes.contains("DL3020"))
        // A broken file is shown to the user once, and linting goes on with the defaults.
        write(".dockwright.json", "{ nonsense: 1 }\n")
        connection.notify("workspace/didChangeWatchedFiles", ["changes": [["uri": .string(FileURI.uri(of: folder + "/.dockwright.json")), "type": 2]]])
        #expect(connection.notification("window/showMessage")?["params"]?["message"]?.stringValue?.contains("nonsense") == true)
        #expect(connection.notification("textDocument/publishDiagnostics", uri: uri) != nil)
    }

    @Test("closing a document clears its findings")
    func close() throws {
        let connection = ServerConnection()
        connection.initialize()
        connection.open(Fixtures.uri, Fixtures.dockerfile)
        _ = connection.notification("textDocument/publishDiagnostics", uri: Fixtures.uri)
        connection.notify("textDocument/didClose", ["textDocument": ["uri": .string(Fixtures.uri)]])
        let cleared = try #require(connection.notification("textDocument/publishDiagnostics", uri: Fixtures.uri))
        #expect(cleared["params"]?["diagnostics"] == [])
    }
}

@Suite("Language server: saving, pushed settings, watched files, a vanished client")
struct WorkspaceNotificationTests {
    @Test("didSave re-publishes the findings of the current version")
    func didSave() throws {
        let connection = ServerConnection()
        connection.initialize()
        connection.open(Fixtures.uri, Fixtures.dockerfile, version: 3)
        _ = connection.notification("textDocument/publishDiagnostics", uri: Fixtures.uri)
        connection.notify("textDocument/didSave", ["textDocument": ["uri": .string(Fixtures.uri)]])
        let published = try #require(connection.notification("textDocument/publishDiagnostics", uri: Fixtures.uri))
        #expect(published["params"]?["version"] == 3)
    }

    @Test("a client without workspace/configuration pushes settings in didChangeConfiguration")
    func pushedSettings() throws {
        let connection = ServerConnection()
        connection.initialize()
        connection.open(Fixtures.uri, Fixtures.dockerfile)
        _ = connection.notification("textDocument/publishDiagnostics", uri: Fixtures.uri)
        connection.notify("workspace/didChangeConfiguration", ["settings": ["dockwright": ["ignore": "DL3020,DL4000"]]])
        let published = try #require(connection.notification("textDocument/publishDiagnostics", uri: Fixtures.uri))
        let codes = Fixtures.codes(published["params"]?["diagnostics"])
        #expect(!codes.contains("DL3020") && !codes.contains("DL4000") && codes.contains("DL3008"))
        // A wrong type is reported, not fatal.
        connection.notify("workspace/didChangeConfiguration", ["settings": ["dockwright": ["unsafeFixes": "yes"]]])
        #expect(connection.notification("window/showMessage")?["params"]?["message"]?.stringValue?.contains("unsafeFixes") == true)
    }

    @Test("the server asks to watch configuration files when the client can register watchers")
    func watcherRegistration() throws {
        let connection = ServerConnection()
        connection.initialize(capabilities: ["workspace": ["didChangeWatchedFiles": ["dynamicRegistration": true]]])
        let request = try #require(connection.next { $0["method"] == "client/registerCapability" })
        let registration = request["params"]?["registrations"]?.arrayValue?.first
        #expect(registration?["method"] == "workspace/didChangeWatchedFiles")
        let globs = registration?["registerOptions"]?["watchers"]?.arrayValue?.compactMap { $0["globPattern"]?.stringValue } ?? []
        #expect(globs.contains("**/.dockwright.json") && globs.contains("**/.hadolint.yaml"))
        connection.send(["jsonrpc": "2.0", "id": request["id"] ?? .null, "result": .null])
        #expect(connection.request("shutdown")?["result"] == .null)
    }

    @Test("a client that stops reading ends the server cleanly instead of killing it")
    func vanishedClient() {
        let connection = ServerConnection()
        connection.initialize()
        connection.closeOutputSide()
        // The next answer cannot be written: the server stops, with the no-shutdown status.
        connection.sendRequest("shutdown")
        #expect(connection.waitForExit() == 1)
    }
}
