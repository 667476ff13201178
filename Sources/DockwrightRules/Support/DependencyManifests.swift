import DockwrightShell

/// A package ecosystem whose dependency install reads a few manifest files.
enum DependencyEcosystem: String, CaseIterable, Hashable, Sendable {
    case npm, yarn, pnpm, pip, pipenv, poetry, uv, goModules, bundler, composer, maven, gradle, cargo
}

/// What a dependency install reads, kept as data in one place so an ecosystem is one
/// entry to add or correct.
struct DependencyManifests: Sendable {
    /// Files read from the manifest folder when they exist: manifests, lock files and
    /// the configuration that changes what gets installed (registries, linkers).
    let files: [String]
    /// Folders read when they exist (Gradle's version catalog and wrapper, Maven's `.mvn`).
    let folders: [String]
    /// Files of which at least one must exist for the install to work at all.
    let requiredFiles: [String]
    /// What to copy when the build context cannot be listed. A wildcard that matches
    /// nothing is skipped by BuildKit: dockerfile2llb's COPY of context sources sets
    /// `AllowWildcard` and `AllowEmptyWildcard` (moby/buildkit,
    /// frontend/dockerfile/dockerfile2llb/convert.go), so `.npmrc*` copies a `.npmrc`
    /// when there is one and nothing otherwise. The classic builder only fails when no
    /// source of the COPY matches, so every list here starts with a source that matches
    /// whenever the install itself can work.
    let tolerantSources: [String]
    /// The wrapper script and its folder, copied when the command runs `./gradlew` or `./mvnw`.
    let wrapperFiles: [String]
    let wrapperFolders: [String]
    /// Files that announce a workspace, whose members' manifests the install also reads.
    let workspaceMarkers: [String]
    /// The entries of `files` and `folders` that are not manifests but configuration the
    /// install reads from the project folder, named in the fix's title so the rewrite
    /// says what else it copies.
    let configuration: [String]
    /// Folders of settings or tools the install reads when they exist, which a COPY
    /// cannot bring without a listing: a folder source must exist (no wildcard matches
    /// a folder without copying its contents to the wrong place), and without them the
    /// install may fail (a `yarnPath` into `.yarn/releases`) or install differently
    /// (`.bundle/config`, `.mvn/maven.config`). Without a listing the fix is withheld,
    /// unless the wrapper's own folder copy brings them.
    let settingsFolders: [String]
    /// What to do instead, in a message, when the install cannot be moved automatically.
    let advice: String

