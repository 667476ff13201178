#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Configuration {
    /// The keys `.dockwright.json` accepts, kebab-case like the command-line options.
    static let jsonKeys: Set<String> = [
        "select", "ignore", "severity", "fail-level", "exclude", "trusted-registries", "version-pinning", "shellcheck",
        "disable-ignore-pragma",
    ]

    /// Reads `.dockwright.json` (JSON5: comments and trailing commas allowed).
    /// Unknown keys and bad values are errors that name the key and its line.
    public static func fromJSON(_ bytes: [UInt8], path: String) throws(ConfigurationError) -> Configuration {
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        let raw: RawJSONConfiguration
        do {
            raw = try decoder.decode(RawJSONConfiguration.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw describe(error, bytes: bytes, path: path)
        } catch {
            throw ConfigurationError(path: path, line: nil, message: "\(error)")
        }
        if let unknown = raw.unknownKeys.first {
            throw ConfigurationError(
                path: path, line: line(ofKey: unknown, in: bytes),
                message: "unknown key '\(unknown)'; known keys: \(jsonKeys.sorted().joined(separator: ", "))")
        }
        var configuration = Configuration()
        configuration.path = path
        configuration.select = raw.select ?? []
        configuration.ignore = raw.ignore ?? []
        configuration.exclude = raw.exclude ?? []
        configuration.trustedRegistries = raw.trustedRegistries ?? []
        configuration.versionPinning = raw.versionPinning ?? true
        configuration.shellcheck = raw.shellcheck ?? false
        configuration.disablesIgnorePragmas = raw.disableIgnorePragma ?? false
        for (selector, level) in raw.severity ?? [:] {
            guard let severity = Severity(rawValue: level.lowercased()) else {
                throw ConfigurationError(
                    path: path, line: line(ofKey: selector, in: bytes),
                    message: "severity of '\(selector)' must be error, warning, info or style, not '\(level)'")
            }
            configuration.severity[selector] = severity
        }
        if let level = raw.failLevel?.lowercased() {
            if level == "none" || level == "never" {
                configuration.failLevelIsNone = true
            } else if let severity = Severity(rawValue: level) {
                configuration.failLevel = severity
            } else {
                throw ConfigurationError(
                    path: path, line: line(ofKey: "fail-level", in: bytes),
                    message: "'fail-level' must be error, warning, info, style or none, not '\(level)'")
            }
        }
        return configuration
    }

    private static func describe(_ error: DecodingError, bytes: [UInt8], path: String) -> ConfigurationError {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
            let keys = context.codingPath.map(\.stringValue)
            let top = keys.first ?? ""
            let position = top.isEmpty ? nil : valuePosition(ofKey: top, in: bytes)
            return ConfigurationError(
                path: path, line: position?.line, column: position?.column,
                message: plainWords(keys: keys, found: foundWords(context.debugDescription)))
        case .dataCorrupted(let context):
            if let problem = JSON5Syntax.firstProblem(in: bytes) {
                return ConfigurationError(path: path, line: problem.line, column: problem.column, message: problem.message)
            }
            return ConfigurationError(path: path, line: nil, message: "not valid JSON5: \(underlyingDescription(context))")
        @unknown default:
            return ConfigurationError(path: path, line: nil, message: "\(error)")
        }
    }

    /// What each key wants, in the words a person would use.
    private static func plainWords(keys: [String], found: String) -> String {
        let top = keys.first ?? ""
        let foundText = found.isEmpty ? "" : "; found \(found)"
        let levels = "\"error\", \"warning\", \"info\" or \"style\""
        // Decoding paths name list items "Index N".
        let item = keys.dropFirst().first.flatMap { $0.hasPrefix("Index ") ? Int($0.dropFirst(6)) : nil }
        if let item {
            return "item \(item + 1) of '\(top)' must be a string in quotes\(foundText)"
        }
        switch top {
        case "select", "ignore", "exclude":
            return "'\(top)' must be a list of strings, like [\"\(top == "exclude" ? "vendor/**" : "DL3006")\"]\(foundText)"
        case "severity" where keys.count > 1:
            return "the severity of '\(keys[1])' must be one of \(levels), in quotes\(foundText)"
        case "severity":
            return "'severity' must map rules to levels, like {\"DL3006\": \"warning\"}\(foundText)"
        case "fail-level":
            return "'fail-level' must be one of \(levels) or \"none\", in quotes\(foundText)"
        case "trusted-registries":
            return "'trusted-registries' must be a registry name or a list of them, like [\"docker.io\"]\(foundText)"
        case "version-pinning", "shellcheck", "disable-ignore-pragma":
            return "'\(top)' must be true or false\(foundText)"
        default:
            return "'\(keys.joined(separator: "."))' has the wrong type\(foundText)"
        }
    }

    /// "a string" from the decoder's "Expected to decode Array<Any> but found a string instead."
    private static func foundWords(_ description: String) -> String {
        guard let range = description.firstRange(of: "but found ") else {
            return description.firstRange(of: "null") != nil ? "null" : ""
        }
        var rest = description[range.upperBound...]
        if let instead = rest.firstRange(of: " instead") { rest = rest[..<instead.lowerBound] }
        return String(rest)
    }

    /// Where the value of the first `key` of the text starts, to point at a bad value.
    static func valuePosition(ofKey key: String, in bytes: [UInt8]) -> (line: Int, column: Int)? {
        for needle in [Array("\"\(key)\"".utf8), Array("'\(key)'".utf8), Array(key.utf8)] where needle.count <= bytes.count {
            for offset in 0...(bytes.count - needle.count) where bytes[offset..<(offset + needle.count)].elementsEqual(needle) {
                var cursor = offset + needle.count
                while cursor < bytes.count && (bytes[cursor] == 0x20 || bytes[cursor] == 0x09) { cursor += 1 }
                guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") else { continue }
                cursor += 1
                while cursor < bytes.count && [0x20, 0x09, 0x0A, 0x0D].contains(bytes[cursor]) { cursor += 1 }
                return JSON5Syntax.position(of: cursor, in: bytes)
            }
        }
        return nil
    }

    private static func underlyingDescription(_ context: DecodingError.Context) -> String {
        if let underlying = context.underlyingError { return "\(underlying)" }
        return context.debugDescription
    }

    /// The line of the first `"key"` in the text, to point at a bad key.
    static func line(ofKey key: String, in bytes: [UInt8]) -> Int? {
        let needles = [Array("\"\(key)\"".utf8), Array("'\(key)'".utf8), Array(key.utf8)]
        for needle in needles {
            guard needle.count <= bytes.count else { continue }
            var line = 1
            for offset in 0...(bytes.count - needle.count) {
                if bytes[offset] == UInt8(ascii: "\n") { line += 1 }
                if bytes[offset..<(offset + needle.count)].elementsEqual(needle) { return line }
            }
        }
        return nil
    }
}

/// The JSON shape, decoded leniently so unknown keys can be reported by name.
private struct RawJSONConfiguration: Decodable {
    var select: [String]?
    var ignore: [String]?
    var severity: [String: String]?
    var failLevel: String?
    var exclude: [String]?
    var trustedRegistries: [String]?
    var versionPinning: Bool?
    var shellcheck: Bool?
    var disableIgnorePragma: Bool?
    var unknownKeys: [String] = []

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for key in container.allKeys {
            switch key.stringValue {
            case "select": select = try container.decode([String].self, forKey: key)
            case "ignore": ignore = try container.decode([String].self, forKey: key)
            case "severity": severity = try container.decode([String: String].self, forKey: key)
            case "fail-level": failLevel = try container.decode(String.self, forKey: key)
            case "exclude": exclude = try container.decode([String].self, forKey: key)
            case "trusted-registries":
                // One registry as a string, or a list, as hadolint's `trustedRegistries`.
                if let registry = try? container.decode(String.self, forKey: key) {
                    trustedRegistries = [registry]
                } else {
                    trustedRegistries = try container.decode([String].self, forKey: key)
                }
            case "version-pinning": versionPinning = try container.decode(Bool.self, forKey: key)
            case "shellcheck": shellcheck = try container.decode(Bool.self, forKey: key)
            case "disable-ignore-pragma": disableIgnorePragma = try container.decode(Bool.self, forKey: key)
            default: unknownKeys.append(key.stringValue)
            }
        }
        unknownKeys.sort()
    }
}
