import DockwrightSyntax
import Testing

@Suite struct RunMountTests {
    private func run(_ text: String) throws -> InstructionSyntax {
        let syntax = DockerfileSyntax.parse(text)
        return try #require(syntax.instructions.first { $0.kind == .run })
    }

    @Test func readsTypeTargetAndDefaultsToBind() throws {
        let instruction = try run(
            "FROM alpine\nRUN --mount=type=cache,target=/var/cache/apk --mount=source=.,target=/src apk add git\n")
        let mounts = RunMount.mounts(of: instruction)
        #expect(mounts.map(\.type) == [.cache, .bind])
        #expect(mounts.map(\.target) == ["/var/cache/apk", "/src"])
        #expect(mounts[1].value(of: "source") == ".")
    }

    @Test func keysAreCaseInsensitiveAndQuotedFieldsKeepCommas() throws {
        let instruction = try run("FROM alpine\nRUN --mount='TYPE=secret,\"id=a,b\",DST=/run/s' cat /run/s\n")
        let mount = try #require(RunMount.mounts(of: instruction).first)
        #expect(mount.type == .secret)
        #expect(mount.value(of: "id") == "a,b")
        #expect(mount.target == "/run/s")
    }

    @Test func cacheAndTmpfsMountsCoverPathsBelowThem() throws {
        let instruction = try run(
            "FROM debian\nRUN --mount=type=cache,target=/var/cache/apt/ --mount=type=tmpfs,dst=/var/lib/apt apt-get update\n")
        #expect(RunMount.isCached("/var/lib/apt/lists", in: instruction))
        #expect(RunMount.isCached("/var/cache/apt", in: instruction))
        #expect(!RunMount.isCached("/var/cache/aptitude", in: instruction))
        #expect(!RunMount.isCached("/root/.cache/pip", in: instruction))
    }

    @Test func bindMountsOfTheContextAndWritability() throws {
        #expect(RunMount.bindsBuildContext(try run("FROM a\nRUN --mount=target=/src make\n")))
        #expect(RunMount.bindsBuildContext(try run("FROM a\nRUN --mount=type=BIND,target=/src make\n")))
        #expect(!RunMount.bindsBuildContext(try run("FROM a\nRUN --mount=type=bind,from=build,target=/src make\n")))
        #expect(!RunMount.bindsBuildContext(try run("FROM a\nRUN --mount=type=cache,target=/root/.cache make\n")))
        let mounts = RunMount.mounts(of: try run("FROM a\nRUN --mount=target=/a,rw --mount=target=/b,rw=FALSE --mount=target=/c make\n"))
        #expect(mounts.map(\.isWritable) == [true, false, false])
    }

    @Test func unknownTypeIsNil() throws {
        let instruction = try run("FROM alpine\nRUN --mount=type=volume,target=/x true\n")
        #expect(RunMount.mounts(of: instruction).first?.type == nil)
    }
}
