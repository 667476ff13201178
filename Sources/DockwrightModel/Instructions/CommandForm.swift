import DockwrightSyntax

/// How a RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD gives its command: a JSON array run
/// as is, or a string the stage's shell runs.
public enum CommandForm: Sendable {
    /// `["prog", "arg"]`: the elements, JSON-decoded.
    case exec([Token])
    /// `prog arg`: the text the shell runs.
    case shell(Token)

    /// The form of `arguments`, nil when they are neither (empty, or another shape).
    public init?(_ arguments: InstructionArguments) {
        switch arguments {
        case .execForm(let tokens): self = .exec(tokens)
        case .shellForm(let token): self = .shell(token)
        case .healthcheck(_, let command):
            guard let form = CommandForm(command) else { return nil }
            self = form
        default: return nil
        }
    }

    /// Whether it is the exec form.
    public var isExec: Bool {
        if case .exec = self { return true }
        return false
    }
}
