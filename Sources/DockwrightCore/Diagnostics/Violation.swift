import DockwrightSyntax

/// What a rule reports: where, optionally why in its own words, and how to fix it.
public struct Violation: Hashable, Sendable {
    /// The bytes the finding is about.
    public let range: TextRange
    /// A message for this case; the rule's summary when nil.
    public var message: String? {
        guard let template else { return text }
        return template.message(with: text ?? "")
    }
    /// The whole message, or the varying part of ``template``'s.
    let text: String?
    /// The fixed text of the message, when only part of it varies.
    let template: MessageTemplate?
    /// A fix, when one exists.
    public let fix: Fix?

    /// Creates a violation.
    public init(range: TextRange, message: String? = nil, fix: Fix? = nil) {
        self.range = range
        text = message
        template = nil
        self.fix = fix
    }

    /// Creates a violation whose message is `template` with `part` in it, spelled out
    /// only when the finding is printed.
    public init(range: TextRange, message template: MessageTemplate, with part: String, fix: Fix? = nil) {
        self.range = range
        text = part
        self.template = template
        self.fix = fix
    }

    /// Creates a violation whose message is `template` (one that takes its parts in
    /// order) with `parts` in its gaps, spelled out only when the finding is printed.
    public init(range: TextRange, message template: MessageTemplate, with parts: [String], fix: Fix? = nil) {
        self.range = range
        text = MessageTemplate.packing(parts)
        self.template = template
        self.fix = fix
    }

    /// Equal when they say the same, however the message is stored.
    public static func == (lhs: Violation, rhs: Violation) -> Bool {
        lhs.range == rhs.range && lhs.message == rhs.message && lhs.fix == rhs.fix
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(range)
        hasher.combine(message)
        hasher.combine(fix)
    }
}
