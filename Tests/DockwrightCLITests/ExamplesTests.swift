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
    func lintAndFixOutputsMatchTheirGoldens(_ folder: URL) throws {
        let path = folder.appendingPathComponent("Dockerfile").path
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let lint = runTool(["lint", path]).standardOutput
            .replacingOccurrences(of: Repository.root.path + "/", with: "")
        try compare(lint, golden: folder.appendingPathComponent("lint.txt"))
        let text = String(decoding: original, as: UTF8.self)
        // Named after the file, standard input gets its folder as build context.
        let fixed = runTool(["fix", "--stdin-filename", path, "-"], standardInput: text).standardOutput
        try compare(fixed, golden: folder.appendingPathComponent("Dockerfile.fixed"))
        let unsafeFixed = runTool(["fix", "--unsafe", "--stdin-filename", path, "-"], standardInput: text).standardOutput
        try compare(unsafeFixed, golden: folder.appendingPathComponent("Dockerfile.unsafe-fixed"))
        // Fixing is idempotent, and the fixed files parse.
        #expect(runTool(["fix", "-"], standardInput: fixed).standardOutput == fixed)
        #expect(runTool(["fix", "--unsafe", "-"], standardInput: unsafeFixed).standardOutput == unsafeFixed)
        #expect(!DockerfileSyntax.parse(unsafeFixed).hasParserErrors)
    }

    private func compare(_ actual: String, golden: URL) throws {
        if Repository.updatesGoldens {
            try actual.write(to: golden, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(actual == expected, "run with DOCKWRIGHT_UPDATE_GOLDENS=1 to update \(golden.path)")
    }

    @Test(arguments: folders)
    func exampleRoundTripsByteForByte(_ folder: URL) throws {
        let bytes = Array(try Data(contentsOf: folder.appendingPathComponent("Dockerfile")))
        let syntax = DockerfileSyntax.parse(SourceFile(path: folder.lastPathComponent, bytes: bytes))
        #expect(syntax.printedBytes() == bytes)
        #expect(syntax.errors.isEmpty, "\(syntax.errors)")
    }
}
