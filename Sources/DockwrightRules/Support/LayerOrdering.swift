import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Shared pieces of the rules that reorder layers for the build cache (`deps-before-source`,
/// `static-before-volatile`): moving instructions as text, following WORKDIR, reading COPY
/// arguments, and telling which shell commands cannot read files a COPY brought in.
enum LayerOrdering {
    // MARK: - Moving instructions

    /// The bytes of `range` as text to insert elsewhere, ending with a line end (the last
    /// line of a file may have none).
    static func movableText(_ range: TextRange, in syntax: DockerfileSyntax, style: DockerfileStyle) -> String {
        let text = syntax.source.text(in: range)
        // Compare bytes: as Characters, `\r\n` is one grapheme and does not end with `\n`.
        return text.utf8.last == UInt8(ascii: "\n") ? text : text + style.lineEnding
    }

    /// The edits that move `block` (an instruction with its comments) to just before
    /// `target` (another one, above it). When the target starts a paragraph (a blank line
    /// above it) and a blank line follows the block, that blank line travels along, so
    /// paragraphs stay paragraphs.
    static func moveEdits(
        _ block: TextRange, before target: TextRange, in syntax: DockerfileSyntax, style: DockerfileStyle
    ) -> [Edit] {
        var moved = block
        // Found by binary search: a scan of every item per move made a file of many
        // stages, each with a move, quadratic.
        let before = syntax.itemIndex(startingAt: target.start).map { $0 - 1 }
        if let before, before >= 0, let blank = blankLine(at: before, in: syntax), blank.end == target.start,
           let after = syntax.itemIndex(startingAt: block.end), let following = blankLine(at: after, in: syntax) {
            moved = TextRange(start: block.start, end: following.end)
        }
        let text = movableText(moved, in: syntax, style: style)
        return [.insert(text, at: target.start), .delete(moved)]
    }

    /// The range of item `index` when it is a blank line.
    private static func blankLine(at index: Int, in syntax: DockerfileSyntax) -> TextRange? {
        guard case .trivia(let line) = syntax.items[index], line.kind == .blank else { return nil }
        return line.range
    }

    /// Whether the instruction ends with a line end; the last line of a file may not.
    static func endsWithLineEnd(_ instruction: InstructionSyntax, in syntax: DockerfileSyntax) -> Bool {
        instruction.range.end > 0 && syntax.source.bytes[instruction.range.end - 1] == UInt8(ascii: "\n")
    }

    /// The source text of an instruction's flags, from the first to the last, e.g.
    /// `--chown=app:app --link`; empty when there are none.
    static func flagsText(_ flags: [FlagSyntax], in syntax: DockerfileSyntax) -> String {
        flags.map { syntax.source.text(in: $0.range) }.joined(separator: " ")
    }

    // MARK: - COPY and ADD

    /// The sources and destination of a COPY or ADD, quotes removed; nil for heredoc
    /// copies, whose content is inline, and for malformed ones.
    static func copyArguments(of instruction: InstructionSyntax) -> (sources: [String], destination: String)? {
        guard instruction.heredocs.isEmpty, let copy = CopyInstruction(instruction) else { return nil }
        return (copy.sources, copy.destination)
    }

    /// A path word with the ARG and ENV values substituted as the model reads WORKDIRs,
    /// or nil when it names a variable the file does not define (the base image might).
    static func expanded(_ word: String, before instruction: InstructionSyntax, scope: ArgScope) -> String? {
        WorkingDirectories.expanded(word, before: instruction, scope: scope)
    }

    /// Whether a COPY or ADD surely takes its sources from the build context: no `--from`,
    /// no URL or git source, and no variable, which may hold a URL (`ADD ${URL} /tmp/`).
    static func copiesFromContext(_ instruction: InstructionSyntax) -> Bool {
        guard let arguments = copyArguments(of: instruction), instruction.flag(named: "from") == nil else {
            return false
        }
        return arguments.sources.allSatisfy { source in
            !CopySource(source).isRemote && !source.contains("$")
        }
    }

    // MARK: - Variables

    /// The variables an ENV or ARG sets (for ARG, declares), in order; empty for other
    /// instructions. Keys keep no quotes: BuildKit strips them from ENV keys.
    static func variablesSet(by instruction: InstructionSyntax) -> [String] {
        switch instruction.kind {
        case .env:
            guard case .keyValuePairs(let pairs, _) = instruction.arguments else { return [] }
            return pairs.map { $0.key.text.filter { $0 != "\"" && $0 != "'" } }
        case .arg:
            return instruction.values.map { String($0.prefix { $0 != "=" }) }
        default:
            return []
        }
    }

    /// The names `text` refers to as `$NAME` or `${NAME…}`, in one pass. An escaped `\$`
    /// still counts: for deciding what an instruction may see, a name too many is safe.
    static func variablesReferenced(in text: String) -> Set<String> {
        var names: Set<String> = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "$") else {
                index += 1
                continue
            }
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "{") { index += 1 }
            let start = index
            while index < bytes.count, isNameByte(bytes[index], first: index == start) { index += 1 }
            if index > start { names.insert(String(decoding: bytes[start..<index], as: UTF8.self)) }
        }
        return names
    }

    private static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
        byte == UInt8(ascii: "_") || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (!first && byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    /// Whether an instruction that stays in place would notice `names` being set above it
    /// instead of below: it refers to one (a COPY's sources, destination, `--chown`,
    /// `--chmod`, `--from`; a LABEL or EXPOSE value; a WORKDIR; another ENV's value), or it
    /// sets one itself, so the order of the two assignments would change the value that
    /// follows. `referenced` are the names the moved assignments' own values read: an
    /// instruction that sets one of those would change the moved value.
    static func notices(
        _ instruction: InstructionSyntax, names: Set<String>, referenced: Set<String>
    ) -> Bool {
        guard !names.isEmpty || !referenced.isEmpty else { return false }
        let set = variablesSet(by: instruction)
        if set.contains(where: { names.contains($0) || referenced.contains($0) }) { return true }
        return !variablesReferenced(in: instruction.logicalText.string).isDisjoint(with: names)
    }

    // MARK: - Folders inside the image

    /// A folder in the image as far as the Dockerfile tells (the shell layer's type, so
    /// COPY destinations and script effects compare directly).
    typealias ImagePath = DockwrightShell.ImagePath
    /// Where a path lies relative to a folder.
    typealias Containment = ImagePath.Containment

    static func containment(of path: String, in folder: String) -> Containment {
        ImagePath.containment(of: path, in: folder)
    }

    /// An absolute path with `.`, `..` and repeated slashes resolved.
    static func normalizedPath(_ path: String) -> String { ImagePath.normalizedPath(path) }

    /// A path's components with `.`, `..` and repeated slashes resolved, without a leading slash.
    static func relativeNormalizedPath(_ path: String) -> String { ImagePath.relativeNormalizedPath(path) }

    /// The WORKDIR in effect before each instruction of every stage, keyed by the
    /// instruction's start offset (the model's ``DockerfileModel/workingDirectories``).
    static func workingDirectories(_ context: RuleContext) -> WorkingDirectoryTable { context.model.workingDirectories }

    /// Where a COPY or ADD puts its files: the destination folder, resolved against the
    /// WORKDIR in effect.
    static func destinationFolder(
        of instruction: InstructionSyntax, workingDirectory: ImagePath, scope: ArgScope
    ) -> ImagePath {
        guard let arguments = copyArguments(of: instruction),
              let destination = expanded(arguments.destination, before: instruction, scope: scope) else {
            return .relative(anchor: instruction.range.start, path: "")
        }
        return workingDirectory.appending(destination)
    }

    // MARK: - Commands that read no copied file

    /// Operating-system package managers, and dpkg, whose file arguments are checked.
    static let systemPackageManagers: Set<String> = [
        "apt-get", "apt", "aptitude", "apk", "yum", "dnf", "microdnf", "tdnf", "zypper", "dpkg",
    ]

    /// Commands that change the system (users, caches, certificates, locales) and read no
    /// project file; their path arguments are still checked.
    static let systemSetupCommands: Set<String> = [
        "true", ":", "set", "export", "echo", "printf", "mkdir", "rm", "useradd", "groupadd", "adduser",
        "addgroup", "usermod", "update-ca-certificates", "ldconfig", "locale-gen", "update-locale",
        "dpkg-reconfigure", "apt-mark",
    ]

    /// Commands whose every argument is a file they change: these must name absolute
    /// paths, since a relative one is in the WORKDIR a COPY may have filled.
    static let fileCommands: Set<String> = ["mkdir", "rm"]

    /// Whether a command installs or manages operating-system packages, or does other
    /// system setup, and reads no file under `copiedFolders` nor any relative path.
    static func isSystemSetup(_ view: CommandView, copiedFolders: [ImagePath]) -> Bool {
        guard let name = view.name else { return false }
        let isPackageManager = systemPackageManagers.contains(name)
        guard isPackageManager || systemSetupCommands.contains(name) else { return false }
        for redirect in view.command.redirects {
            // `<<` heredocs are inline text; `>&2` names a descriptor, not a file.
            guard !redirect.operatorText.hasPrefix("<<"), !redirect.operatorText.hasSuffix("&") else { continue }
            guard let target = redirect.target.literalValue, isOutside(target, copiedFolders) else { return false }
        }
        let mustNameAbsolutePaths = fileCommands.contains(name)
        for word in view.arguments {
            guard let value = word.literalValue else {
                // `curl=${VERSION}` and other package words may use variables, but not to
                // name a file (`vector_*_$(dpkg --print-architecture).deb`); file commands may not.
                if mustNameAbsolutePaths || (isPackageManager && looksLikeFile(word.shapePattern)) { return false }
                continue
            }
            if CommandView.isFlagLike(value) { continue }
            let isPath = mustNameAbsolutePaths || (isPackageManager && looksLikeFile(value))
            if isPath && !isOutside(value, copiedFolders) { return false }
        }
        return true
    }


    /// Whether a package-manager argument names a file (`./pkg.deb`, `/tmp/x.rpm`) rather
    /// than a package or a URL.
    static func looksLikeFile(_ value: String) -> Bool {
        if value.containsBytes(of: "://") { return false }
        let lowered = value.lowercased()
        return value.contains("/") || value.hasPrefix(".") || value.hasPrefix("~")
            || [".deb", ".rpm", ".apk"].contains { lowered.hasSuffix($0) }
    }

    /// Whether `path` is absolute and outside every folder in `folders`.
    static func isOutside(_ path: String, _ folders: [ImagePath]) -> Bool {
        guard path.hasPrefix("/") else { return false }
        let normalized = normalizedPath(path)
        return folders.allSatisfy { folder in
            guard case .absolute(let base) = folder else { return false }
            // A glob such as `/app/*` lies inside `/app`; so does `/` around everything.
            return containment(of: normalized, in: base) == .outside
                && containment(of: base, in: normalized) == .outside
        }
    }

    // MARK: - Globs

    /// Whether `name` matches a COPY source pattern with `*`, `?` and `[…]`, as Go's
    /// `filepath.Match` does for one path.
    static func globMatches(_ pattern: String, _ name: String) -> Bool {
        ShellGlob.matches(Array(pattern), Array(name))
    }
}

extension CommandView {
    /// Whether a word reads as an option (`-y`, `--no-cache`), not a negative number.
    static func isFlagLike(_ value: String) -> Bool {
        guard value.count > 1, value.hasPrefix("-") else { return false }
        return !value.dropFirst().allSatisfy { $0.isNumber || $0 == "." }
    }
}
