import DockwrightCLI
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What one run of the built binary produced, as bytes.
struct BinaryResult {
    let status: Int32
    let terminatedBySignal: Bool
    let standardOutput: [UInt8]
    let standardError: String
}

/// Runs the tool in-process with bytes on standard input; returns the exit code
/// and standard output as bytes.
func runToolBytes(_ arguments: [String], standardInput: [UInt8]) -> (exitCode: ExitCode, output: [UInt8], errors: String) {
    let output = BufferedOutput()
    let errors = BufferedOutput()
    let code = CommandLineTool.run(
        arguments: arguments, standardInput: { standardInput }, standardOutput: output, standardError: errors)
    return (code, output.bytes, errors.text)
}

/// The built `dockwright` binary and ways to run it with real streams.
enum BuiltBinary {
    /// The product built beside the test bundle.
    static var path: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("dockwright").path
    }

    /// Runs the binary with `arguments`, feeding `input`; `script`, when given, is a
    /// `sh -c` command line in which `"$TOOL"` is the binary (for redirections
    /// such as `> /dev/full` or `>&-`).
    static func run(
        _ arguments: [String] = [], input: [UInt8] = [], script: String? = nil, in folder: URL? = nil,
        environment: [String: String] = [:]
    ) throws -> BinaryResult {
        let process = Process()
        if let script {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script, "sh"] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
        }
        var variables = ProcessInfo.processInfo.environment
        variables["TOOL"] = path
        for (key, value) in environment { variables[key] = value }
        process.environment = variables
        if let folder { process.currentDirectoryURL = folder }
        let inputPipe = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = inputPipe
        process.standardOutput = output
        process.standardError = errors
        // A child that exits without reading its input (`rules`, `--version`) must not
        // end the test process with SIGPIPE; the write then fails with EPIPE instead.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        // Feed and drain on separate threads so neither pipe can fill and block.
        let writer = Thread {
            try? inputPipe.fileHandleForWriting.write(contentsOf: Data(input))
            try? inputPipe.fileHandleForWriting.close()
        }
        writer.start()
        let errorBox = DataBox()
        let reader = Thread { errorBox.data = errors.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished || !writer.isFinished { usleep(1000) }
        return BinaryResult(
            status: process.terminationStatus, terminatedBySignal: process.terminationReason == .uncaughtSignal,
            standardOutput: Array(outputData), standardError: String(decoding: errorBox.data, as: UTF8.self))
    }
}

/// Data handed from a reader thread.
final class DataBox: @unchecked Sendable {
    var data = Data()
}
