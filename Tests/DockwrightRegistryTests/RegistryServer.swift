import DockwrightRegistry
import Foundation
import Testing

/// A real CNCF distribution registry (Debian's `docker-registry`) with in-memory
/// storage on 127.0.0.1 and a port the kernel picks, started and stopped by a test.
final class RegistryServer {
    /// The registry binary, when installed.
    static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            for name in ["docker-registry", "registry"] {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()

    /// `htpasswd` from apache2-utils, for bcrypt entries (the only hash the registry accepts).
    static let htpasswd: String? = ["/usr/bin/htpasswd", "/usr/local/bin/htpasswd"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    let folder: URL
    let port: Int
    let credentials: (username: String, password: String)?
    private let process: Process

    /// `host:port`, as an image reference names the registry.
    var authority: String { "127.0.0.1:\(port)" }

    /// `openssl`, for a throw-away certificate when a test wants HTTPS.
    static let openssl: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The certificate the registry serves over TLS, when started with `usesTLS`.
    private(set) var certificate: URL?

    /// Starts a registry; with `credentials`, behind htpasswd Basic authentication; with
    /// `usesTLS`, over HTTPS with a fresh self-signed certificate for 127.0.0.1.
    init(credentials: (username: String, password: String)? = nil, usesTLS: Bool = false) throws {
        guard let executable = Self.executable else { throw Failure("docker-registry is not installed") }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dockwright-registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var config = """
            version: 0.1
            log:
              level: info
            storage:
              inmemory: {}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:0
              secret: dockwright-test

            """
        if let credentials {
            guard let htpasswd = Self.htpasswd else { throw Failure("htpasswd is not installed") }
            let file = folder.appendingPathComponent("htpasswd")
            let generator = Process()
            generator.executableURL = URL(fileURLWithPath: htpasswd)
            generator.arguments = ["-Bbc", file.path, credentials.username, credentials.password]
            generator.standardOutput = FileHandle.nullDevice
            generator.standardError = FileHandle.nullDevice
            try generator.run()
            generator.waitUntilExit()
            config += """
                auth:
                  htpasswd:
                    realm: dockwright-test
                    path: \(file.path)

                """
        }
        if usesTLS {
            guard let openssl = Self.openssl else { throw Failure("openssl is not installed") }
            let certificate = folder.appendingPathComponent("cert.pem")
            let key = folder.appendingPathComponent("key.pem")
            let generator = Process()
            generator.executableURL = URL(fileURLWithPath: openssl)
            generator.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                                   "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.path, "-out", certificate.path]
            generator.standardOutput = FileHandle.nullDevice
            generator.standardError = FileHandle.nullDevice
            try generator.run()
            generator.waitUntilExit()
            config = config.replacingOccurrences(of: "  secret: dockwright-test\n", with: """
                  secret: dockwright-test
                  tls:
                    certificate: \(certificate.path)
                    key: \(key.path)

                """)
            self.certificate = certificate
        }
        let configFile = folder.appendingPathComponent("config.yml")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let log = folder.appendingPathComponent("registry.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", configFile.path]
        process.standardOutput = handle
        process.standardError = handle
        self.credentials = credentials
        try process.run()
        // The registry logs `listening on 127.0.0.1:PORT` once it accepts connections.
        let deadline = Date().addingTimeInterval(20)
        var found: Int?
        while found == nil && Date() < deadline && process.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on 127.0.0.1:") {
                found = Int(text[range.upperBound...].prefix { $0.isNumber })
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        guard let found else {
            process.terminate()
            throw Failure("the registry did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        port = found
    }

    /// Stops the registry and removes its folder.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { stop() }

    // MARK: - Pushing over the registry API

    private lazy var transport = HTTPTransport(timeout: 10, certificateAuthorities: { [certificate] _ in
        certificate.map { [$0.path] } ?? []
    })

    private var authorization: [(name: String, value: String)] {
        guard let credentials else { return [] }
        let encoded = Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString()
        return [("Authorization", "Basic " + encoded)]
    }

    private func url(_ target: String) -> HTTPURL {
        HTTPURL(isSecure: certificate != nil, host: "127.0.0.1", port: port, target: target)
    }

    /// Uploads a blob (POST then PUT with the digest); returns its descriptor.
    @discardableResult
    func pushBlob(_ bytes: [UInt8], repository: String, mediaType: String) throws -> Descriptor {
        let digest = SHA256.contentDigest(of: bytes)
        let started = try transport.send(HTTPRequest(
            method: "POST", url: url("/v2/\(repository)/blobs/uploads/"), headers: authorization))
        guard started.status == 202, let location = started.header("Location") else {
            throw Failure("upload start answered \(started.status)")
        }
        let target: String
        if let absolute = HTTPURL(location) { target = absolute.target } else { target = location }
        let separator = target.contains("?") ? "&" : "?"
        let finished = try transport.send(HTTPRequest(
            method: "PUT", url: url(target + separator + "digest=" + digest),
            headers: authorization + [("Content-Type", "application/octet-stream")], body: bytes))
        guard finished.status == 201 else { throw Failure("upload answered \(finished.status)") }
        return Descriptor(mediaType: mediaType, digest: digest, size: bytes.count)
    }

    /// Puts a manifest under a tag or digest; returns its descriptor.
    @discardableResult
    func pushManifest(_ bytes: [UInt8], repository: String, reference: String, mediaType: String) throws -> Descriptor {
        let response = try transport.send(HTTPRequest(
            method: "PUT", url: url("/v2/\(repository)/manifests/\(reference)"),
            headers: authorization + [("Content-Type", mediaType)], body: bytes))
        guard response.status == 201 else {
            throw Failure("manifest put answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
        return Descriptor(mediaType: mediaType, digest: SHA256.contentDigest(of: bytes), size: bytes.count)
    }

    /// Pushes a one-layer image for `platform` and tags it when `tag` is given; `salt`
    /// makes the layer (so the digest) differ between pushes.
    @discardableResult
    func pushImage(repository: String, tag: String?, platform: (os: String, architecture: String), salt: String = "")
        throws -> Descriptor {
        let layer = try pushBlob(Array("layer \(platform.architecture) \(salt)".utf8), repository: repository,
                                 mediaType: "application/vnd.oci.image.layer.v1.tar+gzip")
        let configJSON = #"{"architecture":"\#(platform.architecture)","os":"\#(platform.os)","rootfs":{"type":"layers","diff_ids":["\#(layer.digest)"]}}"#
        let config = try pushBlob(Array(configJSON.utf8), repository: repository,
                                  mediaType: "application/vnd.oci.image.config.v1+json")
        let manifest = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":\#(config.json),"layers":[\#(layer.json)]}"#
        let digest = SHA256.contentDigest(of: Array(manifest.utf8))
        return try pushManifest(Array(manifest.utf8), repository: repository, reference: tag ?? digest,
                                mediaType: "application/vnd.oci.image.manifest.v1+json")
    }

    /// Pushes images for linux/amd64 and linux/arm64 and an OCI index over both, tagged
    /// `tag`; returns the index and the two platform manifests.
    func pushMultiPlatformImage(repository: String, tag: String, salt: String = "") throws
        -> (index: Descriptor, amd64: Descriptor, arm64: Descriptor) {
        let amd64 = try pushImage(repository: repository, tag: nil, platform: ("linux", "amd64"), salt: salt)
        let arm64 = try pushImage(repository: repository, tag: nil, platform: ("linux", "arm64"), salt: salt)
        let index = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[\
            \(amd64.json(platform: ("linux", "amd64"))),\(arm64.json(platform: ("linux", "arm64")))]}
            """
        let pushed = try pushManifest(Array(index.utf8), repository: repository, reference: tag,
                                      mediaType: "application/vnd.oci.image.index.v1+json")
        return (pushed, amd64, arm64)
    }

    /// An OCI content descriptor.
    struct Descriptor {
        let mediaType: String
        let digest: String
        let size: Int

        var json: String { #"{"mediaType":"\#(mediaType)","digest":"\#(digest)","size":\#(size)}"# }

        func json(platform: (os: String, architecture: String)) -> String {
            #"{"mediaType":"\#(mediaType)","digest":"\#(digest)","size":\#(size),"platform":{"architecture":"\#(platform.architecture)","os":"\#(platform.os)"}}"#
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// A scratch folder with a Dockerfile and an empty Docker config folder, so tests never
/// read the user's `~/.docker`.
struct Workspace {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dockwright-pin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("docker"), withIntermediateDirectories: true)
    }

    var dockerConfig: String { folder.appendingPathComponent("docker").path }
    var dockerfile: String { folder.appendingPathComponent("Dockerfile").path }

    func write(_ text: String) throws { try text.write(toFile: dockerfile, atomically: true, encoding: .utf8) }
    func read() throws -> String { try String(contentsOfFile: dockerfile, encoding: .utf8) }
    func writeDockerConfig(_ json: String) throws {
        try json.write(toFile: dockerConfig + "/config.json", atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
