import DockwrightCore
import DockwrightRules
import DockwrightSyntax
import Testing

/// Every rule's examples are its tests: findings exactly at the `↓` markers,
/// none on the good examples, and fixes that turn `before` into `after`.
@Suite struct RuleExamplesTests {
    @Test(arguments: RuleCase.all)
    func triggeringExamplesReportAtTheirMarkers(_ rule: RuleCase) {
        for example in rule.description.triggering {
            let (code, markers) = example.strippedCodeAndMarkers
            let at = location(file: example.file, line: example.line)
            #expect(!markers.isEmpty, "a triggering example needs a ↓ marker", sourceLocation: at)
            let syntax = DockerfileSyntax.parse(code)
            #expect(!syntax.hasParserErrors, "example must parse: \(syntax.errors)", sourceLocation: at)
            let starts = rule.diagnostics(code, context: example.buildContext).map(\.range.start)
            #expect(starts == markers, "findings start at \(starts), markers at \(markers)", sourceLocation: at)
        }
    }

    @Test(arguments: RuleCase.all)
    func nonTriggeringExamplesReportNothingAndNeverChange(_ rule: RuleCase) {
        for example in rule.description.nonTriggering {
            let at = location(file: example.file, line: example.line)
            let code = example.strippedCodeAndMarkers.code
            #expect(!DockerfileSyntax.parse(code).hasParserErrors, sourceLocation: at)
            let context = example.buildContext
            let found = rule.diagnostics(code, context: context)
            #expect(found.isEmpty, "\(found.map(\.message))", sourceLocation: at)
            #expect(rule.fixed(code, level: .unsafe, context: context) == code, sourceLocation: at)
        }
    }

    @Test(arguments: RuleCase.all)
    func variantsKeepTheFindings(_ rule: RuleCase) {
        for example in rule.description.triggering {
            let at = location(file: example.file, line: example.line)
            let (code, markers) = example.strippedCodeAndMarkers
            // A leading comment with multibyte characters shifts every offset.
            let prefix = "# ünïcödé ✓ comment\n"
            let context = example.buildContext
            let shifted = rule.diagnostics(prefix + code, context: context).map(\.range.start)
            #expect(shifted == markers.map { $0 + prefix.utf8.count }, "multibyte prefix", sourceLocation: at)
            // CRLF line ends: the same number of findings.
            let crlf = code.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
            #expect(rule.diagnostics(crlf, context: context).count == markers.count, "CRLF", sourceLocation: at)
            // A pragma above each offending instruction silences it and its fix.
            let ignored = insertingPragmas(into: code, at: markers, code: rule.description.code)
            #expect(rule.diagnostics(ignored, context: context).isEmpty, "ignore pragma", sourceLocation: at)
            #expect(rule.fixed(ignored, level: .unsafe, context: context) == ignored, "ignore pragma stops the fix", sourceLocation: at)
        }
    }

    @Test(arguments: RuleCase.all)
    func fixExamplesProduceTheirOutput(_ rule: RuleCase) {
        for example in rule.description.fixes {
            let at = location(file: example.file, line: example.line)
            let context = example.buildContext
            #expect(rule.fixed(example.before, level: example.applicability, context: context) == example.after, sourceLocation: at)
            if example.applicability == .unsafe {
                #expect(rule.fixed(example.before, level: .safe, context: context) == example.before, "needs --unsafe", sourceLocation: at)
                #expect(rule.fileEdits(example.before, level: .safe, context: context).isEmpty, "needs --unsafe", sourceLocation: at)
            }
            // A fix that writes the ignore file: the text it leaves, and nothing more to do with it.
            let fileEdits = rule.fileEdits(example.before, level: example.applicability, context: context)
            var ignore = example.dockerignore
            for edit in fileEdits { ignore = edit.applied(to: ignore) }
            #expect(ignore == (example.dockerignoreAfter ?? example.dockerignore), "the ignore file it writes", sourceLocation: at)
            let remainingAfter = rule.diagnostics(example.after, context: example.buildContextAfter).compactMap(\.fix)
            #expect(remainingAfter.allSatisfy { $0.applicability < example.applicability }, "fixed with its files", sourceLocation: at)
            #expect(rule.fixed(example.after, level: .unsafe) == example.after, "fixing twice changes nothing", sourceLocation: at)
            let remaining = rule.diagnostics(example.after).compactMap(\.fix).filter { $0.applicability >= example.applicability }
            #expect(remaining.isEmpty, "the output still offers a fix", sourceLocation: at)
            #expect(!DockerfileSyntax.parse(example.after).hasParserErrors, sourceLocation: at)
        }
    }

    @Test(arguments: RuleCase.all)
    func fixMetadataMatchesBehaviour(_ rule: RuleCase) {
        let description = rule.description
        for example in description.triggering {
            let code = example.strippedCodeAndMarkers.code
            for diagnostic in rule.diagnostics(code, context: example.buildContext) {
                let at = location(file: example.file, line: example.line)
                switch description.fixAvailability {
                case .none: #expect(diagnostic.fix == nil, "declared without fixes", sourceLocation: at)
                case .always: #expect(diagnostic.fix != nil, "declared to always fix", sourceLocation: at)
                case .sometimes: break
                }
                if let fix = diagnostic.fix { #expect(!fix.title.isEmpty, sourceLocation: at) }
            }
        }
        // The fix loop runs a rule on the passes it applies fixes from only when its fix
        // examples show a fix that safe: no fix of the rule may be safer.
        let greatest = description.fixes.map(\.applicability).max()
        let examples = description.triggering.map { ($0.strippedCodeAndMarkers.code, $0.buildContext, $0.file, $0.line) }
            + description.fixes.map { ($0.before, $0.buildContext, $0.file, $0.line) }
        for (code, buildContext, file, line) in examples {
            for fix in rule.diagnostics(code, context: buildContext).compactMap(\.fix) {
                let at = location(file: file, line: line)
                #expect(greatest.map { fix.applicability <= $0 } ?? false, "a fix safer than its examples show", sourceLocation: at)
            }
        }
    }

    /// Puts `# dockwright ignore=CODE` on the line above each marked line.
    private func insertingPragmas(into code: String, at markers: [Int], code ruleCode: String) -> String {
        let bytes = Array(code.utf8)
        var lineStarts: Set<Int> = []
        // The pragma goes above the instruction holding the marker, which may sit on a
        // continuation line or in a heredoc body.
        let instructions = DockerfileSyntax.parse(code).instructions
        for marker in markers {
            var start = instructions.first { $0.range.start <= marker && marker < $0.range.end }?.range.start ?? marker
            while start > 0 && bytes[start - 1] != UInt8(ascii: "\n") { start -= 1 }
            lineStarts.insert(start)
        }
        var output: [UInt8] = []
        for (offset, byte) in bytes.enumerated() {
            if lineStarts.contains(offset) { output += Array("# dockwright ignore=\(ruleCode)\n".utf8) }
            output.append(byte)
        }
        return String(decoding: output, as: UTF8.self)
    }
}
