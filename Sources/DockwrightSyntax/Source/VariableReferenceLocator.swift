/// Finds where a word refers to a variable, so findings about `$NAME` point at it
/// rather than at the start of the word or instruction.
public enum VariableReferenceLocator {
    /// The range of the first `$name` or `${name…` in `range` of the source, or nil
    /// when it is not written there literally (split by a line continuation, say).
    public static func reference(to name: String, in range: TextRange, of source: SourceFile) -> TextRange? {
        let bytes = source.bytes
        let nameBytes = Array(name.utf8)
        guard !nameBytes.isEmpty else { return nil }
        var index = range.start
        while index < range.end {
            defer { index += 1 }
            guard bytes[index] == UInt8(ascii: "$") else { continue }
            var nameStart = index + 1
            let isBraced = nameStart < range.end && bytes[nameStart] == UInt8(ascii: "{")
            if isBraced { nameStart += 1 }
            let nameEnd = nameStart + nameBytes.count
            guard nameEnd <= range.end, Array(bytes[nameStart..<nameEnd]) == nameBytes else { continue }
            // `$NAMEX` refers to `NAMEX`, not `NAME`: the name must end here (special
            // parameters and digit runs are never followed by more of themselves here).
            if nameEnd < range.end && isNameByte(bytes[nameEnd]) && isNameByte(nameBytes[nameBytes.count - 1]) {
                continue
            }
            if isBraced {
                // `${NAME}` or `${NAME:-…}`: cover up to the closing brace when it is near.
                var end = nameEnd
                while end < range.end && bytes[end] != UInt8(ascii: "}") { end += 1 }
                return TextRange(start: index, end: end < range.end ? end + 1 : nameEnd)
            }
            return TextRange(start: index, end: nameEnd)
        }
        return nil
    }

    /// Letters, digits and `_`, the bytes a variable name continues with (non-ASCII
    /// letters count too, as BuildKit's `unicode.IsLetter` does).
    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte >= 0x80
    }
}
