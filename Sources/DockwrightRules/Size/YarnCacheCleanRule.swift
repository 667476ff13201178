import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags `yarn install` not followed by `yarn cache clean` in the same RUN.
public struct YarnCacheCleanRule: Rule {
    public static let description = RuleDescription(
        code: "DL3060", name: "yarn-cache-clean", category: .size,
        summary: "Run `yarn cache clean` after `yarn install` in the same `RUN`", severity: .info, fix: .none,
        rationale: """
            ## Why
            Yarn keeps a copy of every package it downloads in its cache \
            (`/usr/local/share/.cache/yarn` for root in the node images). In an image that \
            copy is dead weight, committed in the same layer as `node_modules`. \
            `&& yarn cache clean` at the end of the same `RUN` keeps it out of the layer; a \
            later `RUN` cannot.

            As in hadolint, only stages whose layers reach an image are reported: the final \
            stage and stages other stages are built `FROM`; a build stage whose files are \
            copied out with `COPY --from` does not ship its cache. Not reported: a cache or \
            tmpfs `--mount` on the yarn cache (`…/.cache/yarn`, `…/.cache`, `…/.yarn/cache`, \
            `YARN_CACHE_FOLDER` or `--cache-folder`). The finding is at `yarn` of each \
            `yarn install` with no `yarn cache clean` after it in the script. \
            `ONBUILD RUN` triggers are always reported, since they run in another build's \
            stage.

            Differences from hadolint: the clean must come after the install (hadolint \
            accepts it anywhere in the `RUN`); `sudo yarn install` is read too; and a stage \
            is "used later" only when a `FROM` names it, where hadolint also counts a stage \
            whose name equals an image name of any `FROM` (`FROM node:20 AS node`).

            ## References
            hadolint DL3060.
            """,
        triggering: [
            Example("FROM node:20\nWORKDIR /app\nRUN ↓yarn install --frozen-lockfile\n"),
            Example("FROM node:20 AS base\nRUN ↓yarn install\nFROM base\nCMD [\"node\", \"server.js\"]\n"),
            Example("FROM node:20\nRUN yarn cache clean && ↓yarn install\n"),
        ],
        nonTriggering: [
            Example("FROM node:20\nRUN yarn install --frozen-lockfile && yarn cache clean\n"),
            Example("FROM node:20 AS build\nRUN yarn install && yarn build\nFROM nginx:1.27\nCOPY --from=build /app/dist /usr/share/nginx/html\n"),
            Example("FROM node:20\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n"),
            Example("FROM node:20\nENV YARN_CACHE_FOLDER=/yarn\nRUN --mount=type=cache,target=/yarn yarn install\n"),
            Example("FROM node:20\nRUN yarn add express@4.19.2 && yarn build\n"),
            Example("FROM node:20 AS node\nRUN yarn install\nFROM nginx:1.27\nCOPY --from=node /app/dist /usr/share/nginx/html\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let graph = context.stages
        var reaching: Set<Int> = []
        if let final = graph.finalStageIndex { reaching.insert(final) }
        for stage in graph.stages { if let base = stage.baseStageIndex { reaching.insert(base) } }
        var violations: [Violation] = []
        for run in context.runAndTriggerScripts where run.isOnbuildTrigger || reaching.contains(run.stageIndex) {
            let commands = context.model.scriptCommands(of: run).filter { $0.name == "yarn" }
            for (index, command) in commands.enumerated() {
                let positionals = command.view.positionalArguments
                guard positionals.first == "install" || (positionals.contains("install") && positionals.first != "run")
                else { continue }
                let cleansLater = commands[(index + 1)...].contains { later in
                    let words = later.view.positionalArguments
                    return words.count >= 2 && words[0] == "cache" && words[1] == "clean"
                }
                if cleansLater || Self.hasCacheMount(command) { continue }
                violations.append(Violation(
                    range: command.range(of: command.view.nameWord),
                    message: "`yarn install` leaves its package cache in the layer; add `&& yarn cache clean`"))
            }
        }
        return violations
    }
}

// MARK: - Helpers

private extension YarnCacheCleanRule {
    /// Whether a cache or tmpfs mount holds yarn's cache, so it never reaches the layer.
    static func hasCacheMount(_ command: ScriptCommand) -> Bool {
        let instruction = command.run.instruction
        var paths: [String] = []
        if let folder = command.environment?["YARN_CACHE_FOLDER"] { paths.append(folder) }
        if let folder = command.view.flagValue("cache-folder") { paths.append(folder) }
        if paths.contains(where: { RunMount.isCached($0, in: instruction) }) { return true }
        return RunMount.mounts(of: instruction).contains { mount in
            guard mount.type == .cache || mount.type == .tmpfs, var target = mount.target else { return false }
            while target.count > 1 && target.hasSuffix("/") { target.removeLast() }
            return target.hasSuffix("/.cache/yarn") || target.hasSuffix("/.cache") || target.hasSuffix("/.yarn/cache")
                || target.hasSuffix("/.yarn/berry/cache")
        }
    }
}
