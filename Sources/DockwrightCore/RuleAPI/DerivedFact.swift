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

/// The derived facts of one context, by key type.
final class DerivedFacts: Sendable {
    private let values = Mutex<[ObjectIdentifier: any Sendable]>([:])

    func value<Key: DerivedFact>(_ key: Key.Type, in context: RuleContext) -> Key.Value {
        let identifier = ObjectIdentifier(key)
        if let stored = values.withLock({ $0[identifier] }) as? Key.Value { return stored }
        // Computed outside the lock: a fact may ask for other facts.
        let value = Key.compute(in: context)
        return values.withLock { stored in
            if let existing = stored[identifier] as? Key.Value { return existing }
            stored[identifier] = value
            return value
        }
    }
}
