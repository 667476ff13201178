import DockwrightCore
import DockwrightSyntax

/// The formats CI systems read. Each is documented in ../shared/design/ecosystem.md.
enum MachineFormats {
    // MARK: - JSON (hadolint's array, extended)

    /// hadolint's `--format json` array (`file line column code level message`), so
    /// editor plug-ins built for hadolint keep working, plus end positions, the
    /// rule name, its documentation and the fix.
    static func json(_ results: [LintResult]) -> String {
        let objects = results.flatMap(\.diagnostics).map { diagnostic -> String in
            var fields = [
                "\"file\": \(string(diagnostic.path))",
                "\"line\": \(diagnostic.start.line)",
                "\"column\": \(diagnostic.start.column)",
                "\"endLine\": \(diagnostic.end.line)",
                "\"endColumn\": \(diagnostic.end.column)",
                "\"code\": \(string(diagnostic.code))",
                "\"name\": \(string(diagnostic.name))",
                "\"level\": \(string(diagnostic.severity.rawValue))",
                "\"message\": \(string(diagnostic.message))",
                "\"url\": \(string(diagnostic.url))",
            ]
            if let fix = diagnostic.fix {
                let edits = fix.edits.map { edit in
                    "{\"start\": \(edit.range.start), \"end\": \(edit.range.end), \"content\": \(string(edit.replacement))}"
                }
                fields.append("\"fix\": {\"title\": \(string(fix.title)), \"applicability\": \(string(fix.applicability.rawValue)), "
                    + "\"edits\": [\(edits.joined(separator: ", "))]}")
            } else {
                fields.append("\"fix\": null")
            }
            return "{" + fields.joined(separator: ", ") + "}"
        }
        return "[" + objects.joined(separator: ",\n ") + "]\n"
    }

    // MARK: - SARIF 2.1.0

    static func sarif(_ results: [LintResult], rules: [any Rule.Type]) -> String {
        let diagnostics = results.flatMap(\.diagnostics)
        var ruleIndex: [String: Int] = [:]
        var ruleObjects: [String] = []
        for rule in rules {
            let description = rule.description
            ruleIndex[description.code] = ruleObjects.count
            ruleObjects.append("""
                {"id": \(string(description.code)), "name": \(string(description.name)), \
                "shortDescription": {"text": \(string(description.summary))}, \
                "fullDescription": {"text": \(string(description.summary))}, \
                "helpUri": \(string(description.url)), \
                "help": {"text": \(string(description.summary)), "markdown": \(string(description.rationale))}, \
                "defaultConfiguration": {"level": \(string(sarifLevel(description.severity)))}, \
                "properties": {"category": \(string(description.category.title)), "tags": [\(string(description.category.title))]}}
                """)
        }
        let fingerprints = Fingerprint.all(results)
        let resultObjects = diagnostics.enumerated().map { offset, diagnostic -> String in
            let index = ruleIndex[diagnostic.code].map { ", \"ruleIndex\": \($0)" } ?? ""
            let fingerprint = fingerprints[offset]
            return """
                {"ruleId": \(string(diagnostic.code))\(index), "level": \(string(sarifLevel(diagnostic.severity))), \
                "message": {"text": \(string(diagnostic.message))}, \
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": \(string(uri(diagnostic.path)))}, \
                "region": {"startLine": \(diagnostic.start.line), "startColumn": \(diagnostic.start.column), \
                "endLine": \(diagnostic.end.line), "endColumn": \(diagnostic.end.column)}}}], \
                "partialFingerprints": {"primaryLocationLineHash": \(string(fingerprint))}}
                """
        }
        return """
            {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [{"tool": {"driver": \
            {"name": "dockwright", "informationUri": "https://github.com/dockwright/dockwright", \
            "rules": [\(ruleObjects.joined(separator: ", "))]}}, "results": [\(resultObjects.joined(separator: ", "))]}]}

            """
    }

    private static func sarifLevel(_ severity: Severity) -> String {
        switch severity {
        case .error: return "error"
        case .warning: return "warning"
        case .info, .style: return "note"
        }
    }

    /// A relative path as a URI reference (SARIF wants forward slashes, no `./`).
    private static func uri(_ path: String) -> String {
        path.hasPrefix("./") ? String(path.dropFirst(2)) : path
    }

    // MARK: - Checkstyle

    static func checkstyle(_ results: [LintResult]) -> String {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n"
        for result in results {
            text += "  <file name=\"\(xml(result.syntax.source.path))\">\n"
            for diagnostic in result.diagnostics {
                let severity = diagnostic.severity == .style ? "info" : diagnostic.severity.rawValue
                text += "    <error line=\"\(diagnostic.start.line)\" column=\"\(diagnostic.start.column)\" severity=\"\(severity)\" "
                    + "message=\"\(xml(diagnostic.message))\" source=\"dockwright.\(xml(diagnostic.code))\"/>\n"
            }
            text += "  </file>\n"
        }
        return text + "</checkstyle>\n"
    }

    // MARK: - GNU and GitHub

    /// `file:line.column-endLine.endColumn: severity: message [CODE]`, the GNU error format.
    static func gnu(_ results: [LintResult]) -> String {
        results.flatMap(\.diagnostics).map { diagnostic in
            "\(diagnostic.path):\(diagnostic.start.line).\(diagnostic.start.column)-\(diagnostic.end.line).\(diagnostic.end.column): "
                + "\(diagnostic.severity == .error ? "error" : "warning"): \(diagnostic.message) [\(diagnostic.code)]\n"
        }.joined()
    }

