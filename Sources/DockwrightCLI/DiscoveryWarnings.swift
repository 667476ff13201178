#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Warnings about what discovery did not find: a folder given on the command line
/// that held no Dockerfile would otherwise print nothing and exit 0, which reads as
/// "all clean" (ruff warns the same way).
enum DiscoveryWarnings {
    /// One warning per folder among `paths` under which no file was found; it names
    /// near misses in the folder itself (`Dockerfile-dev`), which only a path selects.
    static func emptyPaths(_ paths: [String], found: [(path: String, root: String)]) -> [String] {
        let roots = Set(found.map(\.root))
        return paths.filter { $0 != "-" && !roots.contains($0) && isDirectory($0) }.map { folder in
            let nearMisses = nearMisses(in: folder)
            let hint = nearMisses.isEmpty ? ""
                : "; \(nearMisses.map { "'\($0)'" }.joined(separator: ", ")) "
                    + "\(nearMisses.count == 1 ? "is" : "are") not named like one; pass a file by its path to lint it"
            return "dockwright: warning: no Dockerfile in '\(RawPath.display(folder))' (looked for Dockerfile, Containerfile, "
                + "Dockerfile.*, *.Dockerfile)\(hint)"
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        RawPath.status(path).map { ($0.st_mode & S_IFMT) == S_IFDIR } ?? false
    }

    /// Files of the folder whose names start like a Dockerfile's but are not one.
    private static func nearMisses(in folder: String) -> [String] {
        guard let directory = RawPath.withCString(folder, { opendir($0) }) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = RawPath.name(of: entry)
            let lowered = name.lowercased()
            if (lowered.hasPrefix("dockerfile") || lowered.hasPrefix("containerfile")) && !lowered.hasSuffix(".dockerignore")
                && !FileDiscovery.isDockerfileName(name) {
                names.append(RawPath.display(name))
            }
        }
        return names.sorted()
    }
}
