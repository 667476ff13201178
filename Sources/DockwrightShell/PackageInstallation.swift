/// The package managers the command view recognises.
public enum PackageManager: String, CaseIterable, Hashable, Sendable {
    case aptGet = "apt-get", apt, aptitude, apk, yum, dnf, microdnf, tdnf, zypper
    case pip, npm, yarn, pnpm, gem, go, cargo

    /// Whether it installs operating-system packages (as opposed to language packages).
    public var isSystemPackageManager: Bool {
        switch self {
        case .aptGet, .apt, .aptitude, .apk, .yum, .dnf, .microdnf, .tdnf, .zypper: return true
        case .pip, .npm, .yarn, .pnpm, .gem, .go, .cargo: return false
        }
    }
}

/// A package named on an install command line, with its version pin if any.
public struct PackageRequest: Hashable, Sendable {
    /// The package name, without version or extras.
    public let name: String
    /// The pinned version, e.g. `1.2.3` in `curl=1.2.3`.
    public let version: String?
    /// How the version is pinned: `=`, `==`, `>=`, `@`, `~`, `-`, …
    public let versionOperator: String?
    /// The word as written.
    public let word: ShellWord
}

/// A package manager invocation that installs something.
public struct PackageInstallation: Hashable, Sendable {
    /// The manager.
    public let manager: PackageManager
    /// The subcommand, e.g. `install`, `add`, `ci`.
    public let subcommand: String
    /// The packages named, in order (none for `npm ci`, `pip install -r file`, …).
    public let packages: [PackageRequest]
    /// Files the install reads its list from (`pip install -r requirements.txt`).
    public let requirementFiles: [String]
    /// The command.
    public let command: CommandView
}

extension CommandView {
    /// The package installation this command performs, if it is one.
    public var packageInstallation: PackageInstallation? {
        var packages: [PackageRequest] = []
        var requirementFiles: [String] = []
        guard let (manager, subcommand) = scanInstallation(
            requirementFile: { requirementFiles.append($0) },
            package: { table, value, word in
                packages.append(value.map { table.request($0, word) }
                    ?? PackageRequest(name: "", version: nil, versionOperator: nil, word: word))
            })
        else { return nil }
        return PackageInstallation(
            manager: manager, subcommand: subcommand, packages: packages, requirementFiles: requirementFiles,
            command: self)
    }

    /// The manager and the words naming packages, when the command installs: what the
    /// effects walker needs of ``packageInstallation``, without splitting each package's
    /// name from its version.
    var installedPackageWords: (manager: PackageManager, words: [ShellWord])? {
        var words: [ShellWord] = []
        guard let (manager, _) = scanInstallation(requirementFile: { _ in }, package: { _, _, word in words.append(word) })
        else { return nil }
        return (manager, words)
    }

    /// Reads the command as a package manager's install: hands over each requirement
    /// file and each package word (with its literal value) in order, and returns the
    /// manager and subcommand; nil when it is no install.
    private func scanInstallation(
        requirementFile: (String) -> Void, package: (PackageManagerTable.Entry, String?, ShellWord) -> Void
    ) -> (PackageManager, String)? {
        guard let (manager, argumentStart) = packageManager else { return nil }
        let table = PackageManagerTable.entry(for: manager)
        let words = Array(command.words[argumentStart...])
        let values = words.map(\.literalValue)
        var subcommand: String?
        for position in table.spec.scanner.positions(of: values) {
            let wordIndex: Int
            switch position {
            case .flag(let name, let value, _):
                guard table.requirementFlags.contains(name) else { continue }
                switch value {
                case .attached(let file): requirementFile(file)
                case .word(let index): if let file = values[index] { requirementFile(file) }
                case nil: break
                }
                continue
            case .operand(let index):
                wordIndex = index
            }
            let word = words[wordIndex]
            guard let value = values[wordIndex] else {
                if subcommand != nil { package(table, nil, word) }
                continue
            }
            guard subcommand != nil else {
                // yarn/pnpm `global add …`: the verb follows `global`.
                if value == "global" && (manager == .yarn || manager == .pnpm) { continue }
                subcommand = value
                guard table.installSubcommands.contains(value) else { return nil }
                continue
            }
            package(table, value, word)
        }
        // A bare `yarn` installs the project's dependencies.
        if subcommand == nil && manager == .yarn { subcommand = "install" }
        guard let subcommand else { return nil }
        return (manager, subcommand)
    }

