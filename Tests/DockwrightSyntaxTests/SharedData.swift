import Foundation

/// Finds the `shared/` folder that sits beside the repository (in CI, a copy of it).
enum SharedData {
    /// The repository root, found from this file's path.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` relative to the repository, or `DOCKWRIGHT_SHARED` when set.
    static let root: URL = {
        if let override = ProcessInfo.processInfo.environment["DOCKWRIGHT_SHARED"] {
            return URL(fileURLWithPath: override)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    static var conformance: URL { root.appendingPathComponent("conformance/buildkit-parser") }
    static var corpus: URL { root.appendingPathComponent("corpus/files") }

    static func exists(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.path)
    }

    /// The immediate subfolders of `url`, sorted by name.
    static func folders(in url: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.sorted().map { url.appendingPathComponent($0) }.filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }

    static func bytes(_ url: URL) -> [UInt8] {
        (try? Data(contentsOf: url)).map { Array($0) } ?? []
    }
}
