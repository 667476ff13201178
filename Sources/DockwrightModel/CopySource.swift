import DockwrightSyntax

/// What a COPY or ADD source names, decided once for every rule: a path in the build
/// context, a file fetched over HTTP(S), or a git repository (ADD only, in BuildKit's
/// dockerfile2llb: `isHTTPSource` and `gitutil.ParseGitRef`).
public enum CopySource: Hashable, Sendable {
    /// A path in the build context (or in the `--from` stage or image).
    case local
    /// An `http://` or `https://` URL that is not a git repository.
    case httpFile
    /// A git repository: `git@host:…`, `git://…`, or a URL ending in `.git` (optionally
    /// with a `#ref`).
    case git
    /// Another URL scheme (`ftp://`, `s3://`): not the build context, nothing ADD fetches.
    case otherURL

    /// The kind of `source` as written after unquoting; letter case does not matter.
    public init(_ source: String) {
        // Most sources are paths: without `://` and a `git@` start they are local, told
        // from the bytes before the lowercase copy and its character-by-character scans.
        guard source.containsBytes(of: "://") || Self.startsWithGitAt(source) else {
            self = .local
            return
        }
        let lowered = source.lowercased()
        let path = lowered.prefix { $0 != "#" && $0 != "?" }
        if lowered.hasPrefix("git@") || lowered.hasPrefix("git://") {
            self = .git
        } else if lowered.containsBytes(of: "://") {
            if path.hasSuffix(".git") || lowered.containsBytes(of: ".git#") {
                self = .git
            } else if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
                self = .httpFile
            } else {
                self = .otherURL
            }
        } else {
            self = .local
        }
    }

    /// Whether the source comes from outside the build context's files (a URL or git).
    public var isRemote: Bool { self != .local }

    /// Whether `source` starts with `git@` in any letter case: only ASCII letters lowercase
    /// to `g`, `i` and `t`, so the first four bytes tell what the lowercased text would.
    private static func startsWithGitAt(_ source: String) -> Bool {
        var bytes = source.utf8.makeIterator()
        for expected in "git@".utf8 {
            guard let byte = bytes.next(), byte.asciiLowercased == expected else { return false }
        }
        return true
    }
}
