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

/// A run of the built binary started with `posix_spawn`: its arguments are raw
/// bytes (a path that is not UTF-8 survives, which Foundation's `Process` cannot
/// pass), and the test sees it stop (`waitpid` with `WUNTRACED`), which `Process`
/// does not report. Standard output and error go to files beside the test's folder.
struct SpawnedBinary {
    /// How a `waitpid` status reads.
    enum WaitStatus: Equatable {
        case exited(Int32)
        case killed(by: Int32)
        case stopped(by: Int32)
    }

    let pid: pid_t
    private let outputPath: String
    private let errorPath: String

    /// Starts the binary with `arguments`, standard input from /dev/null, every
    /// signal unblocked and SIGINT, SIGTERM and SIGPIPE at their default action
    /// (the test runner's own settings are not inherited).
    static func start(_ arguments: [[UInt8]], environment: [String: String] = [:]) throws -> SpawnedBinary {
        let logs = ScratchFolder.root.appendingPathComponent("dockwright-spawn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let outputPath = logs.appendingPathComponent("stdout").path
        let errorPath = logs.appendingPathComponent("stderr").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signalNumber in [SIGINT, SIGTERM, SIGPIPE] { sigaddset(&defaults, signalNumber) }
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var variables = ProcessInfo.processInfo.environment
        for (key, value) in environment { variables[key] = value }
        let argv = ([Array(BuiltBinary.path.utf8)] + arguments).map { bytes -> UnsafeMutablePointer<CChar>? in
            let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            for (offset, byte) in bytes.enumerated() { pointer[offset] = CChar(bitPattern: byte) }
            pointer[bytes.count] = 0
            return pointer
        } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { pointer?.deallocate() }
            for pointer in envp { free(pointer) }
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, BuiltBinary.path, &actions, &attributes, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        return SpawnedBinary(pid: pid, outputPath: outputPath, errorPath: errorPath)
    }

    /// Waits until the process stops or ends (`WUNTRACED`); after 60 seconds it is
    /// killed (SIGKILL), so a hang fails the test instead of stopping the run.
    func waitForStopOrEnd() -> WaitStatus {
        var status: Int32 = 0
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let result = waitpid(pid, &status, WUNTRACED | WNOHANG)
            if result == pid { break }
            if result < 0 && errno != EINTR { return .exited(-1) }
            if ContinuousClock.now > deadline { kill(pid, SIGKILL) }
            usleep(2_000)
        }
        // The <sys/wait.h> macros, which Swift does not import.
        let low = status & 0x7F
        if low == 0 { return .exited((status >> 8) & 0xFF) }
        if low == 0x7F { return .stopped(by: (status >> 8) & 0xFF) }
        return .killed(by: low)
    }

    /// What the process wrote to standard output.
    var standardOutput: [UInt8] { (try? Array(Data(contentsOf: URL(fileURLWithPath: outputPath)))) ?? [] }
    /// What the process wrote to standard error.
    var standardError: [UInt8] { (try? Array(Data(contentsOf: URL(fileURLWithPath: errorPath)))) ?? [] }

    /// Runs the binary to its end; a run that stops is killed and reported as stopped.
    static func run(_ arguments: [[UInt8]]) throws -> (status: WaitStatus, output: [UInt8], errors: [UInt8]) {
        let child = try start(arguments)
        let status = child.waitForStopOrEnd()
        if case .stopped = status {
            kill(child.pid, SIGKILL)
            _ = child.waitForStopOrEnd()
        }
        return (status, child.standardOutput, child.standardError)
    }
}
