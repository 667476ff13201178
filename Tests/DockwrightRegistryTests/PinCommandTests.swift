import DockwrightCLI
import DockwrightRegistry
import Foundation
import Testing

/// What one in-process run of the tool produced.
struct ToolRun {
    let exitCode: ExitCode
    let standardOutput: String
    let standardError: String
}

func runTool(_ arguments: [String]) -> ToolRun {
    let output = BufferedOutput()
    let errors = BufferedOutput()
    let code = CommandLineTool.run(
        arguments: arguments, standardInput: { [] }, standardOutput: output, standardError: errors)
    return ToolRun(exitCode: code, standardOutput: output.text, standardError: errors.text)
}

@Suite(.serialized, .enabled(if: RegistryServer.executable != nil, "needs Debian's docker-registry"))
struct PinCommandTests {
    @Test func pinsIndexAndSingleManifestDigestsAndIsIdempotent() throws {
        let registry = try RegistryServer()
        defer { registry.stop() }
        let workspace = try Workspace()
        defer { workspace.remove() }
        let multi = try registry.pushMultiPlatformImage(repository: "tools/base", tag: "1.0")
        let single = try registry.pushImage(repository: "library-ish/app", tag: "2.1", platform: ("linux", "amd64"))
        let host = registry.authority
        let original = """
            # syntax=docker/dockerfile:1
            # keep this comment
            FROM --platform=$BUILDPLATFORM  \(host)/tools/base:1.0 AS build
            RUN --mount=type=bind,from=\(host)/library-ish/app:2.1,target=/x true
            FROM scratch
            COPY --from=build /out /out
            COPY --from=\(host)/tools/base:1.0 /etc/passwd /etc/passwd

            """
        try workspace.write(original)
        let run = runTool(["pin", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(run.exitCode == .success, "\(run.standardError)")
        let expected = original
            .replacingOccurrences(of: "\(host)/tools/base:1.0", with: "\(host)/tools/base:1.0@\(multi.index.digest)")
            .replacingOccurrences(of: "\(host)/library-ish/app:2.1", with: "\(host)/library-ish/app:2.1@\(single.digest)")
        #expect(try workspace.read() == expected)
        #expect(multi.index.digest != multi.amd64.digest)
        #expect(run.standardError.contains("names a build stage"))
        #expect(run.standardError.contains("is the empty image"))

        let again = runTool(["pin", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(again.exitCode == .success)
        #expect(try workspace.read() == expected)
        let check = runTool(["pin", "--check", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(check.exitCode == .success, "\(check.standardOutput)")
    }

    @Test func checkAndRefreshFollowARepushedTag() throws {
        let registry = try RegistryServer()
        defer { registry.stop() }
        let workspace = try Workspace()
        defer { workspace.remove() }
        let first = try registry.pushMultiPlatformImage(repository: "base", tag: "3", salt: "one")
        try workspace.write("FROM \(registry.authority)/base:3\nRUN true\n")

        let before = runTool(["pin", "--check", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(before.exitCode == .findings)
        #expect(before.standardOutput.contains("is not pinned"))
        #expect(try workspace.read() == "FROM \(registry.authority)/base:3\nRUN true\n")

        #expect(runTool(["pin", "--docker-config", workspace.dockerConfig, workspace.dockerfile]).exitCode == .success)
        let pinned = "FROM \(registry.authority)/base:3@\(first.index.digest)\nRUN true\n"
        #expect(try workspace.read() == pinned)
        #expect(runTool(["pin", "--check", "--docker-config", workspace.dockerConfig, workspace.dockerfile]).exitCode
            == .success)

        let second = try registry.pushMultiPlatformImage(repository: "base", tag: "3", salt: "two")
        #expect(second.index.digest != first.index.digest)
        let stale = runTool(["pin", "--check", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(stale.exitCode == .findings)
        #expect(stale.standardOutput.contains("is stale"))
        #expect(stale.standardOutput.contains(second.index.digest))
        // A plain pin leaves existing digests alone; --diff shows the refresh without writing.
        #expect(runTool(["pin", "--docker-config", workspace.dockerConfig, workspace.dockerfile]).exitCode == .success)
        #expect(try workspace.read() == pinned)
        let diff = runTool(["pin", "--refresh", "--diff", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(diff.exitCode == .findings)
        #expect(diff.standardOutput.contains("+FROM \(registry.authority)/base:3@\(second.index.digest)"))
        #expect(try workspace.read() == pinned)

        let refresh = runTool(["pin", "--refresh", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(refresh.exitCode == .success, "\(refresh.standardError)")
        #expect(try workspace.read() == "FROM \(registry.authority)/base:3@\(second.index.digest)\nRUN true\n")
    }

    @Test func platformPinsOnePlatformsManifest() throws {
        let registry = try RegistryServer()
        defer { registry.stop() }
        let workspace = try Workspace()
        defer { workspace.remove() }
        let pushed = try registry.pushMultiPlatformImage(repository: "multi", tag: "1")
        try workspace.write("FROM \(registry.authority)/multi:1\n")
        let run = runTool(["pin", "--platform", "linux/arm64", "--docker-config", workspace.dockerConfig,
                           workspace.dockerfile])
        #expect(run.exitCode == .success, "\(run.standardError)")
        #expect(try workspace.read() == "FROM \(registry.authority)/multi:1@\(pushed.arm64.digest)\n")
        let missing = runTool(["pin", "--check", "--platform", "windows/amd64", "--docker-config",
                               workspace.dockerConfig, workspace.dockerfile])
        #expect(missing.exitCode == .findings)
        #expect(missing.standardOutput.contains("has no windows/amd64 image"))
    }

    @Test func unknownTagsAndRepositoriesAreFindingsAndLeftAlone() throws {
        let registry = try RegistryServer()
        defer { registry.stop() }
        let workspace = try Workspace()
        defer { workspace.remove() }
        let pushed = try registry.pushImage(repository: "known", tag: "1", platform: ("linux", "amd64"))
        let host = registry.authority
        try workspace.write("FROM \(host)/known:1\nFROM \(host)/known:9\nFROM \(host)/nothing/here:1\n")
        let run = runTool(["pin", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(run.exitCode == .findings)
        #expect(run.standardOutput.contains("tag `9`"))
        #expect(run.standardOutput.contains("Dockerfile:2:6:"))
        #expect(run.standardOutput.contains("repository `\(host)/nothing/here` does not exist"))
        #expect(try workspace.read() == "FROM \(host)/known:1@\(pushed.digest)\nFROM \(host)/known:9\nFROM \(host)/nothing/here:1\n")
    }

    @Test func latestAndUntaggedNeedAllowLatest() throws {
        let registry = try RegistryServer()
        defer { registry.stop() }
        let workspace = try Workspace()
        defer { workspace.remove() }
        let pushed = try registry.pushImage(repository: "app", tag: "latest", platform: ("linux", "amd64"))
        let host = registry.authority
        let text = "FROM \(host)/app\nFROM \(host)/app:latest\n"
        try workspace.write(text)
        let run = runTool(["pin", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(run.exitCode == .findings)
        #expect(run.standardOutput.contains("[DL3006]") && run.standardOutput.contains("[DL3007]"))
        #expect(try workspace.read() == text)
        let allowed = runTool(["pin", "--allow-latest", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(allowed.exitCode == .success, "\(allowed.standardError)")
        #expect(try workspace.read() == "FROM \(host)/app@\(pushed.digest)\nFROM \(host)/app:latest@\(pushed.digest)\n")
    }

    @Test func argumentsLeftAloneAndListed() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let text = "ARG VERSION=3.12\nFROM python:${VERSION}\nFROM alpine@sha256:\(String(repeating: "a", count: 64))\n"
        try workspace.write(text)
        let run = runTool(["pin", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(run.exitCode == .success)
        #expect(run.standardError.contains("is built from an ARG; left alone"))
        #expect(run.standardError.contains("is pinned by digest alone"))
        #expect(try workspace.read() == text)
    }

    @Test func stoppedRegistryIsAnErrorAndTouchesNothing() throws {
        let registry = try RegistryServer()
        let workspace = try Workspace()
        defer { workspace.remove() }
        let host = registry.authority
        registry.stop()
        let text = "FROM \(host)/gone:1\n"
        try workspace.write(text)
        let run = runTool(["pin", "--timeout", "3", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(run.exitCode == .failure)
        #expect(run.standardError.contains("registry \(host): cannot connect"))
        #expect(run.standardError.contains("nothing was changed"))
        #expect(try workspace.read() == text)
    }

    @Test(.enabled(if: RegistryServer.htpasswd != nil, "needs htpasswd (apache2-utils) for bcrypt"))
    func basicAuthFromConfigJSON() throws {
        let registry = try RegistryServer(credentials: ("ci", "s3cret"))
        defer { registry.stop() }
        let workspace = try Workspace()
        defer { workspace.remove() }
        let pushed = try registry.pushImage(repository: "private/app", tag: "1", platform: ("linux", "amd64"))
        let text = "FROM \(registry.authority)/private/app:1\n"
        try workspace.write(text)

        let anonymous = runTool(["pin", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(anonymous.exitCode == .failure)
        #expect(anonymous.standardError.contains("docker login"))
        #expect(try workspace.read() == text)

        let wrong = Data("ci:wrong".utf8).base64EncodedString()
        try workspace.writeDockerConfig(#"{"auths": {"\#(registry.authority)": {"auth": "\#(wrong)"}}}"#)
        let refused = runTool(["pin", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(refused.exitCode == .failure)
        #expect(refused.standardError.contains("authentication failed"))
        #expect(try workspace.read() == text)

        let right = Data("ci:s3cret".utf8).base64EncodedString()
        try workspace.writeDockerConfig(#"{"auths": {"http://\#(registry.authority)": {"auth": "\#(right)"}}}"#)
        let run = runTool(["pin", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(run.exitCode == .success, "\(run.standardError)")
        #expect(try workspace.read() == "FROM \(registry.authority)/private/app:1@\(pushed.digest)\n")
    }
}

@Suite(.serialized, .enabled(if: RegistryServer.executable != nil, "needs Debian's docker-registry"))
struct OnlineLintTests {
    @Test func reportsStaleDigestsMissingTagsAndMissingSuggestions() throws {
        let registry = try RegistryServer()
        defer { registry.stop() }
        let workspace = try Workspace()
        defer { workspace.remove() }
        let old = try registry.pushImage(repository: "team/base", tag: "1", platform: ("linux", "amd64"), salt: "a")
        try registry.pushImage(repository: "team/base", tag: "1", platform: ("linux", "amd64"), salt: "b")
        let current = try registry.pushImage(repository: "team/base", tag: "2", platform: ("linux", "amd64"))
        // Docker Hub through a mirror: python:3.12 exists, python:3.12-slim does not.
        try registry.pushImage(repository: "library/python", tag: "3.12", platform: ("linux", "amd64"))
        let host = registry.authority
        try workspace.write("""
            FROM \(host)/team/base:1@\(old.digest) AS stale
            FROM \(host)/team/base:2@\(current.digest) AS fresh
            FROM \(host)/team/base:7 AS unknown
            FROM python:3.12
            CMD ["python"]

            """)
        let arguments = ["lint", "--online", "--format", "gnu", "--select", "DW003", "--docker-config",
                         workspace.dockerConfig, "--registry-mirror", host, workspace.dockerfile]
        let run = runTool(arguments)
        #expect(run.exitCode == .findings, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains(":1.6-") && $0.contains("DWO001") })
        #expect(!lines.contains { $0.contains(":2.6-") })
        #expect(lines.contains { $0.contains(":3.6-") && $0.contains("DWO002") && $0.contains("Tag `7` of") })
        #expect(lines.contains { $0.contains(":4.6-") && $0.contains("DWO003") && $0.contains("python:3.12-slim") })
        #expect(lines.contains { $0.contains(":4.6-") && $0.contains("DW003") })

        // The twin: once the slim tag exists, DW003's suggestion stands unchallenged.
        try registry.pushImage(repository: "library/python", tag: "3.12-slim", platform: ("linux", "amd64"))
        let twin = runTool(arguments)
        #expect(!twin.standardOutput.contains("DWO003"))
        #expect(twin.standardOutput.contains("DW003"))

        // Without --online nothing is asked: the stopped registry makes no difference.
        registry.stop()
        let offline = runTool(["lint", "--format", "gnu", "--select", "DW003", workspace.dockerfile])
        #expect(!offline.standardOutput.contains("DWO"))
        #expect(offline.exitCode != .failure)
        let unreachable = runTool(arguments)
        #expect(unreachable.exitCode == .failure)
        #expect(unreachable.standardError.contains("registry \(host): cannot connect"))
    }
}

@Suite(.serialized, .enabled(if: RegistryServer.executable != nil && RegistryServer.openssl != nil,
                             "needs docker-registry and openssl"))
struct HTTPSPinTests {
    /// HTTPS through the system's OpenSSL: the certificate is trusted only through
    /// Docker's `certs.d/<host:port>/ca.crt`, and refused without it.
    @Test func pinsOverHTTPSWithACertificateFromCertsD() throws {
        let registry = try RegistryServer(usesTLS: true)
        defer { registry.stop() }
        let workspace = try Workspace()
        defer { workspace.remove() }
        let pushed = try registry.pushImage(repository: "secure/app", tag: "1", platform: ("linux", "amd64"))
        let text = "FROM \(registry.authority)/secure/app:1\n"
        try workspace.write(text)

        // Another self-signed certificate as the trusted CA: the handshake must fail.
        let other = try RegistryServer(usesTLS: true)
        let wrongCA = try #require(other.certificate)
        let certs = workspace.dockerConfig + "/certs.d/" + registry.authority
        try FileManager.default.createDirectory(atPath: certs, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: wrongCA.path, toPath: certs + "/ca.crt")
        other.stop()
        let refused = runTool(["pin", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(refused.exitCode == .failure)
        #expect(refused.standardError.contains("TLS handshake with \(registry.authority) failed"))
        #expect(try workspace.read() == text)

        try FileManager.default.removeItem(atPath: certs + "/ca.crt")
        try FileManager.default.copyItem(atPath: try #require(registry.certificate).path, toPath: certs + "/ca.crt")
        let run = runTool(["pin", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(run.exitCode == .success, "\(run.standardError)")
        #expect(try workspace.read() == "FROM \(registry.authority)/secure/app:1@\(pushed.digest)\n")
    }
}

@Suite(.serialized, .enabled(if: RegistryServer.executable != nil, "needs Debian's docker-registry"))
struct ArgumentDefaultPinTests {
    /// `ARG BASE=image:tag` used whole as `FROM ${BASE}`: the pin goes into the ARG's
    /// default, once, however many stages use it; a tag built from an ARG stays alone.
    @Test func pinsAWholeReferenceInItsARGDefault() throws {
        let registry = try RegistryServer()
        defer { registry.stop() }
        let workspace = try Workspace()
        defer { workspace.remove() }
        let pushed = try registry.pushImage(repository: "base", tag: "5", platform: ("linux", "amd64"))
        let host = registry.authority
        let text = "ARG BASE=\(host)/base:5\nARG TAG=5\nFROM ${BASE} AS one\nFROM $BASE\nFROM \(host)/base:${TAG}\n"
        try workspace.write(text)
        let run = runTool(["pin", "--docker-config", workspace.dockerConfig, workspace.dockerfile])
        #expect(run.exitCode == .success, "\(run.standardError)")
        #expect(try workspace.read() == text.replacingOccurrences(
            of: "ARG BASE=\(host)/base:5\n", with: "ARG BASE=\(host)/base:5@\(pushed.digest)\n"))
        #expect(run.standardError.contains("is built from an ARG; left alone"))
        #expect(runTool(["pin", "--check", "--docker-config", workspace.dockerConfig, workspace.dockerfile]).exitCode
            == .success)
    }
}
