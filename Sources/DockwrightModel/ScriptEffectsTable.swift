import DockwrightShell

/// ``DockerfileModel/effects(of:)`` of each script of a file, by script index, as computed.
///
/// A script has a 4-byte slot naming its value rather than a value of its own: a large
/// file is mostly RUNs written alike (`RUN apt-get install -y p1`, then `p2`, or an
/// update and an install in turn, or an `echo` in each stage), whose effects are equal,
/// and a value is 96 bytes besides its lists (issue 13's memory budget). A value equal to
/// that of one of the two scripts before is not kept again, so it shares their lists too;
/// two neighbours keep the check a constant cost per script, and most values differ in
/// their counts, which are compared first.
struct ScriptEffectsTable: Sendable {
    /// How many values a chunk holds: the values are kept in chunks, so keeping one more
    /// never copies those kept, and a chunk's spare room is bounded.
    private static let chunkCapacity = 256

    /// Per script, 1 + the position of its value among the values kept; 0 while not computed.
    private var slots: [UInt32]
    /// The values kept, in order, in chunks of ``chunkCapacity``.
    private var chunks: [[ScriptEffects]] = []
    private var valueCount = 0

    /// A table for `scriptCount` scripts, none computed.
    init(scriptCount: Int) {
        slots = Array(repeating: 0, count: scriptCount)
    }

    /// How many scripts the table has a slot for.
    var scriptCount: Int { slots.count }

    /// The effects of script `index`, when computed.
    subscript(index: Int) -> ScriptEffects? {
        guard slots.indices.contains(index), slots[index] > 0 else { return nil }
        return value(at: Int(slots[index]) - 1)
    }

    /// Keeps `effects` as those of script `index`, and returns the value kept: an equal
    /// one of the two scripts before when there is one, else `effects`.
    mutating func keep(_ effects: ScriptEffects, forScript index: Int) -> ScriptEffects {
        for neighbour in stride(from: index - 1, through: max(index - 2, 0), by: -1) where slots[neighbour] > 0 {
            let earlier = value(at: Int(slots[neighbour]) - 1)
            if earlier == effects {
                slots[index] = slots[neighbour]
                return earlier
            }
        }
        if valueCount % Self.chunkCapacity == 0 {
            // Never more room than the scripts still without a value could take: a small
            // file's table is as small as its scripts.
            var chunk: [ScriptEffects] = []
            chunk.reserveCapacity(min(Self.chunkCapacity, slots.count - valueCount))
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(effects)
        valueCount += 1
        slots[index] = UInt32(valueCount)
        return effects
    }

    /// How many distinct values the table keeps (what sharing saved is the scripts
    /// computed less this).
    var keptValueCount: Int { valueCount }

    private func value(at position: Int) -> ScriptEffects {
        chunks[position / Self.chunkCapacity][position % Self.chunkCapacity]
    }
}
