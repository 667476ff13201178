import Testing
@testable import DockwrightSyntax

/// A reference and the parts Docker's normalisation gives it.
struct ReferenceCase: Sendable, CustomTestStringConvertible {
    let text: String
    let domain: String
    let path: String
    let tag: String?
    let digest: String?
    let familiarName: String
    let normalized: String

    var testDescription: String { text }
}

@Suite("ImageReference")
struct ImageReferenceTests {
    static let sha = String(repeating: "a1", count: 32)

    static let valid: [ReferenceCase] = [
        ReferenceCase(
            text: "alpine", domain: "docker.io", path: "library/alpine", tag: nil, digest: nil,
            familiarName: "alpine", normalized: "docker.io/library/alpine:latest"),
        ReferenceCase(
            text: "alpine:3.20", domain: "docker.io", path: "library/alpine", tag: "3.20", digest: nil,
            familiarName: "alpine", normalized: "docker.io/library/alpine:3.20"),
        ReferenceCase(
            text: "bitnami/redis:7.2", domain: "docker.io", path: "bitnami/redis", tag: "7.2", digest: nil,
            familiarName: "bitnami/redis", normalized: "docker.io/bitnami/redis:7.2"),
        ReferenceCase(
            text: "docker.io/library/node:20", domain: "docker.io", path: "library/node", tag: "20", digest: nil,
            familiarName: "node", normalized: "docker.io/library/node:20"),
        ReferenceCase(
            text: "index.docker.io/node", domain: "docker.io", path: "library/node", tag: nil, digest: nil,
            familiarName: "node", normalized: "docker.io/library/node:latest"),
        ReferenceCase(
            text: "localhost:5000/x:tag", domain: "localhost:5000", path: "x", tag: "tag", digest: nil,
            familiarName: "localhost:5000/x", normalized: "localhost:5000/x:tag"),
        ReferenceCase(
            text: "localhost/tools/x", domain: "localhost", path: "tools/x", tag: nil, digest: nil,
            familiarName: "localhost/tools/x", normalized: "localhost/tools/x:latest"),
        ReferenceCase(
            text: "ghcr.io/org/team/app:v1.0-rc_1", domain: "ghcr.io", path: "org/team/app", tag: "v1.0-rc_1",
            digest: nil, familiarName: "ghcr.io/org/team/app", normalized: "ghcr.io/org/team/app:v1.0-rc_1"),
        ReferenceCase(
            text: "alpine@sha256:\(sha)", domain: "docker.io", path: "library/alpine", tag: nil,
            digest: "sha256:\(sha)", familiarName: "alpine", normalized: "docker.io/library/alpine@sha256:\(sha)"),
        ReferenceCase(
            text: "node:20-slim@sha256:\(sha)", domain: "docker.io", path: "library/node", tag: "20-slim",
            digest: "sha256:\(sha)", familiarName: "node",
            normalized: "docker.io/library/node:20-slim@sha256:\(sha)"),
        ReferenceCase(
            text: "[::1]:5000/app", domain: "[::1]:5000", path: "app", tag: nil, digest: nil,
            familiarName: "[::1]:5000/app", normalized: "[::1]:5000/app:latest"),
        ReferenceCase(
            text: "registry.example.com:443/a.b__c--d/e", domain: "registry.example.com:443", path: "a.b__c--d/e",
            tag: nil, digest: nil, familiarName: "registry.example.com:443/a.b__c--d/e",
            normalized: "registry.example.com:443/a.b__c--d/e:latest"),
        // An upper-case first component is taken as a registry, so this is valid.
        ReferenceCase(
            text: "MyRegistry/app", domain: "MyRegistry", path: "app", tag: nil, digest: nil,
            familiarName: "MyRegistry/app", normalized: "MyRegistry/app:latest"),
        ReferenceCase(
            text: "scratch", domain: "docker.io", path: "library/scratch", tag: nil, digest: nil,
            familiarName: "scratch", normalized: "docker.io/library/scratch:latest"),
    ]

    @Test("Valid references are split and normalised", arguments: valid)
    func validReferences(_ testCase: ReferenceCase) {
        let reference = ImageReference.parse(testCase.text)
        #expect(reference.error == nil)
        #expect(reference.isValid)
        #expect(reference.domain == testCase.domain)
        #expect(reference.path == testCase.path)
        #expect(reference.tag == testCase.tag)
        #expect(reference.digest == testCase.digest)
        #expect(reference.familiarName == testCase.familiarName)
        #expect(reference.normalizedString == testCase.normalized)
        #expect(reference.text == testCase.text)
    }