    /// The manager and the index of the first word after its name
    /// (`python3 -m pip install`: after `pip`).
    private var packageManager: (PackageManager, Int)? {
        guard let name else { return nil }
        if let manager = PackageManager(rawValue: name) { return (manager, nameIndex + 1) }
        if name.hasPrefix("pip"), name.dropFirst(3).allSatisfy({ $0.isNumber || $0 == "." }) {
            return (.pip, nameIndex + 1)
        }
        let words = command.words
        if name.hasPrefix("python"), nameIndex + 2 < words.count, words[nameIndex + 1].literalValue == "-m",
           words[nameIndex + 2].literalValue == "pip" {
            return (.pip, nameIndex + 3)
        }
        if name == "uv", nameIndex + 1 < words.count, words[nameIndex + 1].literalValue == "pip" {
            return (.pip, nameIndex + 2)
        }
        return nil
    }
}

/// How a manager's spec turns a word into a package request.
enum PackageManagerTable {
    struct Entry {
        let spec: ProgramSpec

        var installSubcommands: Set<String> { spec.installVerbs }
        var flagsWithValues: Set<String> { spec.flagsWithValues }
        var requirementFlags: Set<String> { spec.requirementFlags }

        func request(_ value: String, _ word: ShellWord) -> PackageRequest {
            var name = value
            // pip extras: `uvicorn[standard]==0.30`. Brackets are ASCII: searched as bytes, not
            // Characters, which cost several hundred instructions a character.
            if let bracket = name.utf8.firstIndex(of: UInt8(ascii: "[")), let close = name.utf8.firstIndex(of: UInt8(ascii: "]")),
               bracket < close {
                name.removeSubrange(bracket...close)
            }
            let bytes = Array(name.utf8)
            // npm scopes start with `@`, so a version `@` must come after the first character.
            let searchStart = bytes.first == UInt8(ascii: "@") ? 1 : 0
            var best: (offset: Int, operatorText: String)?
            for candidate in spec.versionOperators {
                guard let offset = Self.firstOffset(of: Array(candidate.utf8), in: bytes, from: searchStart) else { continue }
                if best.map({ offset < $0.offset }) ?? true { best = (offset, candidate) }
            }
            if spec.usesRPMVersions { best = Self.rpmVersionOffset(in: bytes).map { ($0, "-") } }
            guard let best else {
                return PackageRequest(name: name, version: nil, versionOperator: nil, word: word)
            }
            let versionStart = best.offset + best.operatorText.utf8.count
            return PackageRequest(
                name: String(decoding: bytes[..<best.offset], as: UTF8.self),
                version: String(decoding: bytes[versionStart...], as: UTF8.self), versionOperator: best.operatorText,
                word: word)
        }

        private static func firstOffset(of needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
            guard !needle.isEmpty, bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
            for offset in start...(bytes.count - needle.count) where bytes[offset..<(offset + needle.count)].elementsEqual(needle) {
                return offset
            }
            return nil
        }

        /// rpm's `name-version`: a dash followed by a digit, with a dot later, so that
        /// `java-11-openjdk` stays a name and `nginx-1.20.1` has a version.
        private static func rpmVersionOffset(in bytes: [UInt8]) -> Int? {
            for offset in bytes.indices.dropLast() where bytes[offset] == UInt8(ascii: "-")
                && bytes[offset + 1] >= UInt8(ascii: "0") && bytes[offset + 1] <= UInt8(ascii: "9")
                && bytes[(offset + 1)...].contains(UInt8(ascii: ".")) {
                return offset
            }
            return nil
        }
    }

    static func entry(for manager: PackageManager) -> Entry { Entry(spec: manager.spec) }
}
