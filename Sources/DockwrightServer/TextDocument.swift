import DockwrightSyntax

/// How `Position.character` counts: LSP's default UTF-16 code units, or UTF-8 bytes
/// when the client offers `utf-8` (then no conversion is needed at all).
package enum PositionEncoding: String, Sendable {
    /// Bytes of UTF-8.
    case utf8 = "utf-8"
    /// UTF-16 code units, the protocol's default.
    case utf16 = "utf-16"
}

/// An LSP position: a 0-based line and a 0-based character offset in the encoding agreed.
package struct LSPPosition: Hashable, Sendable {
    /// The 0-based line.
    package var line: Int
    /// The 0-based offset in the line, in the encoding agreed.
    package var character: Int

    /// Creates a position.
    package init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }

    /// The position as JSON.
    package var json: JSONValue { ["line": .integer(line), "character": .integer(character)] }

    /// Reads `{line, character}`; nil when either is missing or negative.
    package init?(_ json: JSONValue?) {
        guard let line = json?["line"]?.integerValue, let character = json?["character"]?.integerValue,
              line >= 0, character >= 0 else { return nil }
        self.init(line: line, character: character)
    }
}

/// An open document: its bytes exactly as the client holds them, its version, and the
/// line starts that map between byte offsets and LSP positions.
///
/// LSP lines end at LF, CRLF or a lone CR (the spec's `EOL`), which is not BuildKit's
/// notion (LF only), so the index here is the protocol's own.
package struct TextDocument: Sendable {
    /// The document's URI as the client sent it.
    package let uri: String
    /// The file-system path for a `file:` URI.
    package let path: String?
    /// The text, as UTF-8 bytes.
    package private(set) var bytes: [UInt8]
    /// The client's version number.
    package var version: Int
    /// Increases with every change to any document; analyses are keyed by it.
    package var generation: Int
    /// The byte offset of every line start.
    package private(set) var lineStarts: [Int]

    /// Creates a document.
    package init(uri: String, text: String, version: Int, generation: Int) {
        self.uri = uri
        self.path = FileURI.path(of: uri)
        self.bytes = Array(text.utf8)
        self.version = version
        self.generation = generation
        self.lineStarts = Self.lineStarts(of: bytes)
    }

    /// The source file the linter reads.
    package var source: SourceFile { SourceFile(path: path ?? uri, bytes: bytes) }

    /// Replaces the whole text.
    package mutating func replaceAll(with text: String) {
        bytes = Array(text.utf8)
        lineStarts = Self.lineStarts(of: bytes)
    }

    /// Replaces a byte range (an incremental change).
    package mutating func replace(_ range: TextRange, with text: String) {
        bytes.replaceSubrange(range.start..<range.end, with: Array(text.utf8))
        lineStarts = Self.lineStarts(of: bytes)
    }

    private static func lineStarts(of bytes: [UInt8]) -> [Int] {
        var starts = [0]
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A {
                starts.append(index + 1)
            } else if byte == 0x0D {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                starts.append(index + 1)
            }
            index += 1
        }
        return starts
    }

    // MARK: - Positions

    /// The byte offset of a position. A line past the end means the end of the text; a
    /// character past the line's end means the line's end (as the spec says), and one
    /// inside a character (half a surrogate pair) means that character's start.
    package func offset(of position: LSPPosition, _ encoding: PositionEncoding) -> Int {
        guard position.line < lineStarts.count else { return bytes.count }
        let start = lineStarts[position.line]
        let end = contentEnd(ofLine: position.line)
        var offset = start
        var units = 0
        while offset < end {
            let (length, width) = scalar(at: offset, encoding)
            if units + width > position.character { break }
            units += width
            offset += length
        }
        return min(offset, end)
    }

    /// The position of a byte offset.
    package func position(of offset: Int, _ encoding: PositionEncoding) -> LSPPosition {
        let clamped = max(0, min(offset, bytes.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= clamped { low = middle } else { high = middle - 1 }
        }
        var index = lineStarts[low]
        var units = 0
        while index < clamped {
            let (length, width) = scalar(at: index, encoding)
            units += width
            index += length
        }
        return LSPPosition(line: low, character: units)
    }

    /// The byte range of an LSP range; nil when it is missing, malformed or reversed.
    package func range(_ json: JSONValue?, _ encoding: PositionEncoding) -> TextRange? {
        guard let start = LSPPosition(json?["start"]), let end = LSPPosition(json?["end"]) else { return nil }
        let startOffset = offset(of: start, encoding)
        let endOffset = offset(of: end, encoding)
        guard startOffset <= endOffset else { return nil }
        return TextRange(start: startOffset, end: endOffset)
    }

    /// A byte range as an LSP range.
    package func json(_ range: TextRange, _ encoding: PositionEncoding) -> JSONValue {
        ["start": position(of: range.start, encoding).json, "end": position(of: range.end, encoding).json]
    }

    /// Where a line's text ends, before its line break.
    private func contentEnd(ofLine line: Int) -> Int {
        guard line + 1 < lineStarts.count else { return bytes.count }
        var end = lineStarts[line + 1]
        if end > 0, bytes[end - 1] == 0x0A { end -= 1 }
        if end > lineStarts[line], bytes[end - 1] == 0x0D { end -= 1 }
        return end
    }

    /// The byte length of the UTF-8 sequence at `offset` and its width in `encoding`.
    /// An invalid byte counts as one unit, as editors show it as one U+FFFD.
    private func scalar(at offset: Int, _ encoding: PositionEncoding) -> (length: Int, width: Int) {
        let lead = bytes[offset]
        let length: Int
        switch lead {
        case 0..<0x80: return (1, 1)
        case 0xC2..<0xE0: length = 2
        case 0xE0..<0xF0: length = 3
        case 0xF0..<0xF5: length = 4
        default: return (1, 1)
        }
        guard offset + length <= bytes.count,
              bytes[(offset + 1)..<(offset + length)].allSatisfy({ $0 & 0xC0 == 0x80 }) else { return (1, 1) }
        switch encoding {
        case .utf8: return (length, length)
        case .utf16: return (length, length == 4 ? 2 : 1)
        }
    }
}

/// Converts between `file:` URIs and paths (RFC 8089 with percent-encoding).
package enum FileURI {
    /// The path of a `file:` URI, percent-decoded; nil for other schemes.
    package static func path(of uri: String) -> String? {
        guard uri.hasPrefix("file://") else { return nil }
        var rest = Substring(uri.dropFirst("file://".count))
        // `file://host/path`: only an empty host or localhost names this machine.
        if !rest.hasPrefix("/") {
            guard let slash = rest.firstIndex(of: "/"), rest[..<slash] == "localhost" else { return nil }
            rest = rest[slash...]
        }
        var bytes: [UInt8] = []
        let utf8 = Array(rest.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
               let value = UInt8(String(decoding: utf8[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The `file:` URI of an absolute path.
    package static func uri(of path: String) -> String {
        var result = "file://"
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in path.utf8 {
            if unreserved.contains(byte) {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        result += String(decoding: bytes, as: UTF8.self)
        return result
    }
}
