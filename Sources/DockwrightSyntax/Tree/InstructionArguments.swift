/// An instruction's arguments, in the shape BuildKit's parser gives them.
public enum InstructionArguments: Hashable, Sendable {
    /// Nothing after the keyword and flags.
    case none
    /// An unknown instruction: BuildKit keeps it with one empty value.
    case ignored
    /// A JSON array of strings (exec form), one token per element.
    case execForm([Token])
    /// The rest of the line as one string (shell form of RUN, CMD, ENTRYPOINT, SHELL).
    case shellForm(Token)
    /// The rest of the line as one string (WORKDIR, USER, STOPSIGNAL, MAINTAINER).
    case text(Token)
    /// Separate words (FROM, EXPOSE, ARG, and COPY, ADD, VOLUME when not JSON).
    case words([Token])
    /// ENV and LABEL pairs; `isLegacyForm` for the old `ENV key value` spelling.
    case keyValuePairs([KeyValuePair], isLegacyForm: Bool)
    /// HEALTHCHECK: its type (`CMD`, `NONE`, …) and the command after it.
    indirect case healthcheck(type: Token, command: InstructionArguments)
    /// ONBUILD: the instruction it wraps.
    case trigger(InstructionSyntax)

    /// Whether the arguments are a JSON array, BuildKit's `json` attribute.
    public var isExecForm: Bool {
        switch self {
        case .execForm: return true
        case .healthcheck(_, let command): return command.isExecForm
        default: return false
        }
    }
}

/// One `key=value` (or legacy `key value`) pair of an ENV or LABEL.
public struct KeyValuePair: Hashable, Sendable {
    /// The key as written (quotes kept, as BuildKit's parser keeps them).
    public let key: Token
    /// The value as written (quotes kept).
    public let value: Token
    /// Whether the pair is `key=value` rather than the legacy `key value`; a flag rather
    /// than the separator's string, since a large file holds a pair per ENV line.
    private let hasEquals: Bool

    /// `=` for `key=value`, empty for the legacy form.
    public var separator: String { hasEquals ? "=" : "" }

    /// Creates a pair; `separator` is `=` or empty.
    init(key: Token, value: Token, separator: String) {
        self.key = key
        self.value = value
        hasEquals = separator == "="
    }
}