    /// GitHub Actions workflow commands, which annotate the pull request.
    static func github(_ results: [LintResult]) -> String {
        results.flatMap(\.diagnostics).map { diagnostic in
            let command: String
            switch diagnostic.severity {
            case .error: command = "error"
            case .warning: command = "warning"
            case .info, .style: command = "notice"
            }
            return "::\(command) file=\(githubProperty(diagnostic.path)),line=\(diagnostic.start.line),"
                + "col=\(diagnostic.start.column),endLine=\(diagnostic.end.line),endColumn=\(diagnostic.end.column),"
                + "title=\(githubProperty(diagnostic.code + " " + diagnostic.name))::\(githubMessage(diagnostic.message))\n"
        }.joined()
    }

    private static func githubMessage(_ text: String) -> String {
        var output = ""
        for character in text {
            switch character {
            case "%": output += "%25"
            case "\r": output += "%0D"
            case "\n": output += "%0A"
            default: output.append(character)
            }
        }
        return output
    }

    private static func githubProperty(_ text: String) -> String {
        var output = ""
        for character in githubMessage(text) {
            switch character {
            case ":": output += "%3A"
            case ",": output += "%2C"
            default: output.append(character)
            }
        }
        return output
    }

    // MARK: - GitLab Code Quality

    static func gitlab(_ results: [LintResult]) -> String {
        let fingerprints = Fingerprint.all(results)
        let objects = results.flatMap(\.diagnostics).enumerated().map { offset, diagnostic -> String in
            let severity: String
            switch diagnostic.severity {
            case .error: severity = "critical"
            case .warning: severity = "major"
            case .info: severity = "minor"
            case .style: severity = "info"
            }
            return "{\"description\": \(string(diagnostic.code + ": " + diagnostic.message)), "
                + "\"check_name\": \(string(diagnostic.code)), \"fingerprint\": \(string(fingerprints[offset])), "
                + "\"severity\": \(string(severity)), \"location\": {\"path\": \(string(uri(diagnostic.path))), "
                + "\"lines\": {\"begin\": \(diagnostic.start.line), \"end\": \(diagnostic.end.line)}}}"
        }
        return "[" + objects.joined(separator: ",\n ") + "]\n"
    }

    // MARK: - JUnit

    /// One test suite per file, one failing test case per finding (a passing case
    /// for a clean file), as JUnit readers in CI expect.
    static func junit(_ results: [LintResult]) -> String {
        let total = results.reduce(0) { $0 + Swift.max(1, $1.diagnostics.count) }
        let failures = results.reduce(0) { $0 + $1.diagnostics.count }
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"dockwright\" tests=\"\(total)\" failures=\"\(failures)\">\n"
        for result in results {
            let path = xml(result.syntax.source.path)
            let count = result.diagnostics.count
            text += "  <testsuite name=\"\(path)\" tests=\"\(Swift.max(1, count))\" failures=\"\(count)\">\n"
            if result.diagnostics.isEmpty {
                text += "    <testcase classname=\"\(path)\" name=\"dockwright\"/>\n"
            }
            for diagnostic in result.diagnostics {
                let name = xml("\(diagnostic.code) at line \(diagnostic.start.line), column \(diagnostic.start.column)")
                text += "    <testcase classname=\"\(path)\" name=\"\(name)\">\n"
                    + "      <failure type=\"\(diagnostic.severity.rawValue)\" message=\"\(xml(diagnostic.message))\">"
                    + "\(xml("\(diagnostic.path):\(diagnostic.start.line):\(diagnostic.start.column): \(diagnostic.message)"))</failure>\n"
                    + "    </testcase>\n"
            }
            text += "  </testsuite>\n"
        }
        return text + "</testsuites>\n"
    }

    // MARK: - Escaping

    static func string(_ text: String) -> String {
        BuildKitDump.jsonString(text)
    }

    static func xml(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\n": output += "&#10;"
            case "\t", "\r": output += "&#\(scalar.value);"
            default:
                // XML 1.0 forbids other control characters; drop them rather than write an invalid file.
                if scalar.value >= 0x20 { output.unicodeScalars.append(scalar) }
            }
        }
        return output
    }
}

/// Stable fingerprints: a finding keeps its fingerprint when lines are added or
/// removed elsewhere (GitLab and GitHub match findings across runs by it).
enum Fingerprint {
    /// One fingerprint per diagnostic, in the order of `results.flatMap(\.diagnostics)`:
    /// FNV-1a over the code, the path and the trimmed text of the finding's first
    /// line, plus the number of earlier identical findings, so twins differ.
    static func all(_ results: [LintResult]) -> [String] {
        var fingerprints: [String] = []
        for result in results {
            var seen: [String: Int] = [:]
            let source = result.syntax.source
            for diagnostic in result.diagnostics {
                let key = diagnostic.code + "\u{0}" + diagnostic.path + "\u{0}" + lineText(diagnostic.start.line, in: source)
                let occurrence = seen[key, default: 0]
                seen[key] = occurrence + 1
                fingerprints.append(hash(key + "\u{0}\(occurrence)"))
            }
        }
        return fingerprints
    }

    private static func lineText(_ line: Int, in source: SourceFile) -> String {
        let starts = source.lineIndex.lineStarts
        guard line >= 1, line <= starts.count else { return "" }
        let end = line < starts.count ? starts[line] : source.bytes.count
        return String(decoding: source.bytes[starts[line - 1]..<end], as: UTF8.self)
            .trimmingCharacters(in: [" ", "\t", "\r", "\n"])
    }

    private static func hash(_ text: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

private extension String {
    func trimmingCharacters(in set: Set<Character>) -> String {
        guard let first = firstIndex(where: { !set.contains($0) }), let last = lastIndex(where: { !set.contains($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
