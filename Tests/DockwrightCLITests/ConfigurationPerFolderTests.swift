import DockwrightCLI
import Foundation
import Testing

/// A bad configuration in one folder stops only that folder's files: the others
/// are linted and fixed as usual, and the run exits 2 at the end (issue 12, item 3).
@Suite struct ConfigurationPerFolderTests {
    private let bad = "FROM alpine:3.20\nADD a /b\n"

    private func tree() throws -> URL {
        let root = ScratchFolder.root.appendingPathComponent("dockwright-config-\(UUID().uuidString)")
        for folder in ["a", "b", "c"] {
            let url = root.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try Data(bad.utf8).write(to: url.appendingPathComponent("Dockerfile"))
        }
        // A repository root, so configuration discovery stops here.
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try Data("{ bad".utf8).write(to: root.appendingPathComponent("b/.dockwright.json"))
        return root
    }

    @Test func lintReportsTheBadFolderAndLintsTheOthers() throws {
        let root = try tree()
        let result = runTool(["lint", "-f", "gnu", root.path])
        #expect(result.exitCode == .failure)
        #expect(result.standardOutput.contains("a/Dockerfile:2.1"))
        #expect(result.standardOutput.contains("c/Dockerfile:2.1"))
        #expect(!result.standardOutput.contains("b/Dockerfile"))
        #expect(result.standardError.contains("b/.dockwright.json"))
        #expect(result.standardError.contains("b/Dockerfile: not checked: its configuration"))
    }

    @Test func fixFixesTheOtherFoldersAndLeavesTheBadOneAlone() throws {
        let root = try tree()
        let result = runTool(["fix", root.path])
        #expect(result.exitCode == .failure)
        let fixed = "FROM alpine:3.20\nCOPY a /b\n"
        #expect(try String(contentsOf: root.appendingPathComponent("a/Dockerfile"), encoding: .utf8) == fixed)
        #expect(try String(contentsOf: root.appendingPathComponent("c/Dockerfile"), encoding: .utf8) == fixed)
        #expect(try String(contentsOf: root.appendingPathComponent("b/Dockerfile"), encoding: .utf8) == bad)
        #expect(result.standardError.contains("b/Dockerfile: not checked: its configuration"))
    }

    @Test func theConfigurationErrorIsReportedOncePerFile() throws {
        let root = try tree()
        try Data(bad.utf8).write(to: root.appendingPathComponent("b/Containerfile"))
        let result = runTool(["lint", root.path])
        let mentions = result.standardError.components(separatedBy: "\n").filter { !$0.contains("not checked") && $0.contains(".dockwright.json") }
        #expect(mentions.count == 1)
    }
}
