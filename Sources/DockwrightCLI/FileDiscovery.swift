#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds Dockerfiles under the paths given on the command line.
enum FileDiscovery {
    /// Whether a file name is a Dockerfile name: `Dockerfile`, `Containerfile`,
    /// `Dockerfile.*`, `Containerfile.*`, `*.Dockerfile`, `*.dockerfile`, `*.containerfile`,
    /// in any case, but not `*.dockerignore`: `Dockerfile.dockerignore` is BuildKit's
    /// ignore file for `Dockerfile` (dockerui's `DockerIgnorePatterns`).
    ///
    /// `.pre-commit-hooks.yaml` spells the same set as a regular expression;
    /// PreCommitHookTests keeps the two in step.
    static func isDockerfileName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        if lowered.hasSuffix(".dockerignore") { return false }
        if lowered == "dockerfile" || lowered == "containerfile" { return true }
        if lowered.hasPrefix("dockerfile.") || lowered.hasPrefix("containerfile.") { return true }
        return lowered.hasSuffix(".dockerfile") || lowered.hasSuffix(".containerfile")
    }

    /// The files to check: files given directly are taken as they are; folders are
    /// walked (skipping `.git` and hidden build folders) in sorted order.
    static func files(in paths: [String], excluding excludes: [String] = []) -> (files: [String], errors: [String]) {
        let found = filesWithRoots(in: paths, excluding: excludes)
        return (found.files.map(\.path), found.errors)
    }

    /// The files to check, each with the command-line path it was found under.
    static func filesWithRoots(
        in paths: [String], excluding excludes: [String] = []
    ) -> (files: [(path: String, root: String)], errors: [String]) {
        var found: [(path: String, root: String)] = []
        var errors: [String] = []
        for path in paths {
            let (files, pathErrors) = filesUnder(path, excluding: excludes)
            found += files.map { ($0, path) }
            errors += pathErrors
        }
        return (found, errors)
    }

    private static func filesUnder(_ path: String, excluding excludes: [String]) -> (files: [String], errors: [String]) {
        let paths = [path]
        var files: [String] = []
        var errors: [String] = []
        for path in paths {
            guard let status = RawPath.status(path) else {
                errors.append("\(RawPath.display(path)): cannot read: \(String(cString: strerror(errno)))")
                continue
            }
            if (status.st_mode & S_IFMT) == S_IFDIR {
                walk(path, excluding: excludes, into: &files, errors: &errors)
            } else if !isExcluded(path, by: excludes) {
                files.append(path)
            }
        }
        return (files, errors)
    }

    /// Whether a path, or its last component, matches one of the `--exclude` globs
    /// (byte for byte, as the shell matches names).
    static func isExcluded(_ path: String, by globs: [String]) -> Bool {
        // Usually no globs: then nothing is split per file.
        guard !globs.isEmpty else { return false }
        let trimmed = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        let name = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
        return globs.contains { glob in
            RawPath.withCString(glob) { pattern in
                RawPath.withCString(trimmed) { fnmatch(pattern, $0, 0) } == 0
                    || RawPath.withCString(name) { fnmatch(pattern, $0, 0) } == 0
            }
        }
    }

    private static func walk(_ folder: String, excluding excludes: [String], into files: inout [String],
                             errors: inout [String]) {
        // An unreadable folder may hold Dockerfiles: say so rather than pass it by.
        guard let directory = RawPath.withCString(folder, { opendir($0) }) else {
            errors.append("\(RawPath.display(folder)): cannot read: \(String(cString: strerror(errno)))")
            return
        }
        defer { closedir(directory) }
        var names: [(name: String, isDirectory: Bool)] = []
        while let entry = readdir(directory) {
            // Every byte kept: a name that is not UTF-8 is opened again as it is.
            let name = RawPath.name(of: entry)
            if name == "." || name == ".." { continue }
            var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                // Some file systems do not fill d_type: ask lstat (a link is not followed).
                let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                isDirectory = RawPath.status(path, followingLinks: false).map { ($0.st_mode & S_IFMT) == S_IFDIR } ?? false
            }
            names.append((name, isDirectory))
        }
        for (name, isDirectory) in names.sorted(by: { $0.name < $1.name }) {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            if isExcluded(path, by: excludes) { continue }
            if isDirectory {
                if name == ".git" || name == ".build" || name == "node_modules" { continue }
                walk(path, excluding: excludes, into: &files, errors: &errors)
            } else if isDockerfileName(name) && !FileWriter.isTemporaryName(name) {
                files.append(path)
            }
        }
    }
}
