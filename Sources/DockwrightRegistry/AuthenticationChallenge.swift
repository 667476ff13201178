/// One `WWW-Authenticate` challenge: `Bearer realm="…",service="…",scope="…"` or
/// `Basic realm="…"` (RFC 7235 syntax; parameter names are case-insensitive).
public struct AuthenticationChallenge: Hashable, Sendable {
    /// The scheme in lower case: `bearer` or `basic`.
    public let scheme: String
    /// The parameters, names in lower case.
    public let parameters: [String: String]

    /// Parses the first challenge of a header value; nil when there is no scheme.
    public init?(_ header: String) {
        let scalars = Array(header.unicodeScalars)
        var index = 0
        func skipSpaces() { while index < scalars.count && (scalars[index] == " " || scalars[index] == "\t") { index += 1 } }
        skipSpaces()
        var scheme = ""
        while index < scalars.count && scalars[index] != " " && scalars[index] != "\t" && scalars[index] != "," {
            scheme.unicodeScalars.append(scalars[index])
            index += 1
        }
        guard !scheme.isEmpty else { return nil }
        var parameters: [String: String] = [:]
        while index < scalars.count {
            skipSpaces()
            while index < scalars.count && scalars[index] == "," { index += 1; skipSpaces() }
            var name = ""
            while index < scalars.count && scalars[index] != "=" && scalars[index] != "," && scalars[index] != " " {
                name.unicodeScalars.append(scalars[index])
                index += 1
            }
            skipSpaces()
            guard index < scalars.count, scalars[index] == "=", !name.isEmpty else { break }
            index += 1
            skipSpaces()
            var value = ""
            if index < scalars.count && scalars[index] == "\"" {
                index += 1
                while index < scalars.count && scalars[index] != "\"" {
                    if scalars[index] == "\\" && index + 1 < scalars.count { index += 1 }
                    value.unicodeScalars.append(scalars[index])
                    index += 1
                }
                index += 1
            } else {
                while index < scalars.count && scalars[index] != "," && scalars[index] != " " {
                    value.unicodeScalars.append(scalars[index])
                    index += 1
                }
            }
            parameters[name.lowercased()] = value
        }
        self.scheme = scheme.lowercased()
        self.parameters = parameters
    }
}
