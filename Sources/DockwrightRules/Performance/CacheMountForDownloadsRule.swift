import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Suggests BuildKit cache mounts for the download caches of package installs,
/// instead of deleting the caches after each install.
public struct CacheMountForDownloadsRule: Rule {
    public static let description = RuleDescription(
        code: "DW300", name: "cache-mount-for-downloads", category: .performance,
        summary: "Mount a build cache for the package downloads of this `RUN`", severity: .info,
        isEnabledByDefault: false, fix: .sometimes,
        rationale: """
            ## Why
            The cleanup rules (DL3009, DL3019, DL3032, DL3040, DL3042, DL3060) keep \
            package caches out of the image by deleting them, so every rebuild downloads \
            everything again. BuildKit, Docker's default builder, can instead mount a \
            cache that lives outside the image and survives between builds: \
            `RUN --mount=type=cache,target=/var/cache/apt …`. The image stays as small, \
            and a rebuild after a change to the package list downloads only what changed.

            The rule reports a `RUN` that installs with a tool whose cache folder is known \
            for the user the `RUN` runs as, and that has no cache mount there (or deletes \
            the mounted cache again, which makes the mount pointless):
            - apt (`apt-get`, `apt`, `aptitude`) with an `update` in the same `RUN`: \
            `/var/cache/apt` and `/var/lib/apt/lists`, both `sharing=locked` as apt takes \
            locks, and `/etc/apt/apt.conf.d/docker-clean` removed, since the Debian and \
            Ubuntu images ship that file to delete every downloaded package after each \
            install. Docker's reference mounts all of `/var/lib/apt`; dockwright mounts \
            only the lists, so apt's record of automatically installed packages \
            (`/var/lib/apt/extended_states`, read by `apt-mark` and `--auto-remove`) \
            stays in the image and is never shared between the images a builder builds;
            - apk: `/var/cache/apk` (and `--no-cache` becomes `--update`, so the index is \
            still fetched fresh); yum: `/var/cache/yum`; dnf: `/var/cache/dnf`;
            - in the official language images, which run as root: pip \
            `/root/.cache/pip`, uv `/root/.cache/uv`, npm `/root/.npm`, yarn (classic) \
            `/usr/local/share/.cache/yarn`, pnpm `$PNPM_HOME/store` or \
            `/root/.local/share/pnpm/store`, Maven `/root/.m2/repository`, Gradle \
            `/root/.gradle/caches`; in `golang` images `/go/pkg/mod` and \
            `/root/.cache/go-build`; in `rust` images `/usr/local/cargo/registry` and \
            `/usr/local/cargo/git`; in `composer` images `/tmp/cache`.

            Not reported: `ONBUILD` triggers, a `USER` other than root before the `RUN` \
            (another home, and no write access to the system caches), a `HOME` or \
            `PIP_NO_CACHE_DIR`/`UV_NO_CACHE` the stage sets, images not known to run as \
            root, a `# syntax=` frontend older than 1.2 (no `--mount`), bundler (its \
            download cache is inside the gem installation) and apt in a `RUN` without \
            `apt-get update` (the mount would hide the package lists it installs from).

            Off by default: a cache mount changes what a build depends on. The result \
            now depends on the state of the builder's cache (a stale index, a package \
            left by an earlier build), which some teams rule out for reproducible or \
            audited builds, and classic `docker build` without BuildKit rejects \
            `--mount`. Turn it on with `--select DW300`.

            ## Fix safety
            The fix adds the missing `--mount=type=cache,…` flags after `RUN`, and removes \
            the cleanup that would empty the mounted cache again (`rm -rf \
            /var/lib/apt/lists/*`, `apt-get clean`, `--no-cache-dir`, `apk --no-cache`, \
            `yum clean all`, `dnf clean all`, `npm cache clean --force`, `yarn cache \
            clean`, `pip cache purge`, `uv cache clean`, `go clean -modcache`): a cleanup \
            is removed only when it is a plain command joined by `&&`, `;` or a newline, or \
            a plain flag, and an `rm` only when every path it removes lies in a mounted \
            cache. It is unsafe: the build then needs BuildKit; folders that become mounts \
            are empty in the image (no apt lists, as after the cleanup); removing `docker-clean` lets later `RUN`s without a \
            mount keep downloaded packages in their layers; and a later `RUN` that \
            installs without its own `apt-get update` would find no lists, so the fix is \
            not offered for apt when one exists.

            ## References
            Docker's "Optimize cache usage in builds" (cache mounts) and the Dockerfile \
            reference for `RUN --mount=type=cache` (the apt example with `sharing=locked` \
            and `docker-clean`); hadolint issue #1139 (accept cache mounts instead of \
            cleanup); pip, uv, npm, pnpm and Go documentation of their cache folders.
            """,
        triggering: [
            Example("FROM debian:12\nRUN apt-get update && ↓apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"),
            Example("FROM python:3.12\nRUN ↓pip install --no-cache-dir -r requirements.txt\n"),
            Example("FROM alpine:3.20\nRUN ↓apk add --no-cache curl\n"),
            Example("FROM golang:1.22\nWORKDIR /src\nRUN ↓go mod download && go build -o /app .\n"),
            Example("FROM node:20\nRUN --mount=type=cache,target=/root/.npm ↓npm ci && npm cache clean --force\n"),
        ],
        nonTriggering: [
            Example("FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n"),
            Example("FROM python:3.12\nUSER app\nRUN pip install --user -r requirements.txt\n"),
            Example("FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install -r requirements.txt\n"),
            Example("FROM debian:12\nRUN apt-get install -y ./tool.deb\n"),
            Example("FROM myorg/base:1\nRUN npm ci\n"),
            Example("FROM debian:12\nONBUILD RUN apt-get update && apt-get install -y curl\n"),
            Example("# syntax=docker/dockerfile:1.0\nFROM python:3.12\nRUN pip install flask\n"),
            Example("FROM ruby:3.3\nRUN bundle install\n"),
        ],
        fixes: [
            FixExample(
                "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
                "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked "
                    + "--mount=type=cache,target=/var/lib/apt/lists,sharing=locked "
                    + "rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y curl\n",
                .unsafe),
            FixExample(
                "FROM python:3.12\nRUN pip install \\\n    --no-cache-dir \\\n    -r requirements.txt\n",
                "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install \\\n    -r requirements.txt\n",
                .unsafe),
            FixExample(
                "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
                "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add --update curl\n", .unsafe),
            FixExample(
                "FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n",
                "FROM fedora:40\nRUN --mount=type=cache,target=/var/cache/dnf dnf install -y httpd\n", .unsafe),
            FixExample(
                "FROM golang:1.22\nRUN go build -o /app .\n",
                "FROM golang:1.22\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build "
                    + "go build -o /app .\n", .unsafe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        guard Self.frontendSupportsMounts(context.syntax) else { return [] }
        var violations: [Violation] = []
        let runs = context.runScripts
        // One walk each, not one per RUN: whether a later RUN installs from this one's
        // apt lists, and whether the file handles `docker-clean` already.
        let laterAptInstallNeedsLists = Self.laterAptInstallsNeedLists(in: runs)
        let handlesDockerClean = Self.mentionsDockerClean(context)
        for (position, run) in runs.enumerated() where !run.isOnbuildTrigger {
            guard let script = run.script, !PackageManagerCommands.runsAsNonRoot(run, model: context.model) else { continue }
            let commands = context.model.scriptCommands(of: run)
            let environment = commands.first?.environment
            let stage = context.stages.stages[run.stageIndex]
            let image = context.stages.rootStage(of: stage.index)?.baseImage
            var caches: [CacheUse] = []
            for (index, command) in commands.enumerated() {
                for cache in Self.caches(of: command, index: index, image: image, environment: environment, script: script)
                where !caches.contains(where: { $0.tool == cache.tool }) {
                    caches.append(cache)
                }
            }
            guard let first = caches.first else { continue }
            let targets = caches.flatMap(\.targets)
            let missing = targets.filter { !RunMount.isCached($0.path, in: run.instruction) }
            let cleanups = Self.cleanups(in: script, commands: commands, caches: caches, context: context)
            guard !missing.isEmpty || !cleanups.edits.isEmpty || cleanups.isPartial else { continue }
            let usesApt = caches.contains { $0.tool == .apt }
            var fix: Fix?
            if !cleanups.isPartial, !usesApt || !laterAptInstallNeedsLists[position] {
                var edits = cleanups.edits
                if !missing.isEmpty {
                    let flags = missing.map { " --mount=type=cache,target=\($0.path)" + ($0.isLocked ? ",sharing=locked" : "") }
                    edits.append(.insert(flags.joined(), at: run.instruction.keyword.range.end))
                }
                if usesApt, !handlesDockerClean, let item = script.body.items.first {
                    edits.append(.insert("rm -f /etc/apt/apt.conf.d/docker-clean && ", at: script.sourceRange(item.range).start))
                }
                let shown = (missing.isEmpty ? targets : missing).map { "`\($0.path)`" }.joined(separator: ", ")
                fix = Fix(title: missing.isEmpty ? "Remove the cleanup that empties the cache mount"
                            : "Mount build caches at \(shown)", applicability: .unsafe, edits: edits)
            }
            let where_ = targets.map { "`\($0.path)`" }.joined(separator: ", ")
            let message = missing.isEmpty
                ? "this `RUN` empties the cache it mounts at \(where_); drop the cleanup and keep the cache"
                : "`\(first.label)` downloads into \(where_); mount a build cache there "
                    + "(`RUN --mount=type=cache,target=\(missing[0].path)`) instead of downloading again on each build"
            violations.append(Violation(range: first.range, message: message, fix: fix))
        }
        return violations
    }
}

// MARK: - Helpers

private extension CacheMountForDownloadsRule {
    /// The tools whose caches the rule knows.
    enum Tool: Hashable {
        case apt, apk, yum, dnf, pip, uv, npm, yarn, pnpm, go, cargo, maven, gradle, composer
    }

    /// A folder to mount, and whether concurrent builds must take turns with it.
    struct Target: Hashable {
        let path: String
        var isLocked = false
    }

    /// A tool this RUN downloads with: where it is called, and its cache folders.
    struct CacheUse {
        let tool: Tool
        let label: String
        let range: TextRange
        let targets: [Target]
    }

    /// Cleanup edits, and whether some cleanup could not be removed cleanly.
    struct Cleanups {
        var edits: [Edit] = []
        var isPartial = false
    }

    /// `RUN --mount` is BuildKit's Dockerfile frontend 1.2 and later; an explicit older
    /// `# syntax=docker/dockerfile:1.0` or `1.1` rejects it.
    static func frontendSupportsMounts(_ syntax: DockerfileSyntax) -> Bool {
        guard let directive = syntax.directives.first(where: { $0.name.lowercased() == "syntax" }) else { return true }
        let value = directive.value.lowercased()
        for old in ["dockerfile:1.0", "dockerfile:1.1"] where value.hasSuffix(old) || value.contains(old + ".") || value.contains(old + "-") {
            return false
        }
        return true
    }

    /// Official images, which run as root unless a `USER` says otherwise.
    static func officialName(_ image: ImageReference?) -> String? {
        guard let image, image.isValid, image.isOfficialImage, !image.isScratch else { return nil }
        return image.path.split(separator: "/").last.map(String.init)
    }

    /// The caches a command downloads into, given the image and the variables it sees.
    static func caches(of command: ScriptCommand, index: Int, image: ImageReference?, environment: VariableEnvironment?,
                       script: ShellScript) -> [CacheUse] {
        guard let name = command.name else { return [] }
        let positionals = command.view.positionalArguments
        let verb = positionals.first ?? ""
        let range = command.range(of: command.view.nameWord)
        func use(_ tool: Tool, _ targets: [Target], label: String? = nil) -> [CacheUse] {
            let shown = label ?? ([name] + positionals.prefix(1)).joined(separator: " ")
            return [CacheUse(tool: tool, label: shown, range: range, targets: targets)]
        }
        let official = officialName(image)
        let rootHome = official != nil && environment?["HOME"] == nil
        switch name {
        case "apt-get", "apt", "aptitude":
            guard ["install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep"].contains(verb),
                  script.commands[..<min(index, script.commands.count)].contains(where: {
                      ["apt-get", "apt", "aptitude"].contains($0.name ?? "") && $0.subcommand == "update" })
            else { return [] }
            return use(.apt, [Target(path: "/var/cache/apt", isLocked: true), Target(path: "/var/lib/apt/lists", isLocked: true)])
        case "apk":
            guard ["add", "upgrade"].contains(verb) else { return [] }
            return use(.apk, [Target(path: "/var/cache/apk")])
        case "yum":
            guard ["install", "update", "upgrade", "reinstall"].contains(verb) else { return [] }
            return use(.yum, [Target(path: "/var/cache/yum")])
        case "dnf":
            guard ["install", "update", "upgrade", "reinstall"].contains(verb) else { return [] }
            return use(.dnf, [Target(path: "/var/cache/dnf")])
        default:
            break
        }
        guard rootHome, let official else { return [] }
        if let (_, launcher) = command.pipInstall, launcher == .pip {
            guard environment?["PIP_NO_CACHE_DIR"] == nil, environment?["PIP_CACHE_DIR"] == nil else { return [] }
            return use(.pip, [Target(path: "/root/.cache/pip")], label: "pip install")
        }
        switch name {
        case "uv" where ["pip", "sync", "add", "tool"].contains(verb):
            guard verb != "pip" || positionals.dropFirst().first == "install",
                  environment?["UV_NO_CACHE"] == nil, environment?["UV_CACHE_DIR"] == nil else { return [] }
            return use(.uv, [Target(path: "/root/.cache/uv")])
        case "npm" where ["ci", "install", "i"].contains(verb):
            guard environment?["npm_config_cache"] == nil, environment?["NPM_CONFIG_CACHE"] == nil else { return [] }
            return use(.npm, [Target(path: "/root/.npm")])
        case "yarn" where official == "node" && (verb == "install" || positionals.isEmpty):
            guard environment?["YARN_CACHE_FOLDER"] == nil else { return [] }
            return use(.yarn, [Target(path: "/usr/local/share/.cache/yarn")])
        case "pnpm" where ["install", "i", "fetch"].contains(verb):
            let store = environment?["PNPM_HOME"].map { $0 + "/store" } ?? "/root/.local/share/pnpm/store"
            return use(.pnpm, [Target(path: store)])
        case "go" where official == "golang" && ["build", "install", "test", "get", "mod", "generate", "vet"].contains(verb):
            guard environment?["GOPATH"] == nil, environment?["GOMODCACHE"] == nil, environment?["GOCACHE"] == nil,
                  verb != "mod" || positionals.dropFirst().first == "download" else { return [] }
            let build = verb == "mod" || verb == "get" ? [] : [Target(path: "/root/.cache/go-build")]
            return use(.go, [Target(path: "/go/pkg/mod")] + build)
        case "cargo" where official == "rust" && ["build", "install", "fetch", "test"].contains(verb):
            guard environment?["CARGO_HOME"] == nil else { return [] }
            return use(.cargo, [Target(path: "/usr/local/cargo/registry"), Target(path: "/usr/local/cargo/git")])
        case "mvn", "mvnw":
            guard !positionals.isEmpty, !command.view.arguments.contains(where: { ($0.literalValue ?? "").hasPrefix("-Dmaven.repo.local") })
            else { return [] }
            return use(.maven, [Target(path: "/root/.m2/repository")])
        case "gradle", "gradlew":
            // The `gradle` image declares its own Gradle home; elsewhere root's is `/root/.gradle`.
            guard !positionals.isEmpty, official != "gradle", environment?["GRADLE_USER_HOME"] == nil else { return [] }
            return use(.gradle, [Target(path: "/root/.gradle/caches")])
        case "composer" where official == "composer" && ["install", "require", "update"].contains(verb):
            guard environment?["COMPOSER_HOME"] == nil, environment?["COMPOSER_CACHE_DIR"] == nil else { return [] }
            return use(.composer, [Target(path: "/tmp/cache")])
        default:
            return []
        }
    }

    /// The edits that take out the cleanup of the mounted caches: cleanup commands,
    /// `rm` of paths inside them, and flags that turn the cache off.
    static func cleanups(in script: ShellScript, commands: ScriptCommands.SubSequence, caches: [CacheUse],
                         context: RuleContext) -> Cleanups {
        var result = Cleanups()
        let tools = Set(caches.map(\.tool))
        let paths = caches.flatMap(\.targets).map(\.path)
        let hasApkUpdate = script.commands.contains { $0.name == "apk" && $0.subcommand == "update" }
        for (index, command) in commands.enumerated() where index < script.commands.count {
            let view = command.view
            let positionals = view.positionalArguments
            let name = view.name ?? ""
            var isCleanup = false
            switch name {
            case "rm":
                let operands = view.arguments.filter { !($0.literalValue ?? "").hasPrefix("-") }
                let inCache = operands.filter { word in
                    guard let value = word.literalValue else { return false }
                    return paths.contains { value == $0 || value.hasPrefix($0 + "/") }
                }
                // `rm -rf /var/cache/*` would also try to remove the mount point, and fail: no fix.
                let removesAMount = operands.contains { word in
                    guard var value = word.literalValue else { return false }
                    while value.hasSuffix("*") || (value.count > 1 && value.hasSuffix("/")) { value.removeLast() }
                    return paths.contains { $0.hasPrefix(value.hasSuffix("/") ? value : value + "/") }
                }
                if removesAMount {
                    result.isPartial = true
                } else if inCache.isEmpty {
                    break
                } else if inCache.count == operands.count {
                    isCleanup = true
                } else {
                    // Keep the `rm` for its other paths; take out only those in the caches.
                    let words = Array(view.arguments)
                    for word in inCache {
                        guard let position = words.firstIndex(of: word),
                              let edit = ScriptEdits.removal(
                                of: word, after: position == 0 ? view.nameWord : words[position - 1], in: script, context: context)
                        else { result.isPartial = true; continue }
                        result.edits.append(edit)
                    }
                }
            case "apt-get" where tools.contains(.apt), "apt" where tools.contains(.apt): isCleanup = positionals == ["clean"]
            case "yum" where tools.contains(.yum), "dnf" where tools.contains(.dnf):
                isCleanup = positionals.first == "clean"
            case "npm" where tools.contains(.npm): isCleanup = positionals.prefix(2) == ["cache", "clean"]
            case "yarn" where tools.contains(.yarn): isCleanup = positionals.prefix(2) == ["cache", "clean"]
            case "pnpm" where tools.contains(.pnpm): isCleanup = positionals.prefix(2) == ["store", "prune"]
            case "uv" where tools.contains(.uv): isCleanup = positionals.prefix(2) == ["cache", "clean"]
            case "go" where tools.contains(.go): isCleanup = positionals == ["clean"] && view.hasFlag("modcache", "cache")
            default: break
            }
            if command.pipInstall != nil || (name.hasPrefix("pip") && positionals.prefix(2) == ["cache", "purge"]) {
                if positionals.prefix(2) == ["cache", "purge"] { isCleanup = tools.contains(.pip) }
            }
            if isCleanup {
                if let edit = ScriptEdits.removal(ofCommandAt: index, in: script, context: context) {
                    result.edits.append(edit)
                } else {
                    result.isPartial = true
                }
                continue
            }
            // Flags that switch the mounted cache off.
            let words = Array(view.arguments)
            for (offset, word) in words.enumerated() {
                guard let value = word.literalValue else { continue }
                let previous = offset == 0 ? view.nameWord : words[offset - 1]
                let turnsCacheOff = (value == "--no-cache-dir" && tools.contains(.pip) && command.pipInstall != nil)
                    || (value == "--no-cache" && ((name == "apk" && tools.contains(.apk)) || (name == "uv" && tools.contains(.uv))))
                guard turnsCacheOff else { continue }
                if name == "apk", !hasApkUpdate, !view.hasFlag("update", "U") {
                    // apk without `--no-cache` installs from the index it has; `--update` fetches it.
                    result.edits.append(Edit(range: command.range(of: word), replacement: "--update"))
                } else if let edit = ScriptEdits.removal(of: word, after: previous, in: script, context: context) {
                    result.edits.append(edit)
                } else {
                    result.isPartial = true
                }
            }
        }
        return result
    }

    /// For each RUN, whether a later RUN installs with apt without updating the lists
    /// itself first, so it relies on lists this one leaves in the layer.
    static func laterAptInstallsNeedLists(in runs: [RunScript]) -> [Bool] {
        var result = Array(repeating: false, count: runs.count)
        var needsLists = false
        for position in runs.indices.reversed() {
            result[position] = needsLists
            let run = runs[position]
            guard let script = run.script else {
                if String(decoding: run.text.bytes, as: UTF8.self).contains("apt") { needsLists = true }
                continue
            }
            var updated = false
            for view in script.commands where ["apt-get", "apt", "aptitude"].contains(view.name ?? "") {
                if view.subcommand == "update" { updated = true }
                if ["install", "upgrade", "dist-upgrade", "build-dep"].contains(view.subcommand ?? ""), !updated {
                    needsLists = true
                }
            }
        }
        return result
    }

    /// Whether the file already handles `docker-clean` somewhere.
    static func mentionsDockerClean(_ context: RuleContext) -> Bool {
        let needle = Array("docker-clean".utf8)
        let bytes = context.bytes
        guard bytes.count >= needle.count else { return false }
        var offset = 0
        while offset + needle.count <= bytes.count {
            if bytes[offset] == needle[0], bytes[offset..<(offset + needle.count)].elementsEqual(needle) { return true }
            offset += 1
        }
        return false
    }
}
