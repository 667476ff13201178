import DockwrightCore
import DockwrightSyntax

/// The formats CI systems read. Each is documented in ../shared/design/ecosystem.md.
enum MachineFormats {
    // MARK: - JSON (hadolint's array, extended)

    /// hadolint's `--format json` array (`file line column code level message`), so
    /// editor plug-ins built for hadolint keep working, plus end positions, the
    /// rule name, its documentation and the fix: one object per finding of a file.
    ///
    /// The objects come joined by `separator`, appended as UTF-8 bytes into a buffer,
    /// quoted strings in place, and made Strings a chunk at a time: a report has a line
    /// per finding, and a String per object, joined through a lazy sequence, cost as
    /// much again as writing the objects.
    static func jsonElements(_ result: LintResult, separator: String) -> String {
        // Written in chunks of at most about 64 KiB, each made a String and appended:
        // the report is held once, as the joined Strings were, never beside a byte copy
        // of itself.
        let chunkSize = 1 << 16
        var text = ""
        var chunk: [UInt8] = []
        chunk.reserveCapacity(Swift.min(chunkSize, result.diagnostics.count * 512))
        for (index, diagnostic) in result.diagnostics.enumerated() {
            if index > 0 { chunk.append(contentsOf: separator.utf8) }
            appendJSONObject(diagnostic, to: &chunk)
            if chunk.count >= chunkSize {
                text += String(decoding: chunk, as: UTF8.self)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        let last = String(decoding: chunk, as: UTF8.self)
        if text.isEmpty { return last }
        text += last
        return text
    }

    private static func appendJSONObject(_ diagnostic: Diagnostic, to object: inout [UInt8]) {
        let start = diagnostic.start
        let end = diagnostic.end
        append("{\"file\": ", to: &object)
        appendString(diagnostic.path, to: &object)
        append(", \"line\": ", to: &object)
        appendDecimal(start.line, to: &object)
        append(", \"column\": ", to: &object)
        appendDecimal(start.column, to: &object)
        append(", \"endLine\": ", to: &object)
        appendDecimal(end.line, to: &object)
        append(", \"endColumn\": ", to: &object)
        appendDecimal(end.column, to: &object)
        append(", \"code\": ", to: &object)
        appendString(diagnostic.code, to: &object)
        append(", \"name\": ", to: &object)
        appendString(diagnostic.name, to: &object)
        append(", \"level\": ", to: &object)
        appendString(diagnostic.severity.rawValue, to: &object)
        append(", \"message\": ", to: &object)
        appendString(diagnostic.message, to: &object)
        append(", \"url\": ", to: &object)
        appendString(diagnostic.url, to: &object)
        if let fix = diagnostic.fix {
            append(", \"fix\": {\"title\": ", to: &object)
            appendString(fix.title, to: &object)
            append(", \"applicability\": ", to: &object)
            appendString(fix.applicability.rawValue, to: &object)
            append(", \"edits\": [", to: &object)
            for (index, edit) in fix.edits.enumerated() {
                if index > 0 { append(", ", to: &object) }
                append("{\"start\": ", to: &object)
                appendDecimal(edit.range.start, to: &object)
                append(", \"end\": ", to: &object)
                appendDecimal(edit.range.end, to: &object)
                append(", \"content\": ", to: &object)
                appendString(edit.replacement, to: &object)
                append("}", to: &object)
            }
            append("]}}", to: &object)
        } else {
            append(", \"fix\": null}", to: &object)
        }
    }

    /// What goes between two objects of a JSON array report.
    static let arraySeparator = ",\n "

    // MARK: - SARIF 2.1.0

    /// The SARIF document up to the opening of its results array, with the rule table.
    static func sarifHeader(rules: [any Rule.Type]) -> String {
        var ruleObjects: [String] = []
        for rule in rules {
            let description = rule.description
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
        return """
            {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [{"tool": {"driver": \
            {"name": \(string(ToolInfo.name)), "version": \(string(ToolInfo.version)), \
            "semanticVersion": \(string(ToolInfo.version)), "informationUri": \(string(ToolInfo.informationURI)), \
            "rules": [\(ruleObjects.joined(separator: ", "))]}}, "results": [
            """
    }

    /// Where each rule sits in the SARIF rule table, for results' `ruleIndex`.
    static func sarifRuleIndices(rules: [any Rule.Type]) -> [String: Int] {
        var indices: [String: Int] = [:]
        for (index, rule) in rules.enumerated() { indices[rule.description.code] = index }
        return indices
    }

    /// The SARIF result objects of one file's findings.
    static func sarifResults(_ result: LintResult, ruleIndices: [String: Int]) -> some Sequence<String> {
        let fingerprints = Fingerprint.all(result)
        return result.diagnostics.enumerated().lazy.map { offset, diagnostic -> String in
            let index = ruleIndices[diagnostic.code].map { ", \"ruleIndex\": \($0)" } ?? ""
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
    }

    /// What closes the SARIF document after its last result.
    static let sarifFooter = "]}]}\n"

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

    static let checkstyleHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n"
    static let checkstyleFooter = "</checkstyle>\n"

    /// One file's `<file>` element.
    static func checkstyle(_ result: LintResult) -> String {
        var text = "  <file name=\"\(xml(result.syntax.source.path))\">\n"
        for diagnostic in result.diagnostics {
            let severity = diagnostic.severity == .style ? "info" : diagnostic.severity.rawValue
            text += "    <error line=\"\(diagnostic.start.line)\" column=\"\(diagnostic.start.column)\" severity=\"\(severity)\" "
                + "message=\"\(xml(diagnostic.message))\" source=\"dockwright.\(xml(diagnostic.code))\"/>\n"
        }
        return text + "  </file>\n"
    }

    // MARK: - GNU and GitHub

    /// `file:line.column-endLine.endColumn: severity: message [CODE]`, the GNU error
    /// format; its three severities are `error`, `warning` and `note`, so info and style
    /// findings are notes (editors show them as hints, not as warnings).
    static func gnu(_ result: LintResult) -> String {
        // Lazily: a file's lines are joined as they are made, never held twice.
        result.diagnostics.lazy.map { diagnostic in
            let severity: String
            switch diagnostic.severity {
            case .error: severity = "error"
            case .warning: severity = "warning"
            case .info, .style: severity = "note"
            }
            // One finding per line: control characters in the path or message are escaped.
            return "\(TerminalText.escaped(diagnostic.path)):\(diagnostic.start.line).\(diagnostic.start.column)-"
                + "\(diagnostic.end.line).\(diagnostic.end.column): "
                + "\(severity): \(TerminalText.escaped(diagnostic.message)) [\(diagnostic.code)]\n"
        }.joined()
    }

    /// GitHub Actions workflow commands, which annotate the pull request.
    static func github(_ result: LintResult) -> String {
        result.diagnostics.lazy.map { diagnostic in
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

    /// GitLab Code Quality objects, one per finding of a file.
    static func gitlabObjects(_ result: LintResult) -> some Sequence<String> {
        let fingerprints = Fingerprint.all(result)
        return result.diagnostics.enumerated().lazy.map { offset, diagnostic -> String in
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
    }

    // MARK: - JUnit

    /// One test suite per file, one failing test case per finding (a passing case
    /// for a clean file), as JUnit readers in CI expect.
    static func junitSuite(_ result: LintResult) -> String {
        let path = xml(result.syntax.source.path)
        let count = result.diagnostics.count
        var text = "  <testsuite name=\"\(path)\" tests=\"\(Swift.max(1, count))\" failures=\"\(count)\">\n"
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
        return text + "  </testsuite>\n"
    }

    /// The JUnit document's opening, which carries the totals over all files.
    static func junitHeader(tests: Int, failures: Int) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"dockwright\" tests=\"\(tests)\" failures=\"\(failures)\">\n"
    }

    static let junitFooter = "</testsuites>\n"

    // MARK: - Escaping

    static func string(_ text: String) -> String {
        BuildKitDump.jsonString(text)
    }

    /// Appends `text` as a JSON string: in place when nothing in it needs an escape
    /// (the common case), else ``string(_:)``'s escaped form.
    static func appendString(_ text: String, to output: inout [UInt8]) {
        var text = text
        // Copied from the contiguous bytes in one go: appending the UTF-8 view went
        // through the generic sequence path.
        let isPlain = text.withUTF8 { bytes in
            let isPlain = !bytes.contains { byte in
                byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
            }
            if isPlain {
                output.append(UInt8(ascii: "\""))
                output.append(contentsOf: bytes)
                output.append(UInt8(ascii: "\""))
            }
            return isPlain
        }
        if !isPlain { output.append(contentsOf: string(text).utf8) }
    }

    private static func append(_ text: StaticString, to output: inout [UInt8]) {
        text.withUTF8Buffer { output.append(contentsOf: $0) }
    }

    /// Appends `value` in decimal, as `"\(value)"` spells it.
    private static func appendDecimal(_ value: Int, to output: inout [UInt8]) {
        guard value > 0 else {
            output.append(contentsOf: String(value).utf8)
            return
        }
        // The digits come out last first: written so, then swapped into order by index
        // (reversing a slice of the array copied the whole buffer).
        var low = output.count
        var rest = value
        while rest > 0 {
            output.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        }
        var high = output.count - 1
        while low < high {
            output.swapAt(low, high)
            low += 1
            high -= 1
        }
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
    /// One fingerprint per diagnostic of a file, in order: FNV-1a over the code, the
    /// path and the trimmed text of the finding's first line, plus the number of
    /// earlier identical findings, so twins differ.
    static func all(_ result: LintResult) -> [String] {
        var fingerprints: [String] = []
        var seen: [String: Int] = [:]
        let source = result.syntax.source
        for diagnostic in result.diagnostics {
            let key = diagnostic.code + "\u{0}" + diagnostic.path + "\u{0}" + lineText(diagnostic.start.line, in: source)
            let occurrence = seen[key, default: 0]
            seen[key] = occurrence + 1
            fingerprints.append(hash(key + "\u{0}\(occurrence)"))
        }
        return fingerprints
    }

    private static func lineText(_ line: Int, in source: SourceFile) -> String {
        let lines = source.lineIndex
        guard line >= 1, line <= lines.lineCount else { return "" }
        let end = line < lines.lineCount ? lines.start(ofLine: line) : source.bytes.count
        return String(decoding: source.bytes[lines.start(ofLine: line - 1)..<end], as: UTF8.self)
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
