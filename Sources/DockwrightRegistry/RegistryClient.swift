import DockwrightSyntax
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a registry says about a tag.
public enum TagResolution: Sendable, Equatable {
    /// The tag exists and names this manifest (an index for a multi-platform image).
    case found(digest: String)
    /// The tag or repository does not exist (or is hidden from these credentials); the
    /// text says which, for a finding.
    case missing(String)
}

/// A registry that could not answer: unreachable, refusing the credentials, failing.
public struct RegistryFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The registry as the reference names it, e.g. `docker.io` or `localhost:5000`.
    public let registry: String
    /// A one-line reason.
    public let reason: String

    /// Creates a failure.
    public init(registry: String, reason: String) {
        self.registry = registry
        self.reason = reason
    }

    public var description: String { "registry \(registry): \(reason)" }
}

/// An OCI distribution client that resolves `name:tag` to the digest a registry serves
/// for it. The only network code in dockwright; `pin` and `lint --online` create one,
/// nothing else does.
///
/// Per request: `HEAD /v2/<name>/manifests/<tag>` with an `Accept` list of the OCI index,
/// Docker manifest list, OCI manifest and Docker v2 manifest types, so a multi-platform
/// tag answers with its index; the digest is `Docker-Content-Digest`, or, when absent,
/// the sha256 of the body of a `GET`. A `401` is answered as the challenge asks: a bearer
/// token from the realm (anonymously, or with the `docker login` credentials), or HTTP
/// Basic. Results and tokens are cached for the run, so a tag used by ten files costs
/// one request.
public final class RegistryClient: Sendable {
    /// The manifest types asked for, index types first (what `docker pull` sends).
    public static let acceptedMediaTypes = [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]

    private let transport: HTTPTransport
    private let credentials: RegistryCredentials
    private let insecureRegistries: Set<String>
    private let dockerHubMirror: String?
    private let resolutions = Mutex<[String: Result<TagResolution, RegistryFailure>]>([:])
    private let authorizations = Mutex<[String: String]>([:])
    /// Per registry host, so a credential helper runs once per registry and run.
    private let credentialCache = Mutex<[String: Result<RegistryCredential?, CredentialError>]>([:])

    /// Creates a client. `insecureRegistries` (`host[:port]`) are spoken to over plain
    /// HTTP, as loopback registries always are. `dockerHubMirror` (`host[:port]`) answers
    /// for Docker Hub, like the daemon's `registry-mirrors` (a pull-through cache).
    public init(
        transport: HTTPTransport, credentials: RegistryCredentials, insecureRegistries: Set<String> = [],
        dockerHubMirror: String? = nil
    ) {
        self.transport = transport
        self.credentials = credentials
        self.insecureRegistries = insecureRegistries
        self.dockerHubMirror = dockerHubMirror
    }

    /// The digest `reference`'s tag (or `latest`) points at: the index digest, or with
    /// `platform` (`os/arch[/variant]`) that platform's manifest digest. Cached per run.
    public func resolve(_ reference: ImageReference, platform: String? = nil) -> Result<TagResolution, RegistryFailure> {
        let key = reference.fullName + ":" + (reference.tag ?? "latest") + "|" + (platform ?? "")
        if let cached = resolutions.withLock({ $0[key] }) { return cached }
        let result: Result<TagResolution, RegistryFailure>
        do {
            result = .success(try lookUp(reference, platform: platform))
        } catch {
            result = .failure(error)
        }
        resolutions.withLock { $0[key] = result }
        return result
    }

    /// Resolves many references with at most `parallelism` requests in flight; the
    /// results are in the order of `references`.
    public func resolveAll(
        _ references: [(reference: ImageReference, platform: String?)], parallelism: Int = 8
    ) -> [Result<TagResolution, RegistryFailure>] {
        ParallelWork.map(references, parallelism: parallelism) { self.resolve($0.reference, platform: $0.platform) }
    }

    // MARK: - Endpoints

    /// The host that serves a reference's domain: Docker Hub's API lives on `registry-1.docker.io`.
    static func apiHost(for domain: String) -> String {
        domain == ImageReference.defaultDomain ? "registry-1.docker.io" : domain
    }

