/// How one program's command line reads: which flags take a value, which verbs
/// install, how a version is written. One spec per tool, read by the command-line
/// reader here and by every rule, so DW001 and DL3008/DL3013 read a line the same way.
public struct ProgramSpec: Sendable {
    /// Verbs that install (`install`, `add`, `ci`, …).
    public let installVerbs: Set<String>
    /// Flags that take the next word as their value (`-o Dpkg::Options=…`, `--target dir`).
    public let flagsWithValues: Set<String>
    /// Flags whose value is a file listing what to install (`pip install -r requirements.txt`).
    public let requirementFlags: Set<String>
    /// Version operators, longest first where one is a prefix of another.
    public let versionOperators: [String]
    /// Whether versions follow rpm's `name-version` form instead.
    public let usesRPMVersions: Bool
    /// How its flags are spelled: GNU clusters, or Go's one flag a word.
    public let flagStyle: OptionScanner.Style

    init(
        installVerbs: Set<String> = [], flagsWithValues: Set<String>, requirementFlags: Set<String> = [],
        versionOperators: [String] = [], usesRPMVersions: Bool = false, flagStyle: OptionScanner.Style = .gnu
    ) {
        self.flagStyle = flagStyle
        self.installVerbs = installVerbs
        self.flagsWithValues = flagsWithValues
        self.requirementFlags = requirementFlags
        self.versionOperators = versionOperators
        self.usesRPMVersions = usesRPMVersions
    }

    /// apt-get, apt and aptitude (`apt-get --help`, apt-get(8), apt.conf(5)).
    public static let apt = ProgramSpec(
        installVerbs: ["install"],
        flagsWithValues: ["-o", "--option", "-c", "--config-file", "-t", "--target-release", "--default-release", "-a",
                          "--host-architecture", "-P", "--build-profiles"],
        versionOperators: ["=", "/"])

    /// Alpine's apk (`apk add --help`).
    public static let apk = ProgramSpec(
        installVerbs: ["add"],
        flagsWithValues: ["-X", "--repository", "-t", "--virtual", "-p", "--root", "--arch", "--keys-dir", "--cache-dir",
                          "--repositories-file", "--cache-max-age"],
        versionOperators: [">=", "<=", "~=", "=", "~", ">", "<"])

    /// yum, dnf, microdnf and tdnf (`dnf --help`, dnf(8) "Options").
    public static let rpm = ProgramSpec(
        installVerbs: ["install"],
        flagsWithValues: ["-c", "--config", "--releasever", "-x", "--exclude", "--installroot", "--setopt", "--enablerepo",
                          "--disablerepo", "--repo", "--repoid", "-d", "--debuglevel", "-e", "--errorlevel", "--forcearch",
                          "--downloaddir", "--destdir", "--disableplugin", "--enableplugin", "--rpmverbosity",
                          "--repofrompath", "--comment", "--color", "--disableexcludes", "-R", "--randomwait", "--advisory",
                          "--bz", "--cve", "--sec-severity"],
        versionOperators: [], usesRPMVersions: true)

    /// SUSE's zypper (`zypper help install`).
    public static let zypper = ProgramSpec(
        installVerbs: ["install", "in"],
        flagsWithValues: ["-r", "--repo", "-t", "--type", "--from", "-R", "--root", "-D", "--reposd-dir", "-C",
                          "--cache-dir", "--raw-cache-dir", "--solv-cache-dir", "--pkg-cache-dir", "-c", "--config"],
        versionOperators: [">=", "<=", "=", ">", "<"])

