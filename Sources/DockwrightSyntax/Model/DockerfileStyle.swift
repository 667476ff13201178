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
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            if index > 0 && bytes[index - 1] == UInt8(ascii: "\r") { crlf += 1 } else { lf += 1 }
        }
        lineEnding = crlf > lf ? "\r\n" : "\n"
        escapeCharacter = syntax.escapeCharacter
        // Counted, not collected: arrays of every keyword were a large file's peak.
        var upper = 0
        for instruction in syntax.instructions {
            let keyword = instruction.keyword.text
            if keyword == keyword.uppercased() { upper += 1 }
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
