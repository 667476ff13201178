@testable import DockwrightCLI
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What `lint` and `fix` do when the machine works against them: special files
/// where Dockerfiles are expected, oversized input, a file changed while it is
/// being fixed, a signal mid-write, read-only files. None may hang, take the
/// machine's memory, or lose a write without a word.
@Suite struct FaultCLITests {
    private let bad = "FROM alpine:3.20\nADD a /b\n"
    private let good = "FROM alpine:3.20\nCOPY a /b\n"

    private func folder(_ files: [String: String] = [:]) throws -> URL {
        let root = ScratchFolder.root.appendingPathComponent("dockwright-fault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (path, content) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
        return root
    }

    private func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    /// Runs the binary under `timeout`, so a regression hangs nothing (SIGKILL, as
    /// the process may have SIGTERM blocked): 137 means it hung.
    private func runBounded(_ arguments: [String], in folder: URL? = nil) throws -> BinaryResult {
        try BuiltBinary.run(arguments, script: "exec timeout -s KILL 60 \"$TOOL\" \"$@\"", in: folder)
    }

    // MARK: - Special files

    @Test(arguments: ["lint", "fix"])
    func aFIFONamedDockerfileIsAnErrorNotAHang(command: String) throws {
        let root = try folder(["b/Dockerfile": bad])
        try FileManager.default.createDirectory(at: root.appendingPathComponent("a"), withIntermediateDirectories: true)
        #expect(mkfifo(root.appendingPathComponent("a/Dockerfile").path, 0o644) == 0)
        let result = try runBounded([command, root.path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("a/Dockerfile: cannot read: a FIFO (named pipe), not a regular file; skipped"))
        if command == "fix" {
            #expect(try text(root.appendingPathComponent("b/Dockerfile")) == good, "the other files are still fixed")
        } else {
            #expect(String(decoding: result.standardOutput, as: UTF8.self).contains("b/Dockerfile:2:1"))
        }
    }

    @Test(arguments: [".dockerignore", "Dockerfile.dockerignore"])
    func aFIFOIgnoreFileDoesNotHang(name: String) throws {
        let root = try folder(["Dockerfile": bad])
        #expect(mkfifo(root.appendingPathComponent(name).path, 0o644) == 0)
        let result = try runBounded(["lint", root.path])
        #expect(result.status == 1, "the Dockerfile is linted; the ignore file is passed over")
        #expect(String(decoding: result.standardOutput, as: UTF8.self).contains("Dockerfile:2:1"))
    }

    @Test(arguments: ["lint", "fix"])
    func aLinkToDevZeroIsAnErrorNotAMemoryBalloon(command: String) throws {
        let root = try folder(["b/Dockerfile": bad])
        try FileManager.default.createDirectory(at: root.appendingPathComponent("z"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("z/Dockerfile").path, withDestinationPath: "/dev/zero")
        let result = try runBounded([command, root.path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("z/Dockerfile: cannot read: a character device, not a regular file; skipped"))
    }

    @Test func aFileOverSixteenMebibytesIsSkippedWithAMessage() throws {
        let root = try folder(["b/Dockerfile": bad])
        let huge = root.appendingPathComponent("a/Dockerfile")
        try FileManager.default.createDirectory(at: huge.deletingLastPathComponent(), withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: huge.path, contents: Data(bad.utf8)))
        #expect(truncate(huge.path, 17 << 20) == 0)
        let lint = runTool(["lint", "-f", "gnu", root.path])
        #expect(lint.exitCode == .failure)
        #expect(lint.standardError.contains("a/Dockerfile: cannot read: larger than 16 MiB; skipped"))
        #expect(lint.standardOutput.contains("b/Dockerfile:2.1"))
    }

    @Test func endlessStandardInputIsAnErrorNotAMemoryBalloon() throws {
        let result = try BuiltBinary.run(["fix", "-"], script: "exec timeout -s KILL 60 \"$TOOL\" \"$@\" < /dev/zero")
        #expect(result.status == 2)
        #expect(result.standardError.contains("<stdin>: cannot read: larger than 16 MiB; skipped"))
        let lint = try BuiltBinary.run(["lint", "-"], script: "exec timeout -s KILL 60 \"$TOOL\" \"$@\" < /dev/zero")
        #expect(lint.status == 2)
        #expect(lint.standardError.contains("<stdin>: cannot read: larger than 16 MiB; skipped"))
    }

    // MARK: - The write race

    @Test func anAppendBetweenTheCheckAndTheRenameIsNotLost() throws {
        let root = try folder(["Dockerfile": bad])
        let file = root.appendingPathComponent("Dockerfile")
        let target = try #require(FileWriter.realPath(file.path))
        // Another program appends after the fix was computed and its temporary file
        // written: the window where the old check-then-rename lost the append.
        FaultInjection.whenWriting(target) {
            let handle = FileHandle(forWritingAtPath: target)
            handle?.seekToEndOfFile()
            handle?.write(Data("RUN echo appended\n".utf8))
            try? handle?.close()
        }
        defer { FaultInjection.remove(target) }
        let result = runTool(["fix", root.path])
        #expect(result.exitCode == .failure)
        #expect(result.standardError.contains("Dockerfile: changed on disk since it was read; not written; the file is unchanged"))
        #expect(try text(file) == bad + "RUN echo appended\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.contains(".dockwright-") }
        #expect(leftovers.isEmpty, "the temporary file is removed")
    }

    @Test func aRewriteOfTheSameSizeBetweenTheCheckAndTheRenameIsNotLost() throws {
        let root = try folder(["Dockerfile": bad])
        let file = root.appendingPathComponent("Dockerfile")
        let target = try #require(FileWriter.realPath(file.path))
        let edited = "FROM alpine:3.21\nADD a /b\n"
        FaultInjection.whenWriting(target) { try? Data(edited.utf8).write(to: URL(fileURLWithPath: target)) }
        defer { FaultInjection.remove(target) }
        #expect(runTool(["fix", root.path]).exitCode == .failure)
        #expect(try text(file) == edited)
    }

    // MARK: - Temporary files

    @Test func temporaryFilesAreNeverLintedAndStaleOnesAreRemoved() throws {
        // A run killed with SIGKILL leaves its temporary file; its process is gone.
        let stale = ".Dockerfile.dockwright-4000000.tmp"
        let root = try folder(["Dockerfile": bad, stale: "FROM alpine:3.20\nADD partial"])
        let lint = runTool(["lint", "-f", "gnu", root.path])
        #expect(!lint.standardOutput.contains(".tmp"))
        #expect(!lint.standardError.contains(".tmp"))
        #expect(runTool(["fix", root.path]).exitCode == .success)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(stale).path), "the next fix removes it")
        #expect(try text(root.appendingPathComponent("Dockerfile")) == good)
    }

    @Test func theTemporaryFileNameMatchesNoDockerfilePattern() {
        let name = URL(fileURLWithPath: FileWriter.temporaryPath(for: "/x/Dockerfile.dev")).lastPathComponent
        #expect(name.hasPrefix("."))
        #expect(!FileDiscovery.isDockerfileName(name) || FileWriter.isTemporaryName(name))
        #expect(FileWriter.isTemporaryName(name))
        #expect(!FileWriter.isTemporaryName("Dockerfile.tmp"))
    }

    @Test func aSignalMidWriteRemovesTheTemporaryFile() throws {
        let root = try folder(["Dockerfile": bad])
        let file = root.appendingPathComponent("Dockerfile")
        let target = try #require(FileWriter.realPath(file.path))
        // What the SIGINT/SIGTERM handler does to this write's temporary file, at the
        // moment it exists (a real signal would end the test process too, and
        // `removeNow()` would take the files of the other tests writing in parallel).
        FaultInjection.whenWriting(target) {
            let temporary = FileWriter.temporaryPath(for: target)
            #expect(FileManager.default.fileExists(atPath: temporary))
            #expect(PendingTemporaryFile.isRecorded(temporary), "the handler knows the file")
            unlink(temporary)
        }
        defer { FaultInjection.remove(target) }
        let result = runTool(["fix", root.path])
        #expect(result.exitCode == .failure)
        #expect(try text(file) == bad, "the old file, untouched")
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path)
        #expect(!names.contains(where: { $0.contains(".dockwright-") }), "no temporary file is left")
        // And the handler is in place for SIGINT, SIGTERM and SIGHUP.
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            #expect(sigaction(signalNumber, nil, &action) == 0)
            #expect(unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) > 1, "a handler, not SIG_DFL/SIG_IGN")
        }
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aRealSignalBetweenTheWriteAndTheRenameLeavesTheOriginalWhole(signalNumber: Int32) throws {
        let root = try folder(["Dockerfile": bad])
        let file = root.appendingPathComponent("Dockerfile")
        // The binary stops itself once the temporary file is written, flushed and the
        // original checked, just before the rename: the signal lands there, every time.
        let child = try SpawnedBinary.start(
            [Array("fix".utf8), Array(file.path.utf8)], environment: [FaultInjection.stopBeforeRenameVariable: "1"])
        try #require(child.waitForStopOrEnd() == .stopped(by: SIGSTOP), "the run stops before the rename")
        let temporary = try #require(
            try FileManager.default.contentsOfDirectory(atPath: root.path).first { FileWriter.isTemporaryName($0) },
            "the temporary file exists at the stop")
        #expect(try text(root.appendingPathComponent(temporary)) == good, "and holds the whole fixed file")
        kill(child.pid, signalNumber)
        kill(child.pid, SIGCONT)
        // Cleaned up, then ended by the signal itself (a shell shows 128 + its number).
        #expect(child.waitForStopOrEnd() == .killed(by: signalNumber))
        #expect(try Data(contentsOf: file) == Data(bad.utf8), "the original, byte for byte")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["Dockerfile"], "no temporary file is left")
        let lint = try runBounded(["lint", "-f", "gnu", root.path])
        #expect(lint.status == 1)
        #expect(String(decoding: lint.standardOutput, as: UTF8.self).contains("/Dockerfile:2.1-2.4: error"))
        #expect(!String(decoding: lint.standardOutput, as: UTF8.self).contains(".tmp"))
        #expect(!lint.standardError.contains(".tmp"))
    }

    @Test func theStopBeforeRenameHookIsInertWithoutItsVariable() throws {
        let root = try folder(["Dockerfile": bad])
        let file = root.appendingPathComponent("Dockerfile")
        let run = try SpawnedBinary.run([Array("fix".utf8), Array(file.path.utf8)])
        #expect(run.status == .exited(0))
        #expect(try text(file) == good)
    }

    @Test func aRunStartedWithSignalsBlockedCanStillBeStopped() throws {
        // Foundation's Process starts children with signals blocked; a lint waiting
        // on standard input must still stop on SIGTERM (143 = 128 + 15).
        let result = try BuiltBinary.run(
            ["lint", "-"], script: "sleep 3 2>/dev/null | \"$TOOL\" \"$@\" & pid=$!; sleep 1; kill -TERM $pid; wait $pid; echo $? >&2")
        #expect(result.standardError.contains("143"))
    }

    // MARK: - Read-only files and groups

    @Test func aReadOnlyFileIsRefusedUnlessForced() throws {
        let root = try folder(["Dockerfile": bad])
        let file = root.appendingPathComponent("Dockerfile")
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: file.path)
        let refused = runTool(["fix", root.path])
        #expect(refused.exitCode == .failure)
        #expect(refused.standardError.contains("Dockerfile: read-only; not written (use --force to replace it); the file is unchanged"))
        #expect(try text(file) == bad)
        #expect(runTool(["fix", "--force", root.path]).exitCode == .success)
        #expect(try text(file) == good)
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o444)
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to hand the file to another user"))
    func aGroupThatCannotBeKeptIsReported() throws {
        let root = try folder(["Dockerfile": bad])
        let file = root.appendingPathComponent("Dockerfile")
        let tool = root.appendingPathComponent("dockwright-tool")
        // A hard link, not a copy: see HostileInputCLITests.runUnprivileged.
        if link(BuiltBinary.path, tool.path) != 0 {
            try FileManager.default.copyItem(atPath: BuiltBinary.path, toPath: tool.path)
        }
        // The folder and file belong to nobody; the file's group is root's, which
        // nobody is not in, so nobody cannot give the new file that group.
        #expect(chown(root.path, 65534, 65534) == 0)
        #expect(chown(file.path, 65534, 0) == 0)
        let result = try BuiltBinary.run(
            [tool.path, "fix", root.path], script: "exec setpriv --reuid=65534 --regid=65534 --clear-groups \"$@\"")
        #expect(result.status == 0)
        #expect(result.standardError.contains("Dockerfile: its group 0 could not be kept"))
        #expect(try text(file) == good)
    }
}
