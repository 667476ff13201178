import DockwrightCLI
import Foundation
import Testing

/// BuildKit check names work wherever a code does: `--select`/`--ignore`, re-grades,
/// `.dockwright.json`, `.hadolint.yaml` and `# dockwright` pragmas.
@Suite struct BuildKitCheckNameTests {
    private let duplicate = "FROM alpine:3.20 AS build\nFROM alpine:3.20 AS build\n"

    private func folder(_ files: [String: String]) throws -> URL {
        let root = ScratchFolder.root.appendingPathComponent("dockwright-bk-\(UUID().uuidString)")
        for (path, content) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        return root
    }

    private func codes(_ result: RunResult) -> [String] {
        // gnu format: `path:range: severity: message [CODE]`.
        result.standardOutput.split(separator: "\n").compactMap { line in
            line.split(separator: "[").last.map { String($0.prefix { $0 != "]" }) }
        }
    }

    @Test func selectAndIgnoreTakeTheCheckName() {
        let selected = runTool(["lint", "--isolated", "-f", "gnu", "--select", "DuplicateStageName", "-"],
                               standardInput: duplicate)
        #expect(codes(selected) == ["DL3024"])
        let ignored = runTool(["lint", "--isolated", "-f", "gnu", "--select", "DL3024",
                               "--ignore", "duplicatestagename", "-"], standardInput: duplicate)
        #expect(ignored.exitCode == .success)
        let regraded = runTool(["lint", "--isolated", "-f", "json", "--select", "DL3024",
                                "--style", "DuplicateStageName", "-"], standardInput: duplicate)
        #expect(regraded.standardOutput.contains("\"level\": \"style\""))
    }

    @Test func aCheckWithoutARuleIsStillAcceptedAsASelector() {
        let result = runTool(["lint", "--isolated", "--ignore", "UndefinedVar", "-"], standardInput: "FROM alpine:3.20\n")
        #expect(result.exitCode == .success)
        let lowered = runTool(["lint", "--isolated", "--ignore", "undefinedvar", "-"], standardInput: "FROM alpine:3.20\n")
        #expect(lowered.exitCode == .success)
        #expect(runTool(["lint", "--isolated", "--ignore", "UndefinedVariable", "-"], standardInput: "FROM alpine:3.20\n")
            .exitCode == .failure)
    }

    @Test func configurationFilesTakeTheCheckName() throws {
        let json = try folder([
            ".dockwright.json": "{\"select\": [\"DuplicateStageName\"], \"severity\": {\"DuplicateStageName\": \"info\"}}",
            "Dockerfile": duplicate,
        ])
        let fromJSON = runTool(["lint", "-f", "json", json.appendingPathComponent("Dockerfile").path])
        #expect(fromJSON.standardOutput.contains("\"code\": \"DL3024\""))
        #expect(fromJSON.standardOutput.contains("\"level\": \"info\""))
        #expect(!fromJSON.standardOutput.contains("DL3006"))

        let yaml = try folder([
            ".hadolint.yaml": "ignored:\n  - DuplicateStageName\noverride:\n  error:\n    - StageNameCasing\n",
            "Dockerfile": "FROM alpine:3.20 AS Build\nFROM alpine:3.20 AS build\n",
        ])
        let fromYAML = runTool(["lint", "-f", "gnu", "--select", "DL3024,DW100",
                                yaml.appendingPathComponent("Dockerfile").path])
        #expect(codes(fromYAML) == ["DW100"])
        #expect(fromYAML.standardOutput.contains("error"))
    }

    @Test func pragmasAndTheCheckDirectiveTakeTheCheckName() {
        let pragma = runTool(["lint", "--isolated", "-f", "gnu", "--select", "DL3024", "-"],
                             standardInput: "FROM alpine:3.20 AS build\n# dockwright ignore=DuplicateStageName\nFROM alpine:3.20 AS build\n")
        #expect(pragma.exitCode == .success)
        let skipped = runTool(["lint", "--isolated", "-f", "gnu", "--select", "DL3024,DL3007", "-"],
                              standardInput: "# check=skip=all\n" + duplicate.replacingOccurrences(of: "3.20", with: "latest"))
        #expect(codes(skipped) == ["DL3007", "DL3007"])
    }
}
