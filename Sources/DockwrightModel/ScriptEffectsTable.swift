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
///
/// Alike RUNs of different stages differ in one thing: the folder of each stage's base
/// image, which no Dockerfile line shows, is anchored at that stage's FROM
/// (``ImagePath/relative(anchor:path:)``), and a program's folder or a relative path
/// names the anchor. Each script's anchor is kept beside its slot, so such a script
/// shares its neighbour's value and reads it back moved to its own anchor
/// (``ScriptEffects/reanchored(from:to:)``): a file of thousands of stages that each
/// run `apt-get update` kept a value and a program list per stage (issue 13).
struct ScriptEffectsTable: Sendable {
    /// Per script, 1 + the position of its value in ``values``; 0 while not computed.
    private var slots: [UInt32]
    /// Per script, 1 + the anchor of the folder it runs in; 0 when that folder is not
    /// below an unknown one (or its anchor does not fit). Empty until a script has one.
    private var scriptAnchors: [UInt32] = []
    /// The values kept, in order, in one block with room for a value per script, so
    /// keeping one more never copies those kept. The room no value is written to is
    /// never touched, and costs the process no memory, only address space: a file of
    /// alike scripts uses a few values of it. (Values kept in small blocks instead grew
    /// the peak of a file of thousands of stages by the blocks' scatter in the heap.)
    private var values: [ScriptEffects] = []
    /// Per value, the stored anchor of the script it was computed for.
    private var valueAnchors: [UInt32] = []

    /// A table for `scriptCount` scripts, none computed.
    init(scriptCount: Int) {
        slots = Array(repeating: 0, count: scriptCount)
        values.reserveCapacity(scriptCount)
        valueAnchors.reserveCapacity(scriptCount)
    }

    /// How many scripts the table has a slot for.
    var scriptCount: Int { slots.count }

    /// The effects of script `index`, when computed.
    subscript(index: Int) -> ScriptEffects? {
        guard slots.indices.contains(index), slots[index] > 0 else { return nil }
        return value(at: Int(slots[index]) - 1, readAt: storedAnchor(ofScript: index))
    }

    /// Keeps `effects`, computed for script `index` running below the unknown folder
    /// anchored at `anchor` (nil when its folder is known), and returns the value kept:
    /// an equal one of the two scripts before when there is one, else `effects`.
    mutating func keep(_ effects: ScriptEffects, anchoredAt anchor: Int?, forScript index: Int) -> ScriptEffects {
        let stored = Self.stored(anchor)
        for neighbour in stride(from: index - 1, through: max(index - 2, 0), by: -1) where slots[neighbour] > 0 {
            let earlier = value(at: Int(slots[neighbour]) - 1, readAt: stored)
            // The value as this script would read it back: sharing is exact by construction.
            if earlier == effects {
                slots[index] = slots[neighbour]
                setAnchor(stored, ofScript: index)
                return earlier
            }
        }
        values.append(effects)
        valueAnchors.append(stored)
        slots[index] = UInt32(values.count)
        setAnchor(stored, ofScript: index)
        return effects
    }

    /// How many distinct values the table keeps (what sharing saved is the scripts
    /// computed less this).
    var keptValueCount: Int { values.count }

    /// Value `position` as read by a script whose stored anchor is `anchor`: moved from
    /// the anchor it was computed at when both are known and differ.
    private func value(at position: Int, readAt anchor: UInt32) -> ScriptEffects {
        let value = values[position]
        let own = valueAnchors[position]
        guard own != 0, anchor != 0, own != anchor else { return value }
        return value.reanchored(from: Int(own) - 1, to: Int(anchor) - 1)
    }

    private func storedAnchor(ofScript index: Int) -> UInt32 {
        scriptAnchors.isEmpty ? 0 : scriptAnchors[index]
    }

    private mutating func setAnchor(_ anchor: UInt32, ofScript index: Int) {
        guard anchor != 0 || !scriptAnchors.isEmpty else { return }
        if scriptAnchors.isEmpty { scriptAnchors = Array(repeating: 0, count: slots.count) }
        scriptAnchors[index] = anchor
    }

    /// 1 + `anchor`, or 0 for none or one past 32 bits (shared only when exactly equal).
    private static func stored(_ anchor: Int?) -> UInt32 {
        guard let anchor, anchor >= 0, anchor < Int(UInt32.max) else { return 0 }
        return UInt32(anchor + 1)
    }
}
