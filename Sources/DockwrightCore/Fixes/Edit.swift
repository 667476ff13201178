import DockwrightSyntax

/// Replaces a range of the original source with new text. An empty range inserts;
/// empty text deletes.
///
/// The range is kept in 32-bit offsets (the parser reads sources of at most 4 GiB): with
/// its title, a fix of one edit then fits an 80-byte block instead of a 96-byte one, and
/// a file of thousands of RUNs to merge holds one such fix per RUN in `fix` (issue 13).
public struct Edit: Hashable, Sendable {
    private let start: UInt32
    private let end: UInt32
    /// The new text.
    public let replacement: String

    /// The bytes replaced, in the source the fix was computed on.
    public var range: TextRange { TextRange(start: Int(start), end: Int(end)) }

    /// Creates an edit.
    public init(range: TextRange, replacement: String) {
        start = UInt32(clamping: range.start)
        end = UInt32(clamping: range.end)
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
