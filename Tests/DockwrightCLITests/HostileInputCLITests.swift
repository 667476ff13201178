import DockwrightCLI
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What `lint` and `fix` say about files built to break them: each gets a clear
/// message with its path (and line and column when the problem is inside it), the
/// exit code follows the documented contract (1 for findings, 2 for files that could
/// not be read), and the other files on the command line are still checked.
///
/// Sizes stay modest so `swift test` stays quick; scripts/bench-scale.sh runs the
/// 100 MB file and the 100,000 stages against the release build.
@Suite struct HostileInputCLITests {
    private let bad = "FROM alpine:3.20\nADD a /b\n"

    private func folder(_ files: [String: [UInt8]]) throws -> URL {
        let root = ScratchFolder.root.appendingPathComponent("dockwright-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (path, content) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content).write(to: url)
        }
        return root
    }

    private func contents(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }

    // MARK: - Encodings and line ends

    @Test func invalidUTF8IsLintedAndFixedByteForByte() throws {
        let bytes = Array("FROM alpine:3.20\nADD ".utf8) + [0xFF, 0xC3] + Array(" /b\nLABEL k=\"".utf8) + [0xFE] + Array("\"\n".utf8)
        let root = try folder(["Dockerfile": bytes])
        let file = root.appendingPathComponent("Dockerfile")
        let lint = runTool(["lint", "-f", "gnu", file.path])
        #expect(lint.exitCode == .findings)
        #expect(lint.standardOutput.contains("Dockerfile:2.1-2.4: error: Use `COPY` instead of `ADD`"))
        #expect(runTool(["fix", file.path]).exitCode == .success)
        #expect(try contents(file) == Array("FROM alpine:3.20\nCOPY ".utf8) + Array(bytes[21...]), "only the keyword changes")
    }

    @Test func aByteOrderMarkIsKeptByFixAndNotCountedAsALine() throws {
        let root = try folder(["Dockerfile": [0xEF, 0xBB, 0xBF] + Array(bad.utf8)])
        let file = root.appendingPathComponent("Dockerfile")
        #expect(runTool(["lint", "-f", "gnu", file.path]).standardOutput.contains("Dockerfile:2.1-2.4: error"))
        #expect(runTool(["fix", file.path]).exitCode == .success)
        #expect(try contents(file) == [0xEF, 0xBB, 0xBF] + Array("FROM alpine:3.20\nCOPY a /b\n".utf8))
    }

    @Test func carriageReturnOnlyLineEndsAreOneLineAsDockerReadsThem() throws {
        // BuildKit splits lines at \n only, so an old-Mac file is a single FROM.
        let text = "FROM alpine:3.20\rADD a /b\r"
        let root = try folder(["Dockerfile": Array(text.utf8)])
        let file = root.appendingPathComponent("Dockerfile")
        let lint = runTool(["lint", "-f", "gnu", file.path])
        #expect(lint.exitCode == .findings)
        #expect(lint.standardOutput.contains("Dockerfile:1.1-1.5: error: FROM requires either one or three arguments"))
        #expect(lint.standardError.contains("Dockerfile: its lines end in a lone carriage return (CR)"))
        #expect(runTool(["fix", file.path]).exitCode == .success)
        #expect(try contents(file) == Array(text.utf8), "a file Docker rejects is not fixed")
    }

    // MARK: - Binary files and NUL bytes

    @Test func aBinaryFileIsSkippedAndTheRestAreLintedAndFixed() throws {
        let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + Array(repeating: 0, count: 64)
        let root = try folder(["a/Dockerfile": Array(bad.utf8), "b/Dockerfile": elf])
        let lint = runTool(["lint", "-f", "gnu", root.path])
        #expect(lint.exitCode == .failure)
        #expect(lint.standardOutput.contains("a/Dockerfile:2.1"))
        #expect(lint.standardError.contains("b/Dockerfile: not a text file; skipped"))
        let fix = runTool(["fix", root.path])
        #expect(fix.exitCode == .failure)
        #expect(fix.standardError.contains("b/Dockerfile: not a text file; skipped"))
        #expect(try contents(root.appendingPathComponent("b/Dockerfile")) == elf)
        #expect(try String(contentsOf: root.appendingPathComponent("a/Dockerfile"), encoding: .utf8) == "FROM alpine:3.20\nCOPY a /b\n")
        // `pin` reads the files it rewrites as `fix` does (and asks no registry here).
        let pin = runTool(["pin", root.appendingPathComponent("b").path])
        #expect(pin.exitCode == .failure)
        #expect(pin.standardError.contains("b/Dockerfile: not a text file; skipped"))
        #expect(try contents(root.appendingPathComponent("b/Dockerfile")) == elf)
    }

