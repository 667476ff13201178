#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Paths as Swift strings that keep every byte of the name the file system holds.
///
/// A POSIX path is bytes, and a folder named with byte 0xFF is as real as any
/// other; a Swift `String` holds only Unicode. So, as Python's `surrogateescape`
/// does (and as Swift cannot, having no lone surrogates), each byte that is not part
/// of valid UTF-8 is kept as one code point of a private-use block, U+10FF80 to
/// U+10FFFF (byte 0x80 to 0xFF). The bytes of a valid character that falls in that
/// block are escaped the same way, so decoding and encoding give back the exact
/// bytes for every name. Paths stay `String`s through discovery, configuration and
/// the build context; only the calls into the OS (``withCString(_:_:)``) and what
/// the user sees (``display(_:)``) look at the escapes.
enum RawPath {
    /// The code point that stands for byte 0x80; byte `b` is `escapeBase + b`.
    private static let escapeBase: UInt32 = 0x10_FF00
    private static let escapes: ClosedRange<UInt32> = 0x10_FF80...0x10_FFFF

    /// The path for the bytes of a name or path (from `readdir`, `argv`, `getcwd`).
    static func string(_ bytes: some Collection<UInt8>) -> String {
        // Nearly every name is ASCII, which needs no check for escapes (a listed
        // folder decodes one name per file); other paths are nearly always valid
        // UTF-8 with no character in the escape block.
        if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        if let text = String(validating: bytes, as: UTF8.self),
           !text.unicodeScalars.contains(where: { escapes.contains($0.value) }) {
            return text
        }
        var result = String.UnicodeScalarView()
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var remaining = Array(bytes)[...]
        func escape(_ count: Int) {
            for byte in remaining.prefix(count) { result.append(escaped(byte)) }
        }
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                if escapes.contains(scalar.value) { escape(encoded.count) } else { result.append(scalar) }
                remaining = remaining.dropFirst(encoded.count)
            case .error(let length):
                escape(length)
                remaining = remaining.dropFirst(length)
            case .emptyInput:
                return String(result)
            }
        }
    }

    /// The path for a NUL-terminated C string (an `argv` entry, what `realpath` gives).
    static func string(cString: UnsafePointer<CChar>) -> String {
        string(UnsafeBufferPointer(start: cString, count: strlen(cString)).map { UInt8(bitPattern: $0) })
    }

    /// The bytes `path` stands for, without a terminating NUL.
    static func bytes(_ path: String) -> [UInt8] {
        guard hasEscapes(path) else { return Array(path.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if escapes.contains(scalar.value) {
                bytes.append(UInt8(scalar.value - escapeBase))
            } else {
                bytes += Array(String(scalar).utf8)
            }
        }
        return bytes
    }

    /// Calls `body` with the path as the C string the OS needs: its exact bytes.
    static func withCString<Result>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        guard hasEscapes(path) else { return try path.withCString(body) }
        let terminated = (bytes(path) + [0]).map { CChar(bitPattern: $0) }
        return try body(terminated)
    }

    /// The path as the user sees it: each byte that is not UTF-8 written `\xNN`, the
    /// convention the text formats already use for control characters. Always valid
    /// Unicode, so JSON and SARIF reports stay valid.
    static func display(_ path: String) -> String {
        guard hasEscapes(path) else { return path }
        var shown = ""
        for scalar in path.unicodeScalars {
            if escapes.contains(scalar.value) {
                shown += "\\x" + String(scalar.value - escapeBase, radix: 16)
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    /// The name in a directory entry, every byte kept.
    ///
    /// Read where it lies, up to its NUL. glibc packs `readdir`'s buffer, so an entry is
    /// only as long as its name, not `MemoryLayout<dirent>.size`: copying the whole
    /// struct (`entry.pointee`) read past the buffer, and crashed the run when the last
    /// entry ended at a page boundary (seen once in a `fix` over 4,862 files).
    static func name(of entry: UnsafeMutablePointer<dirent>) -> String {
        withUnsafeMutablePointer(to: &entry.pointee.d_name) { name in
            // A homogeneous tuple of C characters: its memory is bound to CChar.
            string(cString: UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self))
        }
    }

    /// The path `realpath` gives, or nil when it cannot be resolved.
    static func resolved(_ path: String) -> String? {
        guard let resolved = withCString(path, { realpath($0, nil) }) else { return nil }
        defer { free(resolved) }
        return string(cString: resolved)
    }

    /// The file status `stat` (or `lstat`, not following a last link) gives, or nil.
    static func status(_ path: String, followingLinks: Bool = true) -> stat? {
        var status = stat()
        let result = withCString(path) { followingLinks ? stat($0, &status) : lstat($0, &status) }
        return result == 0 ? status : nil
    }

    /// Removes the file at `path` (`unlink`); whether it was removed.
    @discardableResult
    static func remove(_ path: String) -> Bool {
        withCString(path) { unlink($0) } == 0
    }

    private static func escaped(_ byte: UInt8) -> Unicode.Scalar {
        // escapeBase + 0x80...0xFF lies below U+10FFFF and outside the surrogates.
        Unicode.Scalar(escapeBase + UInt32(byte)) ?? "\u{FFFD}"
    }

    private static func hasEscapes(_ path: String) -> Bool {
        // Escapes are four-byte characters starting F4 8F BE or F4 8F BF; most paths have no F4 at all.
        path.utf8.contains(0xF4) && path.unicodeScalars.contains { escapes.contains($0.value) }
    }
}
