extension Configuration {
    /// Reads the keys hadolint users rely on from `.hadolint.yaml`: `ignored`,
    /// `override` (error/warning/info/style lists), `failure-threshold`,
    /// `trustedRegistries`, `no-fail`, `strict-labels`, `label-schema`.
    ///
    /// YAML is read through a small strict subset (block maps, block and flow
    /// lists, scalars, comments); anything else is an error naming its line, never
    /// silently dropped (hadolint discards the whole file on one bad value).
    public static func fromHadolintYAML(_ bytes: [UInt8], path: String) throws(ConfigurationError) -> Configuration {
        let entries = try YAMLSubset.parse(bytes, path: path)
        var configuration = Configuration()
        configuration.path = path
        for entry in entries {
            switch entry.key {
            case "ignored":
                configuration.ignore += try entry.list(path: path)
            case "override":
                for child in try entry.map(path: path) {
                    guard let severity = Severity(rawValue: child.key) else {
                        throw ConfigurationError(path: path, line: child.line,
                                                 message: "override level must be error, warning, info or style, not '\(child.key)'")
                    }
                    for code in try child.list(path: path) { configuration.severity[code] = severity }
                }
            case "failure-threshold":
                let level = try entry.scalar(path: path).lowercased()
                if level == "none" {
                    configuration.failLevelIsNone = true
                } else if let severity = Severity(rawValue: level) {
                    configuration.failLevel = severity
                } else {
                    throw ConfigurationError(path: path, line: entry.line,
                                             message: "failure-threshold must be error, warning, info, style or none")
                }
            case "no-fail":
                let value = try entry.scalar(path: path).lowercased()
                guard value == "true" || value == "false" else {
                    throw ConfigurationError(path: path, line: entry.line, message: "no-fail must be true or false")
                }
                if value == "true" { configuration.failLevelIsNone = true }
            case "trustedRegistries":
                // hadolint accepts one registry as a plain string, or a list.
                if case .scalar(let registry) = entry.value {
                    configuration.trustedRegistries += registry.isEmpty ? [] : [registry]
                } else {
                    configuration.trustedRegistries += try entry.list(path: path)
                }
            case "disable-ignore-pragma":
                configuration.disablesIgnorePragmas = try entry.boolean(path: path)
            case "format":
                configuration.outputFormat = try entry.scalar(path: path)
            case "no-color":
                configuration.disablesColor = try entry.boolean(path: path)
            case "verbose":
                // hadolint's progress logging; dockwright has none to turn on.
                continue
            case "strict-labels" where try !entry.boolean(path: path):
                // Asks for nothing, so nothing is lost.
                continue
            case "label-schema" where entry.isEmpty:
                continue
            case "strict-labels", "label-schema":
                // Never silently: a file relying on label checks must learn they do not run.
                throw ConfigurationError(
                    path: path, line: entry.line,
                    message: "'\(entry.key)' is not supported: dockwright has no label-schema rules (hadolint's "
                        + "DL3049-DL3058) yet; remove the key, or keep using hadolint for label checks")
            case "require-labels":
                throw ConfigurationError(
                    path: path, line: entry.line,
                    message: "'require-labels' is not a hadolint key; hadolint spells it 'label-schema', "
                        + "which dockwright does not support yet")
            default:
                throw ConfigurationError(path: path, line: entry.line, message: "unknown key '\(entry.key)'")
            }
        }
        return configuration
    }
}

/// A strict subset of YAML: enough for hadolint's configuration files.
enum YAMLSubset {
    /// A key with its value: a scalar, a list, or nested entries.
    struct Entry {
        enum Value {
            case scalar(String)
            case list([String])
            case map([Entry])
        }

        let key: String
        let value: Value
        let line: Int

        func list(path: String) throws(ConfigurationError) -> [String] {
            switch value {
            case .list(let items): return items
            case .scalar(let text) where text.isEmpty: return []
            default: throw ConfigurationError(path: path, line: line, message: "'\(key)' must be a list")
            }
        }

        func map(path: String) throws(ConfigurationError) -> [Entry] {
            if case .map(let entries) = value { return entries }
            throw ConfigurationError(path: path, line: line, message: "'\(key)' must be a mapping")
        }

        /// Whether the value is empty: an empty scalar, list or mapping.
        var isEmpty: Bool {
            switch value {
            case .scalar(let text): return text.isEmpty || text == "{}" || text == "[]"
            case .list(let items): return items.isEmpty
            case .map(let entries): return entries.isEmpty
            }
        }

