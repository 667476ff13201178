/// A `--name=value` or `--name` flag written before an instruction's arguments.
public struct FlagSyntax: Hashable, Sendable {
    /// The flag as BuildKit reads it, quotes and backslashes processed, e.g. `--from=build`.
    public let text: String
    /// Where the flag is written.
    public let range: TextRange

    /// Creates a flag.
    public init(text: String, range: TextRange) {
        self.text = text
        self.range = range
    }

    /// The name between `--` and the first `=`, e.g. `from`.
    public var name: String {
        let body = text.hasPrefix("--") ? text.dropFirst(2) : Substring(text)
        if let equals = body.firstIndex(of: "=") { return String(body[..<equals]) }
        return String(body)
    }

    /// The text after the first `=`, or nil for a bare `--name`.
    public var value: String? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        return String(text[text.index(after: equals)...])
    }
}
