import DockwrightCLI
import Foundation
import Testing

/// `--shellcheck`: ShellCheck's findings on RUN scripts, placed in the Dockerfile and
/// filtered like rule findings. The tests that need `shellcheck` on PATH (CI installs
/// it) are reported as skipped without it, never as passed.
@Suite struct ShellCheckTests {
    static let isInstalled: Bool = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/shellcheck") }
    }()

    private func folder(_ files: [String: String]) throws -> URL {
        let root = ScratchFolder.root.appendingPathComponent("dockwright-sc-\(UUID().uuidString)")
        for (path, content) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        return root
    }

    /// The `file:line:col [CODE]` of each SC finding in gnu output, without the folder.
    private func scFindings(_ output: String, root: URL) -> [String] {
        output.split(separator: "\n").compactMap { line -> String? in
            guard let open = line.lastIndex(of: "["), line.hasSuffix("]") else { return nil }
            let code = line[line.index(after: open)..<line.index(before: line.endIndex)]
            guard code.hasPrefix("SC") else { return nil }
            let position = line.split(separator: ":").prefix(2).joined(separator: ":")
                .replacingOccurrences(of: root.path + "/", with: "")
            return "\(position) \(code)"
        }
    }

    private let script = """
        FROM debian:12-slim
        ARG VERSION=1
        RUN echo "$VERSION" \\
            && ls $UNSET_DIR
        RUN <<EOF
        echo start
        cd /opt
        EOF
        # hadolint ignore=SC2086
        RUN echo $UNSET_DIR

        """

    @Test(.enabled(if: isInstalled, "shellcheck is not on PATH"))
    func findingsLandOnTheirDockerfileLineAndColumn() throws {
        let root = try folder(["Dockerfile": script])
        let result = runTool(["lint", "--isolated", "--shellcheck", "-f", "gnu", "--exit-zero", root.path])
        // `$UNSET_DIR` on the continuation line (4:12), `cd` in the heredoc body (7:1);
        // `$VERSION` is exported from its ARG, and the pragma silences line 10.
        #expect(scFindings(result.standardOutput, root: root) == ["Dockerfile:4.11-4.21 SC2086", "Dockerfile:7.1-7.8 SC2164"])
    }

    @Test(.enabled(if: isInstalled, "shellcheck is not on PATH"))
    func selectionIgnoreAndConfigurationApplyToSCCodes() throws {
        let root = try folder(["Dockerfile": script, ".dockwright.json": #"{"shellcheck": true, "ignore": ["SC2164"]}"#])
        let file = root.appendingPathComponent("Dockerfile").path
        let configured = runTool(["lint", "-f", "gnu", "--exit-zero", file])
        #expect(scFindings(configured.standardOutput, root: root) == ["Dockerfile:4.11-4.21 SC2086"])
        let ignored = runTool(["lint", "--isolated", "--shellcheck", "--ignore", "SC2086", "-f", "json", "--exit-zero", file])
        #expect(ignored.standardOutput.contains("SC2164") && !ignored.standardOutput.contains("SC2086"))
        let selected = runTool(["lint", "--isolated", "--shellcheck", "--select", "SC2086", "--error", "SC2086", "-f", "json", "--exit-zero", file])
        #expect(selected.standardOutput.contains("\"SC2086\"") && !selected.standardOutput.contains("SC2164"))
        #expect(selected.standardOutput.contains("\"level\": \"error\""))
        let silenced = runTool(["lint", "--isolated", "--shellcheck", "--ignore", "shellcheck", "-f", "gnu", "--exit-zero", file])
        #expect(scFindings(silenced.standardOutput, root: root).isEmpty)
    }

    @Test func withoutTheOptionNothingChanges() throws {
        let root = try folder(["Dockerfile": script])
        let plain = runTool(["lint", "--isolated", "-f", "gnu", "--exit-zero", root.path])
        #expect(scFindings(plain.standardOutput, root: root).isEmpty)
        #expect(plain.exitCode == .success)
    }
}