        func boolean(path: String) throws(ConfigurationError) -> Bool {
            switch try scalar(path: path).lowercased() {
            case "true": return true
            case "false": return false
            default: throw ConfigurationError(path: path, line: line, message: "'\(key)' must be true or false")
            }
        }

        func scalar(path: String) throws(ConfigurationError) -> String {
            if case .scalar(let text) = value { return text }
            throw ConfigurationError(path: path, line: line, message: "'\(key)' must be a single value")
        }
    }

    private struct Line {
        let number: Int
        let indent: Int
        let text: String
    }

    static func parse(_ bytes: [UInt8], path: String) throws(ConfigurationError) -> [Entry] {
        var lines: [Line] = []
        for (index, raw) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let withoutComment = stripComment(String(raw))
            let trimmed = withoutComment.trimmingSpaces()
            if trimmed.isEmpty || trimmed == "---" { continue }
            if withoutComment.contains("\t") {
                throw ConfigurationError(path: path, line: index + 1, message: "tabs are not allowed for indentation in YAML")
            }
            let indent = withoutComment.prefix { $0 == " " }.count
            lines.append(Line(number: index + 1, indent: indent, text: trimmed))
        }
        var position = 0
        let entries = try parseMap(lines, &position, indent: lines.first?.indent ?? 0, path: path)
        if position < lines.count {
            throw ConfigurationError(path: path, line: lines[position].number, message: "unexpected indentation")
        }
        return entries
    }

    private static func parseMap(_ lines: [Line], _ position: inout Int, indent: Int, path: String) throws(ConfigurationError) -> [Entry] {
        var entries: [Entry] = []
        while position < lines.count && lines[position].indent == indent {
            let line = lines[position]
            guard let colon = line.text.firstIndex(of: ":"), !line.text.hasPrefix("-") else {
                throw ConfigurationError(path: path, line: line.number, message: "expected 'key: value', found '\(line.text)'")
            }
            let key = unquote(String(line.text[..<colon]).trimmingSpaces())
            let rest = String(line.text[line.text.index(after: colon)...]).trimmingSpaces()
            position += 1
            if !rest.isEmpty {
                if rest.hasPrefix("[") {
                    guard rest.hasSuffix("]") else {
                        throw ConfigurationError(path: path, line: line.number, message: "unterminated list")
                    }
                    let items = rest.dropFirst().dropLast().split(separator: ",").map { unquote(String($0).trimmingSpaces()) }
                    entries.append(Entry(key: key, value: .list(items.filter { !$0.isEmpty }), line: line.number))
                } else if rest.hasPrefix("{") || rest.hasPrefix("&") || rest.hasPrefix("*") || rest.hasPrefix("|") || rest.hasPrefix(">") {
                    throw ConfigurationError(path: path, line: line.number, message: "this YAML form is not supported; use a block list or map")
                } else {
                    entries.append(Entry(key: key, value: .scalar(unquote(rest)), line: line.number))
                }
                continue
            }
            guard position < lines.count, lines[position].indent > indent || lines[position].text.hasPrefix("- ") || lines[position].text == "-" else {
                entries.append(Entry(key: key, value: .scalar(""), line: line.number))
                continue
            }
            let childIndent = lines[position].indent
            if lines[position].text.hasPrefix("-") {
                var items: [String] = []
                while position < lines.count && lines[position].indent == childIndent && lines[position].text.hasPrefix("-") {
                    items.append(unquote(String(lines[position].text.dropFirst()).trimmingSpaces()))
                    position += 1
                }
                entries.append(Entry(key: key, value: .list(items), line: line.number))
            } else {
                let children = try parseMap(lines, &position, indent: childIndent, path: path)
                entries.append(Entry(key: key, value: .map(children), line: line.number))
            }
        }
        return entries
    }

    private static func stripComment(_ line: String) -> String {
        var inSingle = false
        var inDouble = false
        var previous: Character = " "
        for (offset, character) in line.enumerated() {
            if character == "'" && !inDouble { inSingle.toggle() }
            if character == "\"" && !inSingle { inDouble.toggle() }
            if character == "#" && !inSingle && !inDouble && (previous == " " || offset == 0) {
                return String(line.prefix(offset))
            }
            previous = character
        }
        return line
    }

    private static func unquote(_ text: String) -> String {
        if text.count >= 2, let first = text.first, first == text.last, first == "\"" || first == "'" {
            return String(text.dropFirst().dropLast())
        }
        return text
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and carriage returns.
    public func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" || first == "\r" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice = slice.dropLast() }
        return String(slice)
    }
}
