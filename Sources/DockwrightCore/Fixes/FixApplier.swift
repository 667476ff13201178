import DockwrightSyntax

/// Applies fixes to text: each fix whole or not at all, never two that overlap.
public enum FixApplier {
    /// The text with as many `fixes` applied as fit, in order of position; a fix
    /// that touches or overlaps one already applied is left for the next pass.
    public static func apply(_ fixes: [Fix], to bytes: [UInt8]) -> (output: [UInt8], applied: [Fix]) {
        let (output, indices) = applyIndexed(fixes, to: bytes)
        return (output, indices.map { fixes[$0] })
    }

    /// The same as `apply`, naming the applied fixes by their index in `fixes`, so a
    /// caller can tell two equal fixes of different rules apart.
    public static func applyIndexed(_ fixes: [Fix], to bytes: [UInt8]) -> (output: [UInt8], applied: [Int]) {
        let starts = fixes.map { $0.firstEdit?.range.start }
        let ordered = fixes.indices.filter { starts[$0] != nil }.sorted { lhs, rhs in
            (starts[lhs] ?? 0, fixes[lhs].title, lhs) < (starts[rhs] ?? 0, fixes[rhs].title, rhs)
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var applied: [Int] = []
        var appliedEdits: Set<Edit> = []
        var copiedUpTo = 0
        var lastEnd = -1
        for index in ordered {
            let fix = fixes[index]
            let edits = fix.edits.filter { !appliedEdits.contains($0) }
            guard let first = edits.first else { continue }
            // Adjacent edits count as a conflict too: the conservative choice.
            guard first.range.start > lastEnd, edits.allSatisfy({ $0.range.end <= bytes.count }) else { continue }
            var isConsistent = true
            for (previous, next) in zip(edits, edits.dropFirst()) where next.range.start < previous.range.end {
                isConsistent = false
            }
            guard isConsistent else { continue }
            for edit in edits {
                output.append(contentsOf: bytes[copiedUpTo..<edit.range.start])
                output.append(contentsOf: edit.replacement.utf8)
                copiedUpTo = edit.range.end
                appliedEdits.insert(edit)
            }
            lastEnd = edits[edits.count - 1].range.end
            applied.append(index)
        }
        output.append(contentsOf: bytes[copiedUpTo...])
        // Without the room the text grew by: the fix loop keeps it through the next pass.
        return (output.compactedWhenSpareExceedsAnEighth(), applied)
    }
}
