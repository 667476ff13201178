/// Settings read from `.dockwright.json` or, for migration, `.hadolint.yaml`.
/// Command-line flags override them; they override the defaults.
public struct Configuration: Hashable, Sendable {
    /// Rules to run (codes, names, prefixes, categories); empty means the defaults.
    public var select: [String] = []
    /// Rules to skip.
    public var ignore: [String] = []
    /// Severity re-grades by rule selector.
    public var severity: [String: Severity] = [:]
    /// The fail level; nil means "never fail" when `failLevelIsNone`, else the default.
    public var failLevel: Severity?
    /// Whether the file says not to fail (`fail-level: none`, hadolint's `no-fail`).
    public var failLevelIsNone = false
    /// Globs of paths to skip.
    public var exclude: [String] = []
    /// Registries a base image may come from (hadolint's `trustedRegistries`).
    public var trustedRegistries: [String] = []
    /// Whether the version-pinning rules run (`"version-pinning": false` turns them all off).
    public var versionPinning = true
    /// Whether to run ShellCheck on RUN scripts when it is installed (`--shellcheck`).
    public var shellcheck = false
    /// Whether inline ignore pragmas are disregarded (hadolint's `disable-ignore-pragma`).
    public var disablesIgnorePragmas = false
    /// The report format the file asks for (hadolint's `format`), used when the
    /// command line names none.
    public var outputFormat: String?
    /// Whether the file turns colour off (hadolint's `no-color`).
    public var disablesColor = false
    /// The file the settings came from, if any.
    public var path: String?

    /// Creates an empty configuration (the defaults).
    public init() {}

    /// The rules that want package versions pinned, which `"version-pinning": false` and
    /// `--no-version-pinning` turn off together: apt-get, pip, npm, apk, gem, yum,
    /// zypper, dnf and `go install`. Codes, so the list holds whichever of them are built.
    public static let versionPinningCodes = [
        "DL3008", "DL3013", "DL3016", "DL3018", "DL3028", "DL3033", "DL3037", "DL3041", "DL3062",
    ]

    /// The codes to skip because of this configuration's switches.
    public var switchedOffCodes: [String] { versionPinning ? [] : Self.versionPinningCodes }
}

/// A configuration file that cannot be used: where, and why.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file.
    public let path: String
    /// The 1-based line, when known.
    public let line: Int?
    /// The 1-based column on that line, when known.
    public let column: Int?
    /// What is wrong.
    public let message: String

    /// Creates an error.
    public init(path: String, line: Int?, column: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = line == nil ? nil : column
        self.message = message
    }

    public var description: String {
        "\(path)\(line.map { ":\($0)" } ?? "")\(column.map { ":\($0)" } ?? ""): invalid configuration: \(message)"
    }
}