    private func baseURL(for domain: String) throws(RegistryFailure) -> HTTPURL {
        let host = domain == ImageReference.defaultDomain ? dockerHubMirror ?? Self.apiHost(for: domain) : domain
        guard let hostPort = HostPort(host) else {
            throw RegistryFailure(registry: domain, reason: "not a valid registry host")
        }
        // Plain HTTP only for this machine or registries the user named as insecure, and
        // not when the user installed a CA for it (then it speaks TLS, as Docker assumes).
        let isPlain = (hostPort.isLoopback || insecureRegistries.contains(domain) || insecureRegistries.contains(host))
            && Self.certificateAuthorities(forAuthority: host, configDirectory: credentials.directory).isEmpty
        return HTTPURL(isSecure: !isPlain, host: hostPort.host, port: hostPort.port, target: "/v2/")
    }

    /// Docker's per-registry CA files: `certs.d/<host:port>/*.crt` beside `config.json`
    /// and under `/etc/docker`.
    public static func certificateAuthorities(forAuthority authority: String, configDirectory: String) -> [String] {
        FileSystem.certificateFiles(in: configDirectory + "/certs.d/" + authority)
            + FileSystem.certificateFiles(in: "/etc/docker/certs.d/" + authority)
    }

    // MARK: - Looking up a tag

    private func lookUp(_ reference: ImageReference, platform: String?) throws(RegistryFailure) -> TagResolution {
        let domain = reference.domain
        let tag = reference.tag ?? "latest"
        let base = try baseURL(for: domain)
        let url = HTTPURL(isSecure: base.isSecure, host: base.host, port: base.port,
                          target: "/v2/\(reference.path)/manifests/\(tag)")
        let accept = [("Accept", Self.acceptedMediaTypes.joined(separator: ", "))]
        if platform == nil {
            let head = try send(HTTPRequest(method: "HEAD", url: url, headers: accept), domain: domain, repository: reference.path)
            switch head.status {
            case 200:
                if let digest = head.header("Docker-Content-Digest"), Self.isSHA256Digest(digest) {
                    return .found(digest: digest)
                }
            case 404:
                break
            case 405, 400, 501:
                break  // some registries and proxies refuse HEAD: ask with GET below
            default:
                throw failure(head, domain: domain)
            }
        }
        let get = try send(HTTPRequest(method: "GET", url: url, headers: accept), domain: domain, repository: reference.path)
        switch get.status {
        case 200:
            // The digest of the bytes served is what `@sha256:` pins, whatever a header says.
            let digest = SHA256.contentDigest(of: get.body)
            guard let platform else { return .found(digest: digest) }
            return try platformDigest(in: get, indexDigest: digest, platform: platform, reference: reference)
        case 404:
            if Self.errorCodes(in: get).contains("NAME_UNKNOWN") { return .missing(Self.missingRepository(reference)) }
            // The distribution registry answers MANIFEST_UNKNOWN for a missing repository
            // too; its tag list tells the two apart.
            let tags = HTTPURL(isSecure: base.isSecure, host: base.host, port: base.port,
                               target: "/v2/\(reference.path)/tags/list?n=1")
            let list = try send(HTTPRequest(method: "GET", url: tags), domain: domain, repository: reference.path)
            if list.status == 404 && Self.errorCodes(in: list).contains("NAME_UNKNOWN") {
                return .missing(Self.missingRepository(reference))
            }
            return .missing("tag `\(tag)` of `\(reference.familiarName)` does not exist in \(reference.domain)")
        default:
            throw failure(get, domain: domain)
        }
    }

    private static func isSHA256Digest(_ text: String) -> Bool {
        text.hasPrefix("sha256:") && text.utf8.count == 71
            && text.utf8.dropFirst(7).allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }

    /// The `errors[].code` values of a distribution error body.
    private static func errorCodes(in response: HTTPResponse) -> [String] {
        struct Errors: Decodable {
            struct Entry: Decodable { var code: String? }
            var errors: [Entry]?
        }
        return (try? JSONDecoder().decode(Errors.self, from: Data(response.body)))?.errors?.compactMap(\.code) ?? []
    }

