/// A change that resolves a violation: edits applied all together or not at all.
///
/// One reference to an immutable buffer holding the title and the edits together:
/// findings are kept for a whole file (tens of thousands in a file of many RUNs), and a
/// fix that moves several RUNs has a dozen edits, which a separate array would hold in a
/// second allocation with its own header.
public struct Fix: Hashable, Sendable {
    /// What a fix holds besides its edits.
    /// Laid out so the count and the applicability share one word: 32 bytes.
    private struct Header {
        let title: String
        /// Changes to files beside the Dockerfile; empty (no allocation) for most fixes.
        let fileEdits: [FileEdit]
        let storedEditCount: UInt32
        let applicability: Applicability

        var editCount: Int { Int(storedEditCount) }
    }

    /// The header, then the edits sorted by position, in one allocation; never changed
    /// after ``make(header:copying:)`` fills it, hence safe to share between threads
    /// (``SharedStorage``: `ManagedBuffer` itself opts out of `Sendable`).
    private final class Storage: ManagedBuffer<Header, Edit> {
        /// Reads the edits in place.
        func withEdits<Result>(_ body: (UnsafeBufferPointer<Edit>) -> Result) -> Result {
            withUnsafeMutablePointers { header, elements in
                body(UnsafeBufferPointer(start: elements, count: header.pointee.editCount))
            }
        }

        deinit {
            _ = withUnsafeMutablePointers { header, elements in
                elements.deinitialize(count: header.pointee.editCount)
            }
        }
    }

    /// The immutable ``Storage`` of a fix, shared between threads.
    private struct SharedStorage: @unchecked Sendable {
        let buffer: Storage
    }

    private let shared: SharedStorage
    private var storage: Storage { shared.buffer }

    /// What the fix does, in the imperative ("Replace `ADD` with `COPY`").
    public var title: String { storage.header.title }
    /// How safe it is.
    public var applicability: Applicability { storage.header.applicability }
    /// The edits, sorted by position and not overlapping.
    public var edits: [Edit] { storage.withEdits { Array($0) } }
    /// The first edit by position, read without building ``edits``.
    var firstEdit: Edit? { storage.withEdits { $0.first } }
    /// Changes to files beside the Dockerfile (see ``FileEdit``); empty for most fixes.
    public var fileEdits: [FileEdit] { storage.header.fileEdits }

    /// Creates a fix; edits are sorted by position.
    public init(title: String, applicability: Applicability, edits: [Edit], fileEdits: [FileEdit] = []) {
        let sorted = edits.count > 1
            ? edits.sorted { ($0.range.start, $0.range.end) < ($1.range.start, $1.range.end) } : edits
        shared = SharedStorage(buffer: Storage.make(
            header: Header(title: title, fileEdits: fileEdits, storedEditCount: UInt32(sorted.count), applicability: applicability),
            copying: sorted))
    }

    public static func == (lhs: Fix, rhs: Fix) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.title == rhs.title && lhs.applicability == rhs.applicability
                && lhs.storage.withEdits { left in rhs.storage.withEdits { left.elementsEqual($0) } }
                && lhs.fileEdits == rhs.fileEdits)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(title)
        hasher.combine(applicability)
        storage.withEdits { edits in
            hasher.combine(edits.count)
            for edit in edits { hasher.combine(edit) }
        }
        hasher.combine(fileEdits)
    }
}
