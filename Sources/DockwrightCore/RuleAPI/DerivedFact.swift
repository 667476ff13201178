import Synchronization

/// A fact several rules derive from the model in the same way (every package-manager
/// call of the file, every command with its environment): computed once per file, on
/// first use, and shared, instead of each rule walking every script again.
///
/// Declare a key type whose `compute` reads the context, and ask with
/// `context.derived(Key.self)`. Keep the derivation free of rule policy: a rule's own
/// judgement stays in the rule.
public protocol DerivedFact {
    /// What the fact is.
    associatedtype Value: Sendable
    /// Works the fact out from the context (and from other derived facts).
    static func compute(in context: RuleContext) -> Value
}

/// Facts computed on first use and kept, by key type: the store behind
/// ``RuleContext/derived(_:)`` (one per file) and ``BuildContextListing/derived(_:)``
/// (one per listing).
final class FactStore: Sendable {
    private let values = Mutex<[ObjectIdentifier: any Sendable]>([:])

    /// The fact stored under `key`, computing it with `compute` the first time.
    func value<Value: Sendable>(for key: Any.Type, _ compute: () -> Value) -> Value {
        let identifier = ObjectIdentifier(key)
        if let stored = values.withLock({ $0[identifier] }) as? Value { return stored }
        // Computed outside the lock: a fact may ask for other facts.
        let value = compute()
        return values.withLock { stored in
            if let existing = stored[identifier] as? Value { return existing }
            stored[identifier] = value
            return value
        }
    }
}
