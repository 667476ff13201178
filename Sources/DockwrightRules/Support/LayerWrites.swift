import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// What the wasted-layer rules (DW310–DW312) read about paths, as absolute image paths:
/// which files a COPY or ADD stores, and the absolute form of what the model's effects
/// walker says a RUN writes, deletes or re-permissions. A path is only known when every
/// part of it is literal (after ARG and ENV substitution for COPY and WORKDIR).
enum LayerWrites {
    /// The absolute, normalised form of `value` in `workingDirectory`, or nil when the
    /// path is not literal, is relative to a folder the Dockerfile does not show, or
    /// holds a glob character (other than a trailing `/*`, which stands for the folder's
    /// contents and is kept).
    static func resolve(_ value: String, in workingDirectory: ImagePath?) -> String? {
        guard !value.isEmpty, !value.hasPrefix("-"), !value.hasPrefix("~") else { return nil }
        var body = Substring(value)
        var suffix = ""
        if body.hasSuffix("/*") {
            body = body.dropLast(2)
            suffix = "/*"
        }
        guard !ImagePath.hasGlob(body), !body.contains(where: { "$`\\".contains($0) }) else { return nil }
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
    static func copiedPaths(of instruction: InstructionSyntax, in context: RuleContext) -> [(path: String, source: String)] {
        guard let arguments = LayerOrdering.copyArguments(of: instruction),
              let destination = LayerOrdering.expanded(arguments.destination, before: instruction, scope: context.stages.argScope)
        else { return [] }
        let workingDirectory = context.model.workingDirectory(before: instruction)
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

    /// The absolute path of a script's file effect, `folder/*` for what is inside a
    /// folder, or nil when the path is relative to a folder the Dockerfile does not show
    /// or holds other globs or values known only at run time.
    static func absolutePath(of effect: PathEffect, in script: ShellScript) -> String? {
        guard case .absolute(let path)? = effect.path else { return nil }
        if effect.isResolved { return path }
        // The walker writes `*` for a value known only at run time too (`/tmp/$NAME`):
        // only a literal word ending in `/*`, or the root of `find … -delete`, stands for
        // a folder's contents.
        let written = script.text(effect.range)
        let folder = written.hasSuffix("/*") ? written.dropLast(2) : Substring(written)
        guard path.hasSuffix("/*"), !ImagePath.hasGlob(path.dropLast(2)), !ImagePath.hasGlob(folder),
              !written.contains(where: { "$`\"'\\".contains($0) }) else { return nil }
        return path
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
