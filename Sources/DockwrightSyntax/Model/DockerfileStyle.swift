#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The conventions of one file, detected once, so generated text matches it.
public struct DockerfileStyle: Hashable, Sendable {
    /// The line ending most lines use: `\n` or `\r\n`.
    public let lineEnding: String
    /// The escape character: `\` or `` ` ``.
    public let escapeCharacter: Character
    /// Whether keywords are mostly written in upper case.
    public let usesUppercaseKeywords: Bool
    /// The indentation of continuation lines, e.g. four spaces.
    public let continuationIndent: String

    /// Detects the style of a parsed file.
    public init(_ syntax: DockerfileSyntax) {
        let bytes = syntax.source.bytes
        var crlf = 0
        var lf = 0
        // `memchr` from one line end to the next: a loop cost a few instructions a byte,
        // and every file linted detects its style.
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count,
                  let found = memchr(base + offset, Int32(UInt8(ascii: "\n")), buffer.count - offset) {
                let index = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
                if index > 0 && buffer[index - 1] == UInt8(ascii: "\r") { crlf += 1 } else { lf += 1 }
                offset = index + 1
            }
        }
        lineEnding = crlf > lf ? "\r\n" : "\n"
        escapeCharacter = syntax.escapeCharacter
        // Counted, not collected: arrays of every keyword were a large file's peak.
        var upper = 0
        for instruction in syntax.instructions {
            let keyword = instruction.keyword.text
            // An ASCII keyword is its upper case when it has no lower-case letter, read
            // from its bytes; upper-casing built a String per instruction.
            let isUppercase = keyword.utf8.allSatisfy { $0 < 0x80 }
                ? !keyword.utf8.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
                : keyword == keyword.uppercased()
            if isUppercase { upper += 1 }
        }
        usesUppercaseKeywords = upper * 2 >= syntax.instructions.count
        var indent = "    "
        for instruction in syntax.instructions {
            guard let line = instruction.lines.first(where: { $0.role == .continuation }) else { continue }
            let prefix = bytes[line.range.start..<line.range.end].prefix { $0 == 0x20 || $0 == 0x09 }
            if !prefix.isEmpty {
                indent = String(decoding: prefix, as: UTF8.self)
                break
            }
        }
        continuationIndent = indent
    }

    /// A keyword in the file's letter case.
    public func keyword(_ kind: InstructionKind) -> String {
        usesUppercaseKeywords ? kind.keyword : kind.rawValue
    }
}
