import DockwrightCLI
import Foundation
import Testing

/// The lint options that need files on disk: discovery, exclusion, output files,
/// configuration lookup, binary files and unreadable paths.
@Suite struct LintOptionTests {
    private func folder(_ files: [String: String]) throws -> URL {
        let root = ScratchFolder.root.appendingPathComponent("dockwright-lint-\(UUID().uuidString)")
        for (path, content) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        return root
    }

    private let bad = "FROM alpine:3.20\nADD a /b\n"

    @Test func foldersAreSearchedForEveryDockerfileName() throws {
        let root = try folder([
            "Dockerfile": bad, "api/Containerfile": bad, "web/Dockerfile.prod": bad, "ci/lint.Dockerfile": bad,
            "x/build.containerfile": bad, "docs/README.md": bad, ".git/Dockerfile": bad, "node_modules/Dockerfile": bad,
        ])
        let result = runTool(["lint", "-f", "gnu", root.path])
        let files = Set(result.standardOutput.split(separator: "\n").map { String($0.split(separator: ":")[0]) })
        #expect(files.map { $0.replacingOccurrences(of: root.path + "/", with: "") }.sorted()
            == ["Dockerfile", "api/Containerfile", "ci/lint.Dockerfile", "web/Dockerfile.prod", "x/build.containerfile"])
    }

    @Test func excludeSkipsFilesAndFolders() throws {
        let root = try folder(["Dockerfile": bad, "vendor/Dockerfile": bad, "web/Dockerfile.test": bad])
        let result = runTool(["lint", "-f", "gnu", "--exclude", "vendor", "--exclude", "*.test", root.path])
        #expect(result.standardOutput.split(separator: "\n").count == 1)
    }

    @Test func outputFileReceivesTheReport() throws {
        let root = try folder(["Dockerfile": bad])
        let report = root.appendingPathComponent("report.json")
        let result = runTool(["lint", "-f", "json", "-o", report.path, root.appendingPathComponent("Dockerfile").path])
        #expect(result.standardOutput.isEmpty)
        #expect(result.exitCode == .findings)
        let data = try Data(contentsOf: report)
        #expect((try JSONSerialization.jsonObject(with: data) as? [Any])?.count == 1)
    }

    @Test func colorOnlyWhenAskedOnACapturedStream() {
        let plain = runTool(["lint", "-"], standardInput: bad).standardOutput
        let colored = runTool(["lint", "--color", "always", "-"], standardInput: bad).standardOutput
        #expect(!plain.contains("\u{1B}["))
        #expect(colored.contains("\u{1B}[31merror\u{1B}[0m"))
    }

    @Test func configurationIsFoundAboveTheFileAndCanBeOverridden() throws {
        let root = try folder([".dockwright.json": "{\"ignore\": [\"DL3020\"]}", "svc/Dockerfile": bad])
        let file = root.appendingPathComponent("svc/Dockerfile").path
        #expect(runTool(["lint", file]).exitCode == .success)
        #expect(runTool(["lint", "--isolated", file]).exitCode == .findings)
        let other = root.appendingPathComponent("other.json")
        try "{\"severity\": {\"DL3020\": \"style\"}, \"fail-level\": \"warning\"}".write(to: other, atomically: true, encoding: .utf8)
        #expect(runTool(["lint", "--config", other.path, file]).exitCode == .success)
        #expect(runTool(["lint", "--config", other.path, "--fail-level", "style", file]).exitCode == .findings)
    }

    @Test func versionPinningSwitchSilencesThePinningRules() throws {
        let unpinned = "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n"
        let root = try folder([".dockwright.json": "{\"version-pinning\": false}", "Dockerfile": unpinned])
        let file = root.appendingPathComponent("Dockerfile").path
        // Selecting the rule by name does not bring it back: the switch wins, like an ignore.
        #expect(runTool(["lint", "--select", "DL3008", file]).exitCode == .success)
        #expect(runTool(["lint", "--isolated", "--select", "DL3008", file]).exitCode == .findings)
        #expect(runTool(["lint", "--isolated", "--select", "DL3008", "--no-version-pinning", file]).exitCode == .success)
    }

    @Test func hadolintConfigurationIsReadForMigration() throws {
        let root = try folder([".hadolint.yaml": "ignored:\n  - DL3020\n", "Dockerfile": bad])
        #expect(runTool(["lint", root.appendingPathComponent("Dockerfile").path]).exitCode == .success)
    }

    @Test func oneBadFileDoesNotStopTheOthers() throws {
        let root = try folder(["a/Dockerfile": bad])
        let binary = root.appendingPathComponent("b/Dockerfile")
        try FileManager.default.createDirectory(at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data([0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01]).write(to: binary)
        let result = runTool(["lint", "-f", "gnu", root.path, root.appendingPathComponent("missing").path])
        #expect(result.exitCode == .failure)
        #expect(result.standardOutput.contains("a/Dockerfile:2.1"))
        #expect(result.standardError.contains("b/Dockerfile: not a text file; skipped"))
        #expect(result.standardError.contains("missing: cannot read: No such file or directory"))
    }

    @Test func anUnparsableFileIsAnErrorFindingAndTheRestAreLinted() throws {
        let root = try folder(["a/Dockerfile": "FROM a\nENV ONLYKEY\n", "b/Dockerfile": bad])
        let result = runTool(["lint", "-f", "gnu", root.path])
        #expect(result.exitCode == .findings)
        #expect(result.standardOutput.contains("a/Dockerfile:2.5-2.12: error: ENV must have two arguments [DL1000]"))
        #expect(result.standardOutput.contains("b/Dockerfile:2.1"))
    }

    @Test func plainPathsLintAsWithHadolint() throws {
        let root = try folder(["Dockerfile": bad])
        #expect(runTool([root.path]).exitCode == .findings)
        #expect(runTool(["--fail-level", "none", root.path]).exitCode == .success)
    }

    @Test func rulesCommandListsAndExplains() {
        let list = runTool(["rules"]).standardOutput
        #expect(list.contains("DL3059\tmerge-consecutive-runs\tperformance\tinfo\ton\tfix: safe"))
        #expect(runTool(["rules", "DW003"]).standardOutput.hasPrefix("## DW003 prefer-small-base"))
        #expect(runTool(["rules", "prefer-copy-over-add"]).standardOutput.hasPrefix("## DL3020"))
        #expect(runTool(["rules", "NOPE"]).exitCode == .failure)
        #expect(runTool(["rules", "--markdown"]).standardOutput.hasPrefix("# dockwright rules"))
    }
}
