@testable import DockwrightCLI
import Foundation
import Testing

/// The pre-commit hooks' `files` and `exclude` patterns pick exactly the files that
/// folder discovery finds, tried on the same file names in a real folder.
@Suite struct PreCommitHookTests {
    /// Names that are Dockerfiles, names that are not, and the near misses.
    private let names = [
        "Dockerfile", "dockerfile", "DOCKERFILE", "Containerfile", "containerfile",
        "Dockerfile.dev", "dockerfile.prod", "Containerfile.arm64", "Dockerfile.", "Dockerfile.a.b",
        "app.Dockerfile", "app.dockerfile", "app.DOCKERFILE", "app.Containerfile", "app.containerfile",
        "Dockerfile.dockerignore", "Dockerfile.DockerIgnore", "app.Dockerfile.dockerignore", ".dockerignore",
        "Dockerfile-dev", "Dockerfile_dev", "MyDockerfile", "Dockerfiles", "dockerfile.txt.bak",
        "README.md", "docker-compose.yml", ".Dockerfile.dockwright-123.tmp",
        "sub/Dockerfile", "sub/deep/x.dockerfile", "sub/Dockerfile.dockerignore",
        "node_modules/Dockerfile", "pkg/node_modules/Dockerfile", ".build/Dockerfile", "a/.build/Dockerfile",
        "Dockerfile.d/config", ".hidden/Dockerfile",
    ]

    private struct Hook {
        var id: String
        var files: String?
        var exclude: String?
    }

    /// The hooks of `.pre-commit-hooks.yaml`; the file is flat, one key per line.
    private func hooks() throws -> [Hook] {
        let text = try String(contentsOf: Repository.root.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
        var hooks: [Hook] = []
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("- id: ") {
                hooks.append(Hook(id: String(trimmed.dropFirst(6))))
            } else if trimmed.hasPrefix("files: ") {
                hooks[hooks.count - 1].files = String(trimmed.dropFirst(7))
            } else if trimmed.hasPrefix("exclude: ") {
                hooks[hooks.count - 1].exclude = String(trimmed.dropFirst(9))
            }
        }
        return hooks
    }

    /// pre-commit's test: `re.search` of `files` and not of `exclude` on the path.
    private func selects(_ path: String, _ hook: Hook) throws -> Bool {
        func search(_ pattern: String?) throws -> Bool {
            guard let pattern else { return false }
            let expression = try NSRegularExpression(pattern: pattern)
            return expression.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
        }
        return try search(hook.files) && !(try search(hook.exclude))
    }

    @Test func theHookPatternsMatchExactlyWhatFolderDiscoveryFinds() throws {
        let root = ScratchFolder.root.appendingPathComponent("dockwright-hook-\(UUID().uuidString)")
        for name in names {
            let url = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("FROM alpine:3.20\n".utf8).write(to: url)
        }
        let discovered = Set(FileDiscovery.files(in: [root.path]).files.map { String($0.dropFirst(root.path.count + 1)) })
        #expect(discovered.contains("Dockerfile") && discovered.contains("sub/deep/x.dockerfile"), "discovery found files")
        #expect(!discovered.contains("Dockerfile.dockerignore"), "BuildKit's ignore file is not a Dockerfile")
        let hooks = try hooks()
        #expect(hooks.map(\.id) == ["dockwright", "dockwright-fix"])
        for hook in hooks {
            let selected = try Set(names.filter { try selects($0, hook) })
            #expect(selected == discovered, "hook \(hook.id): \(selected.symmetricDifference(discovered).sorted())")
        }
    }

    @Test func theDockerfileIgnoreFileIsNotLinted() throws {
        let root = ScratchFolder.root.appendingPathComponent("dockwright-hook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("FROM alpine:3.20\nCOPY a /b\n".utf8).write(to: root.appendingPathComponent("Dockerfile"))
        try Data("node_modules\n*.log\n".utf8).write(to: root.appendingPathComponent("Dockerfile.dockerignore"))
        let result = runTool(["lint", "-f", "gnu", root.path])
        #expect(!result.standardOutput.contains("dockerignore"))
        #expect(result.exitCode == .success)
    }
}
