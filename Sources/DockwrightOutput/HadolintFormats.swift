import DockwrightCore

/// hadolint's own report shapes (hadolint 2.x `src/Hadolint/Formatter/`), so a CI job
/// or dashboard set up for hadolint reads dockwright's report unchanged. Where
/// hadolint knows only a line, these carry the same fields; where a field is free
/// (GitLab's fingerprint, SonarQube's columns), they carry dockwright's better value.
enum HadolintFormats {
    private static let string = MachineFormats.string

    /// hadolint's words for the four severities.
    private static func word(_ severity: Severity) -> String { severity.rawValue }

    /// `FILE:LINE CODE SEVERITY: MESSAGE`, hadolint's `tty` format; the severity is
    /// coloured as hadolint colours it (error bold red, warning bold yellow, info
    /// green, style cyan).
    static func tty(_ result: LintResult, usesColor: Bool) -> String {
        result.diagnostics.lazy.map { diagnostic in
            var severity = word(diagnostic.severity)
            if usesColor {
                let color: String
                switch diagnostic.severity {
                case .error: color = "1;31"
                case .warning: color = "1;33"
                case .info: color = "32"
                case .style: color = "36"
                }
                severity = "\u{1B}[\(color)m\(severity)\u{1B}[0m"
            }
            return "\(diagnostic.path):\(diagnostic.start.line) \(diagnostic.code) \(severity): \(diagnostic.message)\n"
        }.joined()
    }

    /// Code Climate issues: hadolint's `codeclimate` writes each followed by a NUL byte
    /// (the Code Climate engine protocol); `gitlab_codeclimate` is a JSON array of the
    /// same issues with a `fingerprint`, here the stable one GitLab matches across runs.
    static func codeClimateObjects(_ result: LintResult, withFingerprints: Bool = false) -> some Sequence<String> {
        let fingerprints = withFingerprints ? Fingerprint.all(result) : []
        return result.diagnostics.enumerated().lazy.map { offset, diagnostic in
            let severity: String
            switch diagnostic.severity {
            case .error: severity = "blocker"
            case .warning: severity = "major"
            case .info: severity = "info"
            case .style: severity = "minor"
            }
            let fingerprint = withFingerprints ? "\"fingerprint\": \(string(fingerprints[offset])), " : ""
            return "{\"type\": \"issue\", \(fingerprint)\"check_name\": \(string(diagnostic.code)), "
                + "\"description\": \(string(diagnostic.message)), \"categories\": [\"Bug Risk\"], "
                + "\"location\": {\"path\": \(string(diagnostic.path)), "
                + "\"lines\": {\"begin\": \(diagnostic.start.line), \"end\": \(diagnostic.end.line)}}, "
                + "\"severity\": \(string(severity))}"
        }
    }

    /// SonarQube's generic issue format (`{"issues": [...]}`); columns are 0-based
    /// there, and dockwright knows them where hadolint writes 0 and 1.
    static func sonarQubeObjects(_ result: LintResult) -> some Sequence<String> {
        result.diagnostics.lazy.map { diagnostic in
            let severity: String
            switch diagnostic.severity {
            case .error: severity = "CRITICAL"
            case .warning: severity = "MAJOR"
            case .info: severity = "MINOR"
            case .style: severity = "INFO"
            }
            let isSingleEmptySpan = diagnostic.start.line == diagnostic.end.line && diagnostic.end.column <= diagnostic.start.column
            let endColumn = isSingleEmptySpan ? diagnostic.start.column : diagnostic.end.column - 1
            return "{\"engineId\": \"dockwright\", \"ruleId\": \(string(diagnostic.code)), \"severity\": \(string(severity)), "
                + "\"type\": \(string(diagnostic.severity == .error ? "BUG" : "CODE_SMELL")), "
                + "\"primaryLocation\": {\"message\": \(string(diagnostic.message)), \"filePath\": \(string(diagnostic.path)), "
                + "\"textRange\": {\"startLine\": \(diagnostic.start.line), \"endLine\": \(diagnostic.end.line), "
                + "\"startColumn\": \(diagnostic.start.column - 1), \"endColumn\": \(endColumn)}}}"
        }
    }

    /// Codacy's tool result lines: one JSON object per finding and line.
    static func codacyObjects(_ result: LintResult) -> [String] {
        result.diagnostics.map { diagnostic in
            "{\"filename\": \(string(diagnostic.path)), \"patternId\": \(string(diagnostic.code)), "
                + "\"message\": \(string(diagnostic.message)), \"line\": \(diagnostic.start.line)}"
        }
    }
}
