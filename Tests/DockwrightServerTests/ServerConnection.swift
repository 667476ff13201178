import DockwrightCLI
@testable import DockwrightServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A language server running in-process on a pair of pipes, driven as a client would
/// drive it: framed JSON-RPC messages in, framed messages out.
final class ServerConnection: @unchecked Sendable {
    private let toServer: Int32
    private let fromServer: Int32
    private var framer = MessageFramer()
    private var pending: [JSONValue] = []
    private var nextID = 1
    private let exit = ExitStatus()
    private var isInputClosed = false
    private var isOutputClosed = false

    /// Starts a server; `initialize` is sent when `capabilities` is given.
    init() {
        var input: [Int32] = [0, 0]
        var output: [Int32] = [0, 0]
        _ = pipe(&input)
        _ = pipe(&output)
        toServer = input[1]
        fromServer = output[0]
        let server = LanguageServer(input: input[0], output: output[1], version: "test", linters: ServerLinters())
        let serverInput = input[0]
        let serverOutput = output[1]
        let exit = self.exit
        ServerThread.start {
            let status = server.run()
            exit.set(status)
            // Closed only once nothing reads or writes them, so no descriptor is reused under a thread.
            close(serverOutput)
            server.waitUntilInputEnds()
            close(serverInput)
        }
    }

    deinit {
        if !isInputClosed { close(toServer) }
        if !isOutputClosed { close(fromServer) }
    }

    /// Stops reading the server's output, as a client that went away.
    func closeOutputSide() {
        if !isOutputClosed { close(fromServer) }
        isOutputClosed = true
    }

    /// Writes raw bytes to the server.
    func sendRaw(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(toServer, $0.baseAddress, $0.count) }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// Frames and writes a message.
    func send(_ message: JSONValue) {
        sendRaw(Self.frame(message))
    }

    static func frame(_ message: JSONValue) -> [UInt8] {
        let body = message.serialized
        return Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }

    /// Sends a notification.
    func notify(_ method: String, _ params: JSONValue = .null) {
        send(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }

    /// Sends a request without waiting; its id.
    @discardableResult
    func sendRequest(_ method: String, _ params: JSONValue = .null) -> Int {
        let id = nextID
        nextID += 1
        send(["jsonrpc": "2.0", "id": .integer(id), "method": .string(method), "params": params])
        return id
    }

    /// Sends a request and waits for its response.
    func request(_ method: String, _ params: JSONValue = .null) -> JSONValue? {
        let id = sendRequest(method, params)
        return response(to: id)
    }

    /// The response to request `id` (the whole message).
    func response(to id: Int) -> JSONValue? {
        next { $0["id"] == .integer(id) && $0["method"] == nil }
    }

    /// The next message matching `predicate`, within `timeout` seconds; other messages are kept.
    func next(timeout: Double = 10, where predicate: (JSONValue) -> Bool) -> JSONValue? {
        if let index = pending.firstIndex(where: predicate) { return pending.remove(at: index) }
        let deadline = ServerThread.now() + UInt64(timeout * 1e9)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while ServerThread.now() < deadline {
            var descriptor = pollfd(fd: fromServer, events: Int16(POLLIN), revents: 0)
            let remaining = Int32((deadline - ServerThread.now()) / 1_000_000)
            guard poll(&descriptor, 1, max(1, remaining)) > 0 else { continue }
            let count = chunk.withUnsafeMutableBytes { read(fromServer, $0.baseAddress, $0.count) }
            guard count > 0 else { return nil }
            framer.append(chunk[0..<count])
            while let frame = framer.next() {
                if case .message(let body) = frame, let message = try? JSONParser.parse(body) { pending.append(message) }
            }
            if let index = pending.firstIndex(where: predicate) { return pending.remove(at: index) }
        }
        return nil
    }

    /// The next notification of `method`, optionally for `uri`.
    func notification(_ method: String, uri: String? = nil, timeout: Double = 10) -> JSONValue? {
        next(timeout: timeout) { $0["method"]?.stringValue == method && $0["id"] == nil && (uri == nil || $0["params"]?["uri"]?.stringValue == uri) }
    }

    /// Every message received so far and not yet taken.
    func drain(for seconds: Double) -> [JSONValue] {
        _ = next(timeout: seconds) { _ in false }
        defer { pending = [] }
        return pending
    }

    /// Initializes with `capabilities` and sends `initialized`; the initialize result.
    @discardableResult
    func initialize(capabilities: JSONValue = [:], options: JSONValue? = nil) -> JSONValue? {
        var params: [String: JSONValue] = ["processId": .null, "rootUri": .null, "capabilities": capabilities]
        if let options { params["initializationOptions"] = options }
        let result = request("initialize", .object(params))?["result"]
        notify("initialized", [:])
        return result
    }

    /// Opens a document.
    func open(_ uri: String, _ text: String, version: Int = 1) {
        notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(uri), "languageId": "dockerfile", "version": .integer(version), "text": .string(text),
        ]])
    }

    /// Closes the input and waits for the server to end; its exit status.
    func closeInput() -> Int32? {
        if !isInputClosed { close(toServer) }
        isInputClosed = true
        return waitForExit()
    }

    /// Waits for the server to end; its exit status.
    func waitForExit(timeout: Double = 10) -> Int32? {
        exit.wait(timeout: timeout)
    }
}

/// The exit status of a server thread, once it has one.
final class ExitStatus: @unchecked Sendable {
    private let monitor = Monitor()
    private var status: Int32?

    func set(_ value: Int32) {
        monitor.withLock {
            status = value
            monitor.broadcast()
        }
    }

    func wait(timeout: Double) -> Int32? {
        let deadline = ServerThread.now() + UInt64(timeout * 1e9)
        return monitor.withLock {
            while status == nil && ServerThread.now() < deadline { monitor.wait(nanoseconds: 50_000_000) }
            return status
        }
    }
}

/// A range literal.
func lspRange(_ startLine: Int, _ startCharacter: Int, _ endLine: Int, _ endCharacter: Int) -> JSONValue {
    ["start": ["line": .integer(startLine), "character": .integer(startCharacter)],
     "end": ["line": .integer(endLine), "character": .integer(endCharacter)]]
}
