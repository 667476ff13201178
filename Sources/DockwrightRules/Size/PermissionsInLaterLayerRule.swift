import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags a `chown` or `chmod` in a RUN over files an earlier COPY or ADD of the stage
/// brought: the RUN's layer stores every such file a second time.
public struct PermissionsInLaterLayerRule: Rule {
    public static let description = RuleDescription(
        code: "DW311", name: "permissions-in-later-layer", category: .size,
        summary: "Set owner and mode while copying, not in a later `RUN`", severity: .info, fix: .sometimes,
        rationale: """
            ## Why
            Layers store whole files. When a `RUN` changes the owner or the mode of a file \
            an earlier `COPY` or `ADD` stored, the `RUN`'s layer holds a full second copy of \
            the file with the new metadata, and the first copy still ships: \
            `COPY . /app` then `RUN chown -R app:app /app` doubles the size of the \
            application in the image (`dive` shows it as wasted space). `COPY --chown=app:app` \
            and `COPY --chmod=755` set them while copying, in one layer.

            Reported at the path operand of `chown` or `chmod` (`chgrp` too) in a `RUN` when \
            that path is a file an earlier `COPY` or `ADD` of the same stage stored, or, with \
            `-R`, the destination of such a `COPY` or a folder above it. Paths must be literal \
            and absolute once the `WORKDIR` is applied (the model's effects walker follows `cd`). \
            Only the stages that reach an image are checked (the final stage and those \
            another stage is built `FROM`).

            ## Fix safety
            The fix adds `--chown=user:group` (or `--chmod=mode`) to the `COPY` and deletes the \
            `RUN`. It is offered only when the `RUN` is nothing but that one command with `-R` \
            at most, the owner is a literal `user:group` or `uid:gid` (`chown user` keeps the \
            group, while `--chown=user` also sets it), the mode is octal (the stable \
            Dockerfile syntax accepted only octal `--chmod` before 1.14; symbolic modes were a \
            labs feature), the path is exactly the `COPY`'s destination (for a single file \
            copied to that name, or the folder with `-R`), the `COPY` has no `--chown` (or \
            `--chmod`) yet, nothing between the two runs a command or writes near the path, \
            and, for a folder, no earlier instruction of the stage writes or creates it \
            (`chown -R` over a folder that also holds files of earlier layers changes those \
            too, `--chown` does not). It is unsafe all the same:
            - `COPY --chown` leaves a destination folder that already existed (in the base \
            image) as it was, while `chown -R` changes it;
            - a source the Dockerfile names like a file may be a folder, and `chmod` without \
            `-R` then changes only the folder, `--chmod` every file;
            - `--chmod` needs BuildKit; the legacy builder rejects it;
            - user and group names are looked up when the `COPY` runs, in the image's \
            `/etc/passwd` and `/etc/group`.

            ## References
            Docker's Dockerfile reference, `COPY --chown --chmod`; "Understanding the image \
            layers"; `dive` (wagoodman/dive); moby/buildkit#1951 and #5734 (symbolic \
            `--chmod`).
            """,
        triggering: [
            Example("FROM node:22\nCOPY . /app\nRUN chown -R node:node ↓/app\n"),
            Example("FROM debian:12\nCOPY entrypoint.sh /usr/local/bin/\nRUN chmod +x ↓/usr/local/bin/entrypoint.sh\n"),
            Example("FROM debian:12\nWORKDIR /srv\nCOPY app/ app/\nRUN useradd app && chown -R app:app ↓/srv/app && chmod -R 755 ↓app\n"),
            Example("FROM debian:12\nCOPY --chown=1000:1000 run.sh /run.sh\nRUN chmod 0755 ↓/run.sh\n"),
        ],
        nonTriggering: [
            Example("FROM node:22\nCOPY --chown=node:node . /app\n"),
            Example("FROM node:22\nCOPY . /app\nRUN chown node:node /app\n"),
            Example("FROM debian:12\nRUN chmod +x /usr/local/bin/tool\n"),
            Example("FROM debian:12\nCOPY . /app\nRUN chmod +x /app/run.sh\n"),
            Example("FROM debian:12 AS build\nCOPY . /src\nRUN chown -R 1000:1000 /src\nFROM debian:12\nCOPY --from=build /src /src\n"),
            Example("FROM debian:12\nCOPY . /app\nRUN --mount=type=tmpfs,target=/app chown -R 1000:1000 /app\n"),
        ],
        fixes: [
            FixExample(
                "FROM node:22\nCOPY . /app\nRUN chown -R node:node /app\n",
                "FROM node:22\nCOPY --chown=node:node . /app\n", .unsafe),
            FixExample(
                "FROM debian:12\nCOPY entrypoint.sh /entrypoint.sh\nENV PORT=80\nRUN chmod 755 /entrypoint.sh\n",
                "FROM debian:12\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nENV PORT=80\n", .unsafe),
            FixExample(
                "FROM debian:12\nCOPY --link app /srv/app\nRUN chown -R 1000:1000 /srv/app/\n",
                "FROM debian:12\nCOPY --chown=1000:1000 --link app /srv/app\n", .unsafe),
            FixExample(
                "FROM debian:12\nRUN useradd --create-home app\nCOPY . /srv\nRUN chown -R app:app /srv\n",
                "FROM debian:12\nRUN useradd --create-home app\nCOPY --chown=app:app . /srv\n", .unsafe),
            FixExample(
                "FROM debian:12\nRUN mkdir -p /srv/data\nCOPY . /srv\nRUN chown -R 1000:1000 /srv\n",
                "FROM debian:12\nRUN mkdir -p /srv/data\nCOPY . /srv\nRUN chown -R 1000:1000 /srv\n", .unsafe),
            // Not exactly equivalent: a folder that holds files of an earlier layer, a
            // group-less owner, a symbolic mode, a RUN that does more. No fix.
            FixExample(
                "FROM debian:12\nWORKDIR /app\nCOPY . /app\nRUN chown -R app:app /app\n",
                "FROM debian:12\nWORKDIR /app\nCOPY . /app\nRUN chown -R app:app /app\n", .unsafe),
            FixExample(
                "FROM debian:12\nCOPY . /app\nRUN chown -R app /app\n",
                "FROM debian:12\nCOPY . /app\nRUN chown -R app /app\n", .unsafe),
            FixExample(
                "FROM debian:12\nCOPY run.sh /run.sh\nRUN chmod +x /run.sh\n",
                "FROM debian:12\nCOPY run.sh /run.sh\nRUN chmod +x /run.sh\n", .unsafe),
            FixExample(
                "FROM debian:12\nCOPY . /app\nRUN useradd app && chown -R app:app /app\n",
                "FROM debian:12\nCOPY . /app\nRUN useradd app && chown -R app:app /app\n", .unsafe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let graph = context.stages
        // Only stages whose scripts change owners or modes can store files twice: the
        // others need no record of what their instructions wrote.
        let reportedStages = context.model.stagesReachingAnImage.intersection(
            context.model.scriptCommands(named: Self.programs).map(\.run.stageIndex))
        var violations: [Violation] = []
        for stage in graph.stages where reportedStages.contains(stage.index) {
            var copies = StoredCopies()
            // What the stage's instructions wrote is read only by a fix that moves a
            // recursive change into a COPY of many files, which few files have: recorded
            // on the first such question, for the whole stage at once.
            lazy var written = WrittenPaths(stage, context: context)
            var lastRun = -1
            for (position, instruction) in stage.instructions.enumerated() {
                switch instruction.kind {
                case .copy, .add:
                    copies.add(instruction, position: position, lastRun: lastRun, in: context)
                case .run:
                    if let run = context.runScript(of: instruction), run.script != nil {
                        violations += check(
                            run, position: position, lastRun: lastRun, stage: stage, copies: copies,
                            followsWritesNear: { written.mayOverlap($0.destination, before: $0.position) }, context: context)
                    }
                    lastRun = position
                default:
                    break
                }
            }
        }
        return violations
    }
}

// MARK: - Helpers

private extension PermissionsInLaterLayerRule {
    /// A COPY or ADD of the stage and what it stored.
    struct StoredCopy {
        let instruction: InstructionSyntax
        /// Its index among the stage's instructions.
        let position: Int
        /// The destination, absolute, without a trailing slash.
        let destination: String
        /// Whether the destination is one file copied to that name.
        let isSingleFile: Bool
        /// The index of the last RUN of the stage before it (-1 for none).
        let lastRun: Int
    }

    /// What the instructions of a stage wrote, each path with the position of the first
    /// instruction that wrote it, so that "did anything before this instruction write at,
    /// in or above this folder?" costs one look-up per folder level.
    struct WrittenPaths {
        /// The paths written (a glob's literal folder stands for it).
        private var paths: [String: Int] = [:]
        /// Every folder above a written path.
        private var foldersAbove: [String: Int] = [:]
        /// Where something was first written where the Dockerfile does not tell.
        private var firstUnknownWrite = Int.max
        /// The position of the instruction being recorded.
        private var position = 0

        /// The writes of the stage's instructions up to its last COPY or ADD: no question
        /// is asked about a later one.
        init(_ stage: Stage, context: RuleContext) {
            let lastCopy = stage.instructions.lastIndex { $0.kind == .copy || $0.kind == .add } ?? -1
            for (position, instruction) in stage.instructions.enumerated() where position < lastCopy {
                self.position = position
                record(instruction, in: context)
            }
        }

        /// Whether a write before the instruction at `position` may touch `path`, something
        /// in it or a folder above it.
        func mayOverlap(_ path: String, before position: Int) -> Bool {
            func isBefore(_ written: Int?) -> Bool { written.map { $0 < position } ?? false }
            if firstUnknownWrite < position || isBefore(paths[path]) || isBefore(foldersAbove[path]) { return true }
            return Self.folders(above: path).contains { isBefore(paths[$0]) }
        }

        private mutating func record(_ instruction: InstructionSyntax, in context: RuleContext) {
            switch instruction.kind {
            case .copy, .add:
                record(LayerOrdering.copyArguments(of: instruction).flatMap { arguments in
                    LayerOrdering.expanded(arguments.destination, before: instruction, scope: context.stages.argScope)
                }.flatMap { LayerWrites.resolve($0, in: context.model.workingDirectory(before: instruction)) })
            case .workdir:
                record(instruction.values.first.flatMap {
                    LayerOrdering.expanded($0, before: instruction, scope: context.stages.argScope)
                }.flatMap { LayerWrites.resolve($0, in: context.model.workingDirectory(before: instruction)) })
            case .run:
                guard let run = context.runScript(of: instruction) else {
                    recordUnknownWrite()
                    return
                }
                let effects = context.model.effects(of: run)
                if !effects.isComplete { recordUnknownWrite() }
                for effect in effects.writes { record(effect) }
            case .volume:
                recordUnknownWrite()
            default:
                break
            }
        }

        private mutating func record(_ effect: PathEffect) {
            switch effect.path {
            case .absolute(let path)?:
                // A glob writes somewhere in its literal folder.
                record(Self.literalFolder(of: path))
            case .home?:
                record("/root")
                record("/home")
            default:
                recordUnknownWrite()
            }
        }

        private mutating func recordUnknownWrite() {
            firstUnknownWrite = min(firstUnknownWrite, position)
        }

        /// Records `path` at the current position unless an earlier instruction wrote it.
        private mutating func record(_ path: String?) {
            guard let path else {
                recordUnknownWrite()
                return
            }
            if paths[path] == nil { paths[path] = position }
            // Deepest first; a folder already there came, as early, with all the folders above it.
            var folder = Substring(path)
            while let slash = folder.utf8.lastIndex(of: UInt8(ascii: "/")), !folder.isEmpty {
                folder = folder[..<slash]
                let name = folder.isEmpty ? "/" : String(folder)
                guard foldersAbove[name] == nil else { break }
                foldersAbove[name] = position
            }
        }

        /// `path` without its empty components, up to the first one that holds a glob
        /// character: the folder a glob writes into. Over UTF-8 bytes, as every path a
        /// RUN writes passes here.
        static func literalFolder(of path: String) -> String {
            // In place over a native string's bytes, without an array of components.
            if let folder = path.utf8.withContiguousStorageIfAvailable(literalFolder(ofBytes:)) { return folder }
            return Array(path.utf8).withUnsafeBufferPointer(literalFolder(ofBytes:))
        }

        private static func literalFolder(ofBytes bytes: UnsafeBufferPointer<UInt8>) -> String {
            let slash = UInt8(ascii: "/")
            var folder: [UInt8] = [slash]
            folder.reserveCapacity(bytes.count + 1)
            var start = 0
            while start < bytes.count {
                // Empty components are skipped.
                if bytes[start] == slash {
                    start += 1
                    continue
                }
                var end = start
                var hasGlob = false
                while end < bytes.count && bytes[end] != slash {
                    let byte = bytes[end]
                    if byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[") { hasGlob = true }
                    end += 1
                }
                if hasGlob { break }
                if folder.count > 1 { folder.append(slash) }
                folder.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
                start = end
            }
            return String(decoding: folder, as: UTF8.self)
        }

        static func folders(above path: String) -> [String] {
            var folders: [String] = []
            var folder = Substring(path)
            while let slash = folder.utf8.lastIndex(of: UInt8(ascii: "/")), !folder.isEmpty {
                folder = folder[..<slash]
                folders.append(folder.isEmpty ? "/" : String(folder))
            }
            return folders
        }
    }

    /// The copies so far, found by each file they stored, by destination, and by each
    /// folder above a destination.
    struct StoredCopies {
        var copies: [StoredCopy] = []
        var byFile: [String: Int] = [:]
        var byDestination: [String: Int] = [:]
        var byFolderAbove: [String: Int] = [:]

        mutating func add(_ instruction: InstructionSyntax, position: Int, lastRun: Int, in context: RuleContext) {
            guard let arguments = LayerOrdering.copyArguments(of: instruction),
                  let written = LayerOrdering.expanded(arguments.destination, before: instruction, scope: context.stages.argScope),
                  let destination = LayerWrites.resolve(written, in: context.model.workingDirectory(before: instruction))
            else { return }
            let files = LayerWrites.copiedPaths(of: instruction, in: context)
            let isSingleFile = files.count == 1 && arguments.sources.count == 1 && files[0].path == destination
            let index = copies.count
            copies.append(StoredCopy(
                instruction: instruction, position: position, destination: destination, isSingleFile: isSingleFile,
                lastRun: lastRun))
            for file in files { byFile[file.path] = index }
            byDestination[destination] = index
            var folder = Substring(destination)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                byFolderAbove[folder.isEmpty ? "/" : String(folder)] = index
            }
        }

        /// The latest copy whose files a change of `path` touches.
        func copy(changedBy path: String, recursively: Bool) -> StoredCopy? {
            var candidates = [byFile[path]]
            if recursively { candidates += [byDestination[path], byFolderAbove[path]] }
            return candidates.compactMap { $0 }.max().map { copies[$0] }
        }
    }

    /// The programs that change owner or mode.
    static let programs = ["chown", "chmod", "chgrp"]

    /// The changes of owner or mode in `run` of files a COPY or ADD stored;
    /// `followsWritesNear` tells whether an instruction before a copy wrote at, in or
    /// above its destination.
    func check(
        _ run: RunScript, position: Int, lastRun: Int, stage: Stage, copies: StoredCopies,
        followsWritesNear: (StoredCopy) -> Bool, context: RuleContext
    ) -> [Violation] {
        // Until a COPY or ADD of the stage has stored something at a known place there is
        // nothing to store twice, and the RUN's effects are not worth computing.
        guard !copies.copies.isEmpty, let script = run.script,
              script.commands.contains(where: { $0.name.map(Self.programs.contains) ?? false }) else { return [] }
        let effects = context.model.effects(of: run)
        var changed: [Int: PathEffect] = [:]
        for effect in effects.writes where effect.reason == .modification { changed[effect.range.lowerBound] = effect }
        var violations: [Violation] = []
        for view in script.commands {
            guard let name = view.name, Self.programs.contains(name) else { continue }
            let isRecursive = view.hasFlag("R", "recursive")
            for word in view.arguments {
                guard let effect = changed[word.range.lowerBound], let path = LayerWrites.absolutePath(of: effect, in: script),
                      !path.hasSuffix("/*"), !LayerWrites.isMounted(path, in: run.instruction),
                      let copy = copies.copy(changedBy: path, recursively: isRecursive) else { continue }
                // The owner or mode as written, variables and all.
                let setting = Self.settingWord(of: view).map { script.text($0.range) } ?? "…"
                let flag = name == "chmod" ? "--chmod=\(setting)" : name == "chgrp" ? "--chown=…:\(setting)" : "--chown=\(setting)"
                let keyword = copy.instruction.kind == .add ? "ADD" : "COPY"
                // Only the first RUN after the COPY can be folded into it.
                let fix = copy.position > lastRun
                    ? self.fix(
                        view, path: path, copy: copy, run: run, position: position, stage: stage,
                        followsWritesNear: followsWritesNear, context: context)
                    : nil
                violations.append(Violation(
                    range: script.sourceRange(word.range),
                    message: "`\(name)` on line \(run.instruction.startLine) stores again the files the `\(keyword)` "
                        + "on line \(copy.instruction.startLine) brought to `\(copy.destination)`; set it while copying: "
                        + "`\(keyword) \(flag) …`",
                    fix: fix))
            }
        }
        return violations
    }

    /// The owner or mode word of a `chown`/`chmod`/`chgrp` (its first operand), when literal.
    static func setting(of view: CommandView) -> String? { settingWord(of: view)?.literalValue }

    /// The owner or mode word of a `chown`/`chmod`/`chgrp`: its first operand.
    static func settingWord(of view: CommandView) -> ShellWord? {
        view.arguments.first { word in
            guard let value = word.literalValue else { return true }
            return !CommandView.isFlagLike(value)
        }
    }

    /// The fix, when moving the change into the COPY is as exact as it can be (see "Fix safety").
    func fix(
        _ view: CommandView, path: String, copy: StoredCopy, run: RunScript, position: Int, stage: Stage,
        followsWritesNear: (StoredCopy) -> Bool, context: RuleContext
    ) -> Fix? {
        guard let script = run.script, script.commands.count == 1, script.body.items.count == 1,
              view.wrappers.isEmpty, view.context.runsInMainShell, view.command.assignments.isEmpty,
              view.command.redirects.isEmpty, run.origin == .shellForm, run.instruction.flags.isEmpty,
              let name = view.name, name != "chgrp" else { return nil }
        // One setting and one path; `-R` is the only flag.
        let arguments = view.arguments.map(\.literalValue)
        let flags = arguments.filter { $0.map(CommandView.isFlagLike) ?? false }
        guard flags.allSatisfy({ $0 == "-R" || $0 == "--recursive" }), arguments.count - flags.count == 2,
              let setting = Self.setting(of: view) else { return nil }
        let flagName = name == "chmod" ? "chmod" : "chown"
        guard name == "chmod" ? Self.isOctalMode(setting) : Self.isUserAndGroup(setting),
              copy.instruction.flag(named: flagName) == nil, path == copy.destination else { return nil }
        let isRecursive = !flags.isEmpty
        if copy.isSingleFile == false {
            guard isRecursive, stage.baseStageIndex == nil, !followsWritesNear(copy) else { return nil }
        }
        // No RUN stands between (the caller checked): the COPYs, ADDs and WORKDIRs there
        // must leave the path alone. Scanned once per COPY, for its first RUN only.
        guard !writesNear(path, in: stage.instructions[(copy.position + 1)..<position], context: context)
        else { return nil }
        return Fix(
            title: "Move `\(name)` into the `COPY` as `--\(flagName)=\(setting)`", applicability: .unsafe,
            edits: [
                .insert(" --\(flagName)=\(setting)", at: copy.instruction.keyword.range.end),
                .delete(run.instruction.range),
            ])
    }

    /// Whether any of `instructions`, none of them a RUN, creates or writes `path`, a folder
    /// in it or above it (COPY, ADD, WORKDIR, VOLUME).
    func writesNear(_ path: String, in instructions: ArraySlice<InstructionSyntax>, context: RuleContext) -> Bool {
        let folder = ImagePath.absolute(path)
        return instructions.contains { instruction in
            switch instruction.kind {
            case .copy, .add:
                guard let arguments = LayerOrdering.copyArguments(of: instruction),
                      let written = LayerOrdering.expanded(arguments.destination, before: instruction, scope: context.stages.argScope),
                      let destination = LayerWrites.resolve(written, in: context.model.workingDirectory(before: instruction))
                else { return true }
                return ImagePath.absolute(destination).mayOverlap(folder)
            case .workdir:
                guard let written = instruction.values.first.flatMap({
                    LayerOrdering.expanded($0, before: instruction, scope: context.stages.argScope)
                }), case .absolute(let created) = context.model.workingDirectory(before: instruction).appending(written)
                else { return true }
                return ImagePath.absolute(created).mayOverlap(folder)
            case .run, .volume:
                return true
            default:
                return false
            }
        }
    }

    /// `755`, `0644`: what every Dockerfile frontend accepts for `--chmod`.
    static func isOctalMode(_ value: String) -> Bool {
        (3...4).contains(value.count) && value.allSatisfy { ("0"..."7").contains($0) }
    }

    /// `user:group` or `uid:gid`, both given and literal.
    static func isUserAndGroup(_ value: String) -> Bool {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
        }
    }
}
