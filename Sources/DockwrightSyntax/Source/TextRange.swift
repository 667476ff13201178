/// A half-open range of UTF-8 byte offsets into a source file.
///
/// Every position in the syntax tree is stored this way; lines and columns are
/// computed only at the output edge, through ``LineIndex``.
public struct TextRange: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The offset of the first byte in the range.
    public var start: Int
    /// The offset one past the last byte in the range.
    public var end: Int

    /// Creates a range from `start` up to, but not including, `end`.
    ///
    /// A reversed range is a bug, caught by tests in debug builds; a release build
    /// empties it rather than stop a user's CI or editor save.
    public init(start: Int, end: Int) {
        assert(start <= end, "TextRange start \(start) is after end \(end)")
        self.start = start
        self.end = Swift.max(start, end)
    }

    /// Creates an empty range at `offset`, as used for insertions.
    public static func empty(at offset: Int) -> TextRange {
        TextRange(start: offset, end: offset)
    }

    /// The number of bytes in the range.
    public var length: Int { end - start }

    /// Whether the range holds no byte.
    public var isEmpty: Bool { start == end }

    /// Whether `offset` lies inside the range.
    public func contains(_ offset: Int) -> Bool { offset >= start && offset < end }

    /// The smallest range that covers both ranges.
    public func union(_ other: TextRange) -> TextRange {
        TextRange(start: Swift.min(start, other.start), end: Swift.max(end, other.end))
    }

    public static func < (lhs: TextRange, rhs: TextRange) -> Bool {
        (lhs.start, lhs.end) < (rhs.start, rhs.end)
    }

    public var description: String { "\(start)..<\(end)" }
}