    /// pip's options that take a value, global and `install` ones (`pip install --help`),
    /// hadolint's `-b`/`--build` of old pips, and uv's `pip install`.
    public static let pip = ProgramSpec(
        installVerbs: ["install"],
        flagsWithValues: [
            "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-t", "--target", "--platform",
            "--python-version", "--implementation", "--abi", "--root", "--prefix", "--src", "--upgrade-strategy",
            "-C", "--config-settings", "--global-option", "--install-option", "--no-binary", "--only-binary",
            "--progress-bar", "--root-user-action", "--report", "-i", "--index-url", "--extra-index-url", "-f",
            "--find-links", "--log", "--log-file", "--proxy", "--retries", "--timeout", "--exists-action",
            "--trusted-host", "--cert", "--client-cert", "--cache-dir", "--keyring-provider", "--python",
            "--use-feature", "--use-deprecated", "--resume-retries", "--group", "-b", "--build",
            "--index", "--default-index", "--index-strategy", "--python-platform", "--resolution", "--prerelease",
            "-p", "-o", "--output-file", "--overrides", "--link-mode", "--exclude-newer", "--requirements",
            "--constraints", "--override", "--build-constraints", "--python-preference", "--extra",
            "--refresh-package", "--reinstall-package", "-P", "--upgrade-package", "--config-setting", "--torch-backend",
        ],
        requirementFlags: ["-r", "--requirement"], versionOperators: ["===", "==", ">=", "<=", "~=", "!=", ">", "<"])

    /// npm (`npm help install`, `npm help config`).
    public static let npm = ProgramSpec(
        installVerbs: ["install", "i", "add", "ci"],
        flagsWithValues: ["--prefix", "--registry", "--cache", "--tag", "-w", "--workspace", "--userconfig",
                          "--globalconfig", "--loglevel", "--omit", "--include", "--install-strategy", "--only", "--scope",
                          "--before", "--location"],
        versionOperators: ["@"])

    /// yarn and pnpm.
    public static let yarn = ProgramSpec(
        installVerbs: ["add", "install", "i"],
        flagsWithValues: ["--cwd", "--registry", "--cache-folder", "--modules-folder", "-C", "--dir", "--filter"],
        versionOperators: ["@"])

    /// RubyGems (`gem help install`).
    public static let gem = ProgramSpec(
        installVerbs: ["install", "i"],
        flagsWithValues: ["-v", "--version", "-s", "--source", "-i", "--install-dir", "-n", "--bindir", "--platform",
                          "-P", "--trust-policy", "--build-root", "-g", "--file", "--document", "-p", "--http-proxy",
                          "--config-file"],
        versionOperators: [":"])

    /// The go command's build flags (`go help build`).
    public static let go = ProgramSpec(
        installVerbs: ["install", "get"],
        flagsWithValues: ["-o", "-p", "-C", "-ldflags", "-gcflags", "-asmflags", "-gccgoflags", "-tags", "-mod",
                          "-modfile", "-overlay", "-pkgdir", "-toolexec", "-exec", "-buildmode", "-compiler",
                          "-installsuffix", "-pgo", "-covermode", "-coverpkg"],
        versionOperators: ["@"], flagStyle: .go)

    /// cargo (`cargo help install`).
    public static let cargo = ProgramSpec(
        installVerbs: ["install"],
        flagsWithValues: ["--version", "--git", "--branch", "--tag", "--rev", "--path", "--root", "--features", "-j",
                          "--jobs", "--target", "--profile", "--index", "--registry"],
        versionOperators: ["@"])

    /// GNU `ln` (`ln --help`).
    public static let ln = ProgramSpec(flagsWithValues: ["-t", "--target-directory", "-S", "--suffix"])

    /// Any program whose own flags are not listed: no flag is known to take a value.
    public static let unknown = ProgramSpec(flagsWithValues: [])

    /// The reader of this program's command lines.
    public var scanner: OptionScanner { OptionScanner(self) }
}

extension PackageManager {
    /// How this manager's command line reads.
    public var spec: ProgramSpec {
        switch self {
        case .aptGet, .apt, .aptitude: return .apt
        case .apk: return .apk
        case .yum, .dnf, .microdnf, .tdnf: return .rpm
        case .zypper: return .zypper
        case .pip: return .pip
        case .npm: return .npm
        case .yarn, .pnpm: return .yarn
        case .gem: return .gem
        case .go: return .go
        case .cargo: return .cargo
        }
    }
}
