/// One `RUN --mount=…` flag, read as BuildKit reads it (`instructions/commands_runmount.go`).
///
/// The value is a CSV record of `key=value` fields; keys are case-insensitive and
/// `type` defaults to `bind`. Rules ask about mounts to accept cache and tmpfs
/// mounts as cleanup (`apt` lists, pip caches) and secret mounts as the way to pass
/// credentials.
public struct RunMount: Hashable, Sendable {
    /// What BuildKit mounts.
    public enum MountType: String, Hashable, Sendable {
        case bind, cache, tmpfs, secret, ssh
    }

    /// The mount type, or nil when the value names one BuildKit does not know.
    public let type: MountType?
    /// One `key=value` field.
    public struct Field: Hashable, Sendable {
        /// The key, lowercased.
        public let key: String
        /// The value as written; empty for a field without `=`.
        public let value: String
    }

    /// The fields as written, in order.
    public let fields: [Field]
    /// Where the flag is written.
    public let range: TextRange

    /// Reads a `--mount` flag's value.
    public init(value: String, range: TextRange) {
        self.fields = Self.csvFields(value).map { field in
            guard let equals = field.firstIndex(of: "=") else { return Field(key: field.lowercased(), value: "") }
            return Field(key: String(field[..<equals]).lowercased(), value: String(field[field.index(after: equals)...]))
        }
        self.range = range
        let typeName = fields.last { $0.key == "type" }?.value.lowercased() ?? "bind"
        self.type = MountType(rawValue: typeName)
    }

    /// The value of the last field named `key` (BuildKit lets a later field win).
    public func value(of key: String) -> String? {
        fields.last { $0.key == key }?.value
    }

    /// The mount point inside the container (`target`, `dst` or `destination`).
    public var target: String? {
        fields.last { ["target", "dst", "destination"].contains($0.key) }?.value
    }

    /// The mounts of an instruction's `--mount` flags, in order.
    public static func mounts(of instruction: InstructionSyntax) -> [RunMount] {
        instruction.flags.compactMap { flag in
            guard flag.name.lowercased() == "mount", let value = flag.value else { return nil }
            return RunMount(value: value, range: flag.range)
        }
    }

    /// Whether the mount is writable: a bind mount is read-only unless `rw` (or
    /// `readwrite`) is set to anything but `false`.
    public var isWritable: Bool {
        fields.contains { ($0.key == "rw" || $0.key == "readwrite") && $0.value.lowercased() != "false" }
    }

    /// Whether an instruction bind-mounts the build context: a bind mount (the default
    /// type) without `from=`, so the RUN reads sources that no COPY brought in.
    public static func bindsBuildContext(_ instruction: InstructionSyntax) -> Bool {
        mounts(of: instruction).contains { $0.type == .bind && $0.value(of: "from") == nil }
    }

    /// Whether a cache or tmpfs mount covers `path`: mounted at it or at a folder
    /// above it, so whatever a command leaves there never reaches the layer.
    public static func isCached(_ path: String, in instruction: InstructionSyntax) -> Bool {
        let wanted = normalized(path)
        return mounts(of: instruction).contains { mount in
            guard mount.type == .cache || mount.type == .tmpfs, let target = mount.target else { return false }
            let mounted = normalized(target)
            return wanted == mounted || mounted == "/" || wanted.hasPrefix(mounted + "/")
        }
    }

    private static func normalized(_ path: String) -> String {
        var result = path
        while result.count > 1 && result.hasSuffix("/") { result.removeLast() }
        return result
    }

    /// Splits a CSV record like Go's `encoding/csv` with its defaults: commas separate
    /// fields, a field that starts with `"` is quoted and `""` inside it is a quote.
    private static func csvFields(_ record: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var fieldStarted = false
        var characters = record.makeIterator()
        var pending = characters.next()
        while let character = pending {
            pending = characters.next()
            if inQuotes {
                if character == "\"" {
                    if pending == "\"" {
                        current.append("\"")
                        pending = characters.next()
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "," {
                fields.append(current)
                current = ""
                fieldStarted = false
            } else if character == "\"" && !fieldStarted {
                inQuotes = true
                fieldStarted = true
            } else {
                current.append(character)
                fieldStarted = true
            }
        }
        fields.append(current)
        return fields.filter { !$0.isEmpty }
    }
}
