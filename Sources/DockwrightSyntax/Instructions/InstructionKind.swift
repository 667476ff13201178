/// The instructions BuildKit knows, keyed by their lower-case keyword.
public enum InstructionKind: String, CaseIterable, Hashable, Sendable {
    case add, arg, cmd, copy, entrypoint, env, expose, from, healthcheck, label, maintainer
    case onbuild, run, shell, stopsignal, user, volume, workdir

    /// Looks up a keyword in any letter case, as BuildKit's dispatch does.
    public init?(keyword: String) {
        var text = keyword
        // An ASCII keyword, nearly every one, is matched on its bytes: lowering built a
        // String and the raw-value switch hashed it, for every instruction of every file.
        // Other text keeps Unicode lowering, as Go's `strings.ToLower` maps, say, the
        // Kelvin sign to `k`.
        let match = text.withUTF8 { bytes -> (isASCII: Bool, kind: InstructionKind?) in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return (false, nil) }
            return (true, Self.keywordBytes.firstIndex { Self.equalsIgnoringASCIICase($0, bytes) }.map { Self.allCases[$0] })
        }
        if match.isASCII {
            guard let kind = match.kind else { return nil }
            self = kind
        } else {
            self.init(rawValue: keyword.lowercased())
        }
    }

    /// The lower-case keyword of each case, in the order of ``allCases``.
    private static let keywordBytes: [[UInt8]] = allCases.map { Array($0.rawValue.utf8) }

    /// Whether ASCII `text` equals the lower-case `keyword` in any letter case.
    private static func equalsIgnoringASCIICase(_ keyword: [UInt8], _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard keyword.count == text.count else { return false }
        for index in keyword.indices {
            if text[index].asciiLowercased != keyword[index] { return false }
        }
        return true
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
