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
            let key = context.codingPath.last?.stringValue ?? ""
            return ConfigurationError(
                path: path, line: key.isEmpty ? nil : line(ofKey: key, in: bytes),
                message: "'\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)")
        case .dataCorrupted(let context):
            // The decoder words syntax errors as "… around line N, column M."
            return ConfigurationError(path: path, line: nil, message: "not valid JSON5: \(underlyingDescription(context))")
        @unknown default:
            return ConfigurationError(path: path, line: nil, message: "\(error)")
        }
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
