/// A Dockerfile snippet in a rule's documentation; `↓` marks where each finding starts.
public struct Example: Hashable, Sendable {
    /// The snippet, with `↓` markers.
    public let code: String
    /// The build context's `.dockerignore`, for rules that read it; nil for no build context.
    public let dockerignore: String?
    /// The build context's files, for rules that read them; a path ending in `/` is a
    /// folder whose files are not listed (`.git/`). Nil with no `.dockerignore` either:
    /// no build context.
    public let contextFiles: [String]?
    /// Where the example is written, so a failing example is reported at its own line.
    public let file: String
    public let line: Int

    /// Creates an example.
    public init(_ code: String, dockerignore: String? = nil, contextFiles: [String]? = nil, file: String = #filePath,
                line: Int = #line) {
        self.code = code
        self.dockerignore = dockerignore
        self.contextFiles = contextFiles
        self.file = file
        self.line = line
    }

    /// The build context the example is linted with: none, or one with its files and `.dockerignore`.
    public var buildContext: BuildContextListing? {
        BuildContextListing.example(files: contextFiles, dockerignore: dockerignore)
    }

    /// The marker that shows where a finding starts.
    public static let marker: Character = "↓"

    /// The snippet without markers, and the byte offsets the markers stood at.
    public var strippedCodeAndMarkers: (code: String, markers: [Int]) {
        var output = ""
        var markers: [Int] = []
        for character in code {
            if character == Self.marker {
                markers.append(output.utf8.count)
            } else {
                output.append(character)
            }
        }
        return (output, markers)
    }
}

/// A fix example: what `dockwright fix` makes of `before` at `applicability`.
public struct FixExample: Hashable, Sendable {
    /// The input, without markers.
    public let before: String
    /// The expected output.
    public let after: String
    /// The level the fix needs: `.safe` for `dockwright fix`, `.unsafe` for `--unsafe`.
    public let applicability: Applicability
    /// The build context's files and `.dockerignore` before the fix (see ``Example``).
    public let contextFiles: [String]?
    public let dockerignore: String?
    /// The `.dockerignore` the fix leaves, for a fix that writes it; nil otherwise.
    public let dockerignoreAfter: String?
    public let file: String
    public let line: Int

    /// Creates a fix example.
    public init(_ before: String, _ after: String, _ applicability: Applicability, contextFiles: [String]? = nil,
                dockerignore: String? = nil, dockerignoreAfter: String? = nil, file: String = #filePath, line: Int = #line) {
        self.before = before
        self.after = after
        self.applicability = applicability
        self.contextFiles = contextFiles
        self.dockerignore = dockerignore
        self.dockerignoreAfter = dockerignoreAfter
        self.file = file
        self.line = line
    }

    /// The build context the input is fixed with.
    public var buildContext: BuildContextListing? {
        BuildContextListing.example(files: contextFiles, dockerignore: dockerignore)
    }

    /// The build context after the fix wrote its `.dockerignore`.
    public var buildContextAfter: BuildContextListing? {
        BuildContextListing.example(files: contextFiles, dockerignore: dockerignoreAfter ?? dockerignore)
    }
}

extension BuildContextListing {
    /// An example's build context: files (a trailing `/` marks an unlisted folder) and
    /// ignore file; nil when the example has neither.
    static func example(files: [String]?, dockerignore: String?) -> BuildContextListing? {
        guard files != nil || dockerignore != nil else { return nil }
        let paths = files ?? []
        return BuildContextListing(
            files: paths.filter { !$0.hasSuffix("/") }, dockerignore: dockerignore,
            unlistedFolders: paths.filter { $0.hasSuffix("/") })
    }
}