    /// The table. What each tool reads from the project folder besides its manifests,
    /// from its documentation: npm and pnpm read a project `.npmrc` (docs.npmjs.com,
    /// "npmrc": per-project config file); Yarn reads `.yarnrc` (1.x) and `.yarnrc.yml`
    /// (2+), whose `yarnPath` and `plugins` point into `.yarn/releases` and
    /// `.yarn/plugins` (yarnpkg.com, "yarn set version" and "Settings"); pnpm reads
    /// `.pnpmfile.cjs` and `pnpm-workspace.yaml`, which also holds catalogs and settings
    /// such as `onlyBuiltDependencies` (pnpm.io, "pnpm-workspace.yaml"); pip reads no
    /// configuration file from the project (pip.pypa.io, "Configuration": global, user
    /// and site files only), only the `-r`/`-c` files the command names; uv reads
    /// `uv.toml` beside `pyproject.toml` and `.python-version` (docs.astral.sh,
    /// "Configuration files"); Poetry reads `poetry.toml` (python-poetry.org,
    /// "Configuration": local config); Bundler reads `.bundle/config` (bundler.io,
    /// "bundle config": local config), and a Gemfile may read `.ruby-version`
    /// (`ruby file:`); Composer reads an `auth.json` beside `composer.json`
    /// (getcomposer.org, "Authentication for privately hosted packages"); Maven reads
    /// `.mvn/maven.config`, `jvm.config` and `extensions.xml` (maven.apache.org,
    /// "Configuring Apache Maven"); Go reads `go.work` when present, whose `use`
    /// folders would be needed too, so a `go.work` is a workspace marker.
    static func of(_ ecosystem: DependencyEcosystem) -> DependencyManifests {
        switch ecosystem {
        case .npm:
            return DependencyManifests(
                files: ["package.json", "package-lock.json", "npm-shrinkwrap.json", ".npmrc"], folders: [],
                requiredFiles: ["package.json"], tolerantSources: ["package*.json", ".npmrc*"],
                wrapperFiles: [], wrapperFolders: [], workspaceMarkers: [], configuration: [".npmrc"],
                settingsFolders: [], advice: "copy `package.json` and the lock file first")
        case .yarn:
            return DependencyManifests(
                files: ["package.json", "yarn.lock", ".yarnrc", ".yarnrc.yml", ".npmrc"],
                folders: [".yarn/releases", ".yarn/plugins", ".yarn/patches"],
                requiredFiles: ["package.json"], tolerantSources: ["package.json", "yarn.lock*", ".yarnrc*", ".npmrc*"],
                wrapperFiles: [], wrapperFolders: [], workspaceMarkers: [],
                configuration: [".yarnrc", ".yarnrc.yml", ".npmrc", ".yarn/releases", ".yarn/plugins", ".yarn/patches"],
                settingsFolders: [".yarn"], advice: "copy `package.json` and `yarn.lock` first")
        case .pnpm:
            return DependencyManifests(
                files: ["package.json", "pnpm-lock.yaml", ".npmrc", ".pnpmfile.cjs"], folders: [],
                requiredFiles: ["package.json", "pnpm-lock.yaml"],
                tolerantSources: ["package.json", "pnpm-lock.yaml*", ".npmrc*", ".pnpmfile.cjs*", "pnpm-workspace.yaml*"],
                wrapperFiles: [], wrapperFolders: [], workspaceMarkers: ["pnpm-workspace.yaml"],
                configuration: [".npmrc", ".pnpmfile.cjs", "pnpm-workspace.yaml"], settingsFolders: [],
                advice: "copy `package.json` and `pnpm-lock.yaml` first")
        case .pip:
            // The files come from the command's `-r`/`-c` options; see `DependencyInstall`.
            return DependencyManifests(
                files: [], folders: [], requiredFiles: [], tolerantSources: [], wrapperFiles: [], wrapperFolders: [],
                workspaceMarkers: [], configuration: [], settingsFolders: [],
                advice: "copy the requirement files first")
        case .pipenv:
            return DependencyManifests(
                files: ["Pipfile", "Pipfile.lock"], folders: [], requiredFiles: ["Pipfile"],
                tolerantSources: ["Pipfile", "Pipfile.lock*"], wrapperFiles: [], wrapperFolders: [],
                workspaceMarkers: [], configuration: [], settingsFolders: [],
                advice: "copy `Pipfile` and `Pipfile.lock` first")
        case .poetry:
            return DependencyManifests(
                files: ["pyproject.toml", "poetry.lock", "poetry.toml"], folders: [], requiredFiles: ["pyproject.toml"],
                tolerantSources: ["pyproject.toml", "poetry.lock*", "poetry.toml*"], wrapperFiles: [],
                wrapperFolders: [], workspaceMarkers: [], configuration: ["poetry.toml"], settingsFolders: [],
                advice: "copy `pyproject.toml` and `poetry.lock` first and run `poetry install --no-root`")
        case .uv:
            return DependencyManifests(
                files: ["pyproject.toml", "uv.lock", "uv.toml", ".python-version"], folders: [],
                requiredFiles: ["pyproject.toml"],
                tolerantSources: ["pyproject.toml", "uv.lock*", "uv.toml*", ".python-version*"],
                wrapperFiles: [], wrapperFolders: [], workspaceMarkers: [],
                configuration: ["uv.toml", ".python-version"], settingsFolders: [],
                advice: "copy `pyproject.toml` and `uv.lock` first and run `uv sync --no-install-project`")
        case .goModules:
            return DependencyManifests(
                files: ["go.mod", "go.sum"], folders: [], requiredFiles: ["go.mod"],
                tolerantSources: ["go.mod", "go.sum*"], wrapperFiles: [], wrapperFolders: [], workspaceMarkers: ["go.work"],
                configuration: [], settingsFolders: [], advice: "copy `go.mod` and `go.sum` first")
        case .bundler:
            return DependencyManifests(
                files: ["Gemfile", "Gemfile.lock", ".ruby-version"], folders: [".bundle"], requiredFiles: ["Gemfile"],
                tolerantSources: ["Gemfile", "Gemfile.lock*", ".ruby-version*"], wrapperFiles: [], wrapperFolders: [],
                workspaceMarkers: [], configuration: [".ruby-version", ".bundle"], settingsFolders: [".bundle"],
                advice: "copy `Gemfile` and `Gemfile.lock` first")
        case .composer:
            return DependencyManifests(
                files: ["composer.json", "composer.lock", "auth.json"], folders: [], requiredFiles: ["composer.json"],
                tolerantSources: ["composer.json", "composer.lock*", "auth.json*"], wrapperFiles: [],
                wrapperFolders: [], workspaceMarkers: [], configuration: ["auth.json"], settingsFolders: [],
                advice: "copy `composer.json` and `composer.lock` first and run "
                    + "`composer install --no-scripts --no-autoloader`")
        case .maven:
            return DependencyManifests(
                files: ["pom.xml"], folders: [".mvn"], requiredFiles: ["pom.xml"], tolerantSources: ["pom.xml"],
                wrapperFiles: ["mvnw"], wrapperFolders: [".mvn"], workspaceMarkers: [], configuration: [".mvn"],
                settingsFolders: [".mvn"], advice: "copy `pom.xml` first")
        case .gradle:
            return DependencyManifests(
                files: [
                    "build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "gradle.properties",
                ],
                folders: ["gradle"], requiredFiles: ["build.gradle", "build.gradle.kts"],
                tolerantSources: ["build.gradle*", "settings.gradle*", "gradle.properties*"],
                wrapperFiles: ["gradlew"], wrapperFolders: ["gradle"], workspaceMarkers: [],
                configuration: ["gradle.properties"], settingsFolders: [], advice: "copy the Gradle build files first")
        case .cargo:
            // Cargo will not read a manifest without a target source file, so the install
            // cannot simply move; cargo-chef or a placeholder `src/main.rs` is the idiom.
            return DependencyManifests(
                files: ["Cargo.toml", "Cargo.lock"], folders: [], requiredFiles: ["Cargo.toml"],
                tolerantSources: ["Cargo.toml", "Cargo.lock*"], wrapperFiles: [], wrapperFolders: [],
                workspaceMarkers: [], configuration: [], settingsFolders: [],
                advice: "build the dependencies from `Cargo.toml` and `Cargo.lock` first, e.g. with cargo-chef")
        }
    }
}

