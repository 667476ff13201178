@testable import DockwrightCLI
import Foundation
import Testing

/// What `dockwright fix` promises when it writes: atomic replacement, kept
/// permissions, no write over a file that changed since it was read, and no
/// silent trip through a symbolic link out of the tree.
@Suite struct SafeWriteTests {
    private let before = "FROM alpine:3.20\nADD a /b\n"
    private let after = "FROM alpine:3.20\nCOPY a /b\n"

    private func temporaryFolder() throws -> URL {
        let url = ScratchFolder.root.appendingPathComponent("dockwright-write-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func aFileChangedSinceItWasReadIsNotOverwritten() throws {
        let file = try temporaryFolder().appendingPathComponent("Dockerfile")
        try "FROM alpine:3.20\nADD edited /b\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: FileWriter.WriteFailure.self) {
            try FileWriter.replace(path: file.path, with: Array(after.utf8), expecting: Array(before.utf8))
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "FROM alpine:3.20\nADD edited /b\n")
    }

    @Test func permissionBitsSurviveTheUmask() throws {
        let file = try temporaryFolder().appendingPathComponent("Dockerfile")
        try before.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o664], ofItemAtPath: file.path)
        try FileWriter.replace(path: file.path, with: Array(after.utf8), expecting: Array(before.utf8))
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o664)
        #expect(try String(contentsOf: file, encoding: .utf8) == after)
    }

    @Test func aLinkInsideTheTreeFixesItsTargetAndSaysSo() throws {
        let root = try temporaryFolder()
        let real = root.appendingPathComponent("real/Dockerfile")
        try FileManager.default.createDirectory(at: real.deletingLastPathComponent(), withIntermediateDirectories: true)
        try before.write(to: real, atomically: true, encoding: .utf8)
        let link = root.appendingPathComponent("app/Dockerfile")
        try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
        let result = runTool(["fix", root.path])
        #expect(result.exitCode == .success)
        #expect(result.standardError.contains("a symbolic link; fixed its target"))
        #expect(try String(contentsOf: real, encoding: .utf8) == after)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == real.path, "the link stays a link")
    }

    @Test func aLinkOutOfTheTreeIsLeftAlone() throws {
        let outside = try temporaryFolder().appendingPathComponent("Dockerfile")
        try before.write(to: outside, atomically: true, encoding: .utf8)
        let root = try temporaryFolder()
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("Dockerfile"), withDestinationURL: outside)
        try before.write(to: root.appendingPathComponent("Containerfile"), atomically: true, encoding: .utf8)
        let result = runTool(["fix", root.path])
        #expect(result.exitCode == .failure)
        #expect(result.standardError.contains("outside \(root.path); not written; the file is unchanged"))
        #expect(try String(contentsOf: outside, encoding: .utf8) == before)
        // The failure in one file leaves the others fixed.
        #expect(try String(contentsOf: root.appendingPathComponent("Containerfile"), encoding: .utf8) == after)
    }
}
