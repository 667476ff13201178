import DockwrightCLI
import Foundation
import Testing

/// Examples/node-app with its build context: `fix --unsafe` mounts build caches, sets
/// a copied script's mode in its `COPY`, and writes the `.dockerignore` that keeps
/// `.env` and `.git` out of the image.
@Suite struct NodeAppExampleTests {
    private static let source = Repository.examples.appendingPathComponent("node-app")
    private static let selection = ["--select", "DW300,DW303,DW311"]

    /// A copy of the app in a fresh folder, with `dot-git/` renamed to `.git/`.
    private func copyOfTheApp() throws -> URL {
        let folder = ScratchFolder.root.appendingPathComponent("dockwright-node-app-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.source, to: folder)
        try FileManager.default.moveItem(at: folder.appendingPathComponent("dot-git"), to: folder.appendingPathComponent(".git"))
        for golden in ["fix.diff", "Dockerfile.context-fixed", "dockerignore.context-fixed"] {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(golden))
        }
        return folder
    }

    private func compare(_ actual: String, golden name: String) throws {
        let golden = Self.source.appendingPathComponent(name)
        if Repository.updatesGoldens {
            try actual.write(to: golden, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(actual == expected, "run with DOCKWRIGHT_UPDATE_GOLDENS=1 to update \(golden.path)")
    }

    @Test func unsafeFixShowsTheCacheMountsAndTheIgnoreFileItWrites() throws {
        let folder = try copyOfTheApp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dockerfile = folder.appendingPathComponent("Dockerfile").path
        let diff = runTool(["fix", "--unsafe", "--diff", "--color", "never"] + Self.selection + [dockerfile])
        #expect(diff.exitCode == .findings)
        try compare(diff.standardOutput.replacingOccurrences(of: folder.path + "/", with: ""), golden: "fix.diff")
        // --diff wrote nothing.
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".dockerignore").path))

        let fixed = runTool(["fix", "--unsafe"] + Self.selection + [dockerfile])
        #expect(fixed.exitCode == .success)
        #expect(fixed.standardError.contains("DW303 wrote"))
        try compare(try String(contentsOfFile: dockerfile, encoding: .utf8), golden: "Dockerfile.context-fixed")
        let ignore = try String(contentsOf: folder.appendingPathComponent(".dockerignore"), encoding: .utf8)
        try compare(ignore, golden: "dockerignore.context-fixed")

        // Fixing twice changes nothing, and nothing is left to report.
        let again = runTool(["fix", "--unsafe", "--diff"] + Self.selection + [dockerfile])
        #expect(again.standardOutput.isEmpty)
        #expect(runTool(["lint"] + Self.selection + [dockerfile]).exitCode == .success)
    }

    @Test func standardInputNeverWritesTheIgnoreFile() throws {
        let folder = try copyOfTheApp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dockerfile = folder.appendingPathComponent("Dockerfile").path
        let text = try String(contentsOfFile: dockerfile, encoding: .utf8)
        let result = runTool(["fix", "--unsafe", "--stdin-filename", dockerfile] + Self.selection + ["-"], standardInput: text)
        #expect(result.standardError.contains("never writes other files"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".dockerignore").path))
    }

    @Test func anIgnoreFileChangedSinceTheRuleReadItIsNotOverwritten() throws {
        let folder = try copyOfTheApp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ignore = folder.appendingPathComponent(".dockerignore")
        try "*.log\n".write(to: ignore, atomically: true, encoding: .utf8)
        let dockerfile = folder.appendingPathComponent("Dockerfile").path
        // The existing file is extended, keeping its lines.
        #expect(runTool(["fix", "--unsafe"] + Self.selection + [dockerfile]).exitCode == .success)
        let text = try String(contentsOf: ignore, encoding: .utf8)
        #expect(text.hasPrefix("*.log\n# Added by dockwright fix (DW303)"))
        #expect(text.contains("\n.env\n") && text.contains("\n.git\n"))
    }
}
