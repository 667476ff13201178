/// A change a fix makes to a file beside the Dockerfile rather than to the Dockerfile
/// itself: lines appended to the build context's ignore file.
///
/// Rules never touch the file system, so the edit names the file by its role and
/// records the text the rule saw; whoever writes it (the CLI's `fix` for a file on
/// disk) applies it only while the file still holds that text, through the same
/// atomic, checked write as the Dockerfile. From standard input nothing but the
/// Dockerfile is ever written, and the language server offers no such fix.
public struct FileEdit: Hashable, Sendable {
    /// The files a fix may change beside the Dockerfile.
    public enum Target: String, Hashable, Sendable {
        /// The ignore file the build uses: `<Dockerfile>.dockerignore` when it exists,
        /// else `.dockerignore` at the context root (created when missing).
        case dockerignore
    }

    /// Which file.
    public let target: Target
    /// The file's text when the rule saw it; nil when it did not exist.
    public let original: String?
    /// The lines to append, each ending in a newline.
    public let appendedLines: [String]

    /// Creates an edit that appends `appendedLines` to the file that held `original`.
    public init(target: Target, original: String?, appendedLines: [String]) {
        self.target = target
        self.original = original
        self.appendedLines = appendedLines
    }

    /// The new text, or nil when `current` is no longer what the rule saw.
    public func applied(to current: String?) -> String? {
        guard current == original else { return nil }
        var text = current ?? ""
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        return text + appendedLines.joined()
    }
}
