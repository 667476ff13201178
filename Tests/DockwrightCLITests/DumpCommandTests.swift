import DockwrightCLI
import Foundation
import Testing

@Suite struct DumpCommandTests {
    @Test func dumpReadsStandardInput() {
        let result = runTool(["dump", "-"], standardInput: "FROM alpine:3.20\nRUN echo hi\n")
        #expect(result.exitCode == .success)
        #expect(result.standardOutput.contains("\"cmd\": \"RUN\""))
        #expect(result.standardOutput.contains("\"value\": [\"echo hi\"]"))
    }

    @Test func dumpOutputIsValidJSONWithThePythonPackagesFields() throws {
        let result = runTool(["dump"], standardInput: "FROM a\nONBUILD COPY --from=x <<EOF /y\nhi\nEOF\n")
        let data = Data(result.standardOutput.utf8)
        let objects = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(objects.count == 2)
        #expect(Set(objects[1].keys) == ["cmd", "sub_cmd", "json", "original", "start_line", "end_line", "flags", "value", "heredocs"])
        #expect(objects[1]["sub_cmd"] as? String == "COPY")
        #expect(objects[1]["end_line"] as? Int == 4)
        let heredocs = try #require(objects[1]["heredocs"] as? [[String: Any]])
        #expect(heredocs.first?["content"] as? String == "hi\n")
        #expect(heredocs.first?["file_descriptor"] as? Int == 0)
    }

    @Test func sExpressionDumpMatchesBuildKitsFormat() {
        let result = runTool(["dump", "--sexp", "-"], standardInput: "FROM a\nCOPY --from=b x y\nENV K=V\n")
        #expect(result.standardOutput == "(from \"a\")\n(copy [\"--from=b\"] \"x\" \"y\")\n(env \"K\" \"V\" \"=\")\n")
    }

    @Test func aFileBuildKitRejectsExitsOneWithAPositionedError() {
        let result = runTool(["dump", "-"], standardInput: "FROM a\nENV ONLYKEY\n")
        #expect(result.exitCode == .findings)
        #expect(result.standardError == "<stdin>:2:5: error: ENV must have two arguments\n")
    }

    @Test func buildStageErrorsAreReportedButDoNotFailTheDump() {
        let result = runTool(["dump", "-"], standardInput: "FROM a\nWRONG DOCKERFILE\n")
        #expect(result.exitCode == .success)
        #expect(result.standardError == "<stdin>:2:1: error (build): unknown instruction: WRONG\n")
    }

    @Test func aMissingFileExitsTwoNamingTheFile() {
        let result = runTool(["dump", "/nonexistent/Dockerfile"])
        #expect(result.exitCode == .failure)
        #expect(result.standardError == "/nonexistent/Dockerfile: cannot read: No such file or directory\n")
    }

    @Test func aDirectoryIsNotReadAsAFile() {
        let result = runTool(["dump", Repository.examples.path])
        #expect(result.exitCode == .failure)
        #expect(result.standardError.hasSuffix(": cannot read: is a directory\n"))
    }

    @Test func batchModePrintsOneLinePerFile() throws {
        let paths = [
            Repository.examples.appendingPathComponent("node-web/Dockerfile").path,
            "/nonexistent/Dockerfile",
        ]
        let result = runTool(["dump", "--batch"], standardInput: paths.joined(separator: "\n") + "\n")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["ok"] as? Bool == true)
        #expect(lines[1].contains("\"ok\": false"))
        #expect(result.exitCode == .failure)
    }

    @Test func usageErrorsExitTwo() {
        #expect(runTool(["dump", "--bogus"]).exitCode == .failure)
        #expect(runTool(["frobnicate"]).exitCode == .failure)
        #expect(runTool([]).exitCode == .failure)
    }

    @Test func versionAndHelp() {
        #expect(runTool(["--version"]).standardOutput == "dockwright \(CommandLineTool.version)\n")
        #expect(runTool(["--help"]).standardOutput.contains("dockwright dump"))
        #expect(runTool(["dump", "--help"]).exitCode == .success)
        for command in ["lint", "fix", "rules", "dump"] {
            #expect(runTool([command, "--version"]).standardOutput == "dockwright \(CommandLineTool.version)\n")
            #expect(runTool([command, "--help"]).exitCode == .success)
        }
    }
}
