/// The instructions BuildKit knows, keyed by their lower-case keyword.
public enum InstructionKind: String, CaseIterable, Hashable, Sendable {
    case add, arg, cmd, copy, entrypoint, env, expose, from, healthcheck, label, maintainer
    case onbuild, run, shell, stopsignal, user, volume, workdir

    /// Looks up a keyword in any letter case, as BuildKit's dispatch does.
    public init?(keyword: String) {
        self.init(rawValue: keyword.lowercased())
    }

    /// The keyword in upper case, as written in documentation.
    public var keyword: String { rawValue.uppercased() }

    /// Whether BuildKit reads heredocs (`<<EOF`) in this instruction's shell form.
    public var acceptsHeredocs: Bool {
        self == .run || self == .copy || self == .add
    }

    /// How BuildKit's parser splits the arguments (its dispatch table in `parser.go`).
    var argumentParsing: ArgumentParsing {
        switch self {
        case .add, .copy, .volume: return .jsonOrWords
        case .arg: return .nameOrNameValue
        case .cmd, .entrypoint, .run, .shell: return .jsonOrShell
        case .env, .label: return .nameValue
        case .expose, .from: return .whitespaceWords
        case .healthcheck: return .healthcheck
        case .maintainer, .stopsignal, .user, .workdir: return .singleString
        case .onbuild: return .subcommand
        }
    }
}

/// BuildKit's line parsers, one per way of splitting an instruction's arguments.
enum ArgumentParsing {
    /// `parseMaybeJSONToList`: a JSON array, else words split on whitespace.
    case jsonOrWords
    /// `parseNameOrNameVal`: quote-aware words.
    case nameOrNameValue
    /// `parseMaybeJSON`: a JSON array, else the rest of the line as one string.
    case jsonOrShell
    /// `parseNameVal`: `key=value` pairs, or the legacy `key value`.
    case nameValue
    /// `parseStringsWhitespaceDelimited`.
    case whitespaceWords
    /// `parseHealthConfig`: a type word, then like `jsonOrShell`.
    case healthcheck
    /// `parseString`: the rest of the line as one string.
    case singleString
    /// `parseSubCommand`: another instruction (ONBUILD).
    case subcommand
}
