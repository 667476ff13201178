/// One HTTP/1.1 request.
public struct HTTPRequest: Sendable {
    /// `GET`, `HEAD`, `POST`.
    public var method: String
    /// Where to send it.
    public var url: HTTPURL
    /// Header fields in order; `Host`, `Connection` and `Content-Length` are added when sent.
    public var headers: [(name: String, value: String)]
    /// The body, for `POST`.
    public var body: [UInt8]

    /// Creates a request.
    public init(method: String, url: HTTPURL, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The bytes on the wire.
    func serialized(userAgent: String) -> [UInt8] {
        var head = "\(method) \(url.target) HTTP/1.1\r\nHost: \(url.authority)\r\nUser-Agent: \(userAgent)\r\n"
        head += "Connection: close\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }
}

/// One HTTP response.
public struct HTTPResponse: Sendable {
    /// The status code, e.g. 200.
    public let status: Int
    /// Header fields in order, names as sent.
    public let headers: [(name: String, value: String)]
    /// The body (empty for `HEAD`).
    public let body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header named `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// Every header named `name`, compared case-insensitively.
    public func headers(named name: String) -> [String] {
        let lowered = name.lowercased()
        return headers.filter { $0.name.lowercased() == lowered }.map(\.value)
    }
}
