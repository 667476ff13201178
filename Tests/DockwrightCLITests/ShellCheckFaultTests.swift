import Foundation
import Testing

/// A ShellCheck that dies, hangs, answers nonsense or would run away is reported
/// on the RUN, never a silent absence of findings; it runs with `--norc` and a
/// memory cap (issue 12, item 4). Fake `shellcheck` scripts stand in for it.
@Suite struct ShellCheckFaultTests {
    private let dockerfile = "FROM alpine:3.20\nRUN echo $HOME\n"

    /// A folder with a Dockerfile and a fake `shellcheck` made of `body`.
    private func setUp(_ body: String, dockerfile: String? = nil) throws -> (root: URL, bin: URL) {
        let root = ScratchFolder.root.appendingPathComponent("dockwright-sc-\(UUID().uuidString)")
        let bin = root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try Data((dockerfile ?? self.dockerfile).utf8).write(to: root.appendingPathComponent("Dockerfile"))
        let fake = bin.appendingPathComponent("shellcheck")
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: fake)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        return (root, bin)
    }

    private func lint(_ setup: (root: URL, bin: URL), environment: [String: String] = [:]) throws -> (Int32, String) {
        var variables = environment
        variables["PATH"] = setup.bin.path + ":/usr/bin:/bin"
        let result = try BuiltBinary.run(
            ["lint", "--shellcheck", "-f", "gnu", setup.root.appendingPathComponent("Dockerfile").path],
            script: "exec timeout -s KILL 60 \"$TOOL\" \"$@\"", environment: variables)
        return (result.status, String(decoding: result.standardOutput, as: UTF8.self) + result.standardError)
    }

    @Test func aKilledShellCheckIsAnErrorOnTheRun() throws {
        let (status, output) = try lint(setUp("kill -9 $$"))
        #expect(status == 1)
        #expect(output.contains("Dockerfile:2.1-2.4: error: ShellCheck was killed (signal 9) on this RUN"))
        #expect(output.contains("[shellcheck]"))
    }

    @Test func aHangingShellCheckIsStoppedAndReported() throws {
        let start = Date()
        let (status, output) = try lint(setUp("exec sleep 1000"), environment: ["DOCKWRIGHT_SHELLCHECK_TIMEOUT": "1"])
        #expect(status == 1)
        #expect(output.contains("ShellCheck took over 1 s on this RUN and was stopped"))
        #expect(Date().timeIntervalSince(start) < 30)
    }

    @Test func anAnswerThatIsNotJSONIsReported() throws {
        let (status, output) = try lint(setUp("cat > /dev/null; echo 'not json'; exit 1"))
        #expect(status == 1)
        #expect(output.contains("ShellCheck's answer on this RUN was not its JSON report"))
    }

    @Test func aFailingExitStatusIsReported() throws {
        let (status, output) = try lint(setUp("cat > /dev/null; exit 4"))
        #expect(status == 1)
        #expect(output.contains("ShellCheck failed on this RUN (exit status 4)"))
    }

    @Test func itRunsWithNoRcAndAMemoryCap() throws {
        // Answers cleanly only when given --norc and run under the 2 GiB cap.
        let body = """
            cat > /dev/null
            [ "$(ulimit -v)" = 2097152 ] || exit 4
            case " $* " in *" --norc "*) echo '{"comments":[]}'; exit 0;; esac
            exit 4
            """
        let (status, output) = try lint(setUp(body))
        #expect(status == 0, "\(output)")
        #expect(!output.contains("shellcheck"))
    }

    @Test func aScriptOverTheSizeBudgetIsNotSentAndSaysSo() throws {
        let commands = (0..<2000).map { "echo \($0)" }.joined(separator: " && ")
        let (status, output) = try lint(setUp("cat > /dev/null; echo '{\"comments\":[]}'", dockerfile: "FROM alpine:3.20\nRUN \(commands)\n"))
        #expect(status == 0, "a note, not a failure")
        #expect(output.contains("Dockerfile:2.1-2.4: "))
        #expect(output.contains("ShellCheck was not run on this script: it is over 16 KiB"))
    }

    @Test func theFindingsOfAShellCheckThatWorksStillArrive() throws {
        let body = """
            line=$(grep -c '')
            echo '{"comments":[{"file":"-","line":'$line',"endLine":'$line',"column":6,"endColumn":11,"level":"info","code":2086,"message":"Double quote"}]}'
            exit 1
            """
        let (status, output) = try lint(setUp(body))
        #expect(status == 1)
        #expect(output.contains("Dockerfile:2.10-2.15: "), "\(output)")
        #expect(output.contains("Double quote [SC2086]"))
    }
}
