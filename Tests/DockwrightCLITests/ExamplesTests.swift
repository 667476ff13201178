import DockwrightCLI
import DockwrightSyntax
import Foundation
import Testing

/// Each folder of Examples/ holds a realistic Dockerfile and the goldens of what
/// dockwright prints for it; set DOCKWRIGHT_UPDATE_GOLDENS=1 to rewrite them.
@Suite struct ExamplesTests {
    static let folders: [URL] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Repository.examples.path)) ?? []
        return names.sorted().map { Repository.examples.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("Dockerfile").path) }
    }()

    @Test func thereAreExamples() {
        #expect(Self.folders.count >= 4)
    }

    @Test(arguments: folders)
    func dumpMatchesItsGolden(_ folder: URL) throws {
        let dockerfile = folder.appendingPathComponent("Dockerfile")
        let golden = folder.appendingPathComponent("dump.json")
        let result = runTool(["dump", dockerfile.path])
        #expect(result.exitCode == .success)
        #expect(result.standardError.isEmpty, "\(result.standardError)")
        if Repository.updatesGoldens {
            try result.standardOutput.write(to: golden, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(result.standardOutput == expected, "run with DOCKWRIGHT_UPDATE_GOLDENS=1 to update \(golden.path)")
    }

    @Test(arguments: folders)
    func exampleRoundTripsByteForByte(_ folder: URL) throws {
        let bytes = Array(try Data(contentsOf: folder.appendingPathComponent("Dockerfile")))
        let syntax = DockerfileSyntax.parse(SourceFile(path: folder.lastPathComponent, bytes: bytes))
        #expect(syntax.printedBytes() == bytes)
        #expect(syntax.errors.isEmpty, "\(syntax.errors)")
    }
}
