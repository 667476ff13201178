/// A change that resolves a violation: edits applied all together or not at all.
public struct Fix: Hashable, Sendable {
    /// What the fix does, in the imperative ("Replace `ADD` with `COPY`").
    public let title: String
    /// How safe it is.
    public let applicability: Applicability
    /// The edits, sorted by position and not overlapping.
    public let edits: [Edit]
    /// Changes to files beside the Dockerfile (see ``FileEdit``); empty for most fixes.
    public let fileEdits: [FileEdit]

    /// Creates a fix; edits are sorted by position.
    public init(title: String, applicability: Applicability, edits: [Edit], fileEdits: [FileEdit] = []) {
        self.title = title
        self.applicability = applicability
        self.fileEdits = fileEdits
        self.edits = edits.sorted { ($0.range.start, $0.range.end) < ($1.range.start, $1.range.end) }
    }
}
