import DockwrightSyntax

/// What each package manager reads without being told, and where it installs: the
/// configuration that decides what an install fetches, kept as data in one place.
///
/// Sources: apt.conf(5), sources.list(5), apt_preferences(5); dnf.conf(5), yum.conf(5);
/// apk(8); pip's "Configuration" page; npm-config(7), yarnrc, pnpm's `.npmrc`; gemrc and
/// Bundler's Gemfile lookup; Maven's settings reference; NuGet's config file lookup;
/// Cargo's "Configuration" page; `go help environment`, `go help modules`.
public struct PackageManagerFiles: Sendable {
    /// Absolute paths (files or folders) it reads.
    public let systemPaths: [String]
    /// Paths below the user's home folder it reads.
    public let homePaths: [String]
    /// Files it reads from its working directory (manifests, lock files, project configuration).
    public let workingDirectoryFiles: [String]
    /// Environment variables it reads, a trailing `*` standing for a prefix.
    public let environment: [String]
    /// Where it installs (absolute folders).
    public let installPaths: [String]
    /// ``systemPaths`` as the effects a call reads, built once per table so that every
    /// call shares them (``PathEffects``); their range is set per call.
    let systemPathReads: [PathEffect]
    /// ``installPaths`` as the effects a call writes, shared the same way.
    let installPathWrites: [PathEffect]

    private init(
        systemPaths: [String], homePaths: [String], workingDirectoryFiles: [String], environment: [String],
        installPaths: [String]
    ) {
        self.systemPaths = systemPaths
        self.homePaths = homePaths
        self.workingDirectoryFiles = workingDirectoryFiles
        var seen: Set<String> = []
        // Without spare room: scripts share this list as their `environmentReads`, which
        // would otherwise each be copied to drop it.
        self.environment = environment.filter { seen.insert($0).inserted }.compacted()
        self.installPaths = installPaths
        systemPathReads = systemPaths.map { path in
            PathEffect(reason: .packageManagerConfiguration, path: .absolute(path), pattern: path, isResolved: true,
                       range: 0..<0)
        }
        installPathWrites = installPaths.map { path in
            PathEffect(reason: .installation, path: .absolute(path), pattern: path, isResolved: true, range: 0..<0)
        }
    }

    /// The entry for a program name (`apt-get`, `pip3.12`, `mvnw`); nil when it is not a
    /// package manager. `python -m pip` and `uv pip` are looked up as `pip` by the caller.
    public static func of(program name: String) -> PackageManagerFiles? {
        if let files = byProgram[name] { return files }
        if name.utf8.first == UInt8(ascii: "p"), name.hasPrefix("pip"),
           name.dropFirst(3).allSatisfy({ $0.isNumber || $0 == "." }) {
            return pip
        }
        return nil
    }

    /// The entries by program name: the effects walker asks for every command it visits,
    /// and most programs are none of these, which one hash answers sooner than comparing
    /// the name with each of them.
    private static let byProgram: [String: PackageManagerFiles] = [
        "apt-get": apt, "apt": apt, "aptitude": apt, "apt-cache": apt,
        "dpkg": dpkg,
        "yum": rpm, "dnf": rpm, "microdnf": rpm, "tdnf": rpm, "dnf5": rpm,
        "rpm": rpmTool,
        "zypper": zypper,
        "apk": apk,
        "pip": pip,
        "uv": uv,
        "pipenv": pipenv,
        "poetry": poetry,
        "npm": npm, "npx": npm,
        "yarn": yarn,
        "pnpm": pnpm,
        "gem": gem,
        "bundle": bundler, "bundler": bundler,
        "mvn": maven, "mvnw": maven,
        "gradle": gradle, "gradlew": gradle,
        "dotnet": nuget, "nuget": nuget,
        "cargo": cargo,
        "go": go,
        "composer": composer,
    ]

    private static let apt = PackageManagerFiles(
        systemPaths: [
            "/etc/apt/sources.list", "/etc/apt/sources.list.d", "/etc/apt/preferences", "/etc/apt/preferences.d",
            "/etc/apt/apt.conf", "/etc/apt/apt.conf.d", "/etc/apt/trusted.gpg", "/etc/apt/trusted.gpg.d",
            "/etc/apt/keyrings", "/usr/share/keyrings", "/etc/dpkg/dpkg.cfg", "/etc/dpkg/dpkg.cfg.d",
            "/var/lib/apt/lists",
        ],
        homePaths: [], workingDirectoryFiles: [], environment: ["APT_CONFIG", "DEBIAN_FRONTEND", "DEBCONF_*"],
        installPaths: systemInstallPaths + ["/var/lib/dpkg", "/var/lib/apt", "/var/cache/apt", "/var/cache/debconf"])

