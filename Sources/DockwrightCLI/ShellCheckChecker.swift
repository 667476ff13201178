import DockwrightCore
import DockwrightShell
import DockwrightSyntax
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs ShellCheck on every POSIX RUN script (heredoc bodies and ONBUILD triggers
/// included) and reports its findings as `SC1234` at the Dockerfile position of the
/// word ShellCheck points at.
///
/// Like hadolint, each script is checked with the names its RUN sees (ARGs, ENVs, the
/// proxy variables BuildKit passes) exported first, so `$VERSION` from `ARG VERSION` is
/// not "referenced but not assigned" (SC2154), and with SC2187 (ash is not supported),
/// SC1090 (cannot follow a non-constant `source`) and SC1091 excluded. Scripts for shells
/// ShellCheck does not know (zsh), PowerShell and cmd are skipped. Nothing is cached.
///
/// ShellCheck's time and memory grow faster than the script (a 34 KB `&&` chain takes
/// it 30 s and 1 GB, a 5,000-command one 23 GB), so each run has budgets: scripts over
/// ``maximumScriptSize`` are not sent (a `shellcheck` finding says so), each run may
/// take ``timeLimit`` seconds (`DOCKWRIGHT_SHELLCHECK_TIMEOUT` changes it) and
/// ``memoryLimit`` bytes of address space. A run that is killed, times out, or answers
/// with something that is not its JSON report is a `shellcheck` error finding on the
/// RUN, never a silent absence of findings. `--norc` keeps a `.shellcheckrc` in the
/// current folder from changing the checks or pointing ShellCheck at other files.
struct ShellCheckChecker: ExternalChecker {
    /// The `shellcheck` executable.
    let executable: String
    /// `--select`, `--ignore` and the re-grades, which apply to SC codes too.
    let selection: RuleSelection

    /// The name that suppresses every ShellCheck finding (`# dockwright ignore=shellcheck`).
    static let name = "shellcheck"
    /// Codes left out: hadolint's (ash is not supported, a non-constant `source`), and
    /// SC1091 (a sourced file was not found), which is always true of a file in the image.
    static let excludedCodes = ["2187", "1090", "1091"]
    /// Variables BuildKit passes to RUN without an ARG (hadolint's default list).
    static let proxyVariables = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
                                 "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"]
    /// ShellCheck processes run at once for one file.
    static let parallelProcesses = 4
    /// The largest script sent to ShellCheck: 16 KiB (about 8 s and 300 MB of ShellCheck).
    static let maximumScriptSize = 16 * 1024
    /// Seconds one ShellCheck run may take before it is killed.
    static var timeLimit: Double {
        getenv("DOCKWRIGHT_SHELLCHECK_TIMEOUT").flatMap { Double(String(cString: $0)) }.map { max(0.1, $0) } ?? 60
    }
    /// The address space one ShellCheck run may use: 2 GiB.
    static let memoryLimit = 2 << 30

    /// The `shellcheck` on `PATH`, if any.
    static func locate() -> String? {
        guard let path = getenv("PATH").map({ String(cString: $0) }) else { return nil }
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = String(folder) + "/shellcheck"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    func findings(in context: RuleContext) -> [ExternalFinding] {
        var findings: [ExternalFinding] = []
        var jobs: [Job] = []
        for run in context.runAndTriggerScripts {
            guard let job = job(for: run, in: context) else { continue }
            if run.text.bytes.count > Self.maximumScriptSize {
                findings.append(notice(
                    "ShellCheck was not run on this script: it is over \(Self.maximumScriptSize / 1024) KiB, "
                        + "where ShellCheck's time and memory run away; split the RUN",
                    severity: .style, on: run))
            } else {
                jobs.append(job)
            }
        }
        let timeLimit = Self.timeLimit
        var start = 0
        while start < jobs.count {
            let batch = jobs[start..<min(start + Self.parallelProcesses, jobs.count)]
            let running = batch.map { job in
                (job, ChildProcess.start(
                    executable, arguments: job.arguments, input: job.input, memoryLimit: Self.memoryLimit))
            }
            for (job, process) in running {
                guard let process else {
                    findings.append(notice("ShellCheck could not be started on this RUN; its findings are missing",
                                           severity: .error, on: job.run))
                    continue
                }
                let outcome = process.finish(timeLimit: timeLimit)
                switch outcome {
                case .exited(let status, let output) where status <= 1:
                    if let found = self.findings(in: output, of: job) {
                        findings += found
                    } else {
                        findings.append(notice("ShellCheck's answer on this RUN was not its JSON report; "
                            + "its findings are missing", severity: .error, on: job.run))
                    }
                case .exited(let status, _):
                    findings.append(notice("ShellCheck failed on this RUN (exit status \(status)); its findings are missing",
                                           severity: .error, on: job.run))
                case .killed(let signal):
                    findings.append(notice(
                        "ShellCheck was killed (signal \(signal)) on this RUN, perhaps out of memory; its findings are missing",
                        severity: .error, on: job.run))
                case .timedOut:
                    findings.append(notice(
                        "ShellCheck took over \(Self.seconds(timeLimit)) on this RUN and was stopped; its findings are missing",
                        severity: .error, on: job.run))
                }
            }
            start += Self.parallelProcesses
        }
        return findings
    }

    /// A finding about ShellCheck itself, on the RUN's keyword, under the name
    /// `shellcheck` (so `--ignore shellcheck` and the pragma silence it too).
    private func notice(_ message: String, severity: Severity, on run: RunScript) -> ExternalFinding {
        ExternalFinding(code: Self.name, name: Self.name, severity: severity, message: message,
                        range: run.instruction.keyword.range, url: "https://www.shellcheck.net/")
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}

// MARK: - Preparing scripts

extension ShellCheckChecker {
    /// One script to check: what ShellCheck reads, and how its lines map back.
    struct Job {
        let run: RunScript
        let arguments: [String]
        let input: [UInt8]
        /// For each line of the input (0-based), the 0-based line of the script, or nil
        /// for the exported names.
        let scriptLines: [Int?]
        /// The byte offset where each script line starts.
        let lineStarts: [Int]
    }

    func job(for run: RunScript, in context: RuleContext) -> Job? {
        guard case .posix(let dialect) = run.dialect, let shell = Self.shellCheckShell(for: dialect) else { return nil }
        let bytes = run.text.bytes
        var lineStarts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { lineStarts.append(offset + 1) }
        let scope = context.stages.argScope
        var names = Set(Self.proxyVariables)
        // A trigger has no place in the stage's scope: it sees what the stage ends with.
        let environment = scope.environment(before: run.instruction) ?? scope.environment(atEndOfStage: run.stageIndex)
        if let environment {
            names.formUnion(environment.keys)
        }
        names.formUnion(scope.declaredArgumentNames(before: run.instruction) ?? [])
        let exports = names.filter(Self.isShellName).sorted().map { "export \($0)=1\n" }
        // A `#!` line must stay first, so the exports go after it.
        let keepsShebang = bytes.starts(with: Array("#!".utf8)) && lineStarts.count > 1
        var input: [UInt8] = []
        var scriptLines: [Int?] = []
        var firstScriptLine = 0
        if keepsShebang {
            input += bytes[0..<lineStarts[1]]
            scriptLines.append(0)
            firstScriptLine = 1
        }
        for line in exports {
            input += Array(line.utf8)
            scriptLines.append(nil)
        }
        let restStart = keepsShebang ? lineStarts[1] : 0
        input += bytes[restStart...]
        scriptLines += (firstScriptLine..<lineStarts.count).map { Optional($0) }
        let excluded = Self.excludedCodes.joined(separator: ",")
        // --norc: a .shellcheckrc in the current folder must not change the checks.
        let arguments = ["--norc", "--format=json1", "--shell=\(shell)", "--exclude=\(excluded)", "-"]
        return Job(run: run, arguments: arguments, input: input, scriptLines: scriptLines, lineStarts: lineStarts)
    }

    /// ShellCheck's name for a POSIX shell, or nil for one it does not check.
    static func shellCheckShell(for dialect: String) -> String? {
        switch dialect {
        case "sh", "ash", "busybox": return "sh"
        case "bash": return "bash"
        case "dash": return "dash"
        case "ksh", "mksh": return "ksh"
        default: return nil
        }
    }

    static func isShellName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar == "_" || (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)))
        }
    }
}

