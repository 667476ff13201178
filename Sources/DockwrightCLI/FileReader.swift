#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads files and standard input as raw bytes, never blocking on a special file
/// and never reading more than ``maximumSize``.
enum FileReader {
    /// A reason a file could not be read, worded for a one-line error message.
    struct ReadError: Error {
        let reason: String
    }

    /// The largest Dockerfile, ignore file or configuration file read: 16 MiB. The
    /// largest real Dockerfiles are a few hundred KiB, and BuildKit rejects lines
    /// over 64 KiB, so anything bigger is a mistake (a log, an image, `/dev/zero`)
    /// that must not take the machine's memory.
    static let maximumSize = 16 << 20

    /// Which file was read, and in which state: device and inode, size and
    /// modification time, compared again just before a fixed file replaces it.
    struct Identity: Equatable {
        let device: UInt64
        let inode: UInt64
        let size: Int64
        let modificationSeconds: Int
        let modificationNanoseconds: Int

        init(_ status: stat) {
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
            size = Int64(status.st_size)
            modificationSeconds = status.st_mtim.tv_sec
            modificationNanoseconds = status.st_mtim.tv_nsec
        }
    }

    /// Reads a regular file. A FIFO, a device, a socket or a folder is an error
    /// (opened without blocking, then checked, so a FIFO with no writer cannot
    /// hang the run), and so is a file larger than ``maximumSize``.
    static func read(path: String) throws(ReadError) -> [UInt8] {
        try readWithIdentity(path: path).bytes
    }

    /// Reads a Dockerfile that a command may rewrite, with its identity for the final
    /// check before the rename; nil after saying on `errors` why it cannot be used
    /// (unreadable, or not text). `fix` and `pin` read the files they write through here.
    static func readForRewrite(path: String, errors: OutputStream) -> (bytes: [UInt8], identity: Identity)? {
        let read: (bytes: [UInt8], identity: Identity)
        do {
            read = try readWithIdentity(path: path)
        } catch {
            errors.write("\(RawPath.display(path)): cannot read: \(error.reason)\n")
            return nil
        }
        guard !looksBinary(read.bytes) else {
            errors.write("\(RawPath.display(path)): not a text file; skipped\n")
            return nil
        }
        return read
    }

    /// Reads a regular file, with the identity it had when it was read.
    static func readWithIdentity(path: String) throws(ReadError) -> (bytes: [UInt8], identity: Identity) {
        // O_NONBLOCK makes opening a FIFO return at once instead of waiting for a
        // writer; O_NOCTTY keeps a terminal device from becoming ours.
        let descriptor = RawPath.withCString(path) { open($0, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw ReadError(reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ReadError(reason: String(cString: strerror(errno))) }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw ReadError(reason: "is a directory") }
        if let kind = specialKind(status.st_mode) { throw ReadError(reason: "\(kind), not a regular file; skipped") }
        guard status.st_size <= maximumSize else { throw ReadError(reason: tooLarge) }
        let bytes = try readAll(descriptor, limit: maximumSize, expectedSize: Int(status.st_size))
        return (bytes, Identity(status))
    }

    /// The identity of the file at `path` now, or nil when it cannot be read.
    static func identity(path: String) -> Identity? {
        RawPath.status(path).map(Identity.init)
    }

    /// The reason given for a file or input over ``maximumSize``.
    static let tooLarge = "larger than 16 MiB; skipped"

    /// What a non-regular file is, in words, or nil for a regular file.
    static func specialKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }

    /// Whether bytes look like a binary file: a NUL byte in the first 8 KiB, as git decides.
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        contains(0, in: bytes[..<Swift.min(bytes.count, 8192)])
    }

    /// Whether `bytes` hold `byte`. `memchr` passes over many bytes at a time; a loop
    /// cost a few instructions a byte, and every file read is searched three times.
    private static func contains(_ byte: UInt8, in bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, Int32(byte), buffer.count) != nil
        }
    }

    private static func contains(_ byte: UInt8, in bytes: [UInt8]) -> Bool {
        contains(byte, in: bytes[...])
    }

    /// A warning for a file whose lines end in a lone CR (classic Mac OS): BuildKit
    /// splits lines at LF only and reads such a file as a single line, which makes
    /// its errors hard to place. Nil for any other file.
    static func lineEndNote(_ bytes: [UInt8]) -> String? {
        guard contains(UInt8(ascii: "\r"), in: bytes), !contains(UInt8(ascii: "\n"), in: bytes) else { return nil }
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
        return list.split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }.map(RawPath.string)
    }

    /// Reads standard input to its end; more than ``maximumSize`` is an error, so
    /// `< /dev/zero` ends instead of filling memory.
    static func readStandardInput() throws(ReadError) -> [UInt8] {
        try readAll(STDIN_FILENO, limit: maximumSize)
    }

    /// Reads to the end. `expectedSize` (what `fstat` said, 0 when unknown) sizes the
    /// buffer: a typical Dockerfile is a few KiB, and zeroing 64 KiB for each of
    /// thousands of files cost more than reading them.
    private static func readAll(_ descriptor: Int32, limit: Int, expectedSize: Int = 0) throws(ReadError) -> [UInt8] {
        var bytes: [UInt8] = []
        let chunkSize = 64 * 1024
        // One byte more than expected, so the read that finds the end needs no second buffer.
        var chunk = [UInt8](repeating: 0, count: expectedSize > 0 ? Swift.min(expectedSize + 1, chunkSize) : chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN {
                    // A standard input left non-blocking by the parent: wait for data.
                    var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    _ = poll(&request, 1, -1)
                    continue
                }
                throw ReadError(reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            // A file that grows while being read (or a /proc file whose size says 0).
            if bytes.count > limit { throw ReadError(reason: tooLarge) }
        }
        return bytes
    }
}
