import DockwrightSyntax

/// The smallest set of edits that turns one text into another, so an editor keeps
/// cursors, folds and marks everywhere a fix did not touch: a line diff (Myers'
/// O(ND) algorithm, after trimming the common prefix and suffix), then each changed
/// block trimmed to the bytes that differ.
package enum TextDiff {
    /// One replacement, on the old text's bytes.
    package struct Change: Hashable, Sendable {
        package let range: TextRange
        package let replacement: [UInt8]
    }

    /// Beyond this many differing lines the diff gives one edit for the changed middle,
    /// which keeps the time linear-ish on a megabyte-sized rewrite.
    package static let maximumDistance = 1000

    /// The changes, in order and not overlapping, that make `old` into `new`.
    package static func changes(from old: [UInt8], to new: [UInt8]) -> [Change] {
        guard old != new else { return [] }
        // Common prefix and suffix, at line boundaries so the line diff sees whole lines.
        var prefix = 0
        let shorter = min(old.count, new.count)
        while prefix < shorter, old[prefix] == new[prefix] { prefix += 1 }
        while prefix > 0, !isLineStart(old, prefix) { prefix -= 1 }
        var suffix = 0
        while suffix < shorter - prefix, old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        while suffix > 0, !isLineStart(old, old.count - suffix) { suffix -= 1 }
        let oldLines = lines(old, from: prefix, to: old.count - suffix)
        let newLines = lines(new, from: prefix, to: new.count - suffix)
        var ids: [ArraySlice<UInt8>: Int] = [:]
        func id(_ line: ArraySlice<UInt8>) -> Int {
            if let known = ids[line] { return known }
            ids[line] = ids.count
            return ids.count - 1
        }
        let oldIDs = oldLines.map { id(old[$0]) }
        let newIDs = newLines.map { id(new[$0]) }
        var blocks: [(Range<Int>, Range<Int>)] = []
        if let matches = matchingLines(oldIDs, newIDs) {
            var previous = (-1, -1)
            for match in matches + [(oldIDs.count, newIDs.count)] {
                if match.0 > previous.0 + 1 || match.1 > previous.1 + 1 {
                    blocks.append(((previous.0 + 1)..<match.0, (previous.1 + 1)..<match.1))
                }
                previous = match
            }
        } else {
            blocks = [(0..<oldIDs.count, 0..<newIDs.count)]
        }
        return blocks.map { oldBlock, newBlock in
            let oldRange = byteRange(of: oldBlock, in: oldLines, default: prefix)
            let newRange = byteRange(of: newBlock, in: newLines, default: prefix)
            return trimmed(old: old, oldRange, new: new, newRange)
        }
    }

    /// Whether `offset` starts a line (or is the text's start or end).
    private static func isLineStart(_ bytes: [UInt8], _ offset: Int) -> Bool {
        offset == 0 || offset == bytes.count || bytes[offset - 1] == 0x0A
    }

    /// The byte ranges of the lines (each with its line end) between two offsets.
    private static func lines(_ bytes: [UInt8], from start: Int, to end: Int) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var lineStart = start
        var index = start
        while index < end {
            if bytes[index] == 0x0A {
                result.append(lineStart..<(index + 1))
                lineStart = index + 1
            }
            index += 1
        }
        if lineStart < end { result.append(lineStart..<end) }
        return result
    }

    private static func byteRange(of block: Range<Int>, in lines: [Range<Int>], default offset: Int) -> Range<Int> {
        if block.isEmpty {
            return block.lowerBound < lines.count ? lines[block.lowerBound].lowerBound..<lines[block.lowerBound].lowerBound
                : (lines.last.map { $0.upperBound..<$0.upperBound } ?? offset..<offset)
        }
        return lines[block.lowerBound].lowerBound..<lines[block.upperBound - 1].upperBound
    }

    /// The change of one block with the bytes both sides share at its ends left out,
    /// never splitting a UTF-8 sequence or a CRLF (LSP positions cannot point inside them).
    private static func trimmed(old: [UInt8], _ oldRange: Range<Int>, new: [UInt8], _ newRange: Range<Int>) -> Change {
        var start = 0
        while start < oldRange.count, start < newRange.count, old[oldRange.lowerBound + start] == new[newRange.lowerBound + start] {
            start += 1
        }
        while start > 0, !isBoundary(old, oldRange.lowerBound + start) { start -= 1 }
        var end = 0
        while end < oldRange.count - start, end < newRange.count - start,
              old[oldRange.upperBound - 1 - end] == new[newRange.upperBound - 1 - end] {
            end += 1
        }
        while end > 0, !isBoundary(old, oldRange.upperBound - end) { end -= 1 }
        return Change(
            range: TextRange(start: oldRange.lowerBound + start, end: oldRange.upperBound - end),
            replacement: Array(new[(newRange.lowerBound + start)..<(newRange.upperBound - end)]))
    }

    private static func isBoundary(_ bytes: [UInt8], _ offset: Int) -> Bool {
        guard offset > 0, offset < bytes.count else { return true }
        if bytes[offset] & 0xC0 == 0x80 { return false }
        return !(bytes[offset - 1] == 0x0D && bytes[offset] == 0x0A)
    }

    /// The pairs of equal lines of a shortest edit script (Myers 1986), in order; nil
    /// when the texts differ in more than `maximumDistance` lines.
    private static func matchingLines(_ a: [Int], _ b: [Int]) -> [(Int, Int)]? {
        let n = a.count
        let m = b.count
        let limit = min(n + m, maximumDistance)
        let offset = limit + 1
        var v = [Int](repeating: 0, count: 2 * limit + 3)
        var trace: [[Int]] = []
        var found = false
        for d in 0...limit {
            trace.append(Array(v[(offset - d)...(offset + d)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n && y >= m {
                    found = true
                    break
                }
            }
            if found { break }
        }
        guard found else { return nil }
        var matches: [(Int, Int)] = []
        var x = n
        var y = m
        for d in stride(from: trace.count - 1, to: 0, by: -1) {
            let previous = trace[d]
            func value(_ k: Int) -> Int { previous[k + d] }
            let k = x - y
            let previousK = (k == -d || (k != d && value(k - 1) < value(k + 1))) ? k + 1 : k - 1
            let previousX = value(previousK)
            let previousY = previousX - previousK
            while x > previousX && y > previousY {
                x -= 1
                y -= 1
                matches.append((x, y))
            }
            if x == previousX { y -= 1 } else { x -= 1 }
        }
        while x > 0 && y > 0 {
            x -= 1
            y -= 1
            matches.append((x, y))
        }
        return matches.reversed()
    }
}