    private static func missingRepository(_ reference: ImageReference) -> String {
        "repository `\(reference.fullName)` does not exist in \(reference.domain)"
    }

    private func failure(_ response: HTTPResponse, domain: String) -> RegistryFailure {
        switch response.status {
        case 401: return RegistryFailure(registry: domain, reason: "authentication failed (401 Unauthorized)")
        case 403: return RegistryFailure(registry: domain, reason: "access denied (403 Forbidden)")
        case 429: return RegistryFailure(registry: domain, reason: "rate limited (429 Too Many Requests); retry later or log in")
        default: return RegistryFailure(registry: domain, reason: "unexpected answer \(response.status)")
        }
    }

    /// The manifest for `platform` in an index; a single-platform manifest is its own answer.
    private func platformDigest(
        in response: HTTPResponse, indexDigest: String, platform: String, reference: ImageReference
    ) throws(RegistryFailure) -> TagResolution {
        struct Index: Decodable {
            struct Entry: Decodable {
                struct Platform: Decodable {
                    var os: String?
                    var architecture: String?
                    var variant: String?
                }
                var digest: String
                var platform: Platform?
            }
            var manifests: [Entry]?
        }
        guard let index = try? JSONDecoder().decode(Index.self, from: Data(response.body)), let entries = index.manifests
        else { return .found(digest: indexDigest) }
        let wanted = platform.split(separator: "/").map(String.init)
        let match = entries.first { entry in
            guard let found = entry.platform, found.os == wanted.first, found.architecture == wanted.dropFirst().first
            else { return false }
            return wanted.count < 3 || found.variant == wanted[2]
        }
        guard let match else {
            return .missing("`\(reference.familiarName):\(reference.tag ?? "latest")` has no \(platform) image")
        }
        return .found(digest: match.digest)
    }

    // MARK: - Authentication

