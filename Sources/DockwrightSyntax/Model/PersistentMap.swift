/// An immutable hash map whose `inserting` returns a new map that shares every
/// untouched node with the old one (a hash array mapped trie).
///
/// ``ArgScope`` keeps the environment a stage ends with in one of these, so that a
/// stage based on another starts from its base's map without copying it: a chain of
/// thousands of stages, each adding one variable, costs memory in proportion to the
/// variables, where copied dictionaries would cost the square.
///
/// Lookup and insertion read 5 bits of the key's hash per level, so they take
/// O(log₃₂ n) steps; keys whose whole hashes collide share one list at the bottom.
struct PersistentMap<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// One level of the trie: a bit per occupied slot, and the occupied slots in order.
    private final class Node: Sendable {
        let bitmap: UInt32
        let slots: [Slot]

        init(bitmap: UInt32, slots: [Slot]) {
            self.bitmap = bitmap
            self.slots = slots
        }

        /// Where the slot for `bit` is (or would go) in ``slots``.
        func index(of bit: UInt32) -> Int {
            (bitmap & (bit &- 1)).nonzeroBitCount
        }
    }

    private enum Slot: Sendable {
        case entry(Key, Value)
        case child(Node)
        /// Keys whose 64-bit hashes are all equal.
        case collision([(key: Key, value: Value)])
    }

    private static var bitsPerLevel: Int { 5 }
    private static var hashBits: Int { UInt.bitWidth }

    private let root: Node
    /// How many keys the map holds.
    let count: Int

    /// An empty map.
    init() {
        root = Node(bitmap: 0, slots: [])
        count = 0
    }

    /// A map holding the pairs of `dictionary`.
    init(_ dictionary: [Key: Value]) {
        var map = PersistentMap()
        for (key, value) in dictionary { map = map.inserting(value, for: key) }
        self = map
    }

    private init(root: Node, count: Int) {
        self.root = root
        self.count = count
    }

    /// The value for `key`, if any.
    subscript(key: Key) -> Value? {
        let hash = UInt(bitPattern: key.hashValue)
        var node = root
        var shift = 0
        while true {
            let bit = Self.bit(of: hash, shift: shift)
            guard node.bitmap & bit != 0 else { return nil }
            switch node.slots[node.index(of: bit)] {
            case .entry(let storedKey, let value):
                return storedKey == key ? value : nil
            case .collision(let pairs):
                return pairs.last { $0.key == key }?.value
            case .child(let child):
                node = child
                shift += Self.bitsPerLevel
            }
        }
    }

    /// This map with `key` set to `value`.
    func inserting(_ value: Value, for key: Key) -> PersistentMap {
        let hash = UInt(bitPattern: key.hashValue)
        let (node, isNew) = Self.inserting(key, value, hash: hash, shift: 0, into: root)
        return PersistentMap(root: node, count: count + (isNew ? 1 : 0))
    }

    /// Calls `body` with every pair, in no particular order.
    func forEach(_ body: (Key, Value) -> Void) {
        Self.visit(root, body)
    }

    // MARK: - Implementation

    private static func bit(of hash: UInt, shift: Int) -> UInt32 {
        UInt32(1) << UInt32((hash >> UInt(shift)) & 31)
    }

    private static func inserting(
        _ key: Key, _ value: Value, hash: UInt, shift: Int, into node: Node
    ) -> (Node, isNew: Bool) {
        let bit = bit(of: hash, shift: shift)
        let index = node.index(of: bit)
        var slots = node.slots
        guard node.bitmap & bit != 0 else {
            slots.insert(.entry(key, value), at: index)
            return (Node(bitmap: node.bitmap | bit, slots: slots), true)
        }
        var isNew = true
        switch slots[index] {
        case .entry(let storedKey, let storedValue):
            if storedKey == key {
                slots[index] = .entry(key, value)
                isNew = false
            } else {
                slots[index] = merged(
                    (storedKey, storedValue, UInt(bitPattern: storedKey.hashValue)), (key, value, hash),
                    shift: shift + bitsPerLevel)
            }
        case .child(let child):
            let (updated, added) = inserting(key, value, hash: hash, shift: shift + bitsPerLevel, into: child)
            slots[index] = .child(updated)
            isNew = added
        case .collision(var pairs):
            if let existing = pairs.firstIndex(where: { $0.key == key }) {
                pairs[existing].value = value
                isNew = false
            } else {
                pairs.append((key, value))
            }
            slots[index] = .collision(pairs)
        }
        return (Node(bitmap: node.bitmap, slots: slots), isNew)
    }

    /// The slot holding two entries whose hashes agree on the bits before `shift`.
    private static func merged(
        _ first: (Key, Value, UInt), _ second: (Key, Value, UInt), shift: Int
    ) -> Slot {
        guard shift < hashBits else { return .collision([(first.0, first.1), (second.0, second.1)]) }
        let firstBit = bit(of: first.2, shift: shift)
        let secondBit = bit(of: second.2, shift: shift)
        if firstBit == secondBit {
            return .child(Node(bitmap: firstBit, slots: [merged(first, second, shift: shift + bitsPerLevel)]))
        }
        let ordered: [Slot] = firstBit < secondBit
            ? [.entry(first.0, first.1), .entry(second.0, second.1)]
            : [.entry(second.0, second.1), .entry(first.0, first.1)]
        return .child(Node(bitmap: firstBit | secondBit, slots: ordered))
    }

    private static func visit(_ node: Node, _ body: (Key, Value) -> Void) {
        for slot in node.slots {
            switch slot {
            case .entry(let key, let value): body(key, value)
            case .child(let child): visit(child, body)
            case .collision(let pairs): for pair in pairs { body(pair.key, pair.value) }
            }
        }
    }
}