    @Test("Written and normalised forms")
    func writtenAndNormalisedForms() {
        let official = ImageReference.parse("python:3.12")
        #expect(official.fullName == "docker.io/library/python")
        #expect(official.familiarString == "python:3.12")
        #expect(official.isOfficialImage)
        #expect(!official.hasExplicitDomain)

        let hub = ImageReference.parse("docker.io/grafana/grafana")
        #expect(hub.hasExplicitDomain)
        #expect(!hub.isOfficialImage)
        #expect(hub.familiarName == "grafana/grafana")

        let nested = ImageReference.parse("docker.io/library/distros/ubuntu")
        #expect(nested.familiarName == "library/distros/ubuntu")
    }

    @Test("scratch is recognised only by its exact spelling")
    func scratch() {
        #expect(ImageReference.parse("scratch").isScratch)
        #expect(!ImageReference.parse("scratch:latest").isScratch)
        let upper = ImageReference.parse("SCRATCH")
        #expect(!upper.isScratch)
        #expect(upper.error?.kind == .uppercaseRepository)
    }

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        let text: String
        let kind: ImageReferenceError.Kind
        let message: String
        var testDescription: String { text.isEmpty ? "(empty)" : text }
    }

    static let invalid: [InvalidCase] = [
        InvalidCase(text: "", kind: .empty, message: "invalid reference format"),
        InvalidCase(
            text: "Ubuntu:22.04", kind: .uppercaseRepository,
            message: "invalid reference format: repository name (library/Ubuntu) must be lowercase"),
        InvalidCase(
            text: "ghcr.io/Org/app", kind: .uppercaseRepository,
            message: "invalid reference format: repository name (Org/app) must be lowercase"),
        InvalidCase(text: "alpine:", kind: .invalidFormat, message: "invalid reference format"),
        InvalidCase(text: ":latest", kind: .invalidFormat, message: "invalid reference format"),
        InvalidCase(text: "alpine:3.20:x", kind: .invalidFormat, message: "invalid reference format"),
        InvalidCase(text: "alpine:-x", kind: .invalidFormat, message: "invalid reference format"),
        InvalidCase(text: "a..b", kind: .invalidFormat, message: "invalid reference format"),
        InvalidCase(text: "a//b", kind: .invalidFormat, message: "invalid reference format"),
        InvalidCase(text: "a___b", kind: .invalidFormat, message: "invalid reference format"),
        InvalidCase(text: "-a", kind: .invalidFormat, message: "invalid reference format"),
        InvalidCase(text: "host:port/app", kind: .invalidFormat, message: "invalid reference format"),
        InvalidCase(text: "alpine@sha256:abc", kind: .invalidFormat, message: "invalid reference format"),
        InvalidCase(
            text: "alpine@sha256:" + String(repeating: "a", count: 40), kind: .invalidDigestLength,
            message: "invalid checksum digest length"),
        InvalidCase(
            text: "alpine@sha256:" + String(repeating: "A", count: 64), kind: .invalidDigestFormat,
            message: "invalid checksum digest format"),
        InvalidCase(
            text: "alpine@md5:" + String(repeating: "a", count: 32), kind: .unsupportedDigestAlgorithm,
            message: "unsupported digest algorithm"),
        InvalidCase(
            text: String(repeating: "ab", count: 32), kind: .hexadecimalIdentifier,
            message: "invalid repository name (\(String(repeating: "ab", count: 32))), cannot specify 64-byte "
                + "hexadecimal strings"),
        InvalidCase(
            text: "alpine:" + String(repeating: "t", count: 129), kind: .invalidFormat,
            message: "invalid reference format"),
        InvalidCase(
            text: "r.io/" + String(repeating: "a", count: 260), kind: .nameTooLong,
            message: "repository name must not be more than 255 characters"),
    ]

    @Test("Invalid references carry Docker's error as a value", arguments: invalid)
    func invalidReferences(_ testCase: InvalidCase) {
        let reference = ImageReference.parse(testCase.text)
        #expect(!reference.isValid)
        #expect(reference.error?.kind == testCase.kind)
        #expect(reference.error?.message == testCase.message)
    }

    @Test("An invalid reference is still split as far as the text allows")
    func bestEffortParts() {
        let reference = ImageReference.parse("Ubuntu:Latest")
        #expect(reference.error != nil)
        #expect(reference.path == "library/Ubuntu")
        #expect(reference.tag == "Latest")
        #expect(reference.domain == "docker.io")
    }

    @Test("A first component that is not a valid domain falls back to a path, like the grammar")
    func invalidDomainFallsBackToPath() {
        let reference = ImageReference.parse("my_registry.local/app")
        #expect(reference.isValid)
        #expect(reference.domain == "")
        #expect(reference.path == "my_registry.local/app")
        #expect(reference.fullName == "my_registry.local/app")
    }

    @Test("The range of the written token is kept")
    func keepsRange() {
        let range = TextRange(start: 5, end: 16)
        #expect(ImageReference.parse("alpine:3.20", range: range).range == range)
        #expect(ImageReference.parse("alpine").range == nil)
    }
}
