import DockwrightSyntax

/// A `FROM [--platform=…] image [AS name]`, as BuildKit's `parseFrom` reads it.
public struct FromInstruction: Sendable {
    /// The instruction.
    public let instruction: InstructionSyntax
    /// The image word as written (before ARG substitution), e.g. `node:${VERSION}`.
    public let imageToken: Token
    /// The `AS` name as written, when there is one.
    public let aliasToken: Token?

    /// The view of a FROM, or nil for another instruction or a FROM without an image.
    public init?(_ instruction: InstructionSyntax) {
        guard instruction.kind == .from, case .words(let words) = instruction.arguments, let image = words.first
        else { return nil }
        self.instruction = instruction
        imageToken = image
        aliasToken = words.count == 3 && words[1].text.lowercased() == "as" ? words[2] : nil
    }

    /// The `--platform` value as written, e.g. `$BUILDPLATFORM`.
    public var platform: String? { InstructionFlags(instruction).string("platform") }

    /// The `AS` name, lowercased as BuildKit keys stages.
    public var alias: String? { aliasToken?.text.lowercased() }
}
