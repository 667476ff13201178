import DockwrightCLI
import Foundation
import Testing

@Suite struct FixCommandTests {
    private let dockerfile = "FROM alpine:3.20\r\n# keep this comment\r\nADD app.py /app/\r\n"

    private func temporaryFolder() throws -> URL {
        let url = ScratchFolder.root.appendingPathComponent("dockwright-fix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func standardInputGivesOnlyTheFixedFile() {
        let result = runTool(["fix", "-"], standardInput: dockerfile)
        #expect(result.exitCode == .success)
        #expect(result.standardOutput == "FROM alpine:3.20\r\n# keep this comment\r\nCOPY app.py /app/\r\n")
        #expect(result.standardError.isEmpty)
    }

    @Test func batchRecordsSayHowSafeEachAppliedFixIs() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("Dockerfile")
        try dockerfile.write(to: file, atomically: true, encoding: .utf8)
        let result = runTool(["fix", "--batch"], standardInput: file.path + "\n")
        #expect(result.standardOutput.contains(
            "\"applied\": [{\"code\": \"DL3020\", \"title\": \"Replace `ADD` with `COPY`\", \"applicability\": \"safe\"}]"))
        #expect(try String(contentsOf: file, encoding: .utf8) == dockerfile, "--batch reports, it does not write")
    }

    @Test func showRemainingPrintsFindingsToStandardError() {
        let result = runTool(["fix", "--show-remaining", "--stdin-filename", "api/Dockerfile", "-"], standardInput: "FROM python\nADD a /b\n")
        #expect(result.standardOutput == "FROM python\nCOPY a /b\n")
        #expect(result.standardError.contains("api/Dockerfile:1:6: warning [DL3006]"))
    }

    @Test func fixInPlaceKeepsPermissionsAndLineEnds() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("Dockerfile")
        try dockerfile.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file.path)
        #expect(runTool(["fix", "--check", folder.path]).exitCode == .findings)
        let diff = runTool(["fix", "--diff", file.path])
        #expect(diff.exitCode == .findings)
        #expect(diff.standardOutput.contains("-ADD app.py /app/\r\n+COPY app.py /app/\r\n"))
        #expect(try String(contentsOf: file, encoding: .utf8) == dockerfile, "--check and --diff write nothing")
        #expect(runTool(["fix", folder.path]).exitCode == .success)
        #expect(try String(contentsOf: file, encoding: .utf8) == "FROM alpine:3.20\r\n# keep this comment\r\nCOPY app.py /app/\r\n")
        let permissions = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(permissions == 0o640)
        #expect(runTool(["fix", "--check", folder.path]).exitCode == .success)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(leftovers == ["Dockerfile"], "no temporary file is left behind")
    }

    @Test func anInvalidConfigurationGivesTheBufferBackAndExitsTwo() throws {
        let folder = try temporaryFolder()
        try "{\"bogus\": 1}".write(to: folder.appendingPathComponent(".dockwright.json"), atomically: true, encoding: .utf8)
        let result = runTool(["fix", "--stdin-filename", folder.appendingPathComponent("Dockerfile").path, "-"], standardInput: dockerfile)
        #expect(result.exitCode == .failure)
        #expect(result.standardOutput == dockerfile)
        #expect(result.standardError.contains(".dockwright.json:1: invalid configuration: unknown key 'bogus'"))
    }

    @Test func unknownOptionsAreUsageErrors() {
        #expect(runTool(["fix", "--unsafely"]).exitCode == .failure)
        #expect(runTool(["fix", "--help"]).standardOutput.contains("--unsafe"))
    }
}
