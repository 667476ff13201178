import DockwrightSyntax

/// A `RUN`: its mounts, network and security modes, and its script as written
/// (`instructions/commands_runmount.go`, `commands_runnetwork.go`, `commands_runsecurity.go`).
public struct RunInstruction: Sendable {
    /// The instruction.
    public let instruction: InstructionSyntax

    /// The view of a RUN.
    public init?(_ instruction: InstructionSyntax) {
        guard instruction.kind == .run else { return nil }
        self.instruction = instruction
    }

    /// The `--mount` flags, in order.
    public var mounts: [RunMount] { RunMount.mounts(of: instruction) }
    /// `--network` (`default`, `none`, `host`).
    public var network: String? { InstructionFlags(instruction).string("network") }
    /// `--security` (`sandbox`, `insecure`).
    public var security: String? { InstructionFlags(instruction).string("security") }
    /// The command: exec form or shell form, heredocs in ``InstructionSyntax/heredocs``.
    public var command: CommandForm? { CommandForm(instruction.arguments) }
}
