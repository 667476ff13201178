import DockwrightRegistry
import DockwrightSyntax
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

enum DockwrightRegistryTestsDigest {
    static func of(_ bytes: [UInt8]) -> String { SHA256.contentDigest(of: bytes) }
}

@Suite(.serialized) struct RegistryClientTests {
    private func client(configFolder: String, environment: [String: String] = [:]) throws -> RegistryClient {
        let credentials = try RegistryCredentials(directory: configFolder, environment: environment)
        return RegistryClient(transport: HTTPTransport(timeout: 5), credentials: credentials)
    }

    @Test func anonymousBearerTokenFlowAndPerRunCache() throws {
        let stub = try TokenStubServer()
        defer { stub.stop() }
        let workspace = try Workspace()
        defer { workspace.remove() }
        let client = try client(configFolder: workspace.dockerConfig)
        let reference = ImageReference.parse("127.0.0.1:\(stub.port)/team/app:1.0")
        let expected = SHA256.contentDigest(of: stub.manifest)
        #expect(client.resolve(reference) == .success(.found(digest: expected)))
        let requests = stub.requests
        #expect(requests.map(\.method) == ["HEAD", "GET", "HEAD"])
        #expect(requests[1].target == "/token?service=stub-registry&scope=repository%3Ateam%2Fapp%3Apull")
        #expect(requests[1].headers["authorization"] == nil)
        let accept = requests[0].headers["accept"] ?? ""
        for type in RegistryClient.acceptedMediaTypes { #expect(accept.contains(type)) }
        #expect(requests[2].headers["authorization"] == "Bearer \(stub.issuedToken)")

        // Cached for the run: the same tag costs nothing, another tag reuses the token.
        #expect(client.resolve(reference) == .success(.found(digest: expected)))
        #expect(stub.requests.count == 3)
        _ = client.resolve(ImageReference.parse("127.0.0.1:\(stub.port)/team/app:2.0"))
        #expect(stub.requests.count == 4)
    }

    @Test func fallsBackToGETAndHashesTheBody() throws {
        let stub = try TokenStubServer()
        defer { stub.stop() }
        stub.sendsDigestHeader = false
        let workspace = try Workspace()
        defer { workspace.remove() }
        let client = try client(configFolder: workspace.dockerConfig)
        let result = client.resolve(ImageReference.parse("127.0.0.1:\(stub.port)/app:1"))
        #expect(result == .success(.found(digest: SHA256.contentDigest(of: stub.manifest))))
        #expect(stub.requests.last?.method == "GET")
    }

    @Test func tokenWithBasicCredentialsFromConfigJSON() throws {
        let stub = try TokenStubServer()
        defer { stub.stop() }
        let secret = Data("robot:pa55".utf8).base64EncodedString()
        stub.requiredBasic = secret
        let workspace = try Workspace()
        defer { workspace.remove() }
        let reference = ImageReference.parse("127.0.0.1:\(stub.port)/app:1")

        let anonymous = try client(configFolder: workspace.dockerConfig).resolve(reference)
        guard case .failure(let failure) = anonymous else {
            Issue.record("expected a failure, got \(anonymous)")
            return
        }
        #expect(failure.registry == "127.0.0.1:\(stub.port)")
        #expect(failure.reason.contains("refused an anonymous token"))

        try workspace.writeDockerConfig(#"{"auths": {"127.0.0.1:\#(stub.port)": {"auth": "\#(secret)"}}}"#)
        let result = try client(configFolder: workspace.dockerConfig).resolve(reference)
        #expect(result == .success(.found(digest: SHA256.contentDigest(of: stub.manifest))))
    }

    @Test func identityTokenIsExchangedWithAPost() throws {
        let stub = try TokenStubServer()
        defer { stub.stop() }
        stub.requiredBasic = "never"
        stub.acceptedRefreshToken = "refresh-xyz"
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeDockerConfig(#"{"auths": {"127.0.0.1:\#(stub.port)": {"identitytoken": "refresh-xyz"}}}"#)
        let result = try client(configFolder: workspace.dockerConfig).resolve(ImageReference.parse("127.0.0.1:\(stub.port)/app:1"))
        #expect(result == .success(.found(digest: SHA256.contentDigest(of: stub.manifest))))
        let post = stub.requests.first { $0.method == "POST" }
        #expect(post?.body.contains("grant_type=refresh_token") == true)
        #expect(post?.body.contains("service=stub-registry") == true)
    }

    @Test func credentialHelperFromCredsStore() throws {
        let stub = try TokenStubServer()
        defer { stub.stop() }
        stub.requiredBasic = Data("helper-user:helper-secret".utf8).base64EncodedString()
        let workspace = try Workspace()
        defer { workspace.remove() }
        let bin = workspace.folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let helper = bin.appendingPathComponent("docker-credential-fake")
        // Records its argument and input, then answers as docker-credential-helpers do.
        try """
            #!/bin/sh
            read -r server
            echo "$1 $server" >> "\(workspace.folder.path)/helper-called"
            printf '{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret"}' "$server"
            """.write(to: helper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: helper.path)
        try workspace.writeDockerConfig(#"{"credsStore": "fake", "auths": {}}"#)
        let environment = ["PATH": bin.path + ":/usr/bin:/bin"]
        let helped = try client(configFolder: workspace.dockerConfig, environment: environment)
        let result = helped.resolve(ImageReference.parse("127.0.0.1:\(stub.port)/app:1"))
        #expect(result == .success(.found(digest: SHA256.contentDigest(of: stub.manifest))))
        _ = helped.resolve(ImageReference.parse("127.0.0.1:\(stub.port)/other:1"))
        // Asked once per registry and run, whatever the number of repositories.
        let called = try String(contentsOfFile: workspace.folder.path + "/helper-called", encoding: .utf8)
        #expect(called == "get 127.0.0.1:\(stub.port)\n")

        // A helper named but not installed is an error naming it, not a silent anonymous pull.
        try workspace.writeDockerConfig(#"{"credHelpers": {"127.0.0.1:\#(stub.port)": "absent"}}"#)
        let missing = try client(configFolder: workspace.dockerConfig, environment: environment)
            .resolve(ImageReference.parse("127.0.0.1:\(stub.port)/app:1"))
        guard case .failure(let failure) = missing else {
            Issue.record("expected a failure, got \(missing)")
            return
        }
        #expect(failure.reason.contains("docker-credential-absent"))
    }

    @Test func dockerHubNamesAndKeys() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let token = Data("hub:pw".utf8).base64EncodedString()
        try workspace.writeDockerConfig(#"{"auths": {"https://index.docker.io/v1/": {"auth": "\#(token)"}}}"#)
        let credentials = try RegistryCredentials(directory: workspace.dockerConfig, environment: [:])
        #expect(try credentials.credential(for: "docker.io") == .basic(username: "hub", password: "pw"))
        #expect(try credentials.credential(for: "ghcr.io") == nil)
        try workspace.writeDockerConfig("{not json")
        #expect(throws: CredentialError.self) { try RegistryCredentials(directory: workspace.dockerConfig, environment: [:]) }
        // DOCKER_CONFIG is where config.json is looked up when no folder is given.
        let fromEnvironment = try RegistryCredentials(directory: nil, environment: ["DOCKER_CONFIG": "/x/y", "HOME": "/h"])
        #expect(fromEnvironment.directory == "/x/y")
        #expect(try RegistryCredentials(directory: nil, environment: ["HOME": "/h"]).directory == "/h/.docker")
    }

    @Test func plainHTTPOnlyForLoopbackOrInsecure() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        // A registry that is not loopback is spoken to over HTTPS: here nothing listens on
        // 127.0.0.2's TLS port, but the point is the scheme chosen, seen in the error.
        let credentials = try RegistryCredentials(directory: workspace.dockerConfig, environment: [:])
        let client = RegistryClient(transport: HTTPTransport(timeout: 2), credentials: credentials)
        let result = client.resolve(ImageReference.parse("registry.invalid/app:1"))
        guard case .failure(let failure) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.registry == "registry.invalid")
        #expect(failure.reason.contains("cannot resolve registry.invalid"))
    }
}

@Suite(.serialized) struct DockerHubNameTests {
    /// `python:3.12` is `docker.io/library/python`: the request path carries `library/`,
    /// and a mirror answering for Docker Hub gets its own credentials, not Hub's.
    @Test func officialImagesGetLibraryPrefixAndMirrorsTheirOwnCredentials() throws {
        let stub = try TokenStubServer()
        defer { stub.stop() }
        stub.requiredBasic = Data("mirror:pw".utf8).base64EncodedString()
        let workspace = try Workspace()
        defer { workspace.remove() }
        let hub = Data("hub:secret".utf8).base64EncodedString()
        try workspace.writeDockerConfig("""
            {"auths": {"https://index.docker.io/v1/": {"auth": "\(hub)"},
                       "127.0.0.1:\(stub.port)": {"auth": "\(stub.requiredBasic ?? "")"}}}
            """)
        let credentials = try RegistryCredentials(directory: workspace.dockerConfig, environment: [:])
        let client = RegistryClient(transport: HTTPTransport(timeout: 5), credentials: credentials,
                                    dockerHubMirror: "127.0.0.1:\(stub.port)")
        let result = client.resolve(ImageReference.parse("python:3.12"))
        #expect(result == .success(.found(digest: SHA256.contentDigest(of: stub.manifest))))
        #expect(stub.requests.first?.target == "/v2/library/python/manifests/3.12")
        #expect(!stub.requests.contains { $0.headers["authorization"] == "Basic " + hub })
        _ = client.resolve(ImageReference.parse("docker.io/bitnami/redis:7"))
        #expect(stub.requests.last?.target == "/v2/bitnami/redis/manifests/7")
    }
}

@Suite struct SilentServerTests {
    /// A server that accepts the connection (the kernel does, from the backlog) and never
    /// answers: the request gives up after the timeout with a reason, never hangs.
    @Test func silentRegistryTimesOut() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        listen(listener, 4)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let workspace = try Workspace()
        defer { workspace.remove() }
        let credentials = try RegistryCredentials(directory: workspace.dockerConfig, environment: [:])
        let client = RegistryClient(transport: HTTPTransport(timeout: 1), credentials: credentials)
        let started = Date()
        let result = client.resolve(ImageReference.parse("127.0.0.1:\(port)/app:1"))
        #expect(Date().timeIntervalSince(started) < 5)
        guard case .failure(let failure) = result else {
            Issue.record("expected a timeout, got \(result)")
            return
        }
        #expect(failure.reason.contains("timed out after 1 s"))
    }
}
