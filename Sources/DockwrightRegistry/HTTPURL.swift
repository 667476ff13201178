/// An absolute `http` or `https` URL split into the parts a request needs. Registries
/// hand out URLs (token realms), so they are parsed, never assembled by string joins.
public struct HTTPURL: Hashable, Sendable, CustomStringConvertible {
    /// Whether the connection uses TLS.
    public let isSecure: Bool
    /// The host name or address, without brackets for IPv6.
    public let host: String
    /// The TCP port.
    public let port: Int
    /// The path and query, starting with `/`.
    public let target: String

    /// Creates a URL from its parts.
    public init(isSecure: Bool, host: String, port: Int?, target: String) {
        self.isSecure = isSecure
        self.host = host
        self.port = port ?? (isSecure ? 443 : 80)
        self.target = target.hasPrefix("/") ? target : "/" + target
    }

    /// Parses `http://host[:port]/path?query` or `https://…`; nil for anything else.
    public init?(_ text: String) {
        let secure: Bool
        let rest: Substring
        if text.lowercased().hasPrefix("https://") {
            secure = true
            rest = text.dropFirst(8)
        } else if text.lowercased().hasPrefix("http://") {
            secure = false
            rest = text.dropFirst(7)
        } else {
            return nil
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        guard let hostPort = HostPort(String(authority)) else { return nil }
        let target = String(rest[authorityEnd...])
        self.init(isSecure: secure, host: hostPort.host, port: hostPort.port, target: target.isEmpty ? "/" : target)
    }

    /// The `Host` header value.
    public var authority: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return port == (isSecure ? 443 : 80) ? bracketed : "\(bracketed):\(port)"
    }

    public var description: String { (isSecure ? "https://" : "http://") + authority + target }

    /// This URL with `items` appended to its query, each percent-encoded.
    public func appendingQuery(_ items: [(String, String)]) -> HTTPURL {
        guard !items.isEmpty else { return self }
        let query = items.map { Self.percentEncoded($0.0) + "=" + Self.percentEncoded($0.1) }.joined(separator: "&")
        return HTTPURL(isSecure: isSecure, host: host, port: port, target: target + (target.contains("?") ? "&" : "?") + query)
    }

    /// RFC 3986 unreserved characters stay; every other byte is `%XX`.
    static func percentEncoded(_ text: String) -> String {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.append(byte)
            default:
                output += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0f)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// A `host[:port]` as written in an image reference or URL; IPv6 addresses in brackets.
public struct HostPort: Hashable, Sendable {
    /// The host, without brackets.
    public let host: String
    /// The port, or nil when none is written.
    public let port: Int?

    /// Splits `text`; nil when the port is not a number in range.
    public init?(_ text: String) {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = String(text[text.index(after: text.startIndex)..<close])
            let after = text[text.index(after: close)...]
            if after.isEmpty {
                port = nil
            } else {
                guard after.hasPrefix(":"), let number = Int(after.dropFirst()), (1...65535).contains(number) else {
                    return nil
                }
                port = number
            }
            return
        }
        if let colon = text.lastIndex(of: ":") {
            guard let number = Int(text[text.index(after: colon)...]), (1...65535).contains(number) else { return nil }
            host = String(text[..<colon])
            port = number
        } else {
            host = text
            port = nil
        }
        guard !host.isEmpty else { return nil }
    }

    /// Whether the host is this machine: `localhost`, `127.0.0.0/8` or `::1`. Docker
    /// treats these as insecure registries, reachable over plain HTTP.
    public var isLoopback: Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered.hasSuffix(".localhost") || lowered == "::1" { return true }
        let octets = lowered.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
