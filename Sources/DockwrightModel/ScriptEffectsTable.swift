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
    /// Per script, 1 + the position of its value in ``values``; 0 while not computed.
    private var slots: [UInt32]
    /// The values kept, in order, in one block with room for a value per script, so
    /// keeping one more never copies those kept. The room no value is written to is
    /// never touched, and costs the process no memory, only address space: a file of
    /// alike scripts uses a few values of it. (Values kept in small blocks instead grew
    /// the peak of a file of thousands of stages by the blocks' scatter in the heap.)
    private var values: [ScriptEffects] = []

    /// A table for `scriptCount` scripts, none computed.
    init(scriptCount: Int) {
        slots = Array(repeating: 0, count: scriptCount)
        values.reserveCapacity(scriptCount)
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
        values.append(effects)
        slots[index] = UInt32(values.count)
        return effects
    }

    /// How many distinct values the table keeps (what sharing saved is the scripts
    /// computed less this).
    var keptValueCount: Int { values.count }

    private func value(at position: Int) -> ScriptEffects { values[position] }
}
