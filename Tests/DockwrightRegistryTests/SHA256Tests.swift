import DockwrightRegistry
import Testing

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func knownVectors(input: String, expected: String) {
        #expect(SHA256.hexDigest(of: Array(input.utf8)) == expected)
    }

    /// Lengths around the 56- and 64-byte padding boundaries, against `sha256sum`.
    @Test(arguments: [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
        (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
    ])
    func paddingBoundaries(length: Int, expected: String) {
        #expect(SHA256.hexDigest(of: [UInt8](repeating: UInt8(ascii: "a"), count: length)) == expected)
    }

    @Test func hundredThousandAs() {
        #expect(SHA256.hexDigest(of: [UInt8](repeating: UInt8(ascii: "a"), count: 100_000))
            == "6d1cf22d7cc09b085dfc25ee1a1f3ae0265804c607bc2074ad253bcc82fd81ee")
    }

    @Test func incrementalUpdatesMatchOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var hash = SHA256()
        hash.update(bytes[..<13])
        hash.update(bytes[13..<500])
        hash.update(bytes[500...])
        #expect(hash.finalize() == { var whole = SHA256(); whole.update(bytes); return whole.finalize() }())
        #expect(SHA256.contentDigest(of: bytes).hasPrefix("sha256:"))
    }
}

@Suite struct HTTPPartsTests {
    @Test func parsesURLs() throws {
        let url = try #require(HTTPURL("https://auth.docker.io/token?x=1"))
        #expect(url.isSecure && url.host == "auth.docker.io" && url.port == 443 && url.target == "/token?x=1")
        let local = try #require(HTTPURL("http://127.0.0.1:5000"))
        #expect(!local.isSecure && local.port == 5000 && local.target == "/" && local.authority == "127.0.0.1:5000")
        let v6 = try #require(HTTPURL("http://[::1]:8080/v2/"))
        #expect(v6.host == "::1" && v6.authority == "[::1]:8080")
        #expect(HTTPURL("ftp://x/") == nil)
        #expect(HTTPURL("https://user@host/") == nil)
        #expect(url.appendingQuery([("scope", "repository:library/alpine:pull")]).target
            == "/token?x=1&scope=repository%3Alibrary%2Falpine%3Apull")
    }

    @Test func loopbackHosts() {
        #expect(HostPort("localhost:5000")?.isLoopback == true)
        #expect(HostPort("127.0.0.1")?.isLoopback == true)
        #expect(HostPort("127.1.2.3:80")?.isLoopback == true)
        #expect(HostPort("[::1]:5000")?.isLoopback == true)
        #expect(HostPort("127.0.0.1.example.com")?.isLoopback == false)
        #expect(HostPort("registry.example.com")?.isLoopback == false)
        #expect(HostPort("ghcr.io:99999") == nil)
    }

    @Test func parsesChallenges() throws {
        let bearer = try #require(AuthenticationChallenge(
            #"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull""#))
        #expect(bearer.scheme == "bearer")
        #expect(bearer.parameters["realm"] == "https://auth.docker.io/token")
        #expect(bearer.parameters["service"] == "registry.docker.io")
        #expect(bearer.parameters["scope"] == "repository:library/alpine:pull")
        let basic = try #require(AuthenticationChallenge(#"Basic realm="Registry Realm""#))
        #expect(basic.scheme == "basic" && basic.parameters["realm"] == "Registry Realm")
        let unquoted = try #require(AuthenticationChallenge("Bearer realm=http://x/token, service=x"))
        #expect(unquoted.parameters["service"] == "x")
    }
}
