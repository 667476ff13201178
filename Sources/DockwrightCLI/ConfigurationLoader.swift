import DockwrightCore
import DockwrightShell

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the configuration of each file: `.dockwright.json`, else `.hadolint.yaml`
/// or `.hadolint.yml`, in the file's folder or the nearest parent, stopping at the
/// repository root (the folder holding `.git`). Results are cached per folder.
final class ConfigurationLoader {
    private var cache: [String: Configuration] = [:]
    /// The working folder, read once: relative paths are many (every file a folder
    /// search finds), and reading it cost a 4 KB buffer per file.
    private lazy var workingFolder: String = {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        return getcwd(&buffer, buffer.count).map { _ in
            RawPath.string(buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) })
        } ?? "."
    }()
    private let explicit: Configuration?
    private let isIsolated: Bool

    /// `--config FILE` wins over discovery; `--isolated` turns configuration off.
    init(explicitPath: String?, isIsolated: Bool) throws(ConfigurationError) {
        self.isIsolated = isIsolated
        if let explicitPath, !isIsolated {
            explicit = try Self.load(explicitPath)
        } else {
            explicit = nil
        }
    }

    /// The configuration that applies to a file (or to standard input named `path`).
    func configuration(for path: String) throws(ConfigurationError) -> Configuration {
        if isIsolated { return Configuration() }
        if let explicit { return explicit }
        return try configuration(inFolder: folder(of: path))
    }

    private func configuration(inFolder folder: String) throws(ConfigurationError) -> Configuration {
        if let cached = cache[folder] { return cached }
        var result = Configuration()
        var found = false
        for name in [".dockwright.json", ".hadolint.yaml", ".hadolint.yml"] {
            let candidate = folder == "/" ? "/" + name : folder + "/" + name
            if Self.isFile(candidate) {
                result = try Self.load(candidate)
                found = true
                break
            }
        }
        if !found && !Self.exists(folder + "/.git"), let parent = Self.parent(of: folder) {
            result = try configuration(inFolder: parent)
        }
        cache[folder] = result
        return result
    }

    static func load(_ path: String) throws(ConfigurationError) -> Configuration {
        let bytes: [UInt8]
        do {
            bytes = try FileReader.read(path: path)
        } catch {
            throw ConfigurationError(path: RawPath.display(path), line: nil, message: "cannot read: \(error.reason)")
        }
        // The configuration keeps its path for messages only.
        if path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
            return try Configuration.fromHadolintYAML(bytes, path: RawPath.display(path))
        }
        return try Configuration.fromJSON(bytes, path: RawPath.display(path))
    }

    private func folder(of path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : workingFolder + "/" + path
        if Self.isDirectory(absolute) { return Self.normalized(absolute) }
        return Self.parent(of: Self.normalized(absolute)) ?? "/"
    }

    /// Removes `.` components and trailing slashes.
    /// The path with `.`, `..` and repeated slashes resolved (`..` stops at `/`): the
    /// image-path normalization, which reads these rules the same way.
    private static func normalized(_ path: String) -> String {
        ImagePath.normalizedPath(path)
    }

    private static func parent(of folder: String) -> String? {
        guard folder != "/" else { return nil }
        guard let slash = folder.lastIndex(of: "/") else { return nil }
        let parent = String(folder[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    private static func exists(_ path: String) -> Bool {
        RawPath.status(path) != nil
    }

    private static func isFile(_ path: String) -> Bool {
        RawPath.status(path).map { ($0.st_mode & S_IFMT) == S_IFREG } ?? false
    }

    private static func isDirectory(_ path: String) -> Bool {
        RawPath.status(path).map { ($0.st_mode & S_IFMT) == S_IFDIR } ?? false
    }
}
