import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags an `rm` of a file that an earlier layer of the stage stored: a `COPY`, an `ADD`
/// or a download in an earlier `RUN`. The deletion frees nothing.
public struct RemovedInLaterLayerRule: Rule {
    public static let description = RuleDescription(
        code: "DW310", name: "removed-in-later-layer", category: .size,
        summary: "Do not delete in a later layer what an earlier layer stored", severity: .info, fix: .none,
        rationale: """
            ## Why
            Every `COPY`, `ADD` and `RUN` commits a layer, and an image is all its layers \
            stacked. Deleting a file in a later `RUN` only hides it: the later layer records a \
            "whiteout", and the bytes still ship, download and unpack with the earlier layer \
            (tools such as `dive` show them as wasted space). A classic case is \
            `COPY big.tar.gz /tmp/` followed by `RUN tar -xzf /tmp/big.tar.gz && rm /tmp/big.tar.gz`.

            Reported at the `rm` operand that deletes, in a later `RUN` of the same stage, \
            a file (or a folder above it, or `folder/*`) that an earlier instruction of the \
            stage stored:
            - a `COPY` or `ADD` of one file to a known path (a folder source or a glob \
            copies contents that cannot be listed here, and `ADD` extracts local tar \
            archives, so these are left alone);
            - `curl -o FILE` or `wget -O FILE` in an earlier `RUN` that does not delete it itself.

            The message names both layers by line. Paths must be literal; relative paths are \
            resolved against the `WORKDIR` until the script runs `cd`. Only the stages that \
            reach an image are checked (the final stage and those another stage is built \
            `FROM`, as for DL3009), and an `rm` on a `RUN --mount` target acts on the mount, \
            not on the layer.

            What to do instead:
            - for a copied file the `RUN` only reads, bind-mount it from the build context \
            (or a stage) for that `RUN`: `RUN --mount=type=bind,source=big.tar.gz,target=/tmp/big.tar.gz tar -xzf /tmp/big.tar.gz -C /opt`. \
            For a local tar archive, `ADD big.tar.gz /opt/` also extracts it in one layer;
            - for a download, download, use and delete it in the same `RUN`.

            ## Fix safety
            No fix: moving a file from a `COPY` into a bind mount changes which builders can \
            build the file (mounts need BuildKit) and what later instructions see, and joining \
            two `RUN`s is `merge-consecutive-runs`' job.

            ## References
            Docker's documentation, "Understanding the image layers" and "Multi-stage builds"; \
            `dive` (wagoodman/dive), which measures wasted space; hadolint DL3010 (extract \
            with `ADD`); Docker's `RUN --mount=type=bind` reference.
            """,
        triggering: [
            Example("FROM debian:12\nCOPY big.tar.gz /tmp/\nRUN tar -xzf /tmp/big.tar.gz -C /opt && rm ↓/tmp/big.tar.gz\n"),
            Example("FROM debian:12\nRUN curl -fsSL -o /tmp/tool.tgz https://example.com/tool.tgz\nRUN tar -xzf /tmp/tool.tgz -C /usr/local && rm -f ↓/tmp/tool.tgz\n"),
            Example("FROM debian:12\nWORKDIR /src\nADD https://example.com/data.bin data.bin\nRUN ./load data.bin\nRUN rm -rf ↓/src/*\n"),
            Example("FROM debian:12\nCOPY --from=build /out/app.deb /tmp/app.deb\nRUN dpkg -i /tmp/app.deb\nRUN rm ↓/tmp/app.deb\n"),
            Example("FROM debian:12\nRUN wget -O /opt/model.bin https://example.com/model.bin\nCOPY . /app\nRUN cd /app && ./convert /opt/model.bin && rm ↓/opt/model.bin\n"),
        ],
        nonTriggering: [
            Example("FROM debian:12\nRUN curl -fsSL -o /tmp/tool.tgz https://example.com/tool.tgz \\\n && tar -xzf /tmp/tool.tgz -C /usr/local && rm /tmp/tool.tgz\n"),
            Example("FROM debian:12\nRUN --mount=type=bind,source=big.tar.gz,target=/tmp/big.tar.gz tar -xzf /tmp/big.tar.gz -C /opt\n"),
            Example("FROM debian:12\nADD big.tar.gz /opt/\nRUN rm -rf /opt/big.tar.gz\n"),
            Example("FROM debian:12\nCOPY . /app\nRUN rm -rf /app/node_modules\n"),
            Example("FROM debian:12\nCOPY big.tar.gz /tmp/\nRUN --mount=type=tmpfs,target=/tmp rm -f /tmp/big.tar.gz\n"),
            Example("FROM debian:12 AS build\nCOPY big.tar.gz /tmp/\nRUN tar -xzf /tmp/big.tar.gz -C /opt && rm /tmp/big.tar.gz\nFROM debian:12\nCOPY --from=build /opt /opt\n"),
            Example("FROM debian:12\nCOPY app.conf conf/\nRUN cd /etc && rm conf/app.conf\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let graph = context.stages
        let reportedStages = context.model.stagesReachingAnImage
        var violations: [Violation] = []
        for stage in graph.stages where reportedStages.contains(stage.index) {
            let changes = layerChanges(inStage: stage, context: context)
            // Only a RUN that deletes something reports, so the instructions after the
            // stage's last such RUN store nothing worth recording; most stages have none.
            guard let lastDeletion = changes.last(where: { $0.changes.contains { !$0.isDownload } })?.position
            else { continue }
            var stored = StoredFiles(keepingOnlyUnder: Self.removalTargets(changes))
            var nextChanges = changes.startIndex
            for (position, instruction) in stage.instructions[...lastDeletion].enumerated() {
                switch instruction.kind {
                case .copy, .add:
                    for (path, source) in LayerWrites.copiedPaths(of: instruction, in: context) {
                        stored.add(StoredFile(path: path, writer: instruction, copiedSource: source))
                    }
                case .run:
                    guard nextChanges < changes.endIndex, changes[nextChanges].position == position else { continue }
                    violations += check(changes[nextChanges], of: instruction, stored: &stored)
                    nextChanges += 1
                default:
                    break
                }
            }
        }
        return violations
    }
}

// MARK: - Helpers

private extension RemovedInLaterLayerRule {
    /// What one RUN downloads and deletes, in the order its script does it: the paths of
    /// its download and deletion effects, absolute and not on a `--mount` target.
    struct RunChanges {
        /// The RUN's position among the stage's instructions.
        let position: Int
        let script: ShellScript
        let changes: [(isDownload: Bool, path: String, range: Range<Int>)]
    }

    /// The ``RunChanges`` of the RUNs of `stage` that download or delete something, in
    /// order: read from each RUN's effects once, before the walk, so the walk keeps only
    /// the stored files some later deletion may name.
    ///
    /// The programs a RUN calls tell, without walking it, whether it may download or
    /// delete (``DockerfileModel/mayDownload(_:)``), and its effects are computed only when
    /// that can matter: its downloads when a later RUN may delete, its deletions once an
    /// earlier instruction has stored a file. Most RUNs are spared the walk.
    func layerChanges(inStage stage: Stage, context: RuleContext) -> [RunChanges] {
        let model = context.model
        guard let lastMayDelete = stage.instructions.lastIndex(where: { instruction in
            instruction.kind == .run && context.runScript(of: instruction).map(model.mayDelete) == true
        }) else { return [] }
        var found: [RunChanges] = []
        var hasStored = false
        for (position, instruction) in stage.instructions[...lastMayDelete].enumerated() {
            switch instruction.kind {
            case .copy, .add:
                if !hasStored { hasStored = !LayerWrites.copiedPaths(of: instruction, in: context).isEmpty }
                continue
            case .run:
                break
            default:
                continue
            }
            guard let run = context.runScript(of: instruction), let script = run.script,
                  (position < lastMayDelete && model.mayDownload(run)) || (hasStored && model.mayDelete(run))
            else { continue }
            var changes: [(isDownload: Bool, path: String, range: Range<Int>)] = []
            for effect in model.effects(of: run).writes where effect.reason == .download || effect.reason == .deletion {
                guard let path = LayerWrites.absolutePath(of: effect, in: script),
                      !LayerWrites.isMounted(path.hasSuffix("/*") ? String(path.dropLast(2)) : path, in: instruction)
                else { continue }
                changes.append((effect.reason == .download, path, effect.range))
            }
            guard !changes.isEmpty else { continue }
            hasStored = hasStored || changes.contains { $0.isDownload }
            found.append(RunChanges(position: position, script: script, changes: changes))
        }
        return found
    }

    /// Every path the RUNs delete, a `folder/*` as its folder: a stored file none of them
    /// is, or lies under, is never reported, so it is not kept. A stage of thousands of
    /// COPYs and no deletion otherwise held each copied path, twice indexed, while the
    /// rule ran (issue 13).
    static func removalTargets(_ runs: [RunChanges]) -> Set<String> {
        var targets: Set<String> = []
        for run in runs {
            for change in run.changes where !change.isDownload {
                let path = change.path
                targets.insert(path == "/*" ? "/" : path.hasSuffix("/*") ? String(path.dropLast(2)) : path)
            }
        }
        return targets
    }

    /// A file an earlier layer stored.
    struct StoredFile {
        let path: String
        /// The COPY, ADD or RUN that stored it.
        let writer: InstructionSyntax
        /// The source of a COPY or ADD; nil for a download.
        let copiedSource: String?
    }

    /// The files stored so far, found by path and by each folder above them, so a removal
    /// finds what it covers without scanning them all.
    struct StoredFiles {
        private var files: [StoredFile] = []
        private var isRemoved: [Bool] = []
        private var byPath: [String: [Int]] = [:]
        private var byFolder: [String: [Int]] = [:]
        /// The paths and folders some removal may name; nil when every file is kept.
        private let removalTargets: Set<String>?

        /// Files that may be removed by any path.
        init() {
            removalTargets = nil
        }

        /// Files that only a removal of one of `targets` (a path, or a folder for itself or
        /// its `folder/*`) may take out: the others are dropped as they are added.
        init(keepingOnlyUnder targets: Set<String>) {
            removalTargets = targets
        }

        mutating func add(_ file: StoredFile) {
            if let removalTargets, !Self.lies(file.path, underAnyOf: removalTargets) { return }
            let index = files.count
            files.append(file)
            isRemoved.append(false)
            byPath[file.path, default: []].append(index)
            var folder = Substring(file.path)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                byFolder[folder.isEmpty ? "/" : String(folder), default: []].append(index)
            }
        }

        /// Whether `path` or a folder above it is one of `targets`.
        private static func lies(_ path: String, underAnyOf targets: Set<String>) -> Bool {
            guard !targets.isEmpty else { return false }
            if targets.contains(path) { return true }
            var folder = Substring(path)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                if targets.contains(folder.isEmpty ? "/" : String(folder)) { return true }
            }
            return false
        }

        /// Takes out and returns the files a removal of `removed` (a path or `folder/*`) deletes.
        mutating func remove(_ removed: String) -> [StoredFile] {
            var indices: [Int] = []
            if removed.hasSuffix("/*") {
                let folder = removed == "/*" ? "/" : String(removed.dropLast(2))
                indices = byFolder.removeValue(forKey: folder) ?? []
            } else {
                indices = (byPath.removeValue(forKey: removed) ?? []) + (byFolder.removeValue(forKey: removed) ?? [])
            }
            var found: [StoredFile] = []
            for index in indices where !isRemoved[index] {
                isRemoved[index] = true
                found.append(files[index])
            }
            return found
        }
    }

