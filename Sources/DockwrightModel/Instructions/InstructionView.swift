import DockwrightSyntax

/// An instruction read as its typed command, as BuildKit's `instructions.ParseCommand`
/// turns a node into a `FromCommand`, `CopyCommand`, `RunCommand`, …
///
/// A value computed on demand from the syntax, never stored: the tree stays the one
/// copy of each instruction.
public enum InstructionView: Sendable {
    case from(FromInstruction)
    /// COPY and ADD.
    case copy(CopyInstruction)
    case run(RunInstruction)
    /// CMD or ENTRYPOINT.
    case command(CommandForm)
    /// ENV or LABEL: the pairs as written (quotes kept).
    case pairs([KeyValuePair])
    /// ARG: each `NAME` or `NAME=default`.
    case arguments([ArgumentDeclaration])
    /// EXPOSE: the port words.
    case expose([Token])
    /// USER, WORKDIR, STOPSIGNAL or MAINTAINER: the one string argument.
    case text(Token)
    case healthcheck(HealthcheckInstruction)
    /// SHELL: the JSON array's elements.
    case shell([Token])
    /// VOLUME: the paths, from the JSON array or the words.
    case volume([Token])
    /// ONBUILD: the trigger's own view.
    indirect case onbuild(InstructionView)
    /// An unknown keyword, or arguments that do not fit the instruction.
    case unreadable

    /// The view of `instruction`.
    public init(_ instruction: InstructionSyntax) {
        switch (instruction.kind, instruction.arguments) {
        case (.from, _): self = FromInstruction(instruction).map(Self.from) ?? .unreadable
        case (.copy, _), (.add, _): self = CopyInstruction(instruction).map(Self.copy) ?? .unreadable
        case (.run, _): self = RunInstruction(instruction).map(Self.run) ?? .unreadable
        case (.cmd, let arguments), (.entrypoint, let arguments):
            self = CommandForm(arguments).map(Self.command) ?? .unreadable
        case (.env, .keyValuePairs(let pairs, _)), (.label, .keyValuePairs(let pairs, _)): self = .pairs(pairs)
        case (.arg, .words(let words)): self = .arguments(words.map(ArgumentDeclaration.init))
        case (.expose, .words(let words)): self = .expose(words)
        case (.user, .text(let token)), (.workdir, .text(let token)), (.stopsignal, .text(let token)),
             (.maintainer, .text(let token)):
            self = .text(token)
        case (.healthcheck, _): self = HealthcheckInstruction(instruction).map(Self.healthcheck) ?? .unreadable
        case (.shell, .execForm(let tokens)): self = .shell(tokens)
        case (.volume, .execForm(let tokens)), (.volume, .words(let tokens)): self = .volume(tokens)
        case (.onbuild, .trigger(let inner)): self = .onbuild(InstructionView(inner))
        default: self = .unreadable
        }
    }
}

/// One word of an ARG: `NAME` or `NAME=default` (BuildKit's `KeyValuePairOptional`).
public struct ArgumentDeclaration: Sendable {
    /// The word as written.
    public let token: Token
    /// The name.
    public let name: String
    /// The default value as written, nil when there is no `=`.
    public let defaultValue: String?

    /// Reads one ARG word.
    public init(_ token: Token) {
        self.token = token
        if let equals = token.text.firstIndex(of: "=") {
            name = String(token.text[..<equals])
            defaultValue = String(token.text[token.text.index(after: equals)...])
        } else {
            name = token.text
            defaultValue = nil
        }
    }
}
