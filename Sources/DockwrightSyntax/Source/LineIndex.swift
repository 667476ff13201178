#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 1-based line and column in a source file; the column counts Unicode scalars.
public struct SourcePosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 1-based line number.
    public var line: Int
    /// The 1-based column, counted in Unicode scalars from the start of the line.
    public var column: Int

    /// Creates a location from a 1-based line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// Maps byte offsets to lines and columns.
///
/// Lines end at `\n` only, as in BuildKit's scanner, so a lone `\r` does not
/// start a new line and line numbers agree with `docker build`.
public struct LineIndex: Sendable {
    /// The byte offset at which each line starts; the first entry is 0. In 32 bits (the
    /// parser reads sources of at most 4 GiB) and without much spare room: the index
    /// lives as long as the file's findings, and a file of short lines grew it by
    /// doubling to up to four times what it needs (issue 13).
    private let lineStarts: [UInt32]

    /// Builds the index in one pass over `bytes`.
    public init(_ bytes: [UInt8]) {
        var starts: [UInt32] = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        // `memchr` from one line end to the next: it passes over a line's bytes many at
        // a time, where a loop cost a few instructions a byte, for every file linted.
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count,
                  let found = memchr(base + offset, Int32(UInt8(ascii: "\n")), buffer.count - offset) {
                offset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found)) + 1
                starts.append(UInt32(clamping: offset))
            }
        }
        lineStarts = starts.compactedWhenSpareExceedsAnEighth()
    }

    /// The number of lines, counting a final line without a terminator.
    public var lineCount: Int { lineStarts.count }

    /// The byte offset at which the line of 0-based index `line` (below ``lineCount``) starts.
    public func start(ofLine line: Int) -> Int { Int(lineStarts[line]) }

    /// The 0-based index of the line containing `offset`.
    public func lineIndex(containing offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if Int(lineStarts[middle]) <= offset {
                low = middle
            } else {
                high = middle - 1
            }
        }
        return low
    }

    /// The line and column of `offset` in `bytes`, the same bytes the index was built from.
    public func location(of offset: Int, in bytes: [UInt8]) -> SourcePosition {
        let clamped = Swift.max(0, Swift.min(offset, bytes.count))
        let line = lineIndex(containing: clamped)
        var column = 1
        var position = Int(lineStarts[line])
        while position < clamped {
            // Count scalar starts: every byte that is not a UTF-8 continuation byte.
            if bytes[position] & 0xC0 != 0x80 { column += 1 }
            position += 1
        }
        return SourcePosition(line: line + 1, column: column)
    }
}
