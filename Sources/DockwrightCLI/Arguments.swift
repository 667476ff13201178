/// One command-line option: the table the parser reads and `--help` prints.
struct OptionSpec {
    /// Spellings, long first: `["--format", "-f"]`.
    let names: [String]
    /// The value's placeholder, or nil for a switch.
    let value: String?
    /// One line of help.
    let help: String
    /// The values a shell may complete (`--format`'s formats); empty for free text,
    /// and for `FILE`, `DIR` and `GLOB` placeholders, which complete paths.
    var choices: [String] = []

    var key: String { names[0] }
}

/// Parsed options: switch flags, values (repeatable options keep every value), and
/// the positional arguments.
struct ParsedArguments {
    var switches: Set<String> = []
    var values: [String: [String]] = [:]
    var positional: [String] = []

    func value(_ key: String) -> String? { values[key]?.last }
    func all(_ key: String) -> [String] { values[key] ?? [] }
    func has(_ key: String) -> Bool { switches.contains(key) }
}

/// A usage error, printed as one line and exit code 2.
struct UsageError: Error {
    let message: String
}

/// A small hand-written option parser: `--name value`, `--name=value`, `-x value`,
/// `--` ends options, `-` is a positional argument (standard input).
enum ArgumentParser {
    static func parse(_ arguments: [String], options: [OptionSpec], command: String) throws(UsageError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var onlyPositional = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositional || argument == "-" || !argument.hasPrefix("-") {
                parsed.positional.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositional = true
                continue
            }
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            guard let spec = options.first(where: { $0.names.contains(name) }) else {
                throw UsageError(message: "dockwright \(command): unknown option '\(name)'"
                    + Suggestion.didYouMean(name, among: options.flatMap(\.names)) + "; see 'dockwright \(command) --help'")
            }
            if spec.value == nil {
                guard inlineValue == nil else {
                    throw UsageError(message: "dockwright \(command): option '\(name)' takes no value")
                }
                parsed.switches.insert(spec.key)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else {
                guard index < arguments.count else {
                    throw UsageError(message: "dockwright \(command): option '\(name)' needs a value (\(spec.value ?? ""))")
                }
                value = arguments[index]
                index += 1
            }
            parsed.values[spec.key, default: []].append(value)
        }
        return parsed
    }

    /// The options section of `--help`, generated from the table.
    static func help(_ options: [OptionSpec]) -> String {
        table(options.map { spec -> (String, String) in
            let spelled = spec.names.reversed().joined(separator: ", ") + (spec.value.map { " " + $0 } ?? "")
            return (spelled, spec.help)
        })
    }

    /// Two aligned columns, indented by two spaces; a first column too wide for the
    /// page puts its text on the next line.
    static func table(_ rows: [(String, String)]) -> String {
        let widest = 40
        let width = Swift.min(widest, rows.map(\.0.count).filter { $0 <= widest }.max() ?? 0)
        return rows.map { row in
            guard row.0.count <= widest else {
                return "  " + row.0 + "\n" + String(repeating: " ", count: width + 4) + row.1
            }
            return "  " + row.0 + String(repeating: " ", count: width - row.0.count + 2) + row.1
        }.joined(separator: "\n")
    }

    /// A command's `--help`: its usage line, then its options.
    static func commandHelp(_ usage: String, _ options: [OptionSpec]) -> String {
        "Usage: dockwright \(usage)\n\nOptions:\n" + help(options) + "\n"
    }
}
