import DockwrightShell
import DockwrightSyntax

/// A language package manager's install command (`pip install`, `npm install`,
/// `gem install`, `go install`), read with the manager's own option syntax.
public struct LanguageInstall: Sendable {
    /// The command.
    public let command: ScriptCommand
    /// The subcommand word (`install`, `i`, `get`, …).
    public let subcommand: ExpandedWord
    /// Every flag and operand of the command line, the subcommand included.
    public let items: [OptionScanner.Item]
    /// The operands after the subcommand: packages, paths, requirement specifiers.
    public let operands: [ExpandedWord]
}

/// Which pip front end runs an install.
public enum PipLauncher: Sendable {
    /// `pip`, `pip3`, `pip3.12`, `python -m pip`.
    case pip
    /// `pipx install`, which installs one application into its own environment.
    case pipx
    /// `uv pip install`, pip's interface implemented by uv.
    case uv
}

extension ScriptCommand {
    /// The `pip install` this command runs, and through which front end.
    ///
    /// Mirrors hadolint's `isPipInstall`: a program named `pip…` (pipenv aside) or
    /// `python… -m pip`, whose subcommand is `install`. dockwright also reads
    /// `uv pip install` and looks through wrappers such as `sudo`.
    public var pipInstall: (LanguageInstall, PipLauncher)? {
        // Expanding the arguments costs more than the names: only for a name that can install.
        guard let name, Self.mayRunPip(name) else { return nil }
        let isPip = Self.isPip(name)
        let arguments = expandedArguments
        var start = 0
        let launcher: PipLauncher
        if isPip {
            launcher = .pip
        } else if name == "pipx" {
            launcher = .pipx
        } else if Self.isPython(name), arguments.count > 1, arguments[0].value == "-m", arguments[1].value == "pip" {
            launcher = .pip
            start = 2
        } else if name == "uv", arguments.first?.value == "pip" {
            launcher = .uv
            start = 1
        } else {
            return nil
        }
        let scanner = ProgramSpec.pip.scanner
        guard let install = LanguageInstall(self, items: scanner.scan(Array(arguments[start...])), verbs: ["install"])
        else { return nil }
        return (install, launcher)
    }

    /// `npm install <packages>` (and its aliases `i` and `add`).
    public var npmInstall: LanguageInstall? {
        guard name == "npm" else { return nil }
        let scanner = ProgramSpec.npm.scanner
        return LanguageInstall(self, items: scanner.scan(expandedArguments), verbs: ["install", "i", "add"])
    }

    /// Whether a program of this name can run `pip install` (``pipInstall``): `pip…`,
    /// `python… -m pip`, `pipx` or `uv pip`.
    public static func mayRunPip(_ name: String) -> Bool {
        isPip(name) || isPython(name) || name == "pipx" || name == "uv"
    }

    /// `pip`, `pip3`, `pip3.12`.
    private static func isPip(_ name: String) -> Bool {
        name == "pip" || (name.hasPrefix("pip") && name.dropFirst(3).allSatisfy({ $0.isNumber || $0 == "." }))
    }

    /// `python`, `python3`, `python3.12`.
    private static func isPython(_ name: String) -> Bool {
        name.hasPrefix("python") && name.dropFirst(6).allSatisfy({ $0.isNumber || $0 == "." })
    }

    /// `gem install <gems>`; options after `--` go to the gems' build and are not read.
    public var gemInstall: LanguageInstall? {
        guard name == "gem" else { return nil }
        let scanner = ProgramSpec.gem.scanner
        return LanguageInstall(
            self, items: scanner.scan(expandedArguments, stopsAtDoubleDash: true), verbs: ["install", "i"])
    }

    /// `go install`, `go get` or `go run`; for `go run` only the package, not the
    /// program's own arguments after it.
    public var goInstall: LanguageInstall? {
        guard name == "go" else { return nil }
        let scanner = ProgramSpec.go.scanner
        guard let install = LanguageInstall(self, items: scanner.scan(expandedArguments), verbs: ["install", "get", "run"])
        else { return nil }
        guard install.subcommand.value == "run" else { return install }
        return LanguageInstall(
            command: self, subcommand: install.subcommand, items: install.items, operands: Array(install.operands.prefix(1)))
    }
}

extension LanguageInstall {
    /// The install whose first operand is one of `verbs`, or nil.
    public init?(_ command: ScriptCommand, items: [OptionScanner.Item], verbs: Set<String>) {
        guard let first = items.firstIndex(where: { if case .operand = $0 { return true } else { return false } }),
              case .operand(let verb) = items[first], verbs.contains(verb.value) else { return nil }
        self.init(
            command: command, subcommand: verb, items: items, operands: Array(items[(first + 1)...]).operands)
    }
}

