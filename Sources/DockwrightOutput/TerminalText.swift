/// Escapes control characters in text printed to a terminal or a line-based format:
/// a file name with a newline would forge a second finding, and an ESC sequence from
/// a Dockerfile would drive the user's terminal.
public enum TerminalText {
    /// `text` with C0 controls (tab kept), DEL and C1 controls written as `\n`, `\r`
    /// or `\xNN`; everything else, backslashes included, is left alone.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var output = ""
        output.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case _ where needsEscape(scalar):
                let hex = String(scalar.value, radix: 16)
                output += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value < 0x20 && value != 0x09) || value == 0x7F || (0x80...0x9F).contains(value)
    }
}
