@testable import DockwrightCLI
import DockwrightCore
import DockwrightOutput
import DockwrightRules
import DockwrightSyntax
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Every format is decoded back and checked for the fields its consumers require.
@Suite struct OutputFormatTests {
    private let dockerfile = "FROM alpine:3.20\nADD app.py /app/\nADD run.sh /app/\n"

    private func lint(_ arguments: [String]) -> RunResult {
        runTool(["lint"] + arguments + ["--stdin-filename", "svc/Dockerfile", "-"], standardInput: dockerfile)
    }

    /// A file with more findings than the report renders at once is written a slice at a
    /// time, in the formats that allow it; the report is the one rendered whole.
    @Test(arguments: OutputFormat.allCases)
    func aFileOfManyFindingsReportsAsIfRenderedWhole(format: OutputFormat) throws {
        let text = "FROM alpine:3.20\n" + String(repeating: "ADD a /b\n", count: LintCommand.sliceSize + 905)
        let file = ScratchFolder.root.appendingPathComponent("dockwright-slices-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = runTool(["lint", "--isolated", "--select", "DL3020", "--format", format.rawValue, "--no-color", file.path])
        let whole = Linter(rules: [PreferCopyOverAddRule()]).lint(SourceFile(path: file.path, text: text))
        #expect(whole.diagnostics.count == LintCommand.sliceSize + 905)
        let expected = format.render([whole], rules: BuiltinRules.all)
        #expect(result.standardOutput == expected)
    }

    @Test func jsonKeepsHadolintsFieldsAndAddsFixes() throws {
        let result = lint(["-f", "json"])
        let array = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]])
        #expect(array.count == 2)
        let first = array[0]
        for key in ["file", "line", "column", "code", "level", "message", "endLine", "endColumn", "name", "url", "fix"] {
            #expect(first[key] != nil, "missing \(key)")
        }
        #expect(first["file"] as? String == "svc/Dockerfile")
        #expect(first["line"] as? Int == 2)
        #expect(first["level"] as? String == "error")
        let fix = try #require(first["fix"] as? [String: Any])
        #expect(fix["applicability"] as? String == "safe")
        #expect((fix["edits"] as? [[String: Any]])?.first?["content"] as? String == "COPY")
    }

    @Test func sarifHasTheStructureCodeScanningNeeds() throws {
        let result = lint(["--format", "sarif"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(root["version"] as? String == "2.1.0")
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.contains { $0["id"] as? String == "DL3020" && $0["helpUri"] != nil })
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 2)
        let region = try #require(((results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any])
        #expect(region["startLine"] as? Int == 2 && region["startColumn"] as? Int == 1 && region["endColumn"] as? Int == 4)
        let fingerprints = results.compactMap { ($0["partialFingerprints"] as? [String: Any])?["primaryLocationLineHash"] as? String }
        #expect(Set(fingerprints).count == 2, "distinct findings get distinct fingerprints")
        #expect(results[0]["level"] as? String == "error")
    }

    @Test func gitlabCodeQualityFingerprintsAreStableWhenLinesMove() throws {
        let before = try #require(try JSONSerialization.jsonObject(with: Data(lint(["-f", "gitlab"]).standardOutput.utf8)) as? [[String: Any]])
        let shifted = runTool(["lint", "-f", "gitlab", "--stdin-filename", "svc/Dockerfile", "-"], standardInput: "# a comment\n" + dockerfile)
        let after = try #require(try JSONSerialization.jsonObject(with: Data(shifted.standardOutput.utf8)) as? [[String: Any]])
        #expect(before.map { $0["fingerprint"] as? String } == after.map { $0["fingerprint"] as? String })
        #expect(before.first?["severity"] as? String == "critical")
        #expect((before.first?["location"] as? [String: Any])?["path"] as? String == "svc/Dockerfile")
    }

    @Test func checkstyleAndJUnitAreWellFormedXML() throws {
        for (format, element, count) in [("checkstyle", "error", 2), ("junit", "failure", 2)] {
            let text = lint(["-f", format]).standardOutput
            let counter = ElementCounter(name: element)
            let parser = XMLParser(data: Data(text.utf8))
            parser.delegate = counter
            #expect(parser.parse(), "\(format) is not well-formed XML")
            #expect(counter.count == count, "\(format)")
        }
    }

    @Test func lineFormats() {
        #expect(lint(["-f", "gnu"]).standardOutput.hasPrefix("svc/Dockerfile:2.1-2.4: error: Use `COPY` instead of `ADD`"))
        #expect(lint(["-f", "github"]).standardOutput.hasPrefix("::error file=svc/Dockerfile,line=2,col=1,endLine=2,endColumn=4,title=DL3020 prefer-copy-over-add::"))
    }

    @Test func exitCodesFollowTheFailLevel() {
        #expect(lint([]).exitCode == .findings)
        #expect(lint(["--fail-level", "none"]).exitCode == .success)
        #expect(lint(["--exit-zero"]).exitCode == .success)
        #expect(lint(["--no-fail"]).exitCode == .success)
        #expect(lint(["--warning", "DL3020", "--fail-level", "error"]).exitCode == .success)
        #expect(lint(["-t", "warning"]).exitCode == .findings)
        #expect(lint(["--ignore", "DL3020"]).exitCode == .success)
        #expect(lint(["--select", "DL30"]).exitCode == .findings)
        #expect(lint(["--fail-level", "sometimes"]).exitCode == .failure)
        #expect(lint(["-f", "yaml"]).exitCode == .failure)
        #expect(lint(["--select", "NOPE"]).exitCode == .failure)
        // BuildKit check names and hadolint codes dockwright lacks are accepted, not usage errors.
        #expect(lint(["--ignore", "JSONArgsRecommended,DL3008,SC2086"]).exitCode == .findings)
    }

    @Test func statisticsCountPerRule() {
        #expect(lint(["--statistics"]).standardOutput.hasSuffix("2\tDL3020\tprefer-copy-over-add\n"))
    }
}

private final class ElementCounter: NSObject, XMLParserDelegate {
    let name: String
    var count = 0

    init(name: String) { self.name = name }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if elementName == name { count += 1 }
    }
}
