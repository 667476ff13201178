import DockwrightSyntax

/// Replaces a range of the original source with new text. An empty range inserts;
/// empty text deletes.
public struct Edit: Hashable, Sendable {
    /// The bytes replaced, in the source the fix was computed on.
    public let range: TextRange
    /// The new text.
    public let replacement: String

    /// Creates an edit.
    public init(range: TextRange, replacement: String) {
        self.range = range
        self.replacement = replacement
    }

    /// Inserts `text` at `offset`.
    public static func insert(_ text: String, at offset: Int) -> Edit {
        Edit(range: .empty(at: offset), replacement: text)
    }

    /// Deletes `range`.
    public static func delete(_ range: TextRange) -> Edit {
        Edit(range: range, replacement: "")
    }
}
