/// How instruction words read once BuildKit has removed their quotes, and what kind of
/// path they name: the small readings every view and rule shares.
public enum InstructionText {
    /// `text` without one pair of surrounding double or single quotes.
    public static func unquoted(_ text: String) -> String {
        // ASCII text, nearly all, is read from its bytes, each one Character: counting
        // Characters walked the whole string, for every path of every COPY and WORKDIR.
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            guard utf8.count >= 2, let first = utf8.first, first == utf8.last,
                  first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") else { return text }
            return String(Substring(utf8.dropFirst().dropLast()))
        }
        if text.count >= 2, let first = text.first, first == text.last, first == "\"" || first == "'" {
            return String(text.dropFirst().dropLast())
        }
        return text
    }

    /// Whether a path is absolute on Linux (`/x`) or Windows (`C:\x`, `C:/x`, `\x`).
    public static func isAbsolutePath(_ path: String) -> Bool {
        if path.hasPrefix("/") || path.hasPrefix("\\") { return true }
        let scalars = Array(path.unicodeScalars.prefix(2))
        guard scalars.count == 2, scalars[1] == ":" else { return false }
        return ("a"..."z").contains(scalars[0]) || ("A"..."Z").contains(scalars[0])
    }
}
