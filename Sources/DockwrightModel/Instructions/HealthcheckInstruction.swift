import DockwrightSyntax

/// A `HEALTHCHECK [options] CMD …` or `HEALTHCHECK NONE`, with its options as written
/// (`instructions/parse.go`: `parseHealthcheck`).
public struct HealthcheckInstruction: Sendable {
    /// The instruction.
    public let instruction: InstructionSyntax
    /// `CMD` or `NONE` as written.
    public let typeToken: Token

    /// The view of a HEALTHCHECK.
    public init?(_ instruction: InstructionSyntax) {
        guard instruction.kind == .healthcheck, case .healthcheck(let type, _) = instruction.arguments else { return nil }
        self.instruction = instruction
        typeToken = type
    }

    /// Whether it disables the base image's health check (`HEALTHCHECK NONE`).
    public var isNone: Bool { typeToken.text.uppercased() == "NONE" }
    /// The command to run, for `CMD`.
    public var command: CommandForm? { isNone ? nil : CommandForm(instruction.arguments) }
    /// `--interval`.
    public var interval: String? { InstructionFlags(instruction).string("interval") }
    /// `--timeout`.
    public var timeout: String? { InstructionFlags(instruction).string("timeout") }
    /// `--start-period`.
    public var startPeriod: String? { InstructionFlags(instruction).string("start-period") }
    /// `--start-interval`.
    public var startInterval: String? { InstructionFlags(instruction).string("start-interval") }
    /// `--retries`.
    public var retries: String? { InstructionFlags(instruction).string("retries") }
}