    @Test func aNULByteInsideAnInstructionIsText() throws {
        // Only a NUL in the first 8 KiB marks a binary file, as git decides; a stray one
        // further down is linted like any other byte.
        let bytes = Array("FROM alpine:3.20\n".utf8) + Array(repeating: UInt8(ascii: "#"), count: 9_000) + [0x0A]
            + Array("RUN echo ".utf8) + [0x00] + Array("\nADD a /b\n".utf8)
        let root = try folder(["Dockerfile": bytes])
        let lint = runTool(["lint", "-f", "gnu", root.appendingPathComponent("Dockerfile").path])
        #expect(lint.exitCode == .findings)
        #expect(lint.standardOutput.contains("Dockerfile:4.1-4.4: error: Use `COPY`"))
    }

    // MARK: - Size and depth

    @Test func aOneMegabyteLineIsAPositionedErrorAndTheNextFileIsLinted() throws {
        let long = "FROM alpine:3.20\nRUN echo " + String(repeating: "x", count: 1 << 20) + "\nRUN next\n"
        let root = try folder(["a/Dockerfile": Array(long.utf8), "b/Dockerfile": Array(bad.utf8)])
        let lint = runTool(["lint", "-f", "gnu", root.path])
        #expect(lint.exitCode == .findings)
        #expect(lint.standardOutput.contains(
            "a/Dockerfile:2.1-2.1048586: error: dockerfile line greater than max allowed size of 65535 [DL1000]"))
        #expect(lint.standardOutput.contains("b/Dockerfile:2.1-2.4: error"))
    }

    @Test func manyStagesLintAndFixInLinearTime() throws {
        // 5,000 stages of a FROM, an ADD and two RUNs to merge, two fixes a stage;
        // scripts/bench-scale.sh runs 100,000 on the release build.
        var text = ""
        for index in 0..<5_000 { text += "FROM alpine:3.20 AS s\(index)\nADD a /b\nRUN echo \(index)\nRUN true\n" }
        let root = try folder(["Dockerfile": Array(text.utf8)])
        let file = root.appendingPathComponent("Dockerfile")
        let started = ContinuousClock.now
        let lint = runTool(["lint", "-f", "gnu", file.path])
        #expect(lint.exitCode == .findings)
        #expect(lint.standardOutput.contains("Dockerfile:20000.1-20000.4: note: Merge consecutive `RUN` instructions"))
        #expect(runTool(["fix", file.path]).exitCode == .success)
        let fixed = try String(contentsOf: file, encoding: .utf8)
        #expect(fixed.hasSuffix("FROM alpine:3.20 AS s4999\nCOPY a /b\nRUN echo 4999 && \\\n    true\n"))
        // Generous for a debug build on a busy machine; the quadratic lookups this
        // once had took minutes here.
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func tenThousandNestedExpansionsDoNotExhaustTheStack() throws {
        let nested = String(repeating: "${a:-", count: 10_000) + "x" + String(repeating: "}", count: 10_000)
        let text = "ARG a\nFROM \(nested)\nENV B=\(nested)\nWORKDIR \(nested)\nRUN echo \(nested)\nADD a /b\n"
        let root = try folder(["Dockerfile": Array(text.utf8)])
        let file = root.appendingPathComponent("Dockerfile")
        let lint = runTool(["lint", "-f", "gnu", file.path])
        #expect(lint.exitCode == .findings)
        #expect(lint.standardOutput.contains("Dockerfile:6.1-6.4: error: Use `COPY`"))
        #expect(runTool(["fix", file.path]).exitCode == .success)
        #expect(try String(contentsOf: file, encoding: .utf8).hasSuffix("\nCOPY a /b\n"))
    }

    // MARK: - Unterminated constructs

    @Test func anUnterminatedHeredocIsAPositionedError() throws {
        let root = try folder(["Dockerfile": Array("FROM alpine:3.20\nRUN <<EOF\necho hi\n".utf8)])
        let lint = runTool(["lint", "-f", "gnu", root.appendingPathComponent("Dockerfile").path])
        #expect(lint.exitCode == .findings)
        #expect(lint.standardOutput.contains("Dockerfile:2.5-2.10: error: unterminated heredoc: no line holding only `EOF` ends it"))
    }

    @Test func anUnterminatedJSONArrayIsShellFormAsInDocker() throws {
        // BuildKit runs `["a", "b"` through the shell; the rest of the file still counts.
        let root = try folder(["Dockerfile": Array("FROM alpine:3.20\nCMD [\"a\", \"b\"\nADD a /b\n".utf8)])
        let lint = runTool(["lint", "-f", "gnu", root.appendingPathComponent("Dockerfile").path])
        #expect(lint.exitCode == .findings)
        #expect(lint.standardOutput.contains("Dockerfile:3.1-3.4: error: Use `COPY`"))
    }

    // MARK: - Paths that are not readable files

    @Test func aMissingPathIsAnIOErrorAndTheRestAreChecked() throws {
        let root = try folder(["Dockerfile": Array(bad.utf8)])
        let missing = root.appendingPathComponent("nope/Dockerfile").path
        let lint = runTool(["lint", "-f", "gnu", missing, root.path])
        #expect(lint.exitCode == .failure)
        #expect(lint.standardError.contains("nope/Dockerfile: cannot read: No such file or directory"))
        #expect(lint.standardOutput.contains("/Dockerfile:2.1-2.4: error"))
        let fix = runTool(["fix", missing, root.path])
        #expect(fix.exitCode == .failure)
        #expect(fix.standardError.contains("nope/Dockerfile: cannot read: No such file or directory"))
        #expect(try String(contentsOf: root.appendingPathComponent("Dockerfile"), encoding: .utf8).contains("COPY a /b"))
    }

    @Test func aDirectoryWhereAFileIsExpectedIsAnIOError() throws {
        // A folder given on the command line is searched; a link named like a
        // Dockerfile that points at a folder cannot be read as one.
        let root = try folder(["real/x": [], "Containerfile": Array(bad.utf8)])
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("Dockerfile"), withDestinationURL: root.appendingPathComponent("real"))
        let lint = runTool(["lint", "-f", "gnu", root.path])
        #expect(lint.exitCode == .failure)
        #expect(lint.standardError.contains("/Dockerfile: cannot read: is a directory"))
        #expect(lint.standardOutput.contains("Containerfile:2.1-2.4: error"))
        let fix = runTool(["fix", root.path])
        #expect(fix.exitCode == .failure)
        #expect(fix.standardError.contains("/Dockerfile: cannot read: is a directory"))
    }

    @Test func unreadableFilesAndFoldersAreIOErrorsAndTheRestAreChecked() throws {
        let root = try folder(["ok/Dockerfile": Array(bad.utf8), "locked/Dockerfile": Array(bad.utf8),
                               "sealed/inner/Dockerfile": Array(bad.utf8)])
        for path in ["", "locked", "sealed", "sealed/inner"] {
            chmod(root.appendingPathComponent(path).path, 0o755)
        }
        // fix writes a temporary file beside the one it replaces.
        chmod(root.appendingPathComponent("ok").path, 0o777)
        chmod(root.appendingPathComponent("ok/Dockerfile").path, 0o666)
        chmod(root.appendingPathComponent("locked/Dockerfile").path, 0o000)
        chmod(root.appendingPathComponent("sealed").path, 0o000)
        let lint = try runUnprivileged(["lint", "-f", "gnu", root.path], in: root)
        #expect(lint.exitCode == ExitCode.failure.rawValue)
        #expect(lint.standardError.contains("locked/Dockerfile: cannot read: Permission denied"))
        #expect(lint.standardError.contains("sealed: cannot read: Permission denied"))
        #expect(lint.standardOutput.contains("ok/Dockerfile:2.1-2.4: error"))
        let fix = try runUnprivileged(["fix", root.path], in: root)
        #expect(fix.exitCode == ExitCode.failure.rawValue)
        #expect(fix.standardError.contains("locked/Dockerfile: cannot read: Permission denied"))
        #expect(try String(contentsOf: root.appendingPathComponent("ok/Dockerfile"), encoding: .utf8) == "FROM alpine:3.20\nCOPY a /b\n")
    }

    /// Runs the tool as a user the permission bits apply to. Root reads everything,
    /// and tests and CI run as root, so there the built binary runs as `nobody`
    /// through util-linux's setpriv; otherwise in-process, as this user.
    private func runUnprivileged(_ arguments: [String], in folder: URL) throws -> (exitCode: Int32, standardOutput: String,
                                                                                   standardError: String) {
        guard geteuid() == 0 else {
            let result = runTool(arguments)
            return (result.exitCode.rawValue, result.standardOutput, result.standardError)
        }
        // A copy the other user can surely execute, whatever the checkout's folder modes.
        let built = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("dockwright")
        let tool = folder.appendingPathComponent("dockwright-tool")
        // A hard link never opens the executable for writing: a copy's open descriptor,
        // inherited by a process another test forks at that moment, makes exec fail with
        // "Text file busy". The copy is the fallback across file systems.
        if !FileManager.default.fileExists(atPath: tool.path), link(built.path, tool.path) != 0 {
            try FileManager.default.copyItem(at: built, to: tool)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", tool.path] + arguments
        process.currentDirectoryURL = folder
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }
}