// MARK: - Reading findings

extension ShellCheckChecker {
    private struct Report: Decodable {
        struct Comment: Decodable {
            let line: Int
            let endLine: Int
            let column: Int
            let endColumn: Int
            let level: String
            let code: Int
            let message: String
        }
        let comments: [Comment]
    }

    /// The findings in ShellCheck's JSON report, or nil when the output is not one.
    func findings(in output: [UInt8], of job: Job) -> [ExternalFinding]? {
        guard let report = try? JSONDecoder().decode(Report.self, from: Data(output)) else { return nil }
        return report.comments.compactMap { comment in
            let code = "SC\(comment.code)"
            guard isSelected(code), let start = offset(line: comment.line, column: comment.column, in: job) else {
                return nil
            }
            let end = offset(line: comment.endLine, column: comment.endColumn, in: job).map { max($0, start) } ?? start
            return ExternalFinding(
                code: code, name: Self.name, severity: severity(of: code, level: comment.level),
                message: comment.message, range: job.run.text.sourceRange(of: start..<end),
                url: "https://www.shellcheck.net/wiki/\(code)")
        }
    }

    /// The script byte offset of ShellCheck's 1-based line and column; columns count
    /// characters (a tab is one), as its JSON output does.
    func offset(line: Int, column: Int, in job: Job) -> Int? {
        guard job.scriptLines.indices.contains(line - 1), let scriptLine = job.scriptLines[line - 1] else { return nil }
        let bytes = job.run.text.bytes
        var offset = job.lineStarts[scriptLine]
        var remaining = column - 1
        while remaining > 0, offset < bytes.count, bytes[offset] != UInt8(ascii: "\n") {
            offset += 1
            // Skip UTF-8 continuation bytes: one column per character.
            while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            remaining -= 1
        }
        return offset
    }

