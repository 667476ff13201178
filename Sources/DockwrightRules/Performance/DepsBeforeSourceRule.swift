import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags dependency installs that run after a COPY of the whole build context.
public struct DepsBeforeSourceRule: Rule {
    public static let description = RuleDescription(
        code: "DW001", name: "deps-before-source", category: .performance,
        summary: "Install dependencies before copying the whole build context", severity: .warning,
        fix: .sometimes,
        rationale: """
            ## Why
            Docker reuses a layer only while everything before it is unchanged. When \
            `npm ci`, `pip install -r`, `go mod download`, `bundle install` and the like run \
            after `COPY . .`, any edit to any source file invalidates the install, and every \
            build downloads and compiles all dependencies again. Copying only the manifests \
            (`package.json` and its lock file, requirement files, `go.mod`/`go.sum`, …) first, \
            installing, and then copying the rest keeps the install cached until a manifest changes.

            Recognised installs: npm, yarn and pnpm installs from the manifest, `pip install -r` \
            (also `python -m pip`, `uv pip`), `pipenv install`, `poetry install`, `uv sync`, \
            `go mod download`, `bundle install`, `composer install`, Maven `dependency:*` and \
            go-offline goals, Gradle `dependencies`, and `cargo fetch`/`cargo build`. An install \
            is not reported when the same ecosystem already installed, or had its manifests \
            copied, earlier in the stage, nor when it runs in a folder the COPY does not fill.

            ## Fix safety
            The fix is unsafe: it cannot see inside the manifests, so it cannot know about \
            workspace members, local path dependencies, `-r` includes in another folder, a \
            `gemspec` the Gemfile loads, or a `.dockerignore` that hides a lock file. It replaces \
            the full COPY with a COPY of the manifests into the same destination (keeping \
            `--chown`, `--chmod` and `--link`) and moves the full COPY, with the comments above \
            it, below the install; the install RUN keeps its exact text and its WORKDIR, ENV, \
            ARG and USER. The manifest names come from the command where it gives them \
            (`-r requirements/prod.txt` copies the `requirements/` folder, `-c constraints.txt` \
            the constraint file). With the manifests it copies the small files the install \
            reads from the project folder, and the fix's title names them: `.npmrc` (npm, \
            pnpm, Yarn), `.yarnrc`/`.yarnrc.yml` and `.yarn/releases`, `plugins`, `patches` \
            (Yarn), `.pnpmfile.cjs` and `pnpm-workspace.yaml` (pnpm), `uv.toml` and \
            `.python-version` (uv), `poetry.toml`, `.ruby-version` and `.bundle/` (Bundler), \
            `auth.json` (Composer), `.mvn/` (Maven) and `gradle.properties`. When the rule is \
            given a listing of the build context, it copies the manifests and files that \
            exist; without one it uses patterns that cannot break the COPY, such as \
            `package*.json`, `yarn.lock*` and `.npmrc*`: BuildKit skips a wildcard that \
            matches nothing, and the first source always matches when the install itself can \
            work. A folder cannot be copied that way, so without a listing Yarn (whose \
            `yarnPath` may name a release in `.yarn/releases`), Bundler (`.bundle/config`) \
            and Maven without its wrapper (`.mvn/`) get no rewrite, and so no finding; a \
            `go.work` or `pnpm-workspace.yaml` in the listing means a workspace, whose members \
            the install also reads, and no rewrite either.

            A RUN that installs and then builds (`npm ci && npm run build`) is split in two \
            when it is a plain `&&` chain whose leading commands are installs and setup that \
            change nothing later commands see (no `cd`, `export`, `set`); the build part stays \
            after the full COPY. A finding always comes with its rewrite: an install is not \
            reported when the full COPY would have to move past a \
            COPY, ADD, VOLUME or a RUN other than plain setup (system packages, \
            `npm install -g`, `pip install --upgrade pip`, package-manager settings), past an ENV or \
            ARG that sets a variable the full COPY names (in its sources, destination, \
            `--chown` or `--chmod`: below it the COPY would see the new value), or past a \
            WORKDIR while its destination, expanded, is relative; a USER does not matter, \
            since COPY makes its files root's unless `--chown` says otherwise; when the full COPY lands where the package \
            manager reads its own configuration (`COPY . /root` fills `~/.npmrc`); when the RUN \
            bind-mounts the context; when the build context lacks the manifests; \
            for `poetry install` without `--no-root`, `uv sync` without `--no-install-project` \
            and `composer install` without `--no-scripts --no-autoloader`, which install the \
            project itself; and for Cargo, which cannot fetch without the crate's sources.

            ## References
            Docker docs, "Optimize cache usage in builds: order your layers"; \
            the Next.js, uv and Go Dockerfile guides.
            """,
        triggering: [
            Example("FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN ↓npm ci\nCMD [\"node\", \"server.js\"]\n"),
            Example("FROM python:3.12-slim\nWORKDIR /srv\nCOPY --chown=app:app . .\nRUN ↓pip install --no-cache-dir -r requirements/prod.txt\n"),
            Example("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nWORKDIR /src\nADD . /src\nRUN ↓go mod download && go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\n"),
            Example("FROM ruby:3.3\nWORKDIR /app\nCOPY . .\nRUN apt-get update\nRUN ↓bundle install\n",
                    contextFiles: ["Gemfile", "Gemfile.lock", "app.rb"]),
            Example("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN ↓poetry install --only main --no-root\n"),
            Example("FROM node:20-slim\nCOPY . /app\nWORKDIR /app/web\nRUN ↓yarn install --frozen-lockfile\n",
                    contextFiles: ["web/package.json", "web/yarn.lock", "web/src/index.js"]),
            Example("FROM node:20-slim\nWORKDIR /app\nCOPY --chown=$APP_USER . .\nENV NODE_ENV=production\nRUN ↓npm ci\n"),
            Example("FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN ↓yarn install --immutable\n",
                    contextFiles: ["package.json", "yarn.lock", ".yarnrc.yml", ".yarn/releases/yarn-4.5.0.cjs", "src/index.js"]),
        ],
        nonTriggering: [
            Example("FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n"),
            Example("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\n"),
            Example("FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm install -g serve && npm run build\n"),
            Example("FROM node:20-slim\nCOPY . /src\nWORKDIR /app\nRUN npm ci\n"),
            Example("FROM rust:1.79 AS build\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n"),
            Example("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN poetry install --only main\n"),
            Example("FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nFROM node:20-slim\nCOPY --from=build /app /app\nRUN npm ci\n"),
            Example("""
                FROM python:3.12-slim
                WORKDIR /app
                RUN --mount=type=bind,source=uv.lock,target=uv.lock \\
                    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\
                    uv sync --locked --no-install-project
                COPY . /app
                RUN uv sync --locked

                """),
            Example("FROM rust:1.79\nWORKDIR /src\nCOPY Cargo.toml Cargo.lock ./\nRUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release\nCOPY . .\nRUN cargo build --release\n"),
            Example("FROM node:20-slim\nWORKDIR /app\nCOPY --chown=$APP_USER . .\nENV APP_USER=node\nRUN npm ci\n"),
            Example("FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable\n"),
        ],
        fixes: [
            FixExample(
                "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"server.js\"]\n",
                "FROM node:20-slim\nWORKDIR /app\nCOPY package*.json .npmrc* ./\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
                .unsafe),
            FixExample(
                "FROM node:20-slim AS build\nWORKDIR /app\n# the sources\nCOPY --chown=node:node . .\nENV NODE_ENV=production\nRUN npm ci && \\\n    npm run build\n",
                "FROM node:20-slim AS build\nWORKDIR /app\nCOPY --chown=node:node package*.json .npmrc* ./\nENV NODE_ENV=production\nRUN npm ci\n# the sources\nCOPY --chown=node:node . .\nRUN npm run build\n",
                .unsafe),
            FixExample(
                "FROM python:3.12-slim\nCOPY . /srv\nWORKDIR /srv\nRUN pip install -r requirements/prod.txt\n",
                "FROM python:3.12-slim\nCOPY requirements/ /srv/requirements/\nWORKDIR /srv\nRUN pip install -r requirements/prod.txt\nCOPY . /srv\n",
                .unsafe),
            FixExample(
                "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod go mod download && go build -o /out/app .\n",
                "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum* ./\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod go build -o /out/app .\n",
                .unsafe),
            FixExample(
                "FROM node:20-slim\nCOPY . /app\nWORKDIR /app/web\nRUN yarn install --frozen-lockfile\n",
                "FROM node:20-slim\nCOPY web/package.json web/yarn.lock /app/web/\nWORKDIR /app/web\nRUN yarn install --frozen-lockfile\nCOPY . /app\n",
                .unsafe, contextFiles: ["web/package.json", "web/yarn.lock", "web/src/index.js"]),
            FixExample(
                "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable\n",
                "FROM node:20-slim\nWORKDIR /app\nCOPY package.json yarn.lock .yarnrc.yml ./\nCOPY .yarn/releases/ ./.yarn/releases/\nRUN yarn install --immutable\nCOPY . .\n",
                .unsafe,
                contextFiles: ["package.json", "yarn.lock", ".yarnrc.yml", ".yarn/releases/yarn-4.5.0.cjs", "src/index.js"]),
            FixExample(
                "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen --no-install-project\n",
                "FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock* uv.toml* .python-version* ./\nRUN uv sync --frozen --no-install-project\nCOPY . .\n",
                .unsafe),
            FixExample(
                "FROM node:20-slim\nWORKDIR /app\nCOPY --chown=$APP_USER . .\nENV NODE_ENV=production\nRUN npm ci\n",
                "FROM node:20-slim\nWORKDIR /app\nCOPY --chown=$APP_USER package*.json .npmrc* ./\nENV NODE_ENV=production\nRUN npm ci\nCOPY --chown=$APP_USER . .\n",
                .unsafe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let workingDirectories = LayerOrdering.workingDirectories(context)
        var violations: [Violation] = []
        for stage in context.stages.stages {
            // Only a RUN after a COPY of the whole context reports: a stage without one
            // needs no reading of its RUNs' installs.
            guard stage.instructions.contains(where: {
                ($0.kind == .copy || $0.kind == .add) && isFullContextCopy($0)
            }) else { continue }
            var fullCopy: (instruction: InstructionSyntax, index: Int)?
            var preparedBeforeFullCopy: Set<DependencyEcosystem> = []
            var prepared: Set<DependencyEcosystem> = []
            var copiedSources: [String] = []
            for (index, instruction) in stage.instructions.enumerated() {
                switch instruction.kind {
                case .copy, .add:
                    if isFullContextCopy(instruction) {
                        fullCopy = (instruction, index)
                        preparedBeforeFullCopy = prepared
                    } else if LayerOrdering.copiesFromContext(instruction), fullCopy == nil,
                              let arguments = LayerOrdering.copyArguments(of: instruction) {
                        copiedSources += arguments.sources
                    }
                case .run:
                    let installs = dependencyInstalls(in: instruction, context)
                    defer { prepared.formUnion(installs.map(\.ecosystem)) }
                    guard let copy = fullCopy, let script = context.runScript(of: instruction)?.script else { continue }
                    let situation = Situation(
                        context: context, stage: stage, copy: copy.instruction, copyIndex: copy.index, run: instruction,
                        runIndex: index, script: script, workingDirectories: workingDirectories)
                    let reported = installs.filter { install in
                        !preparedBeforeFullCopy.contains(install.ecosystem)
                            && !hasCopiedManifests(of: install, copiedSources)
                            && situation.manifestLocation(of: install) != .outside
                    }
                    // No finding without a move to offer: advice the build cannot follow as
                    // written is noise.
                    guard let first = reported.first,
                          let fix = situation.fix(movingAllOf: installs, buildContext: context.buildContext)
                    else { continue }
                    violations.append(Violation(
                        range: script.sourceRange(first.command.command.range),
                        message: message(for: first, copy: copy.instruction), fix: fix))
                default:
                    break
                }
            }
        }
        return violations
    }
}

private extension DepsBeforeSourceRule {
    /// `COPY . <dest>` or `ADD ./ <dest>`: the whole context, not another stage or image.
    func isFullContextCopy(_ instruction: InstructionSyntax) -> Bool {
        guard LayerOrdering.copiesFromContext(instruction), instruction.flag(named: "parents") == nil,
              let arguments = LayerOrdering.copyArguments(of: instruction) else { return false }
        return arguments.sources.contains { LayerOrdering.relativeNormalizedPath($0).isEmpty && !$0.hasPrefix("/") }
    }

    func dependencyInstalls(in run: InstructionSyntax, _ context: RuleContext) -> [DependencyInstall] {
        guard let script = context.runScript(of: run)?.script else { return [] }
        return script.commands.compactMap(DependencyInstall.init)
    }

    /// Whether a COPY before the full one already brought this install's manifests
    /// (`COPY package*.json ./`, `COPY requirements/ requirements/`).
    func hasCopiedManifests(of install: DependencyInstall, _ sources: [String]) -> Bool {
        // The required manifest, not any file the install reads: a COPY of `.npmrc` alone
        // prepares nothing.
        let names = install.namedFiles.isEmpty ? DependencyManifests.of(install.ecosystem).requiredFiles
            : install.namedFiles
        return sources.contains { source in
            let path = LayerOrdering.relativeNormalizedPath(source)
            let baseName = path.split(separator: "/").last.map(String.init) ?? path
            return names.contains { name in
                let nameBase = name.split(separator: "/").last.map(String.init) ?? name
                let namePath = LayerOrdering.relativeNormalizedPath(name)
                return LayerOrdering.globMatches(baseName, nameBase) || namePath.hasPrefix(path + "/")
            }
        }
    }

    func message(for install: DependencyInstall, copy: InstructionSyntax) -> String {
        let copyText = ([copy.keyword.text] + copy.values).joined(separator: " ")
        let advice = DependencyManifests.of(install.ecosystem).advice
        return "`\(install.displayName)` runs after `\(copyText)` copies the whole build context, so every "
            + "source change reinstalls the dependencies; \(advice)"
    }
}

/// One install RUN after one full COPY, and what moving them needs to know.
private struct Situation {
    let context: RuleContext
    let stage: Stage
    let copy: InstructionSyntax
    let copyIndex: Int
    let run: InstructionSyntax
    let runIndex: Int
    let script: ShellScript
    let workingDirectories: WorkingDirectoryTable

    typealias ImagePath = LayerOrdering.ImagePath

    /// The folder the full COPY fills.
    var copiedFolder: ImagePath {
        let workingDirectory = workingDirectories[copy.range.start] ?? .relative(anchor: copy.range.start, path: "")
        return LayerOrdering.destinationFolder(
            of: copy, workingDirectory: workingDirectory, scope: context.stages.argScope)
    }

    /// Where the install reads its manifests, relative to the copied folder: inside it
    /// (at a relative folder), outside it, or unknown (nil).
    func manifestLocation(of install: DependencyInstall) -> LayerOrdering.Containment? {
        let folders = manifestFolders(of: install)
        guard !folders.isEmpty else { return nil }
        var insides: [String] = []
        for folder in folders {
            switch folder {
            case .some(.inside(let path)): insides.append(path)
            case .some(.outside): continue
            case .none: return nil
            }
        }
        return insides.first.map { .inside($0) } ?? .outside
    }

    /// For a named-file install, where each file lies; otherwise where the manifest folder lies.
    func manifestFolders(of install: DependencyInstall) -> [LayerOrdering.Containment?] {
        let destination = copiedFolder
        guard let folderPath = install.manifestFolder else { return [nil] }
        let folder = workingDirectory(of: install).appending(folderPath)
        if install.namedFiles.isEmpty { return [folder.relativePath(inside: destination)] }
        return install.namedFiles.map { folder.appending($0).relativePath(inside: destination) }
    }

    /// The install's working directory: the RUN's WORKDIR, changed by earlier `cd`s of the
    /// same shell, as the model's effects walker followed them.
    func workingDirectory(of install: DependencyInstall) -> ImagePath {
        let commandRange = install.command.command.range
        if let runScript = context.runScript(of: run),
           let call = context.model.effects(of: runScript).programs.first(where: { $0.range == commandRange }) {
            return call.workingDirectory
        }
        return workingDirectories[run.range.start] ?? .relative(anchor: run.range.start, path: "")
    }

    // MARK: - The fix

    /// Replaces the full COPY with a COPY of the manifests and moves it below the install
    /// (or below the install part of a split RUN); nil when that is not known to work.
    func fix(movingAllOf installs: [DependencyInstall], buildContext: BuildContextListing?) -> Fix? {
        guard installs.allSatisfy({ $0.fixBlocker == nil }), copyCanMoveDown, !runBindMountsContext,
              !copyFillsConfiguration(of: installs), let plan = movePlan() else { return nil }
        // An install that reads nothing from the copied folder needs no manifest copied.
        let moved = installs.filter {
            plan.movedCommands.contains($0.command.command.range.lowerBound) && manifestLocation(of: $0) != .outside
        }
        guard !moved.isEmpty, let (copies, extras) = manifestCopies(for: moved, buildContext: buildContext) else {
            return nil
        }
        let syntax = context.syntax
        let style = context.style
        let copyRange = context.model.leadingComments(of: copy).range(extending: copy)
        let copyText = LayerOrdering.movableText(copyRange, in: syntax, style: style)
        var edits = [Edit(range: copyRange, replacement: copies)]
        if let split = plan.split {
            // An ignore pragma above the RUN would cover only the part left in place.
            let runComments = context.model.leadingComments(of: run)
            guard !runComments.pragmas.contains(where: { $0.ignoredEntries != nil }) else { return nil }
            let runRange = runComments.range(extending: run)
            let flags = LayerOrdering.flagsText(run.flags, in: syntax)
            let firstPart = [style.keyword(.run), flags, syntax.source.text(in: split.firstPart)]
                .filter { !$0.isEmpty }.joined(separator: " ")
            edits.append(.insert(firstPart + style.lineEnding + copyText, at: runRange.start))
            edits.append(.delete(TextRange(start: split.firstPart.start, end: split.restStart)))
        } else if LayerOrdering.endsWithLineEnd(run, in: syntax) {
            edits.append(.insert(copyText, at: run.range.end))
        } else {
            edits.append(.insert(style.lineEnding + copyText, at: run.range.end))
        }
        let what = extras.isEmpty ? "the dependency manifests"
            : "the dependency manifests with " + extras.joined(separator: ", ")
        let title = plan.split == nil
            ? "Copy \(what) first and move the full `COPY` below the install"
            : "Copy \(what) first and split the install from the build"
        return Fix(title: title, applicability: .unsafe, edits: edits)
    }

    /// Whether the full COPY lands where the installs' package managers read their own
    /// configuration (`COPY . /root` fills `~/.npmrc`, `COPY . /etc` fills `pip.conf`):
    /// below the install, that configuration would be missing when it runs.
    func copyFillsConfiguration(of installs: [DependencyInstall]) -> Bool {
        guard let runScript = context.runScript(of: run) else { return true }
        let effects = context.model.effects(of: runScript)
        for install in installs {
            let range = install.command.command.range
            // Files in the install's own folder come with the manifests.
            let folder = effects.programs.first { $0.range == range }?.workingDirectory
            let fills = effects.reads.contains { read in
                guard read.reason == .packageManagerConfiguration, read.range == range,
                      read.pattern.hasPrefix("/") || read.pattern.hasPrefix("~") else { return false }
                if let folder, let path = read.path, case .inside? = path.relativePath(inside: folder) { return false }
                return read.mayOverlap(copiedFolder)
            }
            if fills { return true }
        }
        return false
    }

    /// The full COPY may move down past the instructions between it and the RUN only
    /// when none of them reads the sources or changes how the COPY resolves. A RUN in
    /// between may stay above it when it only does setup that reads no project file
    /// (`RUN npm install -g npm@10`, `RUN pip install --upgrade pip`). An ENV or ARG in
    /// between may stay above it unless it sets a variable the COPY names (in a source,
    /// the destination, `--chown` or `--chmod`): below them the COPY would see its new
    /// value. A WORKDIR may when the destination, expanded, is absolute. A USER does not
    /// matter: COPY makes its files root's unless `--chown` says otherwise.
    var copyCanMoveDown: Bool {
        guard copy.flags.allSatisfy({ ["chown", "chmod", "link"].contains($0.name) }),
              let arguments = LayerOrdering.copyArguments(of: copy) else { return false }
        let namesUsed = LayerOrdering.variablesReferenced(in: copy.logicalText.string)
        let hasAbsoluteDestination = LayerOrdering.expanded(
            arguments.destination, before: copy, scope: context.stages.argScope)?.hasPrefix("/") == true
        let destination = copiedFolder
        return stage.instructions[(copyIndex + 1)..<runIndex].allSatisfy { instruction in
            switch instruction.kind {
            case .env, .arg: return LayerOrdering.variablesSet(by: instruction).allSatisfy { !namesUsed.contains($0) }
            case .workdir: return hasAbsoluteDestination
            case .user, .shell, .expose, .label, .cmd, .entrypoint, .healthcheck, .stopsignal, .maintainer: return true
            case .run:
                guard !RunMount.bindsBuildContext(instruction),
                      let commands = context.runScript(of: instruction)?.script?.commands else { return false }
                return commands.allSatisfy { Self.isPreparation($0, copiedFolder: destination) }
            default: return false
            }
        }
    }

    /// Whether the RUN bind-mounts the build context, so it reads sources without any COPY.
    var runBindMountsContext: Bool { RunMount.bindsBuildContext(run) }

    /// How the RUN moves: whole, or split after its leading install commands.
    struct MovePlan {
        /// The starts of the commands that end up before the full COPY.
        let movedCommands: Set<Int>
        /// For a split: the source of the part that moves, and where the rest starts.
        let split: (firstPart: TextRange, restStart: Int)?
    }

    func movePlan() -> MovePlan? {
        let destination = copiedFolder
        let views = script.commands
        let isMovable = { (view: CommandView) in
            DependencyInstall(view) != nil || Self.isPreparation(view, copiedFolder: destination)
        }
        if views.allSatisfy(isMovable) {
            return MovePlan(movedCommands: Set(views.map(\.command.range.lowerBound)), split: nil)
        }
        // Split only a plain `a && b && c` chain of simple commands in a shell-form RUN.
        guard run.heredocs.isEmpty, script.body.items.count == 1, let item = script.body.items.first,
              !item.isBackground, item.andOr.operators.allSatisfy({ $0 == .and }) else { return nil }
        let pipelines = item.andOr.pipelines
        var leading: [CommandView] = []
        for pipeline in pipelines {
            guard pipeline.commands.count == 1, !pipeline.isNegated,
                  case .simple(let simple) = pipeline.commands[0].kind, let view = views.first(where: { $0.command.range == simple.range }), isMovable(view),
                  !Self.changesShellState(view) else { break }
            leading.append(view)
        }
        guard !leading.isEmpty, leading.count < pipelines.count,
              leading.contains(where: { DependencyInstall($0) != nil }) else { return nil }
        let lastMoved = pipelines[leading.count - 1]
        let firstPart = script.sourceRange(pipelines[0].range.lowerBound..<lastMoved.range.upperBound)
        let restStart = script.sourceRange(pipelines[leading.count].range).start
        return MovePlan(movedCommands: Set(leading.map(\.command.range.lowerBound)), split: (firstPart, restStart))
    }

    /// Commands whose effect later commands of the same shell would notice.
    static func changesShellState(_ view: CommandView) -> Bool {
        ShellScript.stateChangingBuiltins[view.command.words.first?.literalValue ?? ""] != nil || view.command.words.isEmpty
    }

    /// Setup that reads no project file: system packages and package-manager settings,
    /// caches and global tools.
    static func isPreparation(_ view: CommandView, copiedFolder: ImagePath) -> Bool {
        if LayerOrdering.isSystemSetup(view, copiedFolders: [copiedFolder]) { return true }
        guard let name = view.name else { return false }
        let subcommand = view.positionalArguments.first ?? ""
        if let installation = view.packageInstallation, !installation.manager.isSystemPackageManager {
            // Named packages from a registry, installed globally or as tools, read no project file.
            let isNamedOnly = !installation.packages.isEmpty && installation.requirementFiles.isEmpty
                && installation.packages.allSatisfy { request in
                    guard let value = request.word.literalValue else { return false }
                    return !LayerOrdering.looksLikeFile(value) && !value.hasSuffix(".gem")
                }
            switch installation.manager {
            case .pip, .gem: return isNamedOnly && !view.hasFlag("e", "editable")
            case .npm, .pnpm: return isNamedOnly && view.hasFlag("g", "global")
            case .yarn: return isNamedOnly && view.command.words.contains { $0.literalValue == "global" }
            default: return false
            }
        }
        switch name {
        case "npm", "yarn", "pnpm", "pip", "pip3", "poetry", "bundle", "composer", "gem", "pipenv":
            return ["config", "cache", "set"].contains(subcommand)
        case "corepack":
            return true
        case "go":
            return subcommand == "env"
        default:
            return false
        }
    }

    // MARK: - Manifest COPYs

    /// The COPY instructions that bring the manifests of `installs`, one per destination
    /// folder, as text, and the configuration files among them, quoted for the fix's
    /// title (`` `.npmrc` ``, or ``any `.npmrc` `` for a pattern that copies it only when
    /// it exists); nil when some manifest
    /// cannot be located or copied plainly.
    func manifestCopies(
        for installs: [DependencyInstall], buildContext: BuildContextListing?
    ) -> (text: String, configuration: [String])? {
        var groups: [(folder: String, sources: [String])] = []
        func add(_ source: String, to folder: String) {
            if let index = groups.firstIndex(where: { $0.folder == folder }) {
                if !groups[index].sources.contains(source) { groups[index].sources.append(source) }
            } else {
                groups.append((folder, [source]))
            }
        }
        var configuration: [String] = []
        for install in installs {
            guard let sources = manifestSources(of: install, buildContext: buildContext) else { return nil }
            for (folder, source) in sources { add(source, to: folder) }
            let names = DependencyManifests.of(install.ecosystem).configuration
            for (_, source) in sources {
                let isPattern = source.hasSuffix("*")
                var path = source
                while path.hasSuffix("*") || path.hasSuffix("/") { path.removeLast() }
                guard let name = names.first(where: { path == $0 || path.hasSuffix("/" + $0) }) else { continue }
                let shown = isPattern ? "any `\(name)`" : "`\(name)`"
                if !configuration.contains(shown) { configuration.append(shown) }
            }
        }
        guard let arguments = LayerOrdering.copyArguments(of: copy), !groups.isEmpty else { return nil }
        let plain = { (word: String) in
            !word.isEmpty && !word.contains { " \t\"'\\`".contains($0) }
        }
        guard plain(arguments.destination) else { return nil }
        let style = context.style
        let flags = LayerOrdering.flagsText(copy.flags, in: context.syntax)
        var text = ""
        for group in groups {
            guard group.sources.allSatisfy(plain), plain(group.folder) || group.folder.isEmpty else { return nil }
            var destination = arguments.destination.hasSuffix("/") ? arguments.destination : arguments.destination + "/"
            if !group.folder.isEmpty { destination += group.folder + "/" }
            text += ([style.keyword(.copy), flags] + group.sources + [destination]).filter { !$0.isEmpty }
                .joined(separator: " ") + style.lineEnding
        }
        return (text, configuration)
    }

    /// Each source to copy, with the folder (relative to the copied folder) it goes to.
    func manifestSources(
        of install: DependencyInstall, buildContext: BuildContextListing?
    ) -> [(folder: String, source: String)]? {
        if install.ecosystem == .pip { return requirementSources(of: install, buildContext: buildContext) }
        guard case .some(.inside(let folder)) = manifestLocation(of: install) else { return nil }
        let manifests = DependencyManifests.of(install.ecosystem)
        let prefix = folder.isEmpty ? "" : folder + "/"
        var result: [(folder: String, source: String)] = []
        let folders = manifests.folders + (install.usesWrapper ? manifests.wrapperFolders : [])
        guard let listing = buildContext else {
            // A settings folder (`.yarn`, `.bundle`, `.mvn`) cannot be copied only when it
            // exists; only the wrapper's own folder copy, which must exist, brings it.
            let wrapperFolders = install.usesWrapper ? manifests.wrapperFolders : []
            guard manifests.settingsFolders.allSatisfy(wrapperFolders.contains) else { return nil }
            result += manifests.tolerantSources.map { (folder, prefix + $0) }
            if install.usesWrapper {
                result += manifests.wrapperFiles.map { (folder, prefix + $0) }
                result += manifests.wrapperFolders.map { (prefix + $0, prefix + $0 + "/") }
            }
            return result
        }
        guard !manifests.workspaceMarkers.contains(where: { listing.containsFile(prefix + $0) }),
              manifests.requiredFiles.isEmpty
                || manifests.requiredFiles.contains(where: { listing.containsFile(prefix + $0) })
        else { return nil }
        let files = manifests.files + (install.usesWrapper ? manifests.wrapperFiles : [])
        result += files.filter { listing.containsFile(prefix + $0) }.map { (folder, prefix + $0) }
        var seenFolders: Set<String> = []
        for name in folders where listing.containsFolder(prefix + name) && seenFolders.insert(name).inserted {
            result.append((prefix + name, prefix + name + "/"))
        }
        return result
    }

    /// The requirement files of a `pip install -r`: a file in the install's own folder is
    /// copied with its `requirements*.txt` siblings (which `-r` lines usually include);
    /// a file in a subfolder brings the whole subfolder, for the same reason.
    func requirementSources(
        of install: DependencyInstall, buildContext: BuildContextListing?
    ) -> [(folder: String, source: String)]? {
        guard let installFolder = install.manifestFolder,
              case .some(.inside(let cwdFolder)) = workingDirectory(of: install).appending(installFolder)
                .relativePath(inside: copiedFolder) else { return nil }
        var result: [(folder: String, source: String)] = []
        for location in manifestFolders(of: install) {
            guard let location else { return nil }
            guard case .inside(let path) = location else { continue }
            let components = path.split(separator: "/")
            let folder = components.dropLast().joined(separator: "/")
            let name = String(components.last ?? "")
            let prefix = folder.isEmpty ? "" : folder + "/"
            // The file's path from the install's own folder, when it lies below it.
            let belowInstall = cwdFolder.isEmpty ? path
                : path.hasPrefix(cwdFolder + "/") ? String(path.dropFirst(cwdFolder.count + 1)) : nil
            let isInSubfolder = belowInstall?.contains("/") == true
            if isInSubfolder {
                if let listing = buildContext, !listing.containsFolder(folder) { return nil }
                result.append((folder, prefix))
            } else if let listing = buildContext {
                guard listing.containsFile(path) else { return nil }
                let siblings = listing.fileNames(inFolder: folder).filter {
                    $0 == name || LayerOrdering.globMatches("requirements*.txt", $0)
                        || LayerOrdering.globMatches("constraints*.txt", $0)
                }
                result += siblings.map { (folder, prefix + $0) }
            } else {
                let pattern = LayerOrdering.globMatches("requirements*.txt", name) ? "requirements*.txt" : name
                result.append((folder, prefix + pattern))
            }
        }
        return result.isEmpty ? nil : result
    }
}
