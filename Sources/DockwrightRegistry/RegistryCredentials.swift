#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A secret for one registry, as `docker login` stores it.
public enum RegistryCredential: Sendable, Equatable {
    /// A user name and password (or personal access token), sent as HTTP Basic to the
    /// registry or its token service.
    case basic(username: String, password: String)
    /// An OAuth refresh token (`identitytoken`, or a helper's `<token>` user), exchanged
    /// at the token service for an access token.
    case identityToken(String)
    /// A ready bearer token (`registrytoken`), sent as is.
    case registryToken(String)
}

/// Why credentials could not be read: a broken `config.json` or a failing helper.
public struct CredentialError: Error, Sendable, CustomStringConvertible {
    /// A one-line reason.
    public let reason: String
    public var description: String { reason }
}

/// The credentials `docker login` left behind: `config.json` in `DOCKER_CONFIG` or
/// `~/.docker`, its `auths` entries, and the credential helpers it names (`credsStore`
/// for every registry, `credHelpers` per registry), run as `docker-credential-<name> get`.
public struct RegistryCredentials: Sendable {
    private struct ConfigFile: Decodable {
        struct Entry: Decodable {
            var auth: String?
            var username: String?
            var password: String?
            var identitytoken: String?
            var registrytoken: String?
        }
        var auths: [String: Entry]?
        var credsStore: String?
        var credHelpers: [String: String]?
    }

    /// The folder holding `config.json` (and `certs.d`).
    public let directory: String
    private let file: ConfigFile
    private let environment: [String: String]
    private let helperTimeout: Int

    /// Docker Hub's key in `config.json`, kept from the v1 API days.
    static let dockerHubKey = "https://index.docker.io/v1/"

    /// Reads `<directory>/config.json`: `directory` when given, else `DOCKER_CONFIG`, else
    /// `~/.docker`. A missing file means no credentials; an unreadable or malformed one
    /// is an error, since silently pinning anonymously would hide the real problem.
    public init(directory: String?, environment: [String: String], helperTimeout: Int = 30) throws(CredentialError) {
        let folder = directory ?? environment["DOCKER_CONFIG"] ?? ((environment["HOME"] ?? "") + "/.docker")
        self.directory = folder
        self.environment = environment
        self.helperTimeout = helperTimeout
        let path = folder + "/config.json"
        guard let bytes = FileSystem.read(path) else {
            file = ConfigFile()
            return
        }
        do {
            file = try JSONDecoder().decode(ConfigFile.self, from: Data(bytes))
        } catch {
            throw CredentialError(reason: "\(path): not a Docker config file: \(Self.describe(error))")
        }
    }

    /// The credential for `registry` (an image reference's domain such as `docker.io`
    /// or `localhost:5000`), or nil to go anonymous. Docker's order: a per-registry
    /// helper, else the default store, else the file's `auths`.
    public func credential(for registry: String) throws(CredentialError) -> RegistryCredential? {
        let keys = Self.keys(for: registry)
        if let helper = keys.lazy.compactMap({ self.file.credHelpers?[$0] }).first {
            return try CredentialHelper(name: helper, environment: environment, timeout: helperTimeout)
                .get(serverURL: keys[0])
        }
        if let store = file.credsStore, !store.isEmpty,
           let found = try CredentialHelper(name: store, environment: environment, timeout: helperTimeout)
            .get(serverURL: keys[0]) {
            return found
        }
        guard let auths = file.auths else { return nil }
        // `docker login` may have stored the key with a scheme or a path; match on the host.
        let entry = keys.lazy.compactMap { auths[$0] }.first
            ?? auths.first { Self.host(ofKey: $0.key) == Self.host(ofKey: keys[0]) }?.value
        guard let entry else { return nil }
        if let token = entry.registrytoken, !token.isEmpty { return .registryToken(token) }
        if let token = entry.identitytoken, !token.isEmpty { return .identityToken(token) }
        if let auth = entry.auth, !auth.isEmpty {
            guard let decoded = Data(base64Encoded: auth), let text = String(data: decoded, encoding: .utf8),
                  let colon = text.firstIndex(of: ":")
            else { throw CredentialError(reason: "\(directory)/config.json: the auth entry for \(keys[0]) is not base64 of user:password") }
            return .basic(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
        }
        if let username = entry.username, let password = entry.password { return .basic(username: username, password: password) }
        return nil
    }

    /// The `config.json` keys a registry may be stored under, the canonical one first.
    static func keys(for registry: String) -> [String] {
        switch registry {
        case "docker.io", "index.docker.io", "registry-1.docker.io":
            return [dockerHubKey, "index.docker.io", "docker.io", "registry-1.docker.io", "https://index.docker.io/v1"]
        default:
            return [registry, "https://" + registry, "http://" + registry]
        }
    }

    private static func host(ofKey key: String) -> String {
        var text = Substring(key)
        if text.hasPrefix("https://") { text = text.dropFirst(8) } else if text.hasPrefix("http://") { text = text.dropFirst(7) }
        return String(text.prefix { $0 != "/" })
    }

    /// A decoding error in one line, with the JSON path when there is one.
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): return context.debugDescription
        case DecodingError.typeMismatch(_, let context): return "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        default: return "\(error)"
        }
    }
}