    /// Sends a request with the cached authorization for the repository; on a `401`,
    /// answers the challenge once and retries.
    private func send(_ request: HTTPRequest, domain: String, repository: String) throws(RegistryFailure) -> HTTPResponse {
        let cacheKey = domain + "|" + repository
        var request = request
        if let authorization = authorizations.withLock({ $0[cacheKey] }) {
            request.headers.append(("Authorization", authorization))
        }
        let response = try perform(request, domain: domain)
        guard response.status == 401, !request.headers.contains(where: { $0.name == "Authorization" }) else {
            return response
        }
        guard let challenge = response.headers(named: "WWW-Authenticate").lazy.compactMap(AuthenticationChallenge.init).first
        else { throw RegistryFailure(registry: domain, reason: "answered 401 without a WWW-Authenticate challenge") }
        let authorization = try answer(challenge, domain: domain, repository: repository)
        authorizations.withLock { $0[cacheKey] = authorization }
        request.headers.append(("Authorization", authorization))
        let retried = try perform(request, domain: domain)
        if retried.status == 401 {
            let hasCredential = (try? credential(for: domain)) != nil
            let who = hasCredential ? "the stored credentials" : "anonymous access"
            if challenge.scheme == "bearer", !hasCredential {
                // Docker Hub answers an unknown repository this way: a token without pull
                // access. `docker pull` says "does not exist or may require docker login".
                return HTTPResponse(
                    status: 404, headers: [], body: Array(#"{"errors":[{"code":"NAME_UNKNOWN"}]}"#.utf8))
            }
            throw RegistryFailure(registry: domain, reason: "authentication failed for `\(repository)` with \(who)")
        }
        return retried
    }

    private func answer(
        _ challenge: AuthenticationChallenge, domain: String, repository: String
    ) throws(RegistryFailure) -> String {
        let credential: RegistryCredential?
        do {
            credential = try self.credential(for: domain)
        } catch {
            throw RegistryFailure(registry: domain, reason: error.reason)
        }
        switch challenge.scheme {
        case "basic":
            guard case .basic(let username, let password) = credential else {
                throw RegistryFailure(
                    registry: domain, reason: "asks for a user name and password; run `docker login \(domain)`")
            }
            return Self.basicAuthorization(username, password)
        case "bearer":
            if case .registryToken(let token) = credential { return "Bearer " + token }
            return "Bearer " + (try token(for: challenge, credential: credential, domain: domain, repository: repository))
        default:
            throw RegistryFailure(registry: domain, reason: "asks for unsupported authentication `\(challenge.scheme)`")
        }
    }

    /// The stored credential for a registry, looked up once per run.
    private func credential(for domain: String) throws(CredentialError) -> RegistryCredential? {
        let host = credentialHost(for: domain)
        if let cached = credentialCache.withLock({ $0[host] }) { return try cached.get() }
        let result: Result<RegistryCredential?, CredentialError>
        do {
            result = .success(try credentials.credential(for: host))
        } catch {
            result = .failure(error)
        }
        credentialCache.withLock { $0[host] = result }
        return try result.get()
    }

    /// Whose credentials to send: a mirror gets its own, never Docker Hub's.
    private func credentialHost(for domain: String) -> String {
        domain == ImageReference.defaultDomain ? dockerHubMirror ?? domain : domain
    }

    /// An `Authorization: Basic` value (RFC 7617).
    static func basicAuthorization(_ username: String, _ password: String) -> String {
        "Basic " + Data((username + ":" + password).utf8).base64EncodedString()
    }

    /// The distribution token flow: `GET realm?service=…&scope=repository:<name>:pull`,
    /// with Basic credentials when there are any; an identity token is exchanged with a
    /// `POST` (`grant_type=refresh_token`), as the OAuth2 variant of the spec asks.
    private func token(
        for challenge: AuthenticationChallenge, credential: RegistryCredential?, domain: String, repository: String
    ) throws(RegistryFailure) -> String {
        guard let realmText = challenge.parameters["realm"], let realm = HTTPURL(realmText) else {
            throw RegistryFailure(registry: domain, reason: "bearer challenge without a usable realm")
        }
        guard realm.isSecure || HostPort(realm.authority)?.isLoopback == true
            || HostPort(realm.host)?.isLoopback == true || insecureRegistries.contains(realm.authority)
        else {
            // Never send credentials in clear text to a token service elsewhere.
            throw RegistryFailure(registry: domain, reason: "token realm \(realmText) is not HTTPS; refused")
        }
        let service = challenge.parameters["service"]
        let scope = "repository:\(repository):pull"
        var request: HTTPRequest
        if case .identityToken(let refreshToken) = credential {
            var form = [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", "dockwright"),
                        ("scope", scope)]
            if let service { form.append(("service", service)) }
            let body = form.map { HTTPURL.percentEncoded($0.0) + "=" + HTTPURL.percentEncoded($0.1) }.joined(separator: "&")
            request = HTTPRequest(method: "POST", url: realm,
                                  headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8))
        } else {
            var query = [("scope", scope)]
            if let service { query.insert(("service", service), at: 0) }
            request = HTTPRequest(method: "GET", url: realm.appendingQuery(query))
            if case .basic(let username, let password) = credential {
                request.headers.append(("Authorization", Self.basicAuthorization(username, password)))
            }
        }
        let response = try perform(request, domain: domain)
        guard response.status == 200 else {
            let who = credential == nil ? "an anonymous token" : "a token for the stored credentials"
            throw RegistryFailure(
                registry: domain, reason: "token service \(realm.authority) refused \(who) (\(response.status))")
        }
        struct TokenAnswer: Decodable {
            var token: String?
            var access_token: String?
        }
        guard let answer = try? JSONDecoder().decode(TokenAnswer.self, from: Data(response.body)),
              let token = answer.token ?? answer.access_token, !token.isEmpty
        else { throw RegistryFailure(registry: domain, reason: "token service \(realm.authority) answered no token") }
        return token
    }

    private func perform(_ request: HTTPRequest, domain: String) throws(RegistryFailure) -> HTTPResponse {
        do {
            return try transport.send(request)
        } catch {
            throw RegistryFailure(registry: domain, reason: error.reason)
        }
    }
}
