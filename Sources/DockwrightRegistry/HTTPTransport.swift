#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a request got no HTTP response.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for a one-line message: "connection refused", "timed out after 10 s".
    public let reason: String

    /// Creates an error.
    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}

/// A minimal HTTP/1.1 client: one connection per request (`Connection: close`), plain
/// TCP or TLS through the system's OpenSSL, a deadline on every connect, send and
/// receive, and a cap on the response size, so a slow or hostile server can neither
/// hang the tool nor exhaust its memory. Registries answer small JSON documents; this
/// is all the protocol needs. See ``OpenSSLLibrary`` for why not FoundationNetworking.
public struct HTTPTransport: Sendable {
    /// How long to wait for a connection, and for the whole exchange after it, in seconds.
    public let timeout: Int
    /// Extra trusted CA certificates (PEM files) per `host:port`, like Docker's
    /// `certs.d/<host:port>/ca.crt`; the system's trust store is always used too.
    public let certificateAuthorities: @Sendable (HTTPURL) -> [String]
    /// The largest response body accepted.
    public static let maximumBodySize = 8 << 20

    /// The `User-Agent` sent with every request.
    public static let userAgent = "dockwright-pin"

    /// Creates a transport.
    public init(timeout: Int = 15, certificateAuthorities: @escaping @Sendable (HTTPURL) -> [String] = { _ in [] }) {
        self.timeout = timeout
        self.certificateAuthorities = certificateAuthorities
    }

    /// Sends `request` and reads the whole response.
    public func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        let descriptor = try connect(to: request.url)
        defer { close(descriptor) }
        var stream = try ByteStream(descriptor: descriptor, url: request.url, timeout: timeout,
                                    certificateAuthorities: request.url.isSecure ? certificateAuthorities(request.url) : [])
        defer { stream.close() }
        try stream.write(request.serialized(userAgent: Self.userAgent))
        return try readResponse(from: &stream, isHead: request.method == "HEAD")
    }

    // MARK: - Connecting

    private func connect(to url: HTTPURL) throws(TransportError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(url.host, String(url.port), &hints, &list)
        guard status == 0, let first = list else {
            throw TransportError("cannot resolve \(url.host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let descriptor = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            guard descriptor >= 0 else {
                lastError = String(cString: strerror(errno))
                continue
            }
            if let failure = connect(descriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) {
                lastError = failure
                close(descriptor)
                continue
            }
            var deadline = timeval(tv_sec: timeout, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &deadline, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &deadline, socklen_t(MemoryLayout<timeval>.size))
            #if canImport(Darwin)
            var one: Int32 = 1
            setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
            #endif
            return descriptor
        }
        throw TransportError("cannot connect to \(url.authority): \(lastError)")
    }

    /// A non-blocking connect bounded by the timeout; nil on success, else the reason.
    private func connect(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> String? {
        let flags = fcntl(descriptor, F_GETFL, 0)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(descriptor, F_SETFL, flags) }
        if Glibc_connect(descriptor, address, length) == 0 { return nil }
        guard errno == EINPROGRESS else { return String(cString: strerror(errno)) }
        var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        let ready = poll(&poller, 1, Int32(timeout * 1000))
        if ready == 0 { return "timed out after \(timeout) s" }
        guard ready > 0 else { return String(cString: strerror(errno)) }
        var socketError: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &socketError, &size)
        return socketError == 0 ? nil : String(cString: strerror(socketError))
    }

    // MARK: - Reading the response

    private func readResponse(from stream: inout ByteStream, isHead: Bool) throws(TransportError) -> HTTPResponse {
        var buffer: [UInt8] = []
        var headEnd: Int?
        while headEnd == nil {
            guard let chunk = try stream.read(), !chunk.isEmpty else {
                throw TransportError("the connection closed before a complete response")
            }
            let searchStart = max(0, buffer.count - 3)
            buffer += chunk
            headEnd = Self.find([13, 10, 13, 10], in: buffer, from: searchStart)
            if headEnd == nil && buffer.count > 64 * 1024 { throw TransportError("response headers too large") }
        }
        guard let headEnd else { throw TransportError("no response") }
        let headText = String(decoding: buffer[..<headEnd], as: UTF8.self)
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false).makeIterator()
        guard let statusLine = lines.next() else { throw TransportError("empty response") }
        let statusParts = statusLine.split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw TransportError("not an HTTP/1.1 response: \(statusLine.prefix(40))")
        }
        var headers: [(name: String, value: String)] = []
        while let line = lines.next() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingSpaces))
        }
        let response = HTTPResponse(status: status, headers: headers, body: [])
        var rest = Array(buffer[(headEnd + 4)...])
        if isHead || status == 204 || status == 304 || (100..<200).contains(status) {
            return response
        }
        let body: [UInt8]
        if response.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            body = try readChunked(from: &stream, buffered: &rest)
        } else if let lengthText = response.header("Content-Length"), let length = Int(lengthText) {
            guard length <= Self.maximumBodySize else { throw TransportError("response body of \(length) bytes is too large") }
            while rest.count < length {
                guard let chunk = try stream.read(), !chunk.isEmpty else { throw TransportError("response body cut short") }
                rest += chunk
            }
            body = Array(rest.prefix(length))
        } else {
            while let chunk = try stream.read(), !chunk.isEmpty {
                rest += chunk
                guard rest.count <= Self.maximumBodySize else { throw TransportError("response body too large") }
            }
            body = rest
        }
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    private func readChunked(from stream: inout ByteStream, buffered: inout [UInt8]) throws(TransportError) -> [UInt8] {
        var body: [UInt8] = []
        var position = 0
        func need(_ count: Int) throws(TransportError) {
            while buffered.count - position < count {
                guard let chunk = try stream.read(), !chunk.isEmpty else { throw TransportError("chunked body cut short") }
                buffered += chunk
            }
        }
        while true {
            var lineEnd = Self.find([13, 10], in: buffered, from: position)
            while lineEnd == nil {
                guard let chunk = try stream.read(), !chunk.isEmpty else { throw TransportError("chunked body cut short") }
                buffered += chunk
                guard buffered.count - position < 4096 else { throw TransportError("malformed chunk header") }
                lineEnd = Self.find([13, 10], in: buffered, from: position)
            }
            guard let lineEnd else { break }
            let sizeText = String(decoding: buffered[position..<lineEnd], as: UTF8.self).prefix { $0 != ";" }
            guard let size = Int(sizeText.trimmingSpaces, radix: 16), size >= 0 else {
                throw TransportError("malformed chunk size")
            }
            position = lineEnd + 2
            if size == 0 { break }
            guard body.count + size <= Self.maximumBodySize else { throw TransportError("response body too large") }
            try need(size + 2)
            body += buffered[position..<(position + size)]
            position += size + 2
        }
        return body
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
        }
        return nil
    }
}

