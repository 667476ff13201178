import DockwrightOutput

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
            var status = stat()
            guard stat(path, &status) == 0 else {
                errors.append("\(path): cannot read: \(String(cString: strerror(errno)))")
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

    /// Whether a path, or its last component, matches one of the `--exclude` globs.
    static func isExcluded(_ path: String, by globs: [String]) -> Bool {
        let trimmed = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        let name = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
        return globs.contains { glob in
            fnmatch(glob, trimmed, 0) == 0 || fnmatch(glob, name, 0) == 0
        }
    }

    private static func walk(_ folder: String, excluding excludes: [String], into files: inout [String],
                             errors: inout [String]) {
        // An unreadable folder may hold Dockerfiles: say so rather than pass it by.
        guard let directory = opendir(folder) else {
            errors.append("\(folder): cannot read: \(String(cString: strerror(errno)))")
            return
        }
        defer { closedir(directory) }
        var names: [(name: String, isDirectory: Bool, isValid: Bool)] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            let name = String(decoding: bytes, as: UTF8.self)
            if name == "." || name == ".." { continue }
            var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                // Some file systems do not fill d_type: ask lstat (a link is not followed).
                var status = stat()
                let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                isDirectory = lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
            }
            names.append((name, isDirectory, String(validating: bytes, as: UTF8.self) != nil))
        }
        for (name, isDirectory, isValid) in names.sorted(by: { $0.name < $1.name }) {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            if isExcluded(path, by: excludes) { continue }
            // Paths are Swift strings, which cannot hold bytes that are not UTF-8: such a
            // name could not be opened again, so say why instead of "No such file".
            if !isValid && (isDirectory || isDockerfileName(name)) {
                errors.append("\(TerminalText.escaped(path)): cannot read: its name is not valid UTF-8 "
                    + "(shown with U+FFFD); rename it")
                continue
            }
            if isDirectory {
                if name == ".git" || name == ".build" || name == "node_modules" { continue }
                walk(path, excluding: excludes, into: &files, errors: &errors)
            } else if isDockerfileName(name) && !FileWriter.isTemporaryName(name) {
                files.append(path)
            }
        }
    }
}
