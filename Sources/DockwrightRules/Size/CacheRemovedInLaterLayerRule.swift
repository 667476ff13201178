import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags a package cache or list cleanup in a later RUN than the one that filled it:
/// the cleanup frees nothing, the earlier layer keeps the files.
public struct CacheRemovedInLaterLayerRule: Rule {
    public static let description = RuleDescription(
        code: "DW312", name: "cache-removed-in-later-layer", category: .size,
        summary: "Clean a package cache in the `RUN` that fills it, not in a later one", severity: .info,
        fix: .sometimes,
        rationale: """
            ## Why
            `RUN apt-get update && apt-get install -y curl` commits a layer that holds apt's \
            package lists; a later `RUN rm -rf /var/lib/apt/lists/*` only hides them (a \
            whiteout in its own layer), and the lists still ship with the first layer. The \
            same holds for apk's index in `/var/cache/apk` and the yum and dnf caches. The \
            cleanup must run in the `RUN` that fills the cache.

            Reported at the cleanup, naming both lines, when a `RUN` of a stage that reaches \
            an image (the final stage, or one another stage is built `FROM`) cleans a cache \
            that an earlier `RUN` of the same stage filled and left, and does not fill it \
            again itself before cleaning (then the cleanup does its job, and the earlier \
            `RUN`'s leftovers are DL3009's finding there):
            - apt lists (`/var/lib/apt/lists`), filled by `apt-get update`, `apt update` or \
            `aptitude update`;
            - apk's index (`/var/cache/apk`), filled by `apk update`, or `apk add` or `apk \
            upgrade` without `--no-cache`;
            - yum's and dnf's caches (`/var/cache/yum`, `/var/cache/dnf`), filled by \
            `install`, `update`, `upgrade`, `makecache` and friends.

            A cleanup is an `rm` (or `find … -delete`) of the cache folder, its contents or a \
            folder above it, or `yum clean all` / `dnf clean all`. A `RUN --mount=type=cache` \
            or `tmpfs` on the cache keeps it out of the layer and fills nothing.

            ## Fix safety
            The fix moves the cleanup command into the `RUN` that filled the cache, appended \
            with `&&` after that script's last command, and removes it from the later `RUN` \
            (the whole `RUN` when it did nothing else). It is offered only when:
            - the cleanup removes nothing but that cache (`rm -rf /var/lib/apt/lists/* /tmp/*` \
            would also stop removing what lands in `/tmp` in between);
            - it is the only command of the later `RUN`, or the first or last of a single \
            `&&` chain, with nothing before it there that uses the package manager;
            - the earlier script ends in a plain command of its main shell, runs as root and \
            uses no `sudo`, so ` && cleanup` runs exactly when that script succeeds.

            It is safe when no `RUN` stands between the two and no `COPY`/`ADD` between \
            writes into the cache: the final file system is the same, and nothing in between \
            could read the cache. With `RUN`s in between that call no package manager of the \
            same family, it is unsafe: one of them could read the cache in a way the Dockerfile \
            does not show (a script that runs `apt-get install`).

            ## References
            Docker's documentation, "Understanding the image layers" and the `apt-get` \
            best practices; `dive` (wagoodman/dive); hadolint DL3009, DL3019, DL3032, DL3040 \
            (the same-`RUN` cleanups).
            """,
        triggering: [
            Example("FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf ↓/var/lib/apt/lists/*\n"),
            Example("FROM alpine:3.20\nRUN apk add curl\nCOPY . /app\nRUN rm -rf ↓/var/cache/apk/* && make -C /app\n"),
            Example("FROM rockylinux:9\nRUN dnf install -y gcc\nRUN make && ↓dnf clean all\n"),
            Example("FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf ↓/var/lib/apt/lists/*\n"),
            Example("FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get autoremove -y && rm -rf ↓/var/lib/apt/lists/*\n"),
        ],
        nonTriggering: [
            Example("FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"),
            Example("FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN rm -rf /var/cache/apk/*\n"),
            Example("FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n"),
            Example("FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nRUN rm -rf /var/lib/apt/lists/*\nFROM debian:12\nCOPY --from=build /usr/bin/gcc /usr/bin/\n"),
            Example("FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n"),
            Example("FROM debian:12\nRUN apt-get update && apt-get install -y curl\nFROM debian:12\nRUN rm -rf /var/lib/apt/lists/*\n"),
        ],
        fixes: [
            FixExample(
                "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nENV PATH=/opt/bin:$PATH\nRUN rm -rf /var/lib/apt/lists/*\n",
                "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nENV PATH=/opt/bin:$PATH\n",
                .safe),
            FixExample(
                "FROM rockylinux:9\nRUN dnf install -y gcc\nRUN dnf clean all && make\n",
                "FROM rockylinux:9\nRUN dnf install -y gcc && dnf clean all\nRUN make\n", .safe),
            FixExample(
                "FROM alpine:3.20\nRUN apk add curl\nRUN make -C /src && rm -rf /var/cache/apk/*\n",
                "FROM alpine:3.20\nRUN apk add curl && rm -rf /var/cache/apk/*\nRUN make -C /src\n", .safe),
            FixExample(
                "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN pip install flask\nRUN rm -rf /var/lib/apt/lists/*\n",
                "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN pip install flask\n",
                .unsafe),
            // The earlier RUN runs as a non-root user: `rm` could not remove the lists there.
            FixExample(
                "FROM debian:12\nUSER app\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n",
                "FROM debian:12\nUSER app\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n",
                .unsafe),
            // The later RUN reads the lists before its cleanup: moving it would break the install.
            FixExample(
                "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
                "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
                .unsafe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let graph = context.stages
        let reportedStages = context.model.stagesReachingAnImage
        var violations: [Violation] = []
        for stage in graph.stages where reportedStages.contains(stage.index) {
            // The RUN (by its index in the stage) that last filled each cache and left it.
            var filled: [Cache: Int] = [:]
            // Whether each RUN runs as a non-root USER, found in one walk: looking the
            // USER up per finding walked the stage each time.
            var runsAsNonRoot: [Int: Bool] = [:]
            // The stage's own USERs come last in the chain's, in source order: read one at
            // a time as the walk reaches them, not gathered into a table first.
            let stageStart = stage.from.range.start
            var users = StageUser.all(inChainOf: stage.index, in: graph).lazy
                .filter { $0.instruction.range.start >= stageStart }.makeIterator()
            var nextUser = users.next()
            var user = stage.baseStageIndex.flatMap { StageUser.effective(ofStage: $0, in: graph) }
            for (position, instruction) in stage.instructions.enumerated() {
                if instruction.kind == .user, let next = nextUser, next.instruction.range.start == instruction.range.start {
                    user = next
                    nextUser = users.next()
                }
                guard instruction.kind == .run else { continue }
                runsAsNonRoot[position] = user.map { !$0.isRoot } ?? false
                guard let run = context.runScript(of: instruction), let script = run.script else { continue }
                let commands = context.model.packageManagerCommands(of: run)
                // Where each cache is first filled in this RUN.
                var firstFill: [Cache: Int] = [:]
                for command in commands where !filled.isEmpty {
                    for cache in Cache.allCases where firstFill[cache] == nil && cache.isFilled(by: command) {
                        firstFill[cache] = command.view.command.range.lowerBound
                    }
                }
                // A cleanup frees nothing worth reporting unless an earlier RUN left a cache
                // filled, and most RUNs follow none: their cleanups are not looked for.
                for cleanup in filled.isEmpty ? [] : Self.cleanups(in: script, of: run, context: context) {
                    guard let filler = filled.removeValue(forKey: cleanup.cache) else { continue }
                    // A RUN that fills the cache again before cleaning it needs its cleanup;
                    // the earlier RUN's leftovers are DL3009's (DL3019, …) finding there.
                    if let fill = firstFill[cleanup.cache], fill < cleanup.view.command.range.lowerBound { continue }
                    let fillerInstruction = stage.instructions[filler]
                    violations.append(Violation(
                        range: cleanup.range,
                        message: "This cleanup on line \(instruction.startLine) frees nothing: \(cleanup.cache.title) "
                            + "stay in the layer of the `RUN` on line \(fillerInstruction.startLine) that filled them; "
                            + "clean them in that `RUN`",
                        fix: fix(cleanup, filler: filler, cleaner: position, fillerRunsAsNonRoot: runsAsNonRoot[filler] ?? true,
                                 stage: stage, context: context)))
                }
                for cache in Self.filledCaches(by: script, of: run, commands: commands) { filled[cache] = position }
            }
        }
        return violations
    }
}

// MARK: - Helpers

private extension CacheRemovedInLaterLayerRule {
    /// A cache a package manager fills.
    enum Cache: Hashable, CaseIterable {
        case aptLists, apkIndex, rpmCache

        /// Its folders.
        var paths: [String] {
            switch self {
            case .aptLists: return ["/var/lib/apt/lists"]
            case .apkIndex: return ["/var/cache/apk"]
            case .rpmCache: return ["/var/cache/yum", "/var/cache/dnf"]
            }
        }

        /// The managers that use it.
        var managers: Set<PackageManager> {
            switch self {
            case .aptLists: return Self.aptManagers
            case .apkIndex: return Self.apkManagers
            case .rpmCache: return Self.rpmManagers
            }
        }

        // Built once: the property is read per command and cache.
        private static let aptManagers: Set<PackageManager> = [.aptGet, .apt, .aptitude]
        private static let apkManagers: Set<PackageManager> = [.apk]
        private static let rpmManagers: Set<PackageManager> = [.yum, .dnf, .microdnf]

        var title: String {
            switch self {
            case .aptLists: return "apt's package lists"
            case .apkIndex: return "apk's index files"
            case .rpmCache: return "the yum/dnf cache files"
            }
        }

        /// Whether a command of one of its managers fills it.
        func isFilled(by command: PackageManagerCommand) -> Bool {
            guard managers.contains(command.manager), let subcommand = command.subcommand else { return false }
            switch self {
            case .aptLists:
                return subcommand == "update"
            case .apkIndex:
                return subcommand == "update"
                    || (["add", "upgrade"].contains(subcommand) && !command.hasFlag("no-cache"))
            case .rpmCache:
                return ["install", "update", "upgrade", "makecache", "groupinstall", "localinstall", "reinstall",
                        "distro-sync", "group", "module"].contains(subcommand)
            }
        }
    }

    /// A command of a later RUN that empties a cache.
    struct Cleanup {
        let cache: Cache
        let view: CommandView
        /// Where to report it: the `rm` operand, or the clean command.
        let range: TextRange
        /// Whether the command removes nothing but the cache.
        let removesOnlyTheCache: Bool
    }

    /// The caches a script fills and leaves: a filling command that no cleanup follows.
    static func filledCaches(by script: ShellScript, of run: RunScript, commands: ArraySlice<PackageManagerCommand>) -> [Cache] {
        Cache.allCases.filter { cache in
            guard let last = commands.last(where: cache.isFilled(by:)),
                  !PackageManagerCommands.isCached(run, anyOf: cache.paths) else { return false }
            // A cleanup after the last filling command empties it in this layer.
            let lastOffset = last.view.command.range.lowerBound
            return !script.commands.contains { view in
                view.command.range.lowerBound > lastOffset
                    && (PackageManagerCommands.removes(view, anyOf: cache.paths) || isCleanAll(view, cache: cache)
                        || isFindDelete(view, cache: cache))
            }
        }
    }

    /// The cleanups of a script, read from the effects walker's deletions and the clean commands.
    static func cleanups(in script: ShellScript, of run: RunScript, context: RuleContext) -> [Cleanup] {
        var deletionsByWord: [Int: PathEffect] = [:]
        // A script that calls no deleting program has no deletion to walk it for.
        if context.model.mayDelete(run) {
            for effect in context.model.effects(of: run).writes where effect.reason == .deletion {
                deletionsByWord[effect.range.lowerBound] = effect
            }
        }
        var found: [Cleanup] = []
        for view in script.commands {
            let range = view.command.range
            let deletions = view.arguments.compactMap { deletionsByWord[$0.range.lowerBound] }
            let paths = deletions.map { LayerWrites.absolutePath(of: $0, in: script) }
            for cache in Cache.allCases {
                if isCleanAll(view, cache: cache) {
                    found.append(Cleanup(cache: cache, view: view, range: script.sourceRange(range), removesOnlyTheCache: true))
                    continue
                }
                guard let hit = deletions.indices.first(where: { index in
                    guard let path = paths[index] else { return false }
                    return cache.paths.contains { LayerWrites.removal(path, covers: $0 + "/partial") }
                }), !cache.paths.contains(where: { LayerWrites.isMounted($0, in: run.instruction) }) else { continue }
                let removesOnlyTheCache = view.name == "rm" && !paths.isEmpty && paths.allSatisfy { path in
                    guard let path else { return false }
                    return cache.paths.contains { path == $0 || path.hasPrefix($0 + "/") }
                }
                found.append(Cleanup(
                    cache: cache, view: view,
                    range: script.sourceRange(view.name == "rm" ? deletions[hit].range : range),
                    removesOnlyTheCache: removesOnlyTheCache))
            }
        }
        return found
    }

    /// `yum clean all`, `dnf clean all`, `microdnf clean all`; `apk cache clean`.
    static func isCleanAll(_ view: CommandView, cache: Cache) -> Bool {
        // The name first: positional arguments are built per call, for every command.
        let name = view.name ?? ""
        switch cache {
        case .rpmCache: return (name == "yum" || name == "dnf" || name == "microdnf") && view.positionalArguments == ["clean", "all"]
        case .apkIndex: return name == "apk" && view.positionalArguments == ["cache", "clean"]
        case .aptLists: return false
        }
    }

    static func isFindDelete(_ view: CommandView, cache: Cache) -> Bool {
        guard view.name == "find" else { return false }
        let values = view.arguments.compactMap(\.literalValue)
        return values.contains("-delete") && values.contains { value in cache.paths.contains { $0.hasPrefix(value) } }
    }

    /// Moves the cleanup into the filling RUN (see "Fix safety").
    func fix(
        _ cleanup: Cleanup, filler: Int, cleaner: Int, fillerRunsAsNonRoot: Bool, stage: Stage, context: RuleContext
    ) -> Fix? {
        guard cleanup.removesOnlyTheCache, !fillerRunsAsNonRoot,
              let fillerRun = context.runScript(of: stage.instructions[filler]), let fillerScript = fillerRun.script,
              let cleanerRun = context.runScript(of: stage.instructions[cleaner]), let cleanerScript = cleanerRun.script,
              let insertion = Self.appendOffset(fillerScript),
              let removal = Self.removalRange(of: cleanup.view, in: cleanerScript, of: cleanerRun)
        else { return nil }
        // Nothing in the later RUN before the cleanup may use the cache's package managers.
        let cleanupStart = cleanup.view.command.range.lowerBound
        let earlierCommands = context.model.packageManagerCommands(of: cleanerRun).filter {
            $0.view.command.range.lowerBound < cleanupStart && cleanup.cache.managers.contains($0.manager)
        }
        guard earlierCommands.isEmpty else { return nil }
        var applicability = Applicability.safe
        for instruction in stage.instructions[(filler + 1)..<cleaner] {
            switch instruction.kind {
            case .run:
                guard let run = context.runScript(of: instruction), run.script != nil,
                      context.model.effects(of: run).isComplete,
                      !context.model.packageManagerCommands(of: run).contains(where: {
                          cleanup.cache.managers.contains($0.manager)
                      })
                else { return nil }
                applicability = .unsafe
            case .copy, .add:
                guard let arguments = LayerOrdering.copyArguments(of: instruction),
                      let written = LayerOrdering.expanded(arguments.destination, before: instruction, scope: context.stages.argScope),
                      let destination = LayerWrites.resolve(written, in: context.model.workingDirectory(before: instruction)),
                      !cleanup.cache.paths.contains(where: { ImagePath.absolute(destination).mayOverlap(.absolute($0)) })
                else { return nil }
            case .onbuild, .volume:
                return nil
            default:
                continue
            }
        }
        let command = cleanerScript.text(cleanup.view.command.range)
        return Fix(
            title: "Move `\(command)` into the `RUN` on line \(stage.instructions[filler].startLine)",
            applicability: applicability,
            edits: [.insert(" && \(command)", at: insertion), .delete(removal)])
    }

    /// The end of a script's last command, when it is a plain command of the main shell
    /// that ends the script and no command of the script goes through `sudo` (the caller
    /// checks that the RUN runs as root, so `&& cleanup` can remove the cache).
    static func appendOffset(_ script: ShellScript) -> Int? {
        guard let item = script.body.items.last, !item.isBackground, let pipeline = item.andOr.pipelines.last,
              pipeline.commands.count == 1, case .simple = pipeline.commands[0].kind, pipeline.commands[0].redirects.isEmpty,
              let view = script.commands.last(where: { $0.command.range == pipeline.commands[0].range }),
              !script.comments.contains(where: { $0.lowerBound >= view.command.range.upperBound }),
              !script.commands.contains(where: { $0.wrappers.contains("sudo") || $0.name == "sudo" })
        else { return nil }
        return script.sourceRange(view.command.range).end
    }

    /// What to delete from the later RUN: the whole instruction when the cleanup is all
    /// it runs; else the cleanup with its `&&`, when it is the first or last pipeline of
    /// the script's one `&&` chain.
    static func removalRange(of view: CommandView, in script: ShellScript, of run: RunScript) -> TextRange? {
        guard script.body.items.count == 1, let item = script.body.items.first, !item.isBackground,
              view.context.enclosures.isEmpty, view.context.pipelineLength == 1, run.origin == .shellForm
        else { return nil }
        let andOr = item.andOr
        if andOr.pipelines.count == 1 {
            return script.commands.count == 1 ? run.instruction.range : nil
        }
        guard andOr.operators.allSatisfy({ $0 == .and }) else { return nil }
        let pipelines = andOr.pipelines
        if pipelines[0].range.contains(view.command.range.lowerBound) {
            return script.sourceRange(pipelines[0].range.lowerBound..<pipelines[1].range.lowerBound)
        }
        if let last = pipelines.last, last.range.contains(view.command.range.lowerBound) {
            return script.sourceRange(pipelines[pipelines.count - 2].range.upperBound..<last.range.upperBound)
        }
        return nil
    }
}
