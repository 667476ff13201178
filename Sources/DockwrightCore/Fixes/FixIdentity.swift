/// What makes one proposed fix the same fix from one pass of the fix loop to the next:
/// the rule that proposed it, and what it does to which bytes.
///
/// Positions shift as other fixes apply, and titles are often constants shared by every
/// fix of a rule, so neither names a fix. The code, the title and, for each edit, the
/// bytes it replaces and the text it writes do: rejecting a fix that breaks the file
/// then rejects exactly that change, not every fix of its rule.
public struct FixIdentity: Hashable, Sendable {
    /// The code of the rule that proposed the fix.
    public let code: String
    /// The fix's title.
    public let title: String
    /// For each edit, in order, the bytes it replaces and its replacement.
    public let edits: [EditContent]

    /// One edit as content: what it removes and what it writes.
    public struct EditContent: Hashable, Sendable {
        /// The bytes the edit replaces.
        public let replaced: [UInt8]
        /// The text the edit writes.
        public let replacement: String
    }

    /// The identity of `fix`, proposed by the rule `code` for `bytes`.
    public init(code: String, fix: Fix, in bytes: [UInt8]) {
        self.code = code
        self.title = fix.title
        self.edits = fix.edits.map { edit in
            let start = min(max(0, edit.range.start), bytes.count)
            let end = min(max(start, edit.range.end), bytes.count)
            return EditContent(replaced: Array(bytes[start..<end]), replacement: edit.replacement)
        }
    }
}
