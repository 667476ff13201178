#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command reads and writes; tests pass buffers, `main` passes the real streams.
///
/// Streams carry bytes: a fixed Dockerfile goes out exactly as it was computed,
/// invalid UTF-8 included. Only diagnostics text is a `String`, written as UTF-8.
public protocol OutputStream: AnyObject {
    /// Writes bytes as they are.
    func write(bytes: UnsafeBufferPointer<UInt8>)
}

extension OutputStream {
    /// Writes bytes as they are.
    public func write(bytes: [UInt8]) { bytes.withUnsafeBufferPointer { write(bytes: $0) } }

    /// Writes text as UTF-8, from the string's own storage: a report of many findings
    /// is one string as large as the findings, never copied to be written.
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { write(bytes: $0) }
    }
}

/// Bytes collected in memory, for tests.
public final class BufferedOutput: OutputStream {
    /// Everything written so far.
    public private(set) var bytes: [UInt8] = []

    /// Everything written so far, decoded as UTF-8 (invalid bytes become U+FFFD).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Creates an empty buffer.
    public init() {}

    public func write(bytes: UnsafeBufferPointer<UInt8>) { self.bytes += bytes }
}

/// A failed write to a file descriptor, with the reason `strerror` gives.
public struct WriteError: Error, Sendable {
    /// The `errno` of the failed write.
    public let code: Int32
    /// The reason, worded for a one-line error message.
    public var reason: String { String(cString: strerror(code)) }
    /// Whether the reader went away (a closed pipe, as with `| head`).
    public var isBrokenPipe: Bool { code == EPIPE }
}

/// A file descriptor (standard output, standard error, a report file, or the
/// language server's channel), written through a buffer, where every write is
/// checked: a full disk, a closed descriptor or a short write is remembered and
/// reported by ``flush()`` and ``close()``, never passed over as success.
public final class FileOutput: OutputStream {
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    /// The first failure; once set, later writes are dropped.
    public private(set) var failure: WriteError?

    /// Writes to an open descriptor; the caller keeps ownership of it.
    public init(descriptor: Int32) { self.descriptor = descriptor }

    /// Creates or truncates a file to write to (for `--output`); nil when it cannot be opened.
    convenience init?(creating path: String) {
        let descriptor = RawPath.withCString(path) { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        guard descriptor >= 0 else { return nil }
        self.init(descriptor: descriptor)
    }

    deinit { _ = try? flush() }

    public func write(bytes: UnsafeBufferPointer<UInt8>) {
        guard failure == nil else { return }
        guard bytes.count < Self.bufferSize else {
            // A large write goes out as it is, after what is buffered, so the buffer
            // stays small and the bytes are not copied into it.
            _ = try? flush()
            guard failure == nil else { return }
            do {
                try Self.writeAll(bytes, to: descriptor)
            } catch {
                failure = error
            }
            return
        }
        buffer += bytes
        if buffer.count >= Self.bufferSize { _ = try? flush() }
    }

    /// How many bytes are gathered before a write: few system calls for a report of
    /// many short lines.
    private static let bufferSize = 64 * 1024

    /// Writes out everything buffered; throws the first failure of this stream.
    public func flush() throws(WriteError) {
        if failure == nil, !buffer.isEmpty {
            do {
                try buffer.withUnsafeBufferPointer { bytes throws(WriteError) in try Self.writeAll(bytes, to: descriptor) }
            } catch {
                failure = error
            }
        }
        buffer.removeAll(keepingCapacity: true)
        if let failure { throw failure }
    }

    /// Flushes and closes a file opened with `init(creating:)`; whether every byte was written.
    func close() -> Bool {
        let isFlushed = (try? flush()) != nil
        let isClosed = Glibc.close(descriptor) == 0
        descriptor = -1
        return isClosed && isFlushed
    }

    /// Writes every byte to `descriptor`, retrying short and interrupted writes;
    /// throws on the first write that fails or writes nothing.
    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(WriteError) {
        try bytes.withUnsafeBufferPointer { bytes throws(WriteError) in try writeAll(bytes, to: descriptor) }
    }

    /// ``writeAll(_:to:)-([UInt8],_)`` of bytes in memory the caller owns.
    static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to descriptor: Int32) throws(WriteError) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw WriteError(code: written < 0 ? errno : ENOSPC) }
            offset += written
        }
    }
}

/// The process's standard streams, checked when the process starts and when it ends.
enum StandardStreams {
    /// Makes sure descriptors 0, 1 and 2 are open, so no file opened later takes
    /// the place of a closed one (a fixed file's temporary copy on descriptor 1
    /// would receive the report).
    static func reserve() {
        for descriptor in Int32(0)...2 where fcntl(descriptor, F_GETFD) < 0 && errno == EBADF {
            // open() takes the lowest free descriptor, which is this one. Read-only,
            // so a write to a closed standard output fails (EBADF) instead of vanishing.
            _ = open("/dev/null", O_RDONLY)
        }
    }

    /// Unblocks the signals that end a run (Ctrl-C, `kill`, a hang-up, a closed
    /// pipe): a parent may start us with them blocked (Foundation's `Process` does),
    /// and a blocked SIGTERM makes a run that only SIGKILL can stop.
    static func unblockTerminatingSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&signals, signalNumber) }
        sigprocmask(SIG_UNBLOCK, &signals, nil)
    }

    /// Flushes standard output at exit: a failed write turns any exit code into 2
    /// with a message, since an editor would otherwise take an empty buffer as the
    /// fixed file. A reader that went away (`| head`) ends the process as SIGPIPE
    /// always did, without a message.
    static func finish(output: FileOutput, errors: FileOutput, code: ExitCode) -> Int32 {
        var status = code.rawValue
        do {
            try output.flush()
        } catch {
            if error.isBrokenPipe {
                _ = try? errors.flush()
                signal(SIGPIPE, SIG_DFL)
                raise(SIGPIPE)
            }
            errors.write("dockwright: cannot write to standard output: \(error.reason)\n")
            status = ExitCode.failure.rawValue
        }
        _ = try? errors.flush()
        return status
    }
}
