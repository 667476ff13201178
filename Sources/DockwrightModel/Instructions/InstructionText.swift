/// How instruction words read once BuildKit has removed their quotes, and what kind of
/// path they name: the small readings every view and rule shares.
public enum InstructionText {
    /// `text` without one pair of surrounding double or single quotes.
    public static func unquoted(_ text: String) -> String {
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