    /// Whether `--select`/`--ignore` (and the configuration's) let an SC code through:
    /// a selector is the code, a prefix of it (`SC2`), or `shellcheck`.
    func isSelected(_ code: String) -> Bool {
        if !selection.selected.isEmpty && !selection.selected.contains(where: { Self.matches($0, code) }) {
            return false
        }
        return !selection.ignored.contains { Self.matches($0, code) }
    }

    static func matches(_ selector: String, _ code: String) -> Bool {
        let upper = selector.uppercased()
        return selector.lowercased() == name || upper == code || (upper.count >= 2 && code.hasPrefix(upper))
    }

    /// ShellCheck's level, unless re-graded (the code itself wins over a prefix).
    func severity(of code: String, level: String) -> Severity {
        if let exact = selection.severityOverrides.first(where: { $0.key.uppercased() == code }) { return exact.value }
        if let general = selection.severityOverrides.sorted(by: { $0.key.count > $1.key.count })
            .first(where: { Self.matches($0.key, code) }) {
            return general.value
        }
        switch level {
        case "error": return .error
        case "warning": return .warning
        case "info": return .info
        default: return .style
        }
    }
}

// MARK: - Processes

/// A child process fed from a byte buffer, whose standard output is collected.
final class ChildProcess {
    private static let spawnLock = Mutex<Void>(())
    private let pid: pid_t
    private let output: Int32

    private init(pid: pid_t, output: Int32) {
        self.pid = pid
        self.output = output
    }

    /// How a child process ended.
    enum Outcome {
        /// It exited with `status`, having written `output`.
        case exited(status: Int32, output: [UInt8])
        /// A signal ended it (SIGKILL from the kernel's out-of-memory killer, say).
        case killed(signal: Int32)
        /// It ran past the time limit and was killed.
        case timedOut
    }

