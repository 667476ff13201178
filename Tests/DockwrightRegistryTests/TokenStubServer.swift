import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny registry and token service in one, on 127.0.0.1 and a kernel-chosen port: it
/// answers manifest requests with 401 and a Bearer challenge unless they carry the token
/// it issues at `/token`, which may itself require Basic credentials or a refresh token.
final class TokenStubServer: @unchecked Sendable {
    struct Request {
        let method: String
        let target: String
        let headers: [String: String]
        let body: String
    }

    let port: Int
    let manifest = Array(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#.utf8)
    let issuedToken = "stub-token-1"
    /// Basic credentials the token service insists on, if any.
    var requiredBasic: String?
    /// A refresh token accepted by `POST /token`.
    var acceptedRefreshToken: String?
    /// Whether manifest answers carry `Docker-Content-Digest`.
    var sendsDigestHeader = true

    private let listener: Int32
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var isStopped = false

    var requests: [Request] { lock.withLock { recorded } }

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw RegistryServer.Failure("cannot listen") }
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    func stop() {
        lock.withLock { isStopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if lock.withLock({ isStopped }) { return }
                continue
            }
            handle(connection)
            close(connection)
        }
    }

    private func handle(_ connection: Int32) {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var headerEnd: Range<Int>?
        while headerEnd == nil {
            let count = read(connection, &buffer, buffer.count)
            guard count > 0 else { return }
            data += buffer[0..<count]
            if let found = String(decoding: data, as: UTF8.self).range(of: "\r\n\r\n") {
                let offset = String(decoding: data, as: UTF8.self).utf8.distance(
                    from: String(decoding: data, as: UTF8.self).startIndex, to: found.lowerBound)
                headerEnd = offset..<(offset + 4)
            }
        }
        guard let headerEnd else { return }
        let head = String(decoding: data[..<headerEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(data[headerEnd.upperBound...])
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < length {
            let count = read(connection, &buffer, buffer.count)
            guard count > 0 else { break }
            body += buffer[0..<count]
        }
        let request = Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers,
                              body: String(decoding: body, as: UTF8.self))
        lock.withLock { recorded.append(request) }
        respond(to: request, on: connection)
    }

    private func respond(to request: Request, on connection: Int32) {
        if request.target.hasPrefix("/token") {
            if request.method == "POST" {
                guard let accepted = acceptedRefreshToken, request.body.contains("refresh_token=\(accepted)") else {
                    return send(connection, status: "401 Unauthorized", headers: [], body: "{}")
                }
                return send(connection, status: "200 OK", headers: [], body: #"{"access_token":"\#(issuedToken)"}"#)
            }
            if let requiredBasic, request.headers["authorization"] != "Basic " + requiredBasic {
                return send(connection, status: "401 Unauthorized", headers: [], body: "{}")
            }
            return send(connection, status: "200 OK", headers: [], body: #"{"token":"\#(issuedToken)"}"#)
        }
        guard request.target.hasPrefix("/v2/"), let range = request.target.range(of: "/manifests/") else {
            return send(connection, status: "404 Not Found", headers: [], body: "{}")
        }
        let repository = String(request.target[request.target.index(request.target.startIndex, offsetBy: 4)..<range.lowerBound])
        guard request.headers["authorization"] == "Bearer \(issuedToken)" else {
            let challenge = #"Bearer realm="http://127.0.0.1:\#(port)/token",service="stub-registry",scope="repository:\#(repository):pull""#
            return send(connection, status: "401 Unauthorized", headers: [("WWW-Authenticate", challenge)],
                        body: #"{"errors":[{"code":"UNAUTHORIZED"}]}"#)
        }
        var headers = [("Content-Type", "application/vnd.oci.image.index.v1+json")]
        if sendsDigestHeader { headers.append(("Docker-Content-Digest", DockwrightRegistryTestsDigest.of(manifest))) }
        let body = String(decoding: manifest, as: UTF8.self)
        if request.method == "HEAD" {
            return send(connection, status: "200 OK", headers: headers + [("Content-Length", "\(manifest.count)")], body: nil)
        }
        send(connection, status: "200 OK", headers: headers, body: body)
    }

    private func send(_ connection: Int32, status: String, headers: [(String, String)], body: String?) {
        var text = "HTTP/1.1 \(status)\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body { text += "Content-Length: \(body.utf8.count)\r\n\r\n" + body } else { text += "\r\n" }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
    }
}
