import DockwrightCLI
import Foundation
import Testing

/// Standard streams carry bytes: `fix -` gives back exactly the bytes it was given
/// outside the edits, every write to standard output is checked, and `fix -`
/// honours `--check` and `--diff` as it does for files.
@Suite struct StandardStreamsTests {
    /// A comment holding every byte value but the line end, then a fixable file.
    private var everyByte: [UInt8] {
        Array("# ".utf8) + (0...255).map(UInt8.init).filter { $0 != UInt8(ascii: "\n") } + Array("\n".utf8)
            + Array("FROM debian:12\nADD a.txt /a\nRUN echo ".utf8) + [0xFF, 0xFE] + Array("\n".utf8)
    }

    private func fixed(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        let add = Array("ADD a.txt".utf8)
        var index = 0
        while index < input.count {
            if input[index...].starts(with: add) {
                output += Array("COPY a.txt".utf8)
                index += add.count
            } else {
                output.append(input[index])
                index += 1
            }
        }
        return output
    }

    @Test func fixStandardInputKeepsEveryByteInProcess() {
        let result = runToolBytes(["fix", "-"], standardInput: everyByte)
        #expect(result.exitCode == .success)
        #expect(result.output == fixed(everyByte))
    }

    @Test func fixStandardInputKeepsEveryByteThroughTheBinary() throws {
        let result = try BuiltBinary.run(["fix", "-"], input: everyByte)
        #expect(result.status == 0)
        #expect(result.standardOutput == fixed(everyByte))
    }

    @Test func invalidUTF8WithNothingToFixComesBackUnchanged() throws {
        let input = Array("FROM debian:12\nCOPY a.txt /a\nRUN echo ".utf8) + [0xFF, 0xFE, 0xC3, 0x28, 0x80] + Array("\n".utf8)
        #expect(runToolBytes(["fix", "-"], standardInput: input).output == input)
        #expect(try BuiltBinary.run(["fix", "-"], input: input).standardOutput == input)
    }

    @Test func anInvalidConfigurationGivesTheBufferBackByteForByte() throws {
        let folder = ScratchFolder.root.appendingPathComponent("dockwright-bytes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("{ bad".utf8).write(to: folder.appendingPathComponent(".dockwright.json"))
        let input = Array("FROM debian:12\nADD a /b\n# ".utf8) + [0xFF] + Array("\n".utf8)
        let result = runToolBytes(
            ["fix", "--stdin-filename", folder.appendingPathComponent("Dockerfile").path, "-"], standardInput: input)
        #expect(result.exitCode == .failure)
        #expect(result.output == input)
    }

    // MARK: - fix --check - and fix --diff -

    @Test func checkOnStandardInputExitsOneAndPrintsNoFile() {
        let result = runTool(["fix", "--check", "-"], standardInput: "FROM debian:12\nADD a.txt /a\n")
        #expect(result.exitCode == .findings)
        #expect(result.standardOutput == "would fix <stdin>\n")
        let clean = runTool(["fix", "--check", "-"], standardInput: "FROM debian:12\nCOPY a.txt /a\n")
        #expect(clean.exitCode == .success)
        #expect(clean.standardOutput.isEmpty)
    }

    @Test func diffOnStandardInputPrintsADiffAndExitsOne() {
        let result = runTool(["fix", "--diff", "-"], standardInput: "FROM debian:12\nADD a.txt /a\n")
        #expect(result.exitCode == .findings)
        #expect(result.standardOutput.contains("-ADD a.txt /a\n+COPY a.txt /a\n"))
        #expect(!result.standardOutput.contains("FROM debian:12\nCOPY"), "a diff, not the fixed file")
        let clean = runTool(["fix", "--diff", "-"], standardInput: "FROM debian:12\nCOPY a.txt /a\n")
        #expect(clean.exitCode == .success)
        #expect(clean.standardOutput.isEmpty)
    }

    @Test func diffOnStandardInputNamesTheStandardInputFileName() {
        let result = runTool(["fix", "--diff", "--stdin-filename", "app/Dockerfile", "-"],
                             standardInput: "FROM debian:12\nADD a.txt /a\n")
        #expect(result.standardOutput.contains("app/Dockerfile"))
    }

    // MARK: - Checked writes

    @Test(arguments: [
        ["fix", "-"], ["lint", "-"], ["dump", "-"], ["rules"], ["--version"],
    ])
    func aFullStandardOutputIsAnErrorNotSuccess(arguments: [String]) throws {
        let result = try BuiltBinary.run(
            arguments, input: Array("FROM debian:12\nADD a.txt /a\n".utf8), script: "exec \"$TOOL\" \"$@\" > /dev/full")
        #expect(result.status == 2)
        #expect(result.standardError.contains("dockwright: cannot write to standard output: No space left on device"))
    }

    @Test func aClosedStandardOutputIsAnErrorNotSuccess() throws {
        let result = try BuiltBinary.run(
            ["fix", "-"], input: Array("FROM debian:12\nADD a.txt /a\n".utf8), script: "exec \"$TOOL\" \"$@\" >&-")
        #expect(result.status == 2)
        #expect(result.standardError.contains("dockwright: cannot write to standard output"))
    }

    @Test func aReaderThatGoesAwayEndsTheRunQuietlyAsSIGPIPEDoes() throws {
        // `rules` prints ~80 lines; head takes one and closes the pipe.
        let result = try BuiltBinary.run(
            ["rules"], script: "\"$TOOL\" \"$@\" | head -c 1 > /dev/null; sleep 0.1; \"$TOOL\" rules --markdown | head -c 1")
        #expect(result.status == 0)
        #expect(!result.standardError.contains("cannot write"))
        #expect(result.standardOutput.count == 1)
    }

    @Test func aLargeWriteGoesOutInItsPlaceBetweenBufferedOnes() throws {
        let path = ScratchFolder.root.appendingPathComponent("dockwright-stream-\(UUID().uuidString)").path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(descriptor >= 0)
        defer { unlink(path) }
        // Larger than the stream's 64 KiB buffer, and numbered, so a lost or moved piece shows.
        let large = (0..<40_000).map { "\($0)," }.joined()
        let output = FileOutput(descriptor: descriptor)
        output.write("before ")
        output.write(large)
        output.write(bytes: [0xFF, 0x0A])
        output.write(large)
        try output.flush()
        close(descriptor)
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written == Array("before ".utf8) + Array(large.utf8) + [0xFF, 0x0A] + Array(large.utf8))
    }

    @Test func aFullDiskForTheReportFileIsAnError() throws {
        let result = try BuiltBinary.run(["lint", "-o", "/dev/full", "-"], input: Array("FROM debian:12\nADD a.txt /a\n".utf8))
        #expect(result.status == 2)
        #expect(result.standardError.contains("/dev/full: cannot write the report"))
    }
}
