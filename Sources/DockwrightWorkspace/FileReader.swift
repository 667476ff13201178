#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads files and standard input as raw bytes.
package enum FileReader {
    /// A reason a file could not be read, worded for a one-line error message.
    package struct ReadError: Error {
        package let reason: String
    }

    package static func read(path: String) throws(ReadError) -> [UInt8] {
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
    package static func looksBinary(_ bytes: [UInt8]) -> Bool {
        bytes.prefix(8192).contains(0)
    }

    /// A warning for a file whose lines end in a lone CR (classic Mac OS): BuildKit
    /// splits lines at LF only and reads such a file as a single line, which makes
    /// its errors hard to place. Nil for any other file.
    package static func lineEndNote(_ bytes: [UInt8]) -> String? {
        guard bytes.contains(UInt8(ascii: "\r")), !bytes.contains(UInt8(ascii: "\n")) else { return nil }
        return "its lines end in a lone carriage return (CR), and Docker reads it as a single line; use LF or CRLF"
    }

    package static func readStandardInput() throws(ReadError) -> [UInt8] {
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
