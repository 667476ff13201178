/// A change that resolves a violation: edits applied all together or not at all.
///
/// One reference to an immutable box: findings are kept for a whole file (tens of
/// thousands in a file of many RUNs), and most fixes have a single edit, which the box
/// holds without an array of its own.
public struct Fix: Hashable, Sendable {
    private final class Storage: Sendable {
        let title: String
        /// The first edit by position; nil only for a fix that writes other files alone.
        let firstEdit: Edit?
        /// After the edit, in the padding its optional leaves.
        let applicability: Applicability
        /// The edits after the first, by position; empty (no allocation) for one edit.
        let laterEdits: [Edit]
        let fileEdits: [FileEdit]

        init(title: String, applicability: Applicability, sortedEdits: [Edit], fileEdits: [FileEdit]) {
            self.title = title
            self.applicability = applicability
            firstEdit = sortedEdits.first
            laterEdits = sortedEdits.count > 1 ? Array(sortedEdits.dropFirst()) : []
            self.fileEdits = fileEdits
        }
    }

    private let storage: Storage

    /// What the fix does, in the imperative ("Replace `ADD` with `COPY`").
    public var title: String { storage.title }
    /// How safe it is.
    public var applicability: Applicability { storage.applicability }
    /// The edits, sorted by position and not overlapping.
    public var edits: [Edit] {
        guard let first = storage.firstEdit else { return [] }
        return [first] + storage.laterEdits
    }
    /// The first edit by position, read without building ``edits``.
    var firstEdit: Edit? { storage.firstEdit }
    /// Changes to files beside the Dockerfile (see ``FileEdit``); empty for most fixes.
    public var fileEdits: [FileEdit] { storage.fileEdits }

    /// Creates a fix; edits are sorted by position.
    public init(title: String, applicability: Applicability, edits: [Edit], fileEdits: [FileEdit] = []) {
        let sorted = edits.count > 1
            ? edits.sorted { ($0.range.start, $0.range.end) < ($1.range.start, $1.range.end) } : edits
        storage = Storage(title: title, applicability: applicability, sortedEdits: sorted, fileEdits: fileEdits)
    }

    public static func == (lhs: Fix, rhs: Fix) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.title == rhs.title && lhs.applicability == rhs.applicability
                && lhs.storage.firstEdit == rhs.storage.firstEdit && lhs.storage.laterEdits == rhs.storage.laterEdits
                && lhs.fileEdits == rhs.fileEdits)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(title)
        hasher.combine(applicability)
        hasher.combine(storage.firstEdit)
        hasher.combine(storage.laterEdits)
        hasher.combine(fileEdits)
    }
}
