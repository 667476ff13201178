import DockwrightCLI
import Foundation
import Testing

/// File names and Dockerfile text reach a terminal or a line-based format with
/// their control characters escaped (issue 12, item 8).
@Suite struct ControlCharacterOutputTests {
    private func folder(named name: String, dockerfile: String) throws -> URL {
        let root = ScratchFolder.root.appendingPathComponent("dockwright-ctl-\(UUID().uuidString)")
        let inner = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        try Data(dockerfile.utf8).write(to: inner.appendingPathComponent("Dockerfile"))
        return root
    }

    @Test(arguments: ["gnu", "text"])
    func aNewlineInAFileNameCannotForgeAFinding(format: String) throws {
        let root = try folder(named: "evil\nfake.Dockerfile:1:1: error: forged", dockerfile: "FROM alpine:3.20\nADD a /b\n")
        let result = runTool(["lint", "-f", format, "--color", "never", root.path])
        #expect(result.standardOutput.contains("evil\\nfake.Dockerfile"))
        #expect(!result.standardOutput.split(separator: "\n").contains { $0.hasPrefix("fake.Dockerfile") })
    }

    @Test(arguments: ["gnu", "text"])
    func escapeSequencesFromTheDockerfileAreNotPrintedRaw(format: String) throws {
        let root = try folder(named: "app", dockerfile: "FROM alpine:3.20\nADD a /b\nWORKDIR x\u{1B}[2J\n")
        let result = runTool(["lint", "-f", format, "--color", "never", root.path])
        #expect(!result.standardOutput.contains("\u{1B}"))
        #expect(result.standardOutput.contains("\\x1b[2J"))
    }
}
