/// A finding's message whose one varying part (a package's name, a path) goes into fixed
/// text, spelled out only when the finding is printed. A file with a finding on every
/// line keeps the fixed text once and, per finding, the varying part alone, which is
/// usually short enough to live inside the finding: a string of at most 15 UTF-8 bytes
/// takes no memory of its own, where the whole message took a block of 96 or more.
public final class MessageTemplate: Hashable, Sendable {
    private let pieces: [String]

    /// A template whose varying part goes between each two of `pieces`, once per gap:
    /// `MessageTemplate("`", "` is unpinned; write `", "=<version>`")` gives
    /// "`curl` is unpinned; write `curl=<version>`" for `curl`.
    public init(_ pieces: String...) {
        self.pieces = pieces
    }

    /// The message for one finding.
    public func message(with part: String) -> String {
        pieces.joined(separator: part)
    }

    public static func == (lhs: MessageTemplate, rhs: MessageTemplate) -> Bool {
        lhs === rhs || lhs.pieces == rhs.pieces
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pieces)
    }
}
