import DockwrightSyntax

/// What a rule reports: where, optionally why in its own words, and how to fix it.
public struct Violation: Hashable, Sendable {
    /// The bytes the finding is about.
    public let range: TextRange
    /// A message for this case; the rule's summary when nil.
    public let message: String?
    /// A fix, when one exists.
    public let fix: Fix?

    /// Creates a violation.
    public init(range: TextRange, message: String? = nil, fix: Fix? = nil) {
        self.range = range
        self.message = message
        self.fix = fix
    }
}
