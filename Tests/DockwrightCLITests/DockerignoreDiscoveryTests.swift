import DockwrightCLI
import Foundation
import Testing

/// Which ignore file `lint` hands to the rules: `<Dockerfile>.dockerignore` next to the
/// Dockerfile wins over the context's `.dockerignore`, as BuildKit's dockerui decides.
@Suite struct DockerignoreDiscoveryTests {
    private func folder(_ files: [String: String]) throws -> URL {
        let url = ScratchFolder.root.appendingPathComponent("dockwright-ignore-\(UUID().uuidString)")
        for (name, text) in files {
            let file = url.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        return url
    }

    @Test func contextDockerignoreIsRead() throws {
        let root = try folder([
            "Dockerfile": "FROM alpine\nCOPY secrets.env app.py /app/\n", ".dockerignore": "secrets.env\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = runTool(["lint", "--isolated", "--select", "DW125", root.appendingPathComponent("Dockerfile").path])
        #expect(result.standardOutput.contains("`secrets.env`"))
        #expect(!result.standardOutput.contains("`app.py`"))
    }

    @Test func dockerfileOwnIgnoreFileWins() throws {
        let root = try folder([
            "app.Dockerfile": "FROM alpine\nCOPY secrets.env app.py /app/\n", ".dockerignore": "secrets.env\n",
            "app.Dockerfile.dockerignore": "app.py\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = runTool([
            "lint", "--isolated", "--select", "DW125", root.appendingPathComponent("app.Dockerfile").path,
        ])
        #expect(result.standardOutput.contains("`app.py`"))
        #expect(!result.standardOutput.contains("`secrets.env`"))
    }

    @Test func anIgnoreFileLinkedFromOutsideTheContextIsNotRead() throws {
        // A link out of the tree: its contents must not leak into findings.
        let outside = try folder(["secret-list": "secrets.env\n"])
        let root = try folder(["Dockerfile": "FROM alpine\nCOPY secrets.env /app/\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent(".dockerignore"), withDestinationURL: outside.appendingPathComponent("secret-list"))
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("Dockerfile.dockerignore"),
            withDestinationURL: outside.appendingPathComponent("secret-list"))
        let result = runTool(["lint", "--isolated", "--select", "DW125", root.appendingPathComponent("Dockerfile").path])
        #expect(!result.standardOutput.contains("DW125"))
        // The close twin: a link that stays inside the context is read.
        try FileManager.default.removeItem(at: root.appendingPathComponent("Dockerfile.dockerignore"))
        try FileManager.default.removeItem(at: root.appendingPathComponent(".dockerignore"))
        try "secrets.env\n".write(to: root.appendingPathComponent("ignore-list"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent(".dockerignore"), withDestinationURL: root.appendingPathComponent("ignore-list"))
        let inside = runTool(["lint", "--isolated", "--select", "DW125", root.appendingPathComponent("Dockerfile").path])
        #expect(inside.standardOutput.contains("`secrets.env`"))
    }

    @Test func noIgnoreFileNoFinding() throws {
        let root = try folder(["Dockerfile": "FROM alpine\nCOPY secrets.env /app/\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = runTool(["lint", "--isolated", "--select", "DW125", root.appendingPathComponent("Dockerfile").path])
        #expect(!result.standardOutput.contains("DW125"))
    }
}
