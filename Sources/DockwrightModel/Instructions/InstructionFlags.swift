import DockwrightSyntax

/// The `--name[=value]` flags of one instruction, read the one way BuildKit's `BFlags`
/// reads them (`frontend/dockerfile/instructions/bflag.go`): names match exactly, a
/// later string flag wins, a repeatable flag keeps every value, and a boolean flag is
/// on when written bare or `=true` (any letter case).
public struct InstructionFlags: Sendable {
    /// The flags as written, in order.
    public let all: [FlagSyntax]

    /// The flags of `instruction`.
    public init(_ instruction: InstructionSyntax) {
        all = instruction.flags
    }

    /// The last flag named `name`.
    public func flag(_ name: String) -> FlagSyntax? {
        all.last { $0.name == name }
    }

    /// The value of the last flag named `name` (empty for a bare `--name`).
    public func string(_ name: String) -> String? {
        flag(name).map { $0.value ?? "" }
    }

    /// The values of every flag named `name`, in order (`--exclude`, `--mount`).
    public func strings(_ name: String) -> [String] {
        all.compactMap { $0.name == name ? ($0.value ?? "") : nil }
    }

    /// Whether the boolean flag `name` is on: `--name` or `--name=true`.
    public func isOn(_ name: String) -> Bool {
        guard let flag = flag(name) else { return false }
        guard let value = flag.value else { return true }
        return value.lowercased() == "true"
    }
}