    private static let dpkg = PackageManagerFiles(
        systemPaths: ["/etc/dpkg/dpkg.cfg", "/etc/dpkg/dpkg.cfg.d"], homePaths: [], workingDirectoryFiles: [],
        environment: ["DEBIAN_FRONTEND", "DEBCONF_*", "DPKG_*"],
        installPaths: systemInstallPaths + ["/var/lib/dpkg", "/var/cache/debconf"])

    private static let rpm = PackageManagerFiles(
        systemPaths: [
            "/etc/yum.repos.d", "/etc/pki/rpm-gpg", "/etc/dnf/dnf.conf", "/etc/yum.conf", "/etc/dnf/vars",
            "/etc/yum/vars", "/etc/dnf/plugins", "/etc/yum/pluginconf.d", "/etc/distro.repos.d", "/etc/rpm",
            "/etc/tdnf/tdnf.conf",
        ],
        homePaths: [], workingDirectoryFiles: [], environment: ["DNF_VAR_*", "YUM0", "YUM1"],
        installPaths: systemInstallPaths + ["/var/lib/rpm", "/var/lib/dnf", "/var/lib/yum", "/var/cache/dnf",
                                            "/var/cache/yum"])

    private static let rpmTool = PackageManagerFiles(
        systemPaths: ["/etc/rpm", "/etc/pki/rpm-gpg"], homePaths: [".rpmmacros"], workingDirectoryFiles: [],
        environment: [], installPaths: systemInstallPaths + ["/var/lib/rpm"])

    private static let zypper = PackageManagerFiles(
        systemPaths: ["/etc/zypp"], homePaths: [], workingDirectoryFiles: [], environment: ["ZYPP_*"],
        installPaths: systemInstallPaths + ["/var/lib/rpm", "/var/cache/zypp"])

    private static let apk = PackageManagerFiles(
        systemPaths: ["/etc/apk/repositories", "/etc/apk/repositories.d", "/etc/apk/keys", "/etc/apk/world",
                      "/etc/apk/arch", "/etc/apk/protected_paths.d"],
        homePaths: [], workingDirectoryFiles: [], environment: [],
        installPaths: systemInstallPaths + ["/lib/apk", "/var/cache/apk"])

    private static let pip = PackageManagerFiles(
        systemPaths: ["/etc/pip.conf", "/etc/xdg/pip/pip.conf"],
        homePaths: [".pip/pip.conf", ".config/pip/pip.conf"], workingDirectoryFiles: [],
        environment: ["PIP_*", "PIP_CONFIG_FILE", "VIRTUAL_ENV", "UV_*"],
        installPaths: ["/usr/local/lib", "/usr/local/bin", "/usr/lib/python3", "/opt/venv"])

    private static let uv = python("uv")
    private static let pipenv = python("pipenv")
    private static let poetry = python("poetry")

    private static func python(_ name: String) -> PackageManagerFiles {
        let files: [String]
        switch name {
        case "pipenv": files = ["Pipfile", "Pipfile.lock"]
        case "poetry": files = ["pyproject.toml", "poetry.lock", "poetry.toml"]
        default: files = ["pyproject.toml", "uv.lock", "uv.toml", ".python-version"]
        }
        return PackageManagerFiles(
            systemPaths: pip.systemPaths, homePaths: pip.homePaths + [".config/uv", ".config/pypoetry"],
            workingDirectoryFiles: files, environment: pip.environment + ["POETRY_*", "PIPENV_*"],
            installPaths: pip.installPaths)
    }

    private static let npm = PackageManagerFiles(
        systemPaths: ["/usr/local/etc/npmrc", "/etc/npmrc"], homePaths: [".npmrc"],
        workingDirectoryFiles: ["package.json", "package-lock.json", "npm-shrinkwrap.json", ".npmrc"],
        environment: ["NPM_CONFIG_*", "npm_config_*", "NODE_ENV"],
        installPaths: ["/usr/local/lib/node_modules", "/usr/local/bin"])

    private static let yarn = PackageManagerFiles(
        systemPaths: ["/usr/local/etc/npmrc"], homePaths: [".yarnrc", ".yarnrc.yml", ".npmrc"],
        workingDirectoryFiles: ["package.json", "yarn.lock", ".yarnrc", ".yarnrc.yml", ".npmrc", ".pnp.cjs", ".yarn"],
        environment: ["YARN_*", "NPM_CONFIG_*", "npm_config_*", "NODE_ENV"],
        installPaths: ["/usr/local/share/.config/yarn", "/usr/local/bin"])