// MARK: - Pins

/// Whether a language package operand names a fixed version; nil when it cannot be
/// told (a lone unresolved variable, a local package, a standard-library package).
public enum LanguagePin {
    /// pip's version operators (PEP 440), as hadolint lists them.
    public static let pipOperators = ["===", "==", ">=", "<=", "~=", "!=", ">", "<"]

    /// pip's VCS schemes (`git+https://…`), hadolint's list.
    public static let vcsPrefixes = ["git+", "hg+", "svn+", "bzr+", "git://", "svn://"]

    /// A pip requirement: pinned with a version operator, a VCS URL with `@ref`, a
    /// wheel, archive, path or URL. hadolint DL3013's `versionFixed`, plus local
    /// paths written without a `/` (`.`, `.[dev]`).
    public static func pip(_ operand: ExpandedWord) -> Bool? {
        let value = operand.value
        if operand.isOpaque { return nil }
        if vcsPrefixes.contains(where: { value.hasPrefix($0) }) {
            // `git+https://host/org/repo@v1.2#egg=x`: the `@` of a ref comes after the host's `/`.
            guard let scheme = value.firstRange(of: "://") else { return value.contains("@") }
            let afterHost = value[scheme.upperBound...].drop { $0 != "/" }
            return afterHost.contains("@")
        }
        if pipOperators.contains(where: { value.contains($0) }) { return true }
        if value.hasPrefix(".") || value.hasPrefix("~") || value.contains("/") { return true }
        let archives = [".whl", ".tar.gz", ".tgz", ".tar.bz2", ".zip"]
        if archives.contains(where: { value.hasSuffix($0) }) { return true }
        return false
    }

    /// An npm package spec: `name@version` (not `@latest`), a git URL with `#ref`,
    /// a tarball, a folder. hadolint DL3016's `versionFixed`, plus hosted-git
    /// shorthands (`github:user/repo#ref`, `user/repo#ref`) and `file:` specs.
    public static func npm(_ operand: ExpandedWord) -> Bool? {
        let value = operand.value
        if operand.isOpaque { return nil }
        let gitPrefixes = ["git://", "git+ssh://", "git+http://", "git+https://", "git+file://", "github:", "gitlab:",
                           "bitbucket:", "gist:"]
        if gitPrefixes.contains(where: { value.hasPrefix($0) }) { return value.contains("#") }
        if [".tar", ".tar.gz", ".tgz"].contains(where: { value.hasSuffix($0) }) { return true }
        if ["/", "./", "../", "~/", "file:"].contains(where: { value.hasPrefix($0) }) || value == "." || value == ".." {
            return true
        }
        if value.hasPrefix("http://") || value.hasPrefix("https://") { return false }
        // A scope starts with `@`; the version `@` comes after the name.
        let name = value.hasPrefix("@") ? value.drop { $0 != "/" } : Substring(value)
        if !value.hasPrefix("@") && name.contains("/") && !name.contains("@") { return value.contains("#") }
        guard let at = name.lastIndex(of: "@") else { return false }
        let version = name[name.index(after: at)...]
        return !version.isEmpty && version != "latest"
    }

    /// A gem: `name:version`, a `.gem` file or a path; `-v` pins them all.
    public static func gem(_ operand: ExpandedWord) -> Bool? {
        let value = operand.value
        if operand.isOpaque { return nil }
        return value.contains(":") || value.hasSuffix(".gem") || value.contains("/")
    }

    /// A Go package path: `path@version`, where `@latest`, `@none`, `@upgrade` and
    /// `@patch` are queries, not versions. Paths that are not modules (`./cmd`,
    /// `main.go`, `std`, a package in GOPATH without a dotted host) are not judged.
    public static func go(_ operand: ExpandedWord) -> Bool? {
        let value = operand.value
        if operand.isOpaque { return nil }
        if let at = value.lastIndex(of: "@") {
            let version = value[value.index(after: at)...]
            return !(version.isEmpty || ["latest", "none", "upgrade", "patch"].contains(String(version)))
        }
        let firstElement = value.prefix { $0 != "/" }
        guard firstElement.contains("."), !value.hasPrefix("."), !value.hasPrefix("/"), !value.hasSuffix(".go") else {
            return nil
        }
        return false
    }
}