/// A command that installs a project's dependencies from its manifest files.
struct DependencyInstall: Hashable, Sendable {
    /// The ecosystem.
    let ecosystem: DependencyEcosystem
    /// The command.
    let command: CommandView
    /// How the command is shown in messages, e.g. `npm ci`.
    let displayName: String
    /// The manifest folder relative to the command's working directory ("" for the
    /// directory itself), from `--prefix`, `--cwd` and the like; nil when a flag names it
    /// in a way we cannot read.
    let manifestFolder: String?
    /// Files the command names itself (`pip install -r requirements/prod.txt`), relative
    /// to its working directory or absolute.
    let namedFiles: [String]
    /// Whether the command runs a wrapper script from the project (`./gradlew`, `./mvnw`).
    let usesWrapper: Bool
    /// Why moving the command above the sources would break it, when it would.
    let fixBlocker: String?

    /// The install `view` performs, if it is a dependency install that reads manifests.
    init?(_ view: CommandView) {
        // Most commands are not installs; rule them out by name before the costlier views.
        guard let programName = view.name, Self.mayInstall(programName) else { return nil }
        if let install = Self.pipInstall(view) {
            self = install
            return
        }
        guard let name = view.name else { return nil }
        let positional = view.positionalArguments
        let subcommand = positional.first ?? ""
        // npm, yarn and pnpm installs from the manifest name no package; the package view
        // knows which of their options take a value.
        let installsManifest = view.packageInstallation.map { $0.packages.isEmpty && !view.hasFlag("g", "global") }
        var ecosystem: DependencyEcosystem
        var folder: String? = ""
        var usesWrapper = false
        var fixBlocker: String?
        switch name {
        case "npm":
            guard installsManifest == true, ["install", "i", "ci"].contains(view.packageInstallation?.subcommand ?? "")
            else { return nil }
            ecosystem = .npm
            folder = Self.folder(view, flags: ["prefix"])
        case "yarn":
            guard installsManifest == true, view.packageInstallation?.subcommand == "install" else { return nil }
            ecosystem = .yarn
            folder = Self.folder(view, flags: ["cwd"])
        case "pnpm":
            let isFetch = subcommand == "fetch" && positional.count == 1
            guard isFetch || (installsManifest == true && view.packageInstallation?.subcommand != "add") else {
                return nil
            }
            ecosystem = .pnpm
            folder = Self.folder(view, flags: ["C", "dir"])
        case "pipenv":
            guard ["install", "sync"].contains(subcommand), positional.count == 1 else { return nil }
            ecosystem = .pipenv
        case "poetry":
            guard ["install", "sync"].contains(subcommand) else { return nil }
            ecosystem = .poetry
            folder = Self.folder(view, flags: ["C", "directory", "P", "project"])
            if !view.hasFlag("no-root") { fixBlocker = "without `--no-root` Poetry also installs the project itself" }
        case "uv":
            guard subcommand == "sync" else { return nil }
            ecosystem = .uv
            folder = Self.folder(view, flags: ["directory", "project"])
            if !view.hasFlag("no-install-project") {
                fixBlocker = "without `--no-install-project` uv also installs the project itself"
            }
        case "go":
            guard let modIndex = positional.firstIndex(of: "mod"), modIndex + 1 < positional.count,
                  positional[modIndex + 1] == "download" else { return nil }
            ecosystem = .goModules
            // `go -C dir` changes directory before reading go.mod.
            folder = Self.folder(view, flags: ["C"])
        case "bundle":
            guard positional.isEmpty || subcommand == "install" else { return nil }
            ecosystem = .bundler
            if view.flagValue("gemfile") != nil { folder = nil }
        case "composer":
            guard subcommand == "install" || subcommand == "i" else { return nil }
            ecosystem = .composer
            folder = Self.folder(view, flags: ["d", "working-dir"])
            if !(view.hasFlag("no-scripts") && view.hasFlag("no-autoloader")) {
                fixBlocker = "`composer install` runs scripts and builds the autoloader from the sources"
            }
        case "mvn", "mvnw":
            guard positional.contains(where: { $0.hasPrefix("dependency:") || $0.contains("go-offline") }) else {
                return nil
            }
            ecosystem = .maven
            usesWrapper = name == "mvnw"
            if view.flagValue("f", "file") != nil { folder = nil }
        case "gradle", "gradlew":
            guard positional.contains("dependencies") || positional.contains("downloadDependencies") else { return nil }
            ecosystem = .gradle
            usesWrapper = name == "gradlew"
            if view.flagValue("p", "project-dir") != nil { folder = nil }
        case "cargo":
            // `cargo chef cook` builds the dependencies from a recipe (cargo-chef), so the
            // `cargo build` after the sources then only compiles the crate.
            let isChefCook = positional.starts(with: ["chef", "cook"])
            guard subcommand == "fetch" || subcommand == "build" || isChefCook else { return nil }
            ecosystem = .cargo
            if view.flagValue("manifest-path") != nil { folder = nil }
            fixBlocker = "Cargo cannot fetch or build without the crate's source files"
        default:
            return nil
        }
        var shownSubcommand = Array(positional.prefix(1))
        if ecosystem == .goModules { shownSubcommand = ["mod", "download"] }
        self.init(
            ecosystem: ecosystem, command: view, displayName: ([name] + shownSubcommand).joined(separator: " "),
            manifestFolder: folder, namedFiles: [], usesWrapper: usesWrapper, fixBlocker: fixBlocker)
    }