    private static let pnpm = PackageManagerFiles(
        systemPaths: ["/usr/local/etc/npmrc"], homePaths: [".npmrc", ".config/pnpm"],
        workingDirectoryFiles: ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", ".npmrc", ".pnpmfile.cjs"],
        environment: ["PNPM_*", "NPM_CONFIG_*", "npm_config_*", "NODE_ENV"],
        installPaths: ["/usr/local/bin", "/root/.local/share/pnpm"])

    private static let gem = PackageManagerFiles(
        systemPaths: ["/etc/gemrc", "/usr/local/etc/gemrc"], homePaths: [".gemrc"], workingDirectoryFiles: [],
        environment: ["GEM_*", "GEMRC"], installPaths: ["/usr/local/bundle", "/usr/local/lib/ruby", "/usr/local/bin",
                                                        "/var/lib/gems"])

    private static let bundler = PackageManagerFiles(
        systemPaths: ["/etc/gemrc", "/usr/local/bundle/config"], homePaths: [".gemrc", ".bundle/config"],
        workingDirectoryFiles: ["Gemfile", "Gemfile.lock", "gems.rb", "gems.locked", ".bundle/config", ".ruby-version"],
        environment: ["BUNDLE_*", "GEM_*"], installPaths: gem.installPaths)

    private static let maven = PackageManagerFiles(
        systemPaths: ["/usr/share/maven/conf/settings.xml", "/usr/share/maven/ref/settings-docker.xml"],
        homePaths: [".m2/settings.xml", ".m2/settings-security.xml"],
        workingDirectoryFiles: ["pom.xml", ".mvn", "mvnw"], environment: ["MAVEN_*", "MAVEN_OPTS"],
        installPaths: ["/root/.m2"])

    private static let gradle = PackageManagerFiles(
        systemPaths: [], homePaths: [".gradle/gradle.properties", ".gradle/init.d", ".gradle/init.gradle"],
        workingDirectoryFiles: ["build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts",
                                "gradle.properties", "gradle", "gradlew"],
        environment: ["GRADLE_*", "ORG_GRADLE_PROJECT_*"], installPaths: ["/root/.gradle"])

    private static let nuget = PackageManagerFiles(
        systemPaths: [], homePaths: [".nuget/NuGet/NuGet.Config"],
        workingDirectoryFiles: ["NuGet.Config", "nuget.config", "NuGet.config", "global.json", "Directory.Packages.props",
                                "Directory.Build.props"],
        environment: ["NUGET_*", "DOTNET_*"], installPaths: ["/root/.nuget/packages"])

    private static let cargo = PackageManagerFiles(
        systemPaths: [], homePaths: [".cargo/config", ".cargo/config.toml", ".cargo/credentials.toml"],
        workingDirectoryFiles: [".cargo/config", ".cargo/config.toml", "Cargo.toml", "Cargo.lock", "rust-toolchain",
                                "rust-toolchain.toml"],
        environment: ["CARGO_*", "RUSTFLAGS", "RUSTUP_*"], installPaths: ["/usr/local/cargo"])

    private static let go = PackageManagerFiles(
        systemPaths: [], homePaths: [".config/go/env"], workingDirectoryFiles: ["go.mod", "go.sum", "go.work", "go.work.sum"],
        environment: ["GOPROXY", "GOFLAGS", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOSUMDB", "GOINSECURE", "GOENV",
                      "GOPATH", "GO111MODULE", "GOTOOLCHAIN", "CGO_*", "GOOS", "GOARCH"],
        installPaths: ["/go", "/root/go"])

    private static let composer = PackageManagerFiles(
        systemPaths: [], homePaths: [".composer/config.json", ".composer/auth.json", ".config/composer"],
        workingDirectoryFiles: ["composer.json", "composer.lock", "auth.json"], environment: ["COMPOSER_*"],
        installPaths: ["/root/.composer"])

    /// Where operating-system packages put their files, and where their maintainer
    /// scripts read and write state, programs and libraries (`/usr/local` and `/opt`
    /// are left to the administrator by the FHS, so distribution packages stay out).
    private static let systemInstallPaths = [
        "/etc", "/root", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/usr/bin", "/usr/sbin", "/usr/lib",
        "/usr/lib32", "/usr/lib64", "/usr/libx32", "/usr/libexec", "/usr/share/keyrings", "/usr/share/ca-certificates", "/usr/local/bin",
        "/usr/local/sbin", "/usr/local/lib", "/usr/local/share/ca-certificates", "/var/lib", "/var/cache", "/var/log",
        "/run",
    ]
}
