/// The files of a build context, as paths relative to its root.
///
/// Rules never touch the file system; the CLI lists the context folder (`--context DIR`,
/// by default the Dockerfile's folder) and the linter hands the listing to every rule
/// through ``RuleContext``, so `deps-before-source` copies only the manifests that exist.
/// Paths use `/`, have no leading `./`, and name files, not folders.
public struct BuildContextListing: Hashable, Sendable {
    /// The files, normalised.
    public let files: Set<String>
    /// The text of the ignore file the build uses (`<Dockerfile>.dockerignore` next to
    /// the Dockerfile, else `.dockerignore` at the context root), or nil when there is none.
    public let dockerignore: String?
    /// Folders that exist but whose files are not listed (`.git`, `node_modules`, …:
    /// the lister does not walk them), relative to the root.
    public let unlistedFolders: Set<String>
    /// The name of the ignore file the build uses, for messages: `.dockerignore`, or
    /// `<Dockerfile>.dockerignore` when the Dockerfile has its own.
    public let dockerignoreName: String
    /// Facts derived from the files, shared by every Dockerfile linted against this
    /// listing (a context can list thousands of files, and many Dockerfiles share one).
    private let facts = FactStore()

    /// Creates a listing from file paths relative to the context root.
    ///
    /// Arrays, not generic sequences: the CLI calls this from another module, where a
    /// generic initializer ran unspecialized over every file of the context.
    public init(files: [String], dockerignore: String? = nil, unlistedFolders: [String] = [],
                dockerignoreName: String = ".dockerignore") {
        var normalizedFiles = Set<String>(minimumCapacity: files.count)
        for file in files {
            let path = Self.normalized(file)
            if !path.isEmpty { normalizedFiles.insert(path) }
        }
        self.files = normalizedFiles
        self.dockerignore = dockerignore
        self.unlistedFolders = Set(unlistedFolders.map(Self.normalized).filter { !$0.isEmpty })
        self.dockerignoreName = dockerignoreName
    }

    /// The same files with another ignore file's text, for a Dockerfile that has its own.
    public func replacingDockerignore(with text: String?, named name: String = ".dockerignore") -> BuildContextListing {
        BuildContextListing(files: files, normalizedFiles: (), dockerignore: text, unlistedFolders: unlistedFolders,
                            dockerignoreName: name)
    }

    private init(files: Set<String>, normalizedFiles: Void, dockerignore: String?, unlistedFolders: Set<String>,
                 dockerignoreName: String) {
        self.files = files
        self.dockerignore = dockerignore
        self.unlistedFolders = unlistedFolders
        self.dockerignoreName = dockerignoreName
    }

    /// A fact derived from the files and unlisted folders (which of them hold secrets,
    /// say): worked out on first use and kept with the listing, so a folder of many
    /// Dockerfiles that share one context pays for it once, not once per Dockerfile.
    public func derived<Key: BuildContextFact>(_ key: Key.Type) -> Key.Value {
        facts.value(for: key) { Key.compute(from: self) }
    }

    public static func == (lhs: BuildContextListing, rhs: BuildContextListing) -> Bool {
        lhs.files == rhs.files && lhs.dockerignore == rhs.dockerignore && lhs.unlistedFolders == rhs.unlistedFolders
            && lhs.dockerignoreName == rhs.dockerignoreName
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(files)
        hasher.combine(dockerignore)
        hasher.combine(unlistedFolders)
        hasher.combine(dockerignoreName)
    }

    /// Whether the file `path` exists in the context.
    public func containsFile(_ path: String) -> Bool {
        files.contains(Self.normalized(path))
    }

    /// Whether a folder `path` holds at least one file (at any depth).
    public func containsFolder(_ path: String) -> Bool {
        let prefix = Self.normalized(path)
        guard !prefix.isEmpty else { return !files.isEmpty }
        return files.contains { $0.hasPrefix(prefix + "/") }
    }

    /// The files directly inside the folder `path` ("" for the root), by name.
    public func fileNames(inFolder path: String) -> [String] {
        let folder = Self.normalized(path)
        let prefix = folder.isEmpty ? "" : folder + "/"
        return files.compactMap { file -> String? in
            guard file.hasPrefix(prefix) else { return nil }
            let name = file.dropFirst(prefix.count)
            return name.contains("/") ? nil : String(name)
        }.sorted()
    }

    /// `path` with `./` segments, repeated and trailing slashes removed.
    static func normalized(_ path: String) -> String {
        // Most paths, and every path a folder walk lists, are already normal: no empty
        // or `.` segment. Checked on bytes first, as a context can list many thousand files.
        var text = path
        if text.withUTF8(isNormalized) { return path }
        return path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }

    /// Read from the contiguous bytes: iterating the UTF-8 view cost about thirty
    /// instructions a byte.
    private static func isNormalized(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        var segmentLength = 0
        var segmentIsDot = false
        for byte in path {
            if byte == slash {
                if segmentLength == 0 || segmentIsDot { return false }
                segmentLength = 0
                segmentIsDot = false
            } else {
                segmentIsDot = segmentLength == 0 && byte == dot
                segmentLength += 1
            }
        }
        return segmentLength > 0 && !segmentIsDot
    }
}

/// A fact a rule derives from a build context's files alone, never from its ignore
/// file or a Dockerfile: ask with ``BuildContextListing/derived(_:)``.
public protocol BuildContextFact {
    /// What the fact is.
    associatedtype Value: Sendable
    /// Works the fact out from the listing's files and unlisted folders.
    static func compute(from listing: BuildContextListing) -> Value
}