    private init(
        ecosystem: DependencyEcosystem, command: CommandView, displayName: String, manifestFolder: String?,
        namedFiles: [String], usesWrapper: Bool, fixBlocker: String?
    ) {
        self.ecosystem = ecosystem
        self.command = command
        self.displayName = displayName
        self.manifestFolder = manifestFolder
        self.namedFiles = namedFiles
        self.usesWrapper = usesWrapper
        self.fixBlocker = fixBlocker
    }

    /// `pip install -r …` (also `python -m pip` and `uv pip`), when it installs only from
    /// requirement files and named packages, not from a local project or path.
    /// The programs this type knows, and the spellings of pip (`pip3.12`, `python3 -m pip`, `uv pip`).
    private static let installerNames: Set<String> = [
        "npm", "yarn", "pnpm", "pipenv", "poetry", "uv", "go", "bundle", "composer", "mvn", "mvnw", "gradle", "gradlew",
        "cargo",
    ]

    private static func mayInstall(_ name: String) -> Bool {
        installerNames.contains(name) || name.hasPrefix("pip") || name.hasPrefix("python")
    }

    private static func pipInstall(_ view: CommandView) -> DependencyInstall? {
        guard let installation = view.packageInstallation, installation.manager == .pip,
              installation.subcommand == "install" else { return nil }
        var files: [String] = []
        var namesFileWithVariable = false
        var words = Array(view.arguments).map(\.literalValue)
        while let first = words.first, first != "install" { words.removeFirst() }
        var index = 1
        while index < words.count {
            defer { index += 1 }
            guard let word = words[index] else { continue }
            if ["-e", "--editable"].contains(word) || word.hasPrefix("--editable=") { return nil }
            for option in ["-r", "--requirement", "-c", "--constraint"] {
                if word == option, index + 1 < words.count {
                    if let file = words[index + 1] {
                        files.append(file)
                    } else {
                        // A variable may name any file: reported, but nothing to copy safely.
                        namesFileWithVariable = true
                    }
                    index += 1
                } else if word.hasPrefix(option + "="), option.hasPrefix("--") {
                    files.append(String(word.dropFirst(option.count + 1)))
                } else if option.count == 2, word.hasPrefix(option), word.count > 2, !word.hasPrefix("--") {
                    files.append(String(word.dropFirst(2)))
                }
            }
        }
        // A positional path or archive installs a local project, which needs its sources.
        let installsLocalProject = installation.packages.contains { request in
            let name = request.word.literalValue ?? ""
            return name.hasPrefix(".") || name.hasPrefix("/") || name.contains("/") || name.hasSuffix(".whl")
                || name.hasSuffix(".tar.gz") || name.hasSuffix(".zip")
        }
        guard !files.isEmpty || namesFileWithVariable, !installsLocalProject else { return nil }
        let prefix = view.name == "uv" ? "uv pip" : "pip"
        return DependencyInstall(
            ecosystem: .pip, command: view, displayName: "\(prefix) install -r",
            manifestFolder: namesFileWithVariable ? nil : "", namedFiles: files, usesWrapper: false, fixBlocker: nil)
    }

    /// The folder a directory option names, "" when none is given, nil when it uses a variable.
    private static func folder(_ view: CommandView, flags: [String]) -> String? {
        let words = Array(view.arguments)
        for flag in flags {
            let spelled = flag.count == 1 ? "-" + flag : "--" + flag
            for (index, word) in words.enumerated() {
                guard let value = word.literalValue else { continue }
                if value == spelled {
                    guard index + 1 < words.count else { return nil }
                    return words[index + 1].literalValue
                }
                if value.hasPrefix(spelled + "=") { return String(value.dropFirst(spelled.count + 1)) }
            }
        }
        return ""
    }
}
