/// Unified diffs of line sequences, with Myers' O((N+M)·D) algorithm so large,
/// mostly equal files diff in near-linear time.
public enum UnifiedDiff {
    /// The diff of `old` and `new` as `diff -u` prints it; empty when they are equal.
    public static func render(old: [UInt8], new: [UInt8], path: String, context: Int = 3) -> String {
        let oldLines = lines(old)
        let newLines = lines(new)
        guard oldLines != newLines else { return "" }
        let script = editScript(oldLines, newLines)
        var output = "--- \(path)\n+++ \(path)\n"
        var index = 0
        while index < script.count {
            guard script[index].kind != .equal else {
                index += 1
                continue
            }
            var hunkStart = index
            var contextBefore = 0
            while hunkStart > 0 && contextBefore < context && script[hunkStart - 1].kind == .equal {
                hunkStart -= 1
                contextBefore += 1
            }
            var hunkEnd = index
            var trailingEquals = 0
            while hunkEnd < script.count {
                if script[hunkEnd].kind == .equal {
                    trailingEquals += 1
                    if trailingEquals > 2 * context { break }
                } else {
                    trailingEquals = 0
                }
                hunkEnd += 1
            }
            hunkEnd -= Swift.max(0, trailingEquals - context)
            let hunk = script[hunkStart..<hunkEnd]
            let oldStart = (hunk.first?.oldIndex ?? 0) + 1
            let newStart = (hunk.first?.newIndex ?? 0) + 1
            let oldCount = hunk.filter { $0.kind != .insert }.count
            let newCount = hunk.filter { $0.kind != .delete }.count
            output += "@@ -\(oldCount == 0 ? oldStart - 1 : oldStart),\(oldCount) +\(newCount == 0 ? newStart - 1 : newStart),\(newCount) @@\n"
            for step in hunk {
                switch step.kind {
                case .equal: output += " " + display(oldLines[step.oldIndex])
                case .delete: output += "-" + display(oldLines[step.oldIndex])
                case .insert: output += "+" + display(newLines[step.newIndex])
                }
            }
            index = hunkEnd
        }
        return output
    }

    private struct Step {
        enum Kind { case equal, delete, insert }
        let kind: Kind
        let oldIndex: Int
        let newIndex: Int
    }

    private static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            result.append(bytes[start...index])
            start = index + 1
        }
        if start < bytes.count { result.append(bytes[start...]) }
        return result
    }

    private static func display(_ line: ArraySlice<UInt8>) -> String {
        // Checked on bytes: as a Swift string, "\r\n" is one character that is not "\n".
        let text = String(decoding: line, as: UTF8.self)
        return line.last == UInt8(ascii: "\n") ? text : text + "\n\\ No newline at end of file\n"
    }

    /// Myers' greedy algorithm with the V arrays kept for backtracking.
    private static func editScript(_ old: [ArraySlice<UInt8>], _ new: [ArraySlice<UInt8>]) -> [Step] {
        let n = old.count
        let m = new.count
        let maximum = n + m
        var frontier = [Int](repeating: 0, count: 2 * maximum + 2)
        var history: [[Int]] = []
        let offset = maximum + 1
        search: for distance in 0...maximum {
            history.append(frontier)
            for diagonal in stride(from: -distance, through: distance, by: 2) {
                var x: Int
                if diagonal == -distance || (diagonal != distance && frontier[offset + diagonal - 1] < frontier[offset + diagonal + 1]) {
                    x = frontier[offset + diagonal + 1]
                } else {
                    x = frontier[offset + diagonal - 1] + 1
                }
                var y = x - diagonal
                while x < n && y < m && old[x] == new[y] {
                    x += 1
                    y += 1
                }
                frontier[offset + diagonal] = x
                if x >= n && y >= m { break search }
            }
        }
        // Walk back through the recorded frontiers.
        var steps: [Step] = []
        var x = n
        var y = m
        for distance in stride(from: history.count - 1, through: 0, by: -1) {
            let previous = history[distance]
            let diagonal = x - y
            let previousDiagonal: Int
            if diagonal == -distance || (diagonal != distance && previous[offset + diagonal - 1] < previous[offset + diagonal + 1]) {
                previousDiagonal = diagonal + 1
            } else {
                previousDiagonal = diagonal - 1
            }
            let previousX = distance == 0 ? 0 : previous[offset + previousDiagonal]
            let previousY = previousX - previousDiagonal
            while x > previousX && y > previousY {
                x -= 1
                y -= 1
                steps.append(Step(kind: .equal, oldIndex: x, newIndex: y))
            }
            if distance > 0 {
                if x == previousX {
                    y -= 1
                    steps.append(Step(kind: .insert, oldIndex: x, newIndex: y))
                } else {
                    x -= 1
                    steps.append(Step(kind: .delete, oldIndex: x, newIndex: y))
                }
            }
        }
        return steps.reversed()
    }
}
