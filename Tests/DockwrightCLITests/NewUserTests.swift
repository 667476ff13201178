import DockwrightCLI
import Foundation
import Testing

/// What a new user hits first, each through the command-line entry point: flags that
/// do what they say, help, usage errors with suggestions, summaries and aliases.
@Suite struct NewUserTests {
    private let bad = "FROM alpine:3.20\nADD a /b\n"

    private func folder(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dockwright-new-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        for (path, content) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    // MARK: - Statistics

    @Test func statisticsNeverCorruptAMachineFormat() throws {
        let json = runTool(["lint", "--statistics", "-f", "json", "-"], standardInput: bad)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [Any]
        #expect(parsed?.count == 1)
        #expect(json.standardError.contains("1\tDL3020\t"))
        for format in ["sarif", "checkstyle", "gitlab", "junit"] {
            let result = runTool(["lint", "--statistics", "-f", format, "-"], standardInput: bad)
            #expect(!result.standardOutput.contains("\tDL3020\t"), "\(format)")
            #expect(result.standardError.contains("1\tDL3020\t"), "\(format)")
        }
    }

    @Test func statisticsReplaceTheTextReport() {
        let result = runTool(["lint", "--statistics", "-"], standardInput: bad + "ADD c /d\n")
        #expect(result.standardOutput == "2\tDL3020\tprefer-copy-over-add\n")
        #expect(result.exitCode == .findings)
    }

    // MARK: - Rules by BuildKit name

    @Test func rulesExplainsBuildKitCheckNames() {
        #expect(runTool(["rules", "DuplicateStageName"]).standardOutput.hasPrefix("## DL3024"))
        #expect(runTool(["rules", "duplicatestagename"]).exitCode == .success)
        let several = runTool(["rules", "MultipleInstructionsDisallowed"]).standardOutput
        #expect(several.components(separatedBy: "\n## ").count == 3)
        let unknown = runTool(["rules", "DuplicateStageNam"])
        #expect(unknown.exitCode == .failure)
        #expect(unknown.standardError.contains("did you mean 'DuplicateStageName'?"))
        let notYet = runTool(["rules", "InvalidBaseImagePlatform"])
        #expect(notYet.exitCode == .failure)
        #expect(notYet.standardError.contains("a BuildKit check that no dockwright rule implements yet"))
    }

    // MARK: - GNU notes, SARIF version

    @Test func gnuCallsInfoAndStyleFindingsNotes() {
        let gnu = runTool(["lint", "-f", "gnu", "-"], standardInput: "FROM alpine:3.20\nRUN echo a\nRUN echo b\n").standardOutput
        #expect(gnu.contains(": note: Merge consecutive `RUN` instructions"))
        #expect(!gnu.contains(": warning: Merge"))
    }

    @Test func sarifDriverNamesItsVersion() throws {
        let sarif = runTool(["lint", "-f", "sarif", "-"], standardInput: bad).standardOutput
        let document = try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any]
        let runs = document?["runs"] as? [[String: Any]]
        let driver = (runs?.first?["tool"] as? [String: Any])?["driver"] as? [String: Any]
        #expect(driver?["version"] as? String == CommandLineTool.version)
    }

    // MARK: - Unknown codes

    @Test func unknownCodesAndPrefixesAreUsageErrors() {
        for arguments in [["--select", "DL3999"], ["--ignore", "DL3999"], ["--ignore", "DL9"], ["--error", "DW9"],
                          ["--ignore", "prefer-copy-over-ad"]] {
            let result = runTool(["lint"] + arguments + ["-"], standardInput: bad)
            #expect(result.exitCode == .failure, "\(arguments)")
            #expect(result.standardOutput.isEmpty)
        }
        #expect(runTool(["lint", "--ignore", "DL3999", "-"], standardInput: bad).standardError
            .contains("no rule has the code or code prefix 'DL3999'"))
        #expect(runTool(["lint", "--ignore", "prefer-copy-over-ad", "-"], standardInput: bad).standardError
            .contains("did you mean 'prefer-copy-over-add'?"))
        #expect(runTool(["fix", "--select", "DL3999", "-"], standardInput: bad).exitCode == .failure)
        // Real codes, prefixes, names, categories, ShellCheck codes, BuildKit names and
        // hadolint's label-schema codes are all fine.
        for selector in ["DL3020", "DL30", "dl3020", "prefer-copy-over-add", "security", "SC2086", "DuplicateStageName",
                         "DL3049", "DL1000"] {
            #expect(runTool(["lint", "--ignore", selector, "-"], standardInput: bad).exitCode != .failure, "\(selector)")
        }
    }
}
