#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command reads and writes; tests pass buffers, `main` passes the real streams.
public protocol OutputStream: AnyObject {
    /// Writes text as UTF-8.
    func write(_ text: String)
}

/// Text collected in memory, for tests.
public final class BufferedOutput: OutputStream {
    /// Everything written so far.
    public private(set) var text = ""

    /// Creates an empty buffer.
    public init() {}

    public func write(_ text: String) { self.text += text }
}

/// A file descriptor (standard output, standard error or a report file), written
/// through a buffer.
final class FileOutput: OutputStream {
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var hasFailed = false

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// Creates or truncates a file to write to (for `--output`); nil when it cannot be opened.
    convenience init?(creating path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { return nil }
        self.init(descriptor: descriptor)
    }

    deinit { flush() }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 64 * 1024 { flush() }
    }

    /// Writes out everything buffered, retrying short writes.
    func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written <= 0 {
                if written < 0 && errno == EINTR { continue }
                hasFailed = true
                break
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes a file opened with `init(creating:)`; whether every byte was written.
    func close() -> Bool {
        flush()
        let isClosed = Glibc.close(descriptor) == 0
        descriptor = -1
        return isClosed && !hasFailed
    }
}

/// Reads files and standard input as raw bytes.
enum FileReader {
    /// A reason a file could not be read, worded for a one-line error message.
    struct ReadError: Error {
        let reason: String
    }

    static func read(path: String) throws(ReadError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw ReadError(reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
            throw ReadError(reason: "is a directory")
        }
        return try readAll(descriptor)
    }

    /// Whether bytes look like a binary file: a NUL byte in the first 8 KiB, as git decides.
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        bytes.prefix(8192).contains(0)
    }

    /// A warning for a file whose lines end in a lone CR (classic Mac OS): BuildKit
    /// splits lines at LF only and reads such a file as a single line, which makes
    /// its errors hard to place. Nil for any other file.
    static func lineEndNote(_ bytes: [UInt8]) -> String? {
        guard bytes.contains(UInt8(ascii: "\r")), !bytes.contains(UInt8(ascii: "\n")) else { return nil }
        return "its lines end in a lone carriage return (CR), and Docker reads it as a single line; use LF or CRLF"
    }

    /// The paths listed one per line on standard input, for the `--batch` modes
    /// that check a whole corpus in one process; nil, with the reason reported on
    /// `errors`, when standard input cannot be read.
    static func pathList(_ standardInput: () throws -> [UInt8], reportingTo errors: OutputStream) -> [String]? {
        let list: [UInt8]
        do {
            list = try standardInput()
        } catch {
            errors.write("<stdin>: cannot read: \((error as? ReadError)?.reason ?? "\(error)")\n")
            return nil
        }
        return list.split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }.map { String(decoding: $0, as: UTF8.self) }
    }

    static func readStandardInput() throws(ReadError) -> [UInt8] {
        try readAll(STDIN_FILENO)
    }

    private static func readAll(_ descriptor: Int32) throws(ReadError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }
}

/// Writes files safely: a temporary file in the same folder, flushed to disk, then
/// renamed over the original, keeping its permission bits.
enum FileWriter {
    /// Why a fixed file was not written.
    struct WriteFailure: Error {
        let reason: String
    }

    /// Replaces the file at `path` (through a symbolic link, its target) with `bytes`,
    /// unless its content is no longer `original`, what the fix was computed from.
    /// The temporary file gets the original's permission bits and owner; the rename
    /// is atomic, so a reader sees the old file or the new one, never a mix.
    static func replace(path: String, with bytes: [UInt8], expecting original: [UInt8]) throws(WriteFailure) {
        guard let target = realPath(path) else {
            throw WriteFailure(reason: "cannot resolve the path: \(String(cString: strerror(errno)))")
        }
        var status = stat()
        guard stat(target, &status) == 0 else { throw WriteFailure(reason: String(cString: strerror(errno))) }
        // Another program (an editor, a formatter) may have saved since we read it.
        guard let current = try? FileReader.read(path: target), current == original else {
            throw WriteFailure(reason: "changed on disk since it was read; not written")
        }
        let temporary = target + ".dockwright-\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw WriteFailure(reason: "cannot create a temporary file beside it: \(String(cString: strerror(errno)))")
        }
        func abandon(_ reason: String) -> WriteFailure {
            close(descriptor)
            unlink(temporary)
            return WriteFailure(reason: reason)
        }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw abandon("cannot write: \(String(cString: strerror(errno)))") }
            offset += written
        }
        // Set the mode explicitly: open()'s mode is filtered by the umask.
        _ = fchown(descriptor, status.st_uid, status.st_gid)
        guard fchmod(descriptor, status.st_mode & 0o7777) == 0 else { throw abandon("cannot set permissions") }
        guard fsync(descriptor) == 0 else { throw abandon("cannot flush to disk: \(String(cString: strerror(errno)))") }
        guard close(descriptor) == 0, rename(temporary, target) == 0 else {
            unlink(temporary)
            throw WriteFailure(reason: "cannot replace the file: \(String(cString: strerror(errno)))")
        }
    }

    /// The path with every symbolic link resolved, or nil when it cannot be.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether `path` itself is a symbolic link.
    static func isSymbolicLink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFLNK
    }
}
