import DockwrightSyntax

/// The `# check=skip=<A,B|all>;error=<bool>;experimental=<A,B|all>` parser directive,
/// read as BuildKit's `linter.ParseLintOptions` reads it.
public struct CheckDirective: Hashable, Sendable {
    /// `skip=all`: every (non-experimental) check is off.
    public var skipsAll = false
    /// The checks `skip=` names, exactly as written: BuildKit compares names case-sensitively.
    public var skipped: Set<String> = []
    /// `error=true`: the build fails when a check reports anything.
    public var isError = false
    /// `experimental=all`.
    public var enablesAllExperimental = false
    /// The experimental checks `experimental=` turns on.
    public var experimental: Set<String> = []

    /// Creates the options of an empty directive.
    public init() {}

    /// Whether the directive turns off the rule implementing BuildKit check `name`.
    /// Mirrors linter.go `Run`: an experimental check ignores `skip`.
    public func skips(_ name: String) -> Bool {
        guard !BuildKitChecks.experimentalNames.contains(name) else { return false }
        return skipsAll || skipped.contains(name)
    }

    /// Parses a directive value; the error is BuildKit's message when it rejects it.
    public static func parse(_ value: String) -> Result<CheckDirective, CheckDirectiveError> {
        var options = CheckDirective()
        let text = value.trimmingGoSpace()
        guard !text.isEmpty else { return .success(options) }
        // strings.SplitN(value, ";", 3): a third part keeps any further `;`.
        var parts: [Substring] = []
        var rest = Substring(text)
        while parts.count < 2, let separator = rest.firstIndex(of: ";") {
            parts.append(rest[..<separator])
            rest = rest[rest.index(after: separator)...]
        }
        parts.append(rest)
        for part in parts {
            guard let equals = part.firstIndex(of: "=") else {
                return .failure(CheckDirectiveError(message: "invalid check option \(goQuoted(part))"))
            }
            let key = part[..<equals].trimmingGoSpace()
            let optionValue = part[part.index(after: equals)...].trimmingGoSpace()
            switch key {
            case "skip":
                // A later `skip=` replaces the list but never clears `all`, as in BuildKit.
                if optionValue == "all" {
                    options.skipsAll = true
                } else {
                    options.skipped = Set(optionValue.split(separator: ",", omittingEmptySubsequences: false)
                        .map { $0.trimmingGoSpace() })
                }
            case "experimental":
                if optionValue == "all" {
                    options.enablesAllExperimental = true
                } else {
                    options.experimental = Set(optionValue.split(separator: ",", omittingEmptySubsequences: false)
                        .map { $0.trimmingGoSpace() })
                }
            case "error":
                // Go's strconv.ParseBool spellings.
                switch optionValue {
                case "1", "t", "T", "TRUE", "true", "True": options.isError = true
                case "0", "f", "F", "FALSE", "false", "False": options.isError = false
                default:
                    return .failure(CheckDirectiveError(
                        message: "failed to parse check option \(goQuoted(part)): invalid syntax"))
                }
            default:
                return .failure(CheckDirectiveError(message: "invalid check option \(goQuoted(Substring(key)))"))
            }
        }
        return .success(options)
    }

    /// The file's `check` directive, if it has one.
    public static func of(_ syntax: DockerfileSyntax) -> (directive: ParserDirective, options: Result<CheckDirective, CheckDirectiveError>)? {
        guard let directive = syntax.directives.first(where: { $0.name == "check" }) else { return nil }
        return (directive, parse(directive.value))
    }

    /// Go's `%q` for the printable text a directive holds.
    private static func goQuoted(_ text: Substring) -> String {
        var result = "\""
        for character in text {
            if character == "\\" || character == "\"" { result.append("\\") }
            result.append(character)
        }
        return result + "\""
    }
}

/// Why BuildKit rejects a `# check=` directive (and with it the build).
public struct CheckDirectiveError: Error, Hashable, Sendable {
    /// BuildKit's message, without its "failed to parse check options: " prefix.
    public let message: String
}

private extension StringProtocol {
    /// The text without Go's `strings.TrimSpace` ASCII whitespace at either end.
    func trimmingGoSpace() -> String {
        let isSpace: (Character) -> Bool = { " \t\n\r\u{0B}\u{0C}".contains($0) }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
