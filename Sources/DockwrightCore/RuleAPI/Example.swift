/// A Dockerfile snippet in a rule's documentation; `↓` marks where each finding starts.
public struct Example: Hashable, Sendable {
    /// The snippet, with `↓` markers.
    public let code: String
    /// The build context's `.dockerignore`, for rules that read it; nil for no build context.
    public let dockerignore: String?
    /// Where the example is written, so a failing example is reported at its own line.
    public let file: String
    public let line: Int

    /// Creates an example.
    public init(_ code: String, dockerignore: String? = nil, file: String = #filePath, line: Int = #line) {
        self.code = code
        self.dockerignore = dockerignore
        self.file = file
        self.line = line
    }

    /// The build context the example is linted with: none, or an empty one with its `.dockerignore`.
    public var buildContext: BuildContextListing? {
        dockerignore.map { BuildContextListing(files: [], dockerignore: $0) }
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
    public let file: String
    public let line: Int

    /// Creates a fix example.
    public init(_ before: String, _ after: String, _ applicability: Applicability, file: String = #filePath, line: Int = #line) {
        self.before = before
        self.after = after
        self.applicability = applicability
        self.file = file
        self.line = line
    }
}
