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

/// A Docker credential helper, `docker-credential-<name>`, found on `PATH` and run as
/// `docker-credential-<name> get` with the server URL on standard input; it answers
/// `{"ServerURL": …, "Username": …, "Secret": …}` (docker/docker-credential-helpers).
struct CredentialHelper {
    /// The part after `docker-credential-`, e.g. `desktop`, `pass`, `ecr-login`.
    let name: String
    /// Where `PATH` comes from; also the helper's whole environment.
    let environment: [String: String]
    /// Seconds to wait for an answer.
    let timeout: Int

    private struct Answer: Decodable {
        var Username: String?
        var Secret: String?
    }

    /// The helper's credential, nil when it has none for `serverURL`.
    func get(serverURL: String) throws(CredentialError) -> RegistryCredential? {
        let program = "docker-credential-" + name
        guard let executable = locate(program) else {
            throw CredentialError(reason: "credential helper \(program) (named in config.json) is not on PATH")
        }
        let result: (status: Int32, output: [UInt8])
        do {
            result = try run(executable, input: Array(serverURL.utf8))
        } catch {
            throw CredentialError(reason: "credential helper \(program): \(error.reason)")
        }
        let text = String(decoding: result.output, as: UTF8.self)
        guard result.status == 0 else {
            // The helpers' own wording for "nothing stored" (credentials.errCredentialsNotFound).
            if text.contains("credentials not found") { return nil }
            let firstLine = text.split(separator: "\n").first.map(String.init) ?? "no output"
            throw CredentialError(reason: "credential helper \(program) failed (exit \(result.status)): \(firstLine)")
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(result.output)) else {
            throw CredentialError(reason: "credential helper \(program) answered something that is not JSON credentials")
        }
        guard let secret = answer.Secret, !secret.isEmpty else { return nil }
        // A `<token>` user marks an identity (refresh) token, as docker/cli reads it.
        if answer.Username == "<token>" { return .identityToken(secret) }
        return .basic(username: answer.Username ?? "", password: secret)
    }

    private func locate(_ program: String) -> String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = folder + "/" + program
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    private struct RunFailure: Error { let reason: String }

    /// Runs the helper with `get`, feeding `input`; its standard error is discarded, and
    /// it is killed when it takes longer than the timeout (a locked keychain may prompt).
    private func run(_ executable: String, input: [UInt8]) throws(RunFailure) -> (status: Int32, output: [UInt8]) {
        signal(SIGPIPE, SIG_IGN)
        var inputPipe: [Int32] = [-1, -1]
        var outputPipe: [Int32] = [-1, -1]
        guard pipe(&inputPipe) == 0 else { throw RunFailure(reason: "cannot create a pipe") }
        guard pipe(&outputPipe) == 0 else {
            close(inputPipe[0])
            close(inputPipe[1])
            throw RunFailure(reason: "cannot create a pipe")
        }
        for descriptor in inputPipe + outputPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(executable), strdup("get"), nil]
        let environmentList: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0.key + "=" + $0.value) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in environmentList { free(pointer) }
        }
        var pid = pid_t()
        let status = posix_spawn(&pid, executable, &actions, nil, argv, environmentList)
        close(inputPipe[0])
        close(outputPipe[1])
        guard status == 0 else {
            close(inputPipe[1])
            close(outputPipe[0])
            throw RunFailure(reason: String(cString: strerror(status)))
        }
        _ = input.withUnsafeBytes { write(inputPipe[1], $0.baseAddress, $0.count) }
        close(inputPipe[1])
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var poller = pollfd(fd: outputPipe[0], events: Int16(POLLIN), revents: 0)
        var timedOut = false
        while true {
            let ready = poll(&poller, 1, Int32(timeout * 1000))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else {
                timedOut = true
                break
            }
            let count = buffer.withUnsafeMutableBytes { read(outputPipe[0], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0, output.count < 1 << 20 else { break }
            output += buffer[0..<count]
        }
        close(outputPipe[0])
        if timedOut { kill(pid, SIGKILL) }
        var exitStatus: Int32 = 0
        while waitpid(pid, &exitStatus, 0) < 0 && errno == EINTR {}
        if timedOut { throw RunFailure(reason: "no answer within \(timeout) s") }
        // WEXITSTATUS, spelled out: the macro is not imported into Swift.
        let code = (exitStatus & 0x7f) == 0 ? (exitStatus >> 8) & 0xff : 128 + (exitStatus & 0x7f)
        return (code, output)
    }
}

/// Small file reads for configuration files.
enum FileSystem {
    /// The file's bytes, or nil when it cannot be read.
    static func read(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { return bytes }
            bytes += buffer[0..<count]
        }
    }

    /// The `.crt` files in a folder (Docker's `certs.d/<host:port>/` layout).
    static func certificateFiles(in folder: String) -> [String] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var files: [String] = []
        while let entry = readdir(directory) {
            // Read in place: an entry is only as long as its name (see RawPath.name(of:)
            // in the command-line target), so a copy of the whole struct reads past it.
            let name = withUnsafeMutablePointer(to: &entry.pointee.d_name) { name in
                String(cString: UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self))
            }
            if name.hasSuffix(".crt") { files.append(folder + "/" + name) }
        }
        return files.sorted()
    }
}
