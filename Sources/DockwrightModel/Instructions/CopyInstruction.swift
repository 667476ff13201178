import DockwrightSyntax

/// A `COPY` or `ADD`: its sources, destination and every flag BuildKit knows for them
/// (`instructions/commands.go`: `CopyCommand`, `AddCommand`).
public struct CopyInstruction: Sendable {
    /// The instruction.
    public let instruction: InstructionSyntax
    /// The source words as written (JSON-decoded in exec form); `<<EOF` for a heredoc.
    public let sourceTokens: [Token]
    /// The destination word as written.
    public let destinationToken: Token

    /// The view of a COPY or ADD with at least one source and a destination.
    public init?(_ instruction: InstructionSyntax) {
        guard instruction.kind == .copy || instruction.kind == .add else { return nil }
        switch instruction.arguments {
        case .words(let tokens), .execForm(let tokens):
            guard tokens.count >= 2, let last = tokens.last else { return nil }
            self.instruction = instruction
            sourceTokens = Array(tokens.dropLast())
            destinationToken = last
        default:
            return nil
        }
    }

    /// Whether this is an ADD.
    public var isAdd: Bool { instruction.kind == .add }

    /// The sources with one pair of surrounding quotes removed. BuildKit's word
    /// expansion removes quotes from the JSON elements of the exec form too.
    public var sources: [String] { sourceTokens.map { InstructionText.unquoted($0.text) } }

    /// The destination with one pair of surrounding quotes removed.
    public var destination: String { InstructionText.unquoted(destinationToken.text) }

    /// What each source names: the build context, a URL or a git repository.
    public var sourceKinds: [CopySource] { sources.map(CopySource.init) }

    /// Whether any source comes from outside the build context's files.
    public var hasRemoteSource: Bool { sourceKinds.contains { $0.isRemote } }

    /// The flags, read once.
    public var flags: InstructionFlags { InstructionFlags(instruction) }

    /// `--from`: the stage, image or named context the sources come from.
    public var from: String? { flags.string("from") }
    /// `--chown`.
    public var chown: String? { flags.string("chown") }
    /// `--chmod`.
    public var chmod: String? { flags.string("chmod") }
    /// `--link`.
    public var isLinked: Bool { flags.isOn("link") }
    /// `--exclude` patterns, in order.
    public var excludes: [String] { flags.strings("exclude") }
    /// `--parents` (COPY only).
    public var keepsParents: Bool { flags.isOn("parents") }
    /// `--checksum` (ADD only).
    public var checksum: String? { flags.string("checksum") }
    /// `--keep-git-dir` (ADD of a git source).
    public var keepsGitDirectory: Bool { flags.isOn("keep-git-dir") }

    /// Whether the sources are read from the build context: no `--from`.
    public var copiesFromContext: Bool { from == nil }

    /// Whether ADD would unpack `source`: a local tar archive, compressed or not (by
    /// name; BuildKit sniffs the bytes). URLs are never unpacked.
    public static func isArchive(_ source: String) -> Bool {
        guard CopySource(source) == .local else { return false }
        let name = source.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? source
        return archiveSuffixes.contains { name.hasSuffix($0) && name.count > $0.count }
    }

    /// The suffixes of the tar archives ADD unpacks (identity, gzip, bzip2, xz).
    public static let archiveSuffixes = [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tb2", ".tar.xz", ".txz"]
}
