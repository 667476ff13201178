import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// The few file effects the wasted-layer rules (DW310–DW312) read: which paths a COPY,
/// ADD or download writes and which paths a later command deletes or re-permissions,
/// as absolute image paths. Kept small and literal so it can give way to the model's
/// effects walker: a path is only known when every part of it is literal (after ARG
/// and ENV substitution for COPY and WORKDIR).
enum LayerWrites {
    /// The absolute, normalised form of `value` in `workingDirectory`, or nil when the
    /// path is not literal, is relative to a folder the Dockerfile does not show, or
    /// holds a glob character (other than a trailing `/*`, which stands for the folder's
    /// contents and is kept).
    static func resolve(_ value: String, in workingDirectory: LayerOrdering.ImagePath?) -> String? {
        guard !value.isEmpty, !value.hasPrefix("-"), !value.hasPrefix("~") else { return nil }
        var body = Substring(value)
        var suffix = ""
        if body.hasSuffix("/*") {
            body = body.dropLast(2)
            suffix = "/*"
        }
        guard !body.contains(where: { "*?[$`\\".contains($0) }) else { return nil }
        let resolved: String
        if body.hasPrefix("/") {
            resolved = LayerOrdering.normalizedPath(String(body))
        } else {
            guard case .absolute(let folder)? = workingDirectory?.appending(String(body)) else { return nil }
            resolved = folder
        }
        return suffix.isEmpty ? resolved : (resolved == "/" ? "/*" : resolved + suffix)
    }

    /// Whether deleting `removed` (a path, or `folder/*`) deletes `written` too: the same
    /// path, or a folder above it.
    static func removal(_ removed: String, covers written: String) -> Bool {
        if removed.hasSuffix("/*") {
            let folder = String(removed.dropLast(2))
            return written.hasPrefix(folder == "" ? "/" : folder + "/") && written != folder
        }
        return removed == written || written.hasPrefix(removed == "/" ? "/" : removed + "/")
    }

    /// The paths a COPY or ADD writes, when they are known: the destination itself for
    /// one source copied to a name, or `destination/<basename>` for each source copied
    /// into a folder. Sources that are folders or globs write what is inside them, which
    /// is not known here, so they give no path; so do heredoc copies.
    static func copiedPaths(
        of instruction: InstructionSyntax, workingDirectory: LayerOrdering.ImagePath?, scope: ArgScope
    ) -> [(path: String, source: String)] {
        guard let arguments = LayerOrdering.copyArguments(of: instruction),
              let destination = LayerOrdering.expanded(arguments.destination, before: instruction, scope: scope)
        else { return [] }
        let intoFolder = destination.hasSuffix("/") || arguments.sources.count > 1
        var found: [(path: String, source: String)] = []
        for source in arguments.sources {
            let isRemote = CopySource(source).isRemote
            let name = source.split(separator: "/").last.map(String.init) ?? ""
            // A folder (`.`, `src/`) or a glob copies contents we cannot list.
            guard !name.isEmpty, name != ".", name != "..", !source.hasSuffix("/"),
                  !name.contains(where: { "*?[$".contains($0) }) else { continue }
            // ADD extracts a local archive, and names a URL's file after the URL.
            if instruction.kind == .add && !isRemote && isArchive(name) { continue }
            if intoFolder && isRemote { continue }
            let target = intoFolder ? destination + "/" + name : destination
            if let path = resolve(target, in: workingDirectory) { found.append((path, source)) }
        }
        return found
    }

    /// Whether `ADD` extracts a local file of this name (tar, optionally gzip, bzip2 or xz).
    static func isArchive(_ name: String) -> Bool {
        [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tb2", ".tar.xz", ".txz"].contains {
            name.hasSuffix($0) && name.count > $0.count
        }
    }

    /// The file a `curl -o FILE` or `wget -O FILE` command saves, as written, with its word.
    static func downloadTarget(of view: CommandView) -> ShellWord? {
        let words = Array(view.arguments)
        let (short, long): (String, String)
        switch view.name {
        case "curl": (short, long) = ("-o", "--output")
        case "wget": (short, long) = ("-O", "--output-document")
        default: return nil
        }
        for (index, word) in words.enumerated() {
            guard let value = word.literalValue else { continue }
            if value == "--" { break }
            if (value == short || value == long), index + 1 < words.count {
                let target = words[index + 1]
                // `-O -` writes to standard output.
                return target.literalValue == "-" ? nil : target
            }
        }
        return nil
    }

    /// The operand words of an `rm` (flags and `--` left out).
    static func removedWords(of view: CommandView) -> [ShellWord] {
        guard view.name == "rm" else { return [] }
        var operands: [ShellWord] = []
        var flagsEnded = false
        for word in view.arguments {
            if !flagsEnded, let value = word.literalValue {
                if value == "--" {
                    flagsEnded = true
                    continue
                }
                if CommandView.isFlagLike(value) { continue }
            }
            operands.append(word)
        }
        return operands
    }

    /// The working folder of each command of a script: the WORKDIR in effect, until the
    /// main shell runs `cd` (or any command changes folder in a way not followed), from
    /// where on relative paths are unknown (nil).
    static func workingDirectories(
        of script: ShellScript, startingIn workingDirectory: LayerOrdering.ImagePath?
    ) -> [LayerOrdering.ImagePath?] {
        var current = workingDirectory
        var folders: [LayerOrdering.ImagePath?] = []
        for view in script.commands {
            folders.append(current)
            let first = view.command.words.first?.literalValue ?? ""
            if ["cd", "pushd", "popd"].contains(first) || ["cd", "pushd", "popd"].contains(view.name ?? "") {
                current = nil
            }
        }
        return folders
    }

    /// Whether a `--mount` of the RUN (any type) covers `path`: its writes go to the mount.
    static func isMounted(_ path: String, in run: InstructionSyntax) -> Bool {
        RunMount.mounts(of: run).contains { mount in
            guard let target = mount.target, let folder = resolve(target, in: .absolute("/")) else { return false }
            return removal(folder, covers: path) || folder == path
        }
    }

    /// "line N" of an instruction, for messages that name two layers.
    static func lineText(_ instruction: InstructionSyntax) -> String { "line \(instruction.startLine)" }
}
