import DockwrightModel
import DockwrightShell
import DockwrightSyntax
import Foundation
import Testing

/// ``DockerfileModel/mayDownload(_:)`` and ``DockerfileModel/mayDelete(_:)`` tell from the
/// programs a RUN calls what only its effects walk would otherwise tell: they may say yes
/// where the walk records nothing, never no where it records a download or a deletion.
@Suite struct FileChangeProgramTests {
    static func model(_ text: String) -> DockerfileModel {
        DockerfileModel(syntax: DockerfileSyntax.parse(SourceFile(path: "Dockerfile", text: text)))
    }

    /// Whether the effects of `run` hold a write for `reason`.
    static func writes(_ reason: PathEffect.Reason, _ run: RunScript, in model: DockerfileModel) -> Bool {
        model.effects(of: run).writes.contains { $0.reason == reason }
    }

    @Test func aDownloadAndADeletionAreToldFromTheProgramsCalled() throws {
        let model = Self.model("""
            FROM debian:12
            RUN curl -fsSL -o /tmp/tool.tgz https://example.com/tool.tgz
            RUN rm -f /tmp/tool.tgz
            RUN apt-get install -y curl wget && chmod 755 /opt
            """)
        let runs = model.runScripts
        #expect(runs.map(model.mayDownload) == [true, false, false])
        #expect(runs.map(model.mayDelete) == [false, true, false])
        #expect(Self.writes(.download, runs[0], in: model))
        #expect(Self.writes(.deletion, runs[1], in: model))
    }

    @Test func aShellBodyMayDoEitherAsItsCommandsAreWalked() throws {
        let model = Self.model("FROM debian:12\nRUN sh -c 'rm -f /tmp/a && wget -O /tmp/b https://example.com/b'\n")
        let run = try #require(model.runScripts.first)
        #expect(model.mayDownload(run) && model.mayDelete(run))
        #expect(Self.writes(.download, run, in: model) && Self.writes(.deletion, run, in: model))
    }

    @Test func deletionsBehindXargsFindAndMvCount() throws {
        let model = Self.model("""
            FROM debian:12
            RUN find /tmp -name '*.log' -delete
            RUN find /var/cache -type f -exec rm {} +
            RUN mv /tmp/a /opt/a
            RUN ls /tmp | xargs rm
            """)
        for run in model.runScripts {
            #expect(model.mayDelete(run))
            #expect(Self.writes(.deletion, run, in: model))
        }
    }

    /// The lists stay a superset of what the walk records, over a sample of real files.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: corpus.path), "needs ../shared/corpus"))
    func noCorpusScriptDownloadsOrDeletesOutsideTheLists() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
            .filter { $0.hasSuffix(".Dockerfile") }.sorted()
        var checked = 0
        var missed: [String] = []
        // Every eighth file keeps the debug build's test run short.
        for name in names.enumerated().filter({ $0.offset % 8 == 0 }).map(\.element) {
            let bytes = try Data(contentsOf: Self.corpus.appendingPathComponent(name))
            let model = DockerfileModel(syntax: DockerfileSyntax.parse(SourceFile(path: name, bytes: Array(bytes))))
            for run in model.runAndTriggerScripts {
                checked += 1
                if Self.writes(.download, run, in: model) && !model.mayDownload(run)
                    || Self.writes(.deletion, run, in: model) && !model.mayDelete(run) {
                    missed.append("\(name):\(run.instruction.startLine)")
                }
            }
        }
        #expect(checked > 1_500)
        #expect(missed.isEmpty, "downloads or deletions from programs outside the lists: \(missed.prefix(10))")
    }

    /// `../shared/corpus/files`, or under `DOCKWRIGHT_SHARED` when set, as the other corpus tests find it.
    static let corpus: URL = {
        let shared = ProcessInfo.processInfo.environment["DOCKWRIGHT_SHARED"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
        return shared.appendingPathComponent("corpus/files")
    }()
}
