/// A check: one file, one value type, pure.
///
/// Rules never read configuration, severity or suppressions; the engine owns that.
public protocol Rule: Sendable {
    /// The rule's identity, documentation and examples.
    static var description: RuleDescription { get }
    /// Creates the rule.
    init()
    /// Returns the violations in a file.
    func check(_ context: RuleContext) -> [Violation]
}