    /// Starts `executable` with `arguments`, writes `input` to its standard input and
    /// closes it; nil when it cannot be started. Standard error is discarded. With
    /// `memoryLimit` (bytes), the child's address space is capped (RLIMIT_AS) through
    /// `sh`'s `ulimit -v`, since Swift cannot call prlimit and posix_spawn sets no limits.
    static func start(_ executable: String, arguments: [String], input: [UInt8], memoryLimit: Int? = nil) -> ChildProcess? {
        if let memoryLimit {
            let script = "ulimit -v \(memoryLimit / 1024) 2>/dev/null; exec \"$0\" \"$@\""
            return start("/bin/sh", arguments: ["-c", script, executable] + arguments, input: input)
        }
        // A child that exits before reading everything must not kill us with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        var inputPipe: [Int32] = [-1, -1]
        var outputPipe: [Int32] = [-1, -1]
        var pid = pid_t()
        // Pipes are made close-on-exec and the child started under one lock, so a child
        // started at the same time by another thread never inherits these ends (it would
        // keep this child's input open, and each would wait for the other's).
        let started: Bool = Self.spawnLock.withLock { _ in
            guard pipe(&inputPipe) == 0 else { return false }
            guard pipe(&outputPipe) == 0 else {
                close(inputPipe[0])
                close(inputPipe[1])
                return false
            }
            for descriptor in inputPipe + outputPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
            posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            let argv = ([executable] + arguments).map { strdup($0) } + [nil]
            defer { for pointer in argv { free(pointer) } }
            let status = posix_spawn(&pid, executable, &actions, nil, argv, environ)
            close(inputPipe[0])
            close(outputPipe[1])
            if status != 0 {
                close(inputPipe[1])
                close(outputPipe[0])
            }
            return status == 0
        }
        guard started else { return nil }
        input.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let result = write(inputPipe[1], buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    break
                }
                written += result
            }
        }
        close(inputPipe[1])
        return ChildProcess(pid: pid, output: outputPipe[0])
    }

    /// Reads the whole standard output and waits for the process to exit; past
    /// `timeLimit` seconds the process is killed.
    func finish(timeLimit: Double) -> Outcome {
        var collected: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = Self.now() + timeLimit
        var hasTimedOut = false
        while true {
            let remaining = deadline - Self.now()
            var request = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ready = remaining > 0 ? poll(&request, 1, Int32(min(remaining * 1000, 60_000).rounded(.up))) : 0
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 {
                if remaining > 0 { continue }
                hasTimedOut = true
                kill(pid, SIGKILL)
                break
            }
            let count = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            collected += buffer[0..<count]
        }
        close(output)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if hasTimedOut { return .timedOut }
        // WIFSIGNALED / WTERMSIG / WEXITSTATUS, which Swift does not import as macros.
        let signal = status & 0x7F
        if signal != 0 && signal != 0x7F { return .killed(signal: signal) }
        return .exited(status: (status >> 8) & 0xFF, output: collected)
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

// MARK: - Turning it on

/// Whether ShellCheck runs for a file (`--shellcheck`, or `"shellcheck": true` in its
/// configuration), and where it is; an absent binary changes nothing but a note.
struct ShellCheckSetting {
    let isRequested: Bool
    private var executable: String??
    private var hasWarned = false

    init(isRequested: Bool) {
        self.isRequested = isRequested
    }

    /// The checkers for files using `configuration`.
    mutating func checkers(
        for configuration: Configuration, selection: RuleSelection, errors: OutputStream
    ) -> [any ExternalChecker] {
        guard isRequested || configuration.shellcheck else { return [] }
        if executable == nil { executable = .some(ShellCheckChecker.locate()) }
        guard let found = executable ?? nil else {
            if !hasWarned {
                errors.write("dockwright: shellcheck is not on PATH; RUN scripts are not checked with it\n")
                hasWarned = true
            }
            return []
        }
        return [ShellCheckChecker(executable: found, selection: selection)]
    }
}