/// `connect(2)` under a name that does not clash with the transport's own method.
private func Glibc_connect(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    connect(descriptor, address, length)
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let text = String(self)
        guard let first = text.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = text.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(text[first...last])
    }
}

/// The bytes of one connection, through TLS when the URL is `https`.
private struct ByteStream {
    let descriptor: Int32
    let timeout: Int
    private var tls: (library: OpenSSLLibrary, context: OpaquePointer, connection: OpaquePointer)?
    /// When the exchange must be over: a server that drips a byte now and then cannot
    /// hold a request open past it (each read also times out on its own).
    private let deadline: Int

    init(descriptor: Int32, url: HTTPURL, timeout: Int, certificateAuthorities: [String]) throws(TransportError) {
        self.descriptor = descriptor
        self.timeout = timeout
        deadline = Self.now() + timeout
        guard url.isSecure else { return }
        guard let library = OpenSSLLibrary.shared else {
            throw TransportError("HTTPS needs the OpenSSL shared library (libssl.so.3 or libssl.so.1.1), not found")
        }
        guard let context = library.newContext(library.clientMethod()) else {
            throw TransportError("cannot set up TLS: \(library.drainErrors() ?? "SSL_CTX_new failed")")
        }
        _ = library.setDefaultVerifyPaths(context)
        for file in certificateAuthorities { _ = library.loadVerifyLocations(context, file, nil) }
        library.setVerify(context, OpenSSLLibrary.verifyPeer, nil)
        guard let connection = library.newConnection(context) else {
            library.freeContext(context)
            throw TransportError("cannot set up TLS: \(library.drainErrors() ?? "SSL_new failed")")
        }
        tls = (library, context, connection)
        _ = library.setDescriptor(connection, descriptor)
        // SNI for a name; certificate checks against the host name or IP address.
        if !url.host.unicodeScalars.allSatisfy({ $0 == "." || $0 == ":" || ("0"..."9").contains($0) }) {
            _ = url.host.withCString {
                library.control(connection, OpenSSLLibrary.setServerNameControl, OpenSSLLibrary.hostNameType,
                                UnsafeMutableRawPointer(mutating: $0))
            }
        }
        _ = library.setHost(connection, url.host)
        guard library.connect(connection) == 1 else {
            let verification = library.verifyResult(connection)
            let reason = verification != 0
                ? library.verifyErrorString(verification).map { String(cString: $0) } ?? "certificate rejected"
                : library.drainErrors() ?? "handshake failed"
            close()
            throw TransportError("TLS handshake with \(url.authority) failed: \(reason)")
        }
    }

    mutating func close() {
        guard let tls else { return }
        _ = tls.library.shutdown(tls.connection)
        tls.library.freeConnection(tls.connection)
        tls.library.freeContext(tls.context)
        self.tls = nil
    }

    func write(_ bytes: [UInt8]) throws(TransportError) {
        var offset = 0
        while offset < bytes.count {
            let written: Int = bytes[offset...].withUnsafeBytes { buffer in
                if let tls {
                    return Int(tls.library.write(tls.connection, buffer.baseAddress, Int32(buffer.count)))
                }
                #if canImport(Glibc)
                return send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
                #else
                return send(descriptor, buffer.baseAddress, buffer.count, 0)
                #endif
            }
            if written < 0 && errno == EINTR && tls == nil { continue }
            guard written > 0 else { throw failure("sending the request") }
            offset += written
        }
    }

    private static func now() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return time.tv_sec
    }

    /// The next bytes; empty at the end of the stream.
    func read() throws(TransportError) -> [UInt8]? {
        guard Self.now() <= deadline else { throw TransportError("timed out after \(timeout) s reading the response") }
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count: Int = buffer.withUnsafeMutableBytes { raw in
                if let tls { return Int(tls.library.read(tls.connection, raw.baseAddress, Int32(raw.count))) }
                return recv(descriptor, raw.baseAddress, raw.count, 0)
            }
            if count > 0 { return Array(buffer[..<count]) }
            if count == 0 { return [] }
            if errno == EINTR && tls == nil { continue }
            // A TLS peer that closes without close_notify is the end of the stream too.
            if tls != nil && errno == 0 { return [] }
            throw failure("reading the response")
        }
    }

    private func failure(_ what: String) -> TransportError {
        if errno == EAGAIN || errno == EWOULDBLOCK { return TransportError("timed out after \(timeout) s \(what)") }
        if let tls, let reason = tls.library.drainErrors() { return TransportError("TLS error \(what): \(reason)") }
        return TransportError("\(what): \(String(cString: strerror(errno)))")
    }
}