    /// Reports the removals of earlier layers' files in one RUN, then records its downloads
    /// that it does not delete itself. The paths come from the model's effects walker.
    func check(_ run: RunChanges, of instruction: InstructionSyntax, stored: inout StoredFiles) -> [Violation] {
        var violations: [Violation] = []
        var downloads = StoredFiles()
        var downloadedPaths: [String] = []
        for change in run.changes {
            let path = change.path
            if change.isDownload {
                guard !path.hasSuffix("/*") else { continue }
                downloads.add(StoredFile(path: path, writer: instruction, copiedSource: nil))
                downloadedPaths.append(path)
                continue
            }
            _ = downloads.remove(path)
            guard let file = stored.remove(path).first else { continue }
            violations.append(Violation(
                range: run.script.sourceRange(change.range), message: message(file, removedOnLine: instruction.startLine)))
        }
        for path in Set(downloadedPaths) {
            for file in downloads.remove(path) { stored.add(file) }
        }
        return violations
    }

    func message(_ file: StoredFile, removedOnLine line: Int) -> String {
        let writer = file.writer
        let keyword = writer.kind == .add ? "ADD" : writer.kind == .copy ? "COPY" : "RUN"
        let head = "`\(file.path)`, deleted by the `RUN` on line \(line), stays in the image: the `\(keyword)` on line \(writer.startLine) "
        guard let source = file.copiedSource else {
            return head + "downloaded it into its own layer; download, use and delete it in one `RUN`"
        }
        guard !CopySource(source).isRemote else {
            return head + "stored it in its own layer; download, use and delete it in one `RUN`"
        }
        let from = writer.flag(named: "from")?.value.map { ",from=\($0)" } ?? ""
        return head + "stored it in its own layer; bind-mount it for the `RUN` that reads it instead: "
            + "`RUN --mount=type=bind\(from),source=\(source),target=\(file.path) …`"
    }
}
