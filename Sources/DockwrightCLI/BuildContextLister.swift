import DockwrightCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists the files of a build context folder, for rules that can use them
/// (`deps-before-source` copies only the manifests that exist).
///
/// Manifests sit near the root, so the walk is breadth-first, a few levels deep,
/// skips dependency and VCS folders, and gives up (no listing, so rules fall back
/// to patterns that tolerate absent files) on a context too large to list quickly.
final class BuildContextLister {
    static let maximumDepth = 4
    static let maximumFiles = 20_000
    static let skippedFolders: Set<String> = [".git", "node_modules", ".build", "vendor", "target", "__pycache__", ".venv"]

    private var cache: [String: BuildContextListing?] = [:]

    /// The listing of `folder`, or nil when it cannot be listed completely enough.
    func listing(of folder: String) -> BuildContextListing? {
        if let cached = cache[folder] { return cached }
        let listing = Self.list(folder).map {
            $0.replacingDockerignore(with: Self.readText(folder + "/.dockerignore", inside: folder))
        }
        cache[folder] = listing
        return listing
    }

    /// The listing of `folder` for the Dockerfile at `dockerfilePath`: BuildKit reads
    /// `<Dockerfile>.dockerignore` next to the Dockerfile in place of the context's
    /// `.dockerignore` when it exists (dockerui's `DockerIgnorePatterns`).
    func listing(of folder: String, dockerfile dockerfilePath: String) -> BuildContextListing? {
        guard let listing = listing(of: folder) else { return nil }
        guard let path = Self.dockerfileIgnorePath(for: dockerfilePath), let text = Self.readText(path, inside: folder) else {
            return listing
        }
        return listing.replacingDockerignore(with: text, named: (path.split(separator: "/").last).map(String.init) ?? path)
    }

    /// `<Dockerfile>.dockerignore`, for a Dockerfile read from a file.
    static func dockerfileIgnorePath(for dockerfilePath: String) -> String? {
        dockerfilePath == "-" ? nil : dockerfilePath + ".dockerignore"
    }

    /// The text of a small ignore file, or nil when it does not exist, cannot be
    /// read, or is a link that leads out of the build context `folder`: the same
    /// containment as for Dockerfiles, so DW125 never answers questions about a
    /// file outside the tree (only regular files are read, never a FIFO).
    private static func readText(_ path: String, inside folder: String) -> String? {
        guard let resolved = FileWriter.realPath(path), let root = FileWriter.realPath(folder),
              resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/") else { return nil }
        guard let bytes = try? FileReader.read(path: path), bytes.count <= 1 << 20 else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func list(_ root: String) -> BuildContextListing? {
        var files: [String] = []
        var unlisted: [String] = []
        var queue: [(path: String, relative: String, depth: Int)] = [(root, "", 0)]
        var index = 0
        while index < queue.count {
            let (path, relative, depth) = queue[index]
            index += 1
            guard let directory = RawPath.withCString(path, { opendir($0) }) else {
                if depth == 0 { return nil }
                continue
            }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = RawPath.name(of: entry)
                if name == "." || name == ".." { continue }
                let childRelative = relative.isEmpty ? name : relative + "/" + name
                if entry.pointee.d_type == UInt8(DT_DIR) {
                    if skippedFolders.contains(name) {
                        unlisted.append(childRelative)
                    } else if depth + 1 < maximumDepth {
                        queue.append((path + "/" + name, childRelative, depth + 1))
                    }
                } else {
                    files.append(childRelative)
                    if files.count > maximumFiles { return nil }
                }
            }
        }
        return BuildContextListing(files: files, unlistedFolders: unlisted)
    }

    /// The build context of a Dockerfile: `--context DIR`, else the file's folder.
    static func contextFolder(for path: String, explicit: String?) -> String? {
        if let explicit { return explicit }
        guard path != "-" else { return nil }
        // Found among the bytes: `/` is ASCII, and a search by Character cost ten
        // thousand instructions a path, paid for every file linted.
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }
}
