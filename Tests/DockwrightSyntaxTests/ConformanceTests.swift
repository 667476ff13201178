import DockwrightSyntax
import Foundation
import Testing

/// Runs BuildKit's own parser test files: every positive case must dump exactly as
/// BuildKit's `result` file says, every negative case must be rejected.
@Suite(.enabled(if: SharedData.exists(SharedData.conformance), "needs ../shared/conformance/buildkit-parser"))
struct ConformanceTests {
    static let positiveCases = SharedData.folders(in: SharedData.conformance.appendingPathComponent("positive"))
    static let negativeCases = SharedData.folders(in: SharedData.conformance.appendingPathComponent("negative"))

    @Test func theCaseFoldersAreAllThere() {
        #expect(Self.positiveCases.count == 33)
        #expect(Self.negativeCases.count == 4)
    }

    @Test(arguments: positiveCases)
    func positiveCaseMatchesBuildKitsDump(_ folder: URL) throws {
        let bytes = SharedData.bytes(folder.appendingPathComponent("Dockerfile"))
        let expected = String(decoding: SharedData.bytes(folder.appendingPathComponent("result")), as: UTF8.self)
        let syntax = DockerfileSyntax.parse(SourceFile(path: folder.lastPathComponent, bytes: bytes))
        #expect(!syntax.hasParserErrors, "\(syntax.errors)")
        #expect(BuildKitDump.sExpressions(syntax) == expected)
        #expect(syntax.printedBytes() == bytes)
    }

    @Test(arguments: negativeCases)
    func negativeCaseIsRejected(_ folder: URL) {
        let bytes = SharedData.bytes(folder.appendingPathComponent("Dockerfile"))
        let syntax = DockerfileSyntax.parse(SourceFile(path: folder.lastPathComponent, bytes: bytes))
        #expect(syntax.hasParserErrors)
        #expect(syntax.printedBytes() == bytes)
    }
}
