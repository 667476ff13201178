import DockwrightCore
import DockwrightSyntax

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `dockwright server`: a Language Server Protocol 3.17 server over a pair of byte
/// streams (standard input and output in the product, pipes in tests).
///
/// Three threads: a reader frames and parses messages (and takes `$/cancelRequest` at
/// once), the dispatcher answers them in order, and a diagnostics thread lints changed
/// documents and pushes their findings, so a large document never holds up requests.
/// Everything the dispatcher and the diagnostics thread share is guarded by `state`.
package final class LanguageServer: @unchecked Sendable {
    /// JSON-RPC and LSP error codes.
    package enum ErrorCode {
        package static let parseError = -32700
        package static let invalidRequest = -32600
        package static let methodNotFound = -32601
        package static let invalidParams = -32602
        package static let internalError = -32603
        package static let serverNotInitialized = -32002
        package static let requestCancelled = -32800
    }

    /// A request answered with an error.
    struct RequestError: Error {
        let code: Int
        let message: String

        static func invalidParams(_ message: String) -> RequestError {
            RequestError(code: ErrorCode.invalidParams, message: message)
        }
    }

    private enum Lifecycle {
        case uninitialized, running, shutDown
    }

    /// What the reader hands the dispatcher.
    private enum Incoming {
        case message(JSONValue)
        case malformed(String)
        case endOfInput
    }

    private let input: Int32
    private let writer: MessageWriter
    private let version: String

    // Reader → dispatcher queue and the ids cancelled before they were answered.
    private let inbox = Monitor()
    private var queue: [Incoming] = []
    private var queueHead = 0
    private var cancelled: Set<JSONValue> = []
    private var hasReaderEnded = false

    // Shared by the dispatcher and the diagnostics thread, under `state`.
    let state = Monitor()
    /// The open documents by URI.
    var documents: [String: TextDocument] = [:]
    /// The newest analysis of each open document.
    var analyses: [String: DocumentAnalysis] = [:]
    /// The linter for each document's configuration.
    var linters: any DocumentLinterSource
    private var pendingLints: [String: UInt64] = [:]
    private var lastLintDurations: [String: UInt64] = [:]
    private var lastChangeTimes: [String: UInt64] = [:]
    private var isStopping = false
    private var hasDiagnosticsThreadEnded = false
    /// Orders publishing against closing documents.
    private let publishing = Monitor()
    private var generationCounter = 0
    /// Increases whenever settings or configuration files change; analyses are keyed by it.
    var configurationEpoch = 0
    /// The position encoding agreed at initialize.
    var encoding = PositionEncoding.utf16
    private var pushesDiagnostics = true

    // Confined to the dispatcher.
    private var lifecycle = Lifecycle.uninitialized
    /// What the client said it supports, at initialize.
    var clientCapabilities = JSONValue.null
    private var nextOutgoingID = 1
    private var responseHandlers: [Int: (JSONValue?) -> Void] = [:]
    private var initializationSettings = ServerSettings()

    // Problems already shown to the user, from either thread.
    private let problems = Monitor()
    private var reportedProblems: Set<String> = []

    /// The longest pause waited for before linting a document that is being typed in.
    static let maximumQuietPeriod: UInt64 = 50_000_000

    /// Creates a server reading messages from `input` and writing to `output`, linting
    /// each document with the linter `linters` gives for it.
    package init(input: Int32, output: Int32, version: String, linters: any DocumentLinterSource) {
        self.input = input
        self.writer = MessageWriter(descriptor: output)
        self.version = version
        self.linters = linters
    }

    /// Serves until `exit` or the end of input; the exit status: 0 after `shutdown`, 1 otherwise.
    package func run() -> Int32 {
        // A client that goes away must end the server through a failed write, not SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        ServerThread.start { [self] in readMessages() }
        ServerThread.start { [self] in publishDiagnosticsLoop() }
        // Nothing may write after `run` returns: the caller may close the output.
        defer {
            state.withLock {
                isStopping = true
                state.broadcast()
                while !hasDiagnosticsThreadEnded { state.wait() }
            }
        }
        while true {
            let incoming = nextIncoming()
            switch incoming {
            case .endOfInput:
                return lifecycle == .shutDown ? 0 : 1
            case .malformed(let reason):
                sendError(id: .null, code: ErrorCode.parseError, message: reason)
                log(.warning, "dockwright: skipped a malformed message: \(reason)")
            case .message(let message):
                if let status = handle(message) { return status }
            }
            if writer.hasFailed { return 1 }
        }
    }

    // MARK: - Reading

    private func readMessages() {
        var framer = MessageFramer()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                inbox.withLock {
                    queue.append(.endOfInput)
                    hasReaderEnded = true
                    inbox.broadcast()
                }
                return
            }
            framer.append(chunk[0..<count])
            var batch: [Incoming] = []
            var cancellations: [JSONValue] = []
            while let frame = framer.next() {
                switch frame {
                case .malformed(let reason):
                    batch.append(.malformed(reason))
                case .message(let body):
                    do {
                        let message = try JSONParser.parse(body)
                        // Cancellation takes effect before anything queued behind it runs.
                        if message["method"]?.stringValue == "$/cancelRequest", let id = message["params"]?["id"] {
                            cancellations.append(id)
                        } else {
                            batch.append(.message(message))
                        }
                    } catch {
                        batch.append(.malformed("not JSON: \(error)"))
                    }
                }
            }
            enqueue(batch, cancelling: cancellations)
        }
    }

    private func enqueue(_ batch: [Incoming], cancelling ids: [JSONValue]) {
        guard !batch.isEmpty || !ids.isEmpty else { return }
        inbox.withLock {
            queue.append(contentsOf: batch)
            cancelled.formUnion(ids)
            inbox.broadcast()
        }
    }

    /// Waits until the reader has seen the end of the input, after which the input
    /// descriptor may be closed without a read landing on a reused descriptor.
    package func waitUntilInputEnds() {
        inbox.withLock {
            while !hasReaderEnded { inbox.wait() }
        }
    }

    private func nextIncoming() -> Incoming {
        inbox.withLock {
            while queueHead >= queue.count { inbox.wait() }
            let incoming = queue[queueHead]
            queueHead += 1
            if queueHead > 1024 && queueHead * 2 > queue.count {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
            return incoming
        }
    }

    private func takeCancellation(of id: JSONValue) -> Bool {
        inbox.withLock { cancelled.remove(id) != nil }
    }

    // MARK: - Dispatch

    /// Handles one message; an exit status when the server must stop.
    private func handle(_ message: JSONValue) -> Int32? {
        guard message.objectValue != nil else {
            sendError(id: .null, code: ErrorCode.invalidRequest, message: "a message must be a JSON object")
            return nil
        }
        let id = message["id"]
        let validID: JSONValue? = switch id {
        case .integer?, .string?: id
        default: nil
        }
        guard let methodValue = message["method"] else {
            if let validID, message["result"] != nil || message["error"] != nil {
                handleResponse(id: validID, result: message["result"], error: message["error"])
            } else {
                sendError(id: validID ?? .null, code: ErrorCode.invalidRequest, message: "a message needs a method, or a result or error")
            }
            return nil
        }
        guard let method = methodValue.stringValue, message["jsonrpc"]?.stringValue == "2.0" else {
            if id != nil {
                sendError(id: validID ?? .null, code: ErrorCode.invalidRequest,
                          message: "a request needs \"jsonrpc\": \"2.0\" and a string method")
            } else {
                log(.warning, "dockwright: skipped a notification without \"jsonrpc\": \"2.0\" and a string method")
            }
            return nil
        }
        let params = message["params"] ?? .null
        if let id, !id.isNull {
            guard let validID else {
                sendError(id: .null, code: ErrorCode.invalidRequest, message: "a request id must be a number or a string")
                return nil
            }
            handleRequest(id: validID, method: method, params: params)
            return nil
        }
        return handleNotification(method: method, params: params)
    }

    private func handleRequest(id: JSONValue, method: String, params: JSONValue) {
        if takeCancellation(of: id) {
            sendError(id: id, code: ErrorCode.requestCancelled, message: "\(method) was cancelled")
            return
        }
        switch lifecycle {
        case .uninitialized where method != "initialize":
            sendError(id: id, code: ErrorCode.serverNotInitialized, message: "\(method) before initialize")
            return
        case .running where method == "initialize":
            sendError(id: id, code: ErrorCode.invalidRequest, message: "initialize was already received")
            return
        case .shutDown:
            sendError(id: id, code: ErrorCode.invalidRequest, message: "\(method) after shutdown")
            return
        default:
            break
        }
        do {
            let result = try answer(method: method, params: params)
            writer.send(["jsonrpc": "2.0", "id": id, "result": result])
        } catch {
            sendError(id: id, code: error.code, message: error.message)
        }
        // A cancellation that came while the request ran has nothing left to cancel.
        _ = takeCancellation(of: id)
    }

    private func answer(method: String, params: JSONValue) throws(RequestError) -> JSONValue {
        switch method {
        case "initialize": return initialize(params)
        case "shutdown":
            lifecycle = .shutDown
            return .null
        case "textDocument/diagnostic": return try pullDiagnostics(params)
        case "textDocument/codeAction": return try codeActions(params)
        case "codeAction/resolve": return try resolveCodeAction(params)
        case "textDocument/formatting": return try formatting(params)
        case "textDocument/rangeFormatting": return try rangeFormatting(params)
        case "textDocument/hover": return try hover(params)
        default:
            throw RequestError(code: ErrorCode.methodNotFound, message: "unknown method \(method)")
        }
    }

    private func handleNotification(method: String, params: JSONValue) -> Int32? {
        if method == "exit" { return lifecycle == .shutDown ? 0 : 1 }
        // Before initialize, notifications are dropped (the spec's rule); after shutdown too.
        guard lifecycle == .running else { return nil }
        do {
            switch method {
            case "initialized": initialized()
            case "textDocument/didOpen": try didOpen(params)
            case "textDocument/didChange": try didChange(params)
            case "textDocument/didSave": try didSave(params)
            case "textDocument/didClose": try didClose(params)
            case "workspace/didChangeConfiguration": didChangeConfiguration(params)
            case "workspace/didChangeWatchedFiles": configurationFilesChanged()
            default:
                // `$/` notifications may be ignored (the spec's rule); others are noted.
                if !method.hasPrefix("$/") { log(.info, "dockwright: ignored the notification \(method)") }
            }
        } catch {
            log(.error, "dockwright: \(method): \(error.message)")
        }
        return nil
    }

    private func handleResponse(id: JSONValue, result: JSONValue?, error: JSONValue?) {
        guard let number = id.integerValue, let handler = responseHandlers.removeValue(forKey: number) else { return }
        if let error, !error.isNull {
            log(.warning, "dockwright: the client answered with an error: \(error["message"]?.stringValue ?? "unknown")")
            handler(nil)
        } else {
            handler(result)
        }
    }

    // MARK: - Sending

    /// Answers request `id` with an error.
    func sendError(id: JSONValue, code: Int, message: String) {
        writer.send(["jsonrpc": "2.0", "id": id, "error": ["code": .integer(code), "message": .string(message)]])
    }

    /// Sends a notification to the client.
    func sendNotification(_ method: String, _ params: JSONValue) {
        writer.send(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }

    private func sendRequest(_ method: String, _ params: JSONValue, then handler: @escaping (JSONValue?) -> Void) {
        let id = nextOutgoingID
        nextOutgoingID += 1
        responseHandlers[id] = handler
        writer.send(["jsonrpc": "2.0", "id": .integer(id), "method": .string(method), "params": params])
    }

    /// `window/logMessage` levels.
    enum LogLevel: Int {
        case error = 1, warning, info, log
    }

    /// Writes to the client's log (`window/logMessage`).
    func log(_ level: LogLevel, _ message: String) {
        sendNotification("window/logMessage", ["type": .integer(level.rawValue), "message": .string(message)])
    }

    /// Tells the user once about a problem they must fix (a broken configuration file).
    func reportProblem(_ problem: String?) {
        guard let problem, problems.withLock({ reportedProblems.insert(problem).inserted }) else { return }
        sendNotification("window/showMessage", ["type": 1, "message": .string("dockwright: \(problem)")])
    }

    // MARK: - Lifecycle

    private func initialize(_ params: JSONValue) -> JSONValue {
        lifecycle = .running
        clientCapabilities = params["capabilities"] ?? .null
        let offered = clientCapabilities["general"]?["positionEncodings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let chosen: PositionEncoding = offered.contains("utf-8") ? .utf8 : .utf16
        // A client that pulls diagnostics gets no pushed copies of the same findings.
        let pulls = clientCapabilities["textDocument"]?["diagnostic"] != nil
        let (settings, problems) = ServerSettings().updated(with: params["initializationOptions"])
        initializationSettings = settings
        state.withLock {
            encoding = chosen
            pushesDiagnostics = !pulls
            linters.reset(settings: settings)
        }
        for problem in problems { reportProblem("initializationOptions: \(problem)") }
        let capabilities: JSONValue = [
            "positionEncoding": .string(chosen.rawValue),
            "textDocumentSync": ["openClose": true, "change": 2, "save": ["includeText": false]],
            "diagnosticProvider": ["identifier": "dockwright", "interFileDependencies": false, "workspaceDiagnostics": false],
            "codeActionProvider": [
                "codeActionKinds": ["quickfix", .string(Self.fixAllKind), .string(Self.unsafeFixAllKind)],
                "resolveProvider": true,
            ],
            "documentFormattingProvider": true,
            "documentRangeFormattingProvider": true,
            "hoverProvider": true,
        ]
        return ["capabilities": capabilities, "serverInfo": ["name": "dockwright", "version": .string(version)]]
    }

    private func initialized() {
        requestConfiguration()
        // Configuration files and ignore files change what a document's findings are.
        if clientCapabilities["workspace"]?["didChangeWatchedFiles"]?["dynamicRegistration"]?.boolValue == true {
            let watchers: [JSONValue] = ["**/.dockwright.json", "**/.hadolint.yaml", "**/.hadolint.yml", "**/*.dockerignore",
                                         "**/.dockerignore"].map { ["globPattern": $0] }
            sendRequest("client/registerCapability", [
                "registrations": [[
                    "id": "dockwright-configuration-files", "method": "workspace/didChangeWatchedFiles",
                    "registerOptions": ["watchers": .array(watchers)],
                ]],
            ]) { _ in }
        }
    }

    /// Asks for the `dockwright` settings section when the client has one to give.
    private func requestConfiguration() {
        guard clientCapabilities["workspace"]?["configuration"]?.boolValue == true else { return }
        sendRequest("workspace/configuration", ["items": [["section": "dockwright"]]]) { [self] result in
            guard let section = result?.arrayValue?.first else { return }
            let (settings, problems) = initializationSettings.updated(with: section)
            for problem in problems { reportProblem("settings: \(problem)") }
            applySettings(settings)
        }
    }

    private func didChangeConfiguration(_ params: JSONValue) {
        if clientCapabilities["workspace"]?["configuration"]?.boolValue == true {
            requestConfiguration()
            return
        }
        // A client without workspace/configuration pushes the settings here.
        let section = params["settings"]?["dockwright"] ?? params["settings"]
        let (settings, problems) = initializationSettings.updated(with: section)
        for problem in problems { reportProblem("settings: \(problem)") }
        applySettings(settings)
    }

    private func applySettings(_ settings: ServerSettings) {
        state.withLock {
            linters.reset(settings: settings)
            invalidateAllLocked()
        }
    }

    private func configurationFilesChanged() {
        state.withLock {
            linters.reset(settings: linters.settings)
            invalidateAllLocked()
        }
    }

    /// Drops every analysis and relints every open document; the caller holds `state`.
    private func invalidateAllLocked() {
        configurationEpoch += 1
        analyses = [:]
        let now = ServerThread.now()
        for uri in documents.keys { pendingLints[uri] = now }
        state.broadcast()
    }

    // MARK: - Text synchronisation

    /// The `textDocument.uri` of a request or notification.
    func documentURI(_ params: JSONValue) throws(RequestError) -> String {
        guard let uri = params["textDocument"]?["uri"]?.stringValue else {
            throw .invalidParams("textDocument.uri must be a string")
        }
        return uri
    }

    private func didOpen(_ params: JSONValue) throws(RequestError) {
        let item = params["textDocument"]
        guard let uri = item?["uri"]?.stringValue, let text = item?["text"]?.stringValue else {
            throw .invalidParams("textDocument needs uri and text")
        }
        let version = item?["version"]?.integerValue ?? 0
        state.withLock {
            generationCounter += 1
            documents[uri] = TextDocument(uri: uri, text: text, version: version, generation: generationCounter)
            analyses[uri] = nil
            pendingLints[uri] = ServerThread.now()
            state.broadcast()
        }
    }

    private func didChange(_ params: JSONValue) throws(RequestError) {
        let uri = try documentURI(params)
        guard let changes = params["contentChanges"]?.arrayValue else {
            throw .invalidParams("contentChanges must be an array")
        }
        let version = params["textDocument"]?["version"]?.integerValue
        let outcome: String? = state.withLock {
            guard var document = documents[uri] else { return "\(uri) is not open; change ignored" }
            if let version, version < document.version {
                // Newest version wins: an older text must never replace a newer one.
                return "version \(version) of \(uri) is older than \(document.version); change ignored"
            }
            for change in changes {
                guard let text = change["text"]?.stringValue else { return "a change without text; ignored" }
                if let rangeJSON = change["range"] {
                    guard let range = document.range(rangeJSON, encoding) else { return "a change with a bad range; ignored" }
                    document.replace(range, with: text)
                } else {
                    document.replaceAll(with: text)
                }
            }
            generationCounter += 1
            document.generation = generationCounter
            if let version { document.version = version }
            documents[uri] = document
            // Debounce: while changes come faster than a lint takes (typing), wait for a
            // pause that long (never longer than 50 ms); a lone change is linted at once.
            // Changes that arrive during a lint are coalesced anyway: the newest version wins.
            let now = ServerThread.now()
            let lintDuration = min(lastLintDurations[uri] ?? 0, Self.maximumQuietPeriod)
            let isTyping = now - (lastChangeTimes[uri] ?? 0) < lintDuration
            lastChangeTimes[uri] = now
            pendingLints[uri] = now + (isTyping ? lintDuration : 0)
            state.broadcast()
            return nil
        }
        if let outcome { throw .invalidParams(outcome) }
    }

    private func didSave(_ params: JSONValue) throws(RequestError) {
        let uri = try documentURI(params)
        state.withLock {
            guard documents[uri] != nil else { return }
            pendingLints[uri] = ServerThread.now()
            state.broadcast()
        }
    }

    private func didClose(_ params: JSONValue) throws(RequestError) {
        let uri = try documentURI(params)
        publishing.withLock {
            let pushes = state.withLock {
                documents[uri] = nil
                analyses[uri] = nil
                pendingLints[uri] = nil
                lastLintDurations[uri] = nil
                return pushesDiagnostics
            }
            if pushes { sendNotification("textDocument/publishDiagnostics", ["uri": .string(uri), "diagnostics": []]) }
        }
    }

    // MARK: - Analysis

    /// The lint result of one version of a document.
    struct DocumentAnalysis {
        let generation: Int
        let epoch: Int
        let linter: Linter
        let result: LintResult
        /// `dockwright fix` outputs, computed on demand, by level.
        var fixed: [Applicability: [UInt8]] = [:]
    }

    /// The current text of an open document and its analysis, linting it now if needed.
    func analysis(of uri: String) -> (TextDocument, DocumentAnalysis)? {
        let snapshot: (TextDocument, DocumentAnalysis?, Linter?, String?, Int)? = state.withLock {
            guard let document = documents[uri] else { return nil }
            if let analysis = analyses[uri], analysis.generation == document.generation, analysis.epoch == configurationEpoch {
                return (document, analysis, nil, nil, configurationEpoch)
            }
            let (linter, problem) = linters.linter(forPath: document.path)
            return (document, nil, linter, problem, configurationEpoch)
        }
        guard let (document, cached, linter, problem, epoch) = snapshot else { return nil }
        if let cached { return (document, cached) }
        reportProblem(problem)
        guard let linter else { return nil }
        let analysis = DocumentAnalysis(generation: document.generation, epoch: epoch, linter: linter, result: linter.lint(document.source))
        store(analysis, for: uri)
        return (document, analysis)
    }

    private func store(_ analysis: DocumentAnalysis, for uri: String) {
        state.withLock {
            guard let document = documents[uri], document.generation == analysis.generation,
                  analysis.epoch == configurationEpoch else { return }
            if let existing = analyses[uri], existing.generation == analysis.generation, existing.epoch == analysis.epoch {
                return
            }
            analyses[uri] = analysis
        }
    }

    /// What `dockwright fix` makes of the document at `level`, cached per version.
    func fixedBytes(of uri: String, level: Applicability) -> (TextDocument, DocumentAnalysis, [UInt8])? {
        guard let (document, analysis) = analysis(of: uri) else { return nil }
        if let fixed = analysis.fixed[level] { return (document, analysis, fixed) }
        let output = analysis.linter.fix(document.source, level: level).output
        state.withLock {
            if var current = analyses[uri], current.generation == analysis.generation, current.epoch == analysis.epoch {
                current.fixed[level] = output
                analyses[uri] = current
            }
        }
        return (document, analysis, output)
    }

    // MARK: - Pushed diagnostics

    /// The diagnostics thread: waits for a document's quiet period to end, lints its
    /// newest version outside the lock, and publishes only if nothing changed meanwhile.
    private func publishDiagnosticsLoop() {
        while true {
            let job: (String, TextDocument, Linter, String?, Int)? = state.withLock {
                while true {
                    if isStopping {
                        hasDiagnosticsThreadEnded = true
                        state.broadcast()
                        return nil
                    }
                    guard let (uri, due) = pendingLints.min(by: { $0.value < $1.value }) else {
                        state.wait()
                        continue
                    }
                    let now = ServerThread.now()
                    if due > now {
                        state.wait(nanoseconds: due - now)
                        continue
                    }
                    pendingLints[uri] = nil
                    guard let document = documents[uri] else { continue }
                    let (linter, problem) = linters.linter(forPath: document.path)
                    return (uri, document, linter, problem, configurationEpoch)
                }
            }
            guard let (uri, document, linter, problem, epoch) = job else { return }
            reportProblem(problem)
            let started = ServerThread.now()
            let analysis = DocumentAnalysis(generation: document.generation, epoch: epoch, linter: linter, result: linter.lint(document.source))
            let duration = ServerThread.now() - started
            let (isCurrent, pushes, encoding) = state.withLock {
                lastLintDurations[uri] = duration
                guard let current = documents[uri], current.generation == document.generation,
                      epoch == configurationEpoch else { return (false, false, self.encoding) }
                if analyses[uri]?.generation != document.generation || analyses[uri]?.epoch != epoch {
                    analyses[uri] = analysis
                }
                return (true, pushesDiagnostics, self.encoding)
            }
            // Stale results are never published: a newer version is already queued.
            guard isCurrent, pushes else { continue }
            // Built and written outside `state`, so a large report never holds up requests.
            let diagnostics = analysis.result.diagnostics.map { lspDiagnostic($0, in: document, encoding) }
            let message: JSONValue = [
                "uri": .string(uri), "version": .integer(document.version), "diagnostics": .array(diagnostics),
            ]
            publishing.withLock {
                // Checked again under the publishing lock, which didClose takes too, so a
                // closed document never gets findings after its empty list.
                let isStillCurrent = state.withLock { documents[uri]?.generation == document.generation }
                if isStillCurrent { sendNotification("textDocument/publishDiagnostics", message) }
            }
        }
    }

    // MARK: - Pulled diagnostics

    private func pullDiagnostics(_ params: JSONValue) throws(RequestError) -> JSONValue {
        let uri = try documentURI(params)
        guard let (document, analysis) = analysis(of: uri) else {
            return ["kind": "full", "items": []]
        }
        let encoding = state.withLock { self.encoding }
        let resultID = "\(analysis.epoch).\(analysis.generation)"
        if params["previousResultId"]?.stringValue == resultID {
            return ["kind": "unchanged", "resultId": .string(resultID)]
        }
        let items = analysis.result.diagnostics.map { lspDiagnostic($0, in: document, encoding) }
        return ["kind": "full", "resultId": .string(resultID), "items": .array(items)]
    }

    /// A finding as an LSP diagnostic.
    func lspDiagnostic(_ diagnostic: Diagnostic, in document: TextDocument, _ encoding: PositionEncoding) -> JSONValue {
        var members: [String: JSONValue] = [
            "range": document.json(diagnostic.range, encoding),
            "severity": .integer(Self.severity(diagnostic.severity)),
            "code": .string(diagnostic.code),
            "source": "dockwright",
            "message": .string(diagnostic.message),
        ]
        if !diagnostic.url.isEmpty { members["codeDescription"] = ["href": .string(diagnostic.url)] }
        var tags: [JSONValue] = []
        // Unnecessary: the fix deletes exactly what is flagged (an editor greys it out).
        if let fix = diagnostic.fix, !diagnostic.range.isEmpty,
           fix.edits.allSatisfy({ $0.replacement.isEmpty }),
           fix.edits.contains(where: { $0.range.start <= diagnostic.range.start && diagnostic.range.end <= $0.range.end }) {
            tags.append(1)
        }
        // Deprecated: the rule says so in its name (`maintainer-deprecated`); editors strike it through.
        if diagnostic.name.split(separator: "-").contains("deprecated") { tags.append(2) }
        if !tags.isEmpty { members["tags"] = .array(tags) }
        return .object(members)
    }

    /// The LSP `DiagnosticSeverity` of a severity (style is a hint).
    static func severity(_ severity: Severity) -> Int {
        switch severity {
        case .error: return 1
        case .warning: return 2
        case .info: return 3
        case .style: return 4
        }
    }
}
