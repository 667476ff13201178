import DockwrightShell
import DockwrightSyntax

/// `dockwright shell-commands --batch`: reads Dockerfile paths from standard input
/// and prints, one JSON line per POSIX RUN script, the simple commands the shell
/// parser finds. It feeds the differential check against shfmt
/// (`scripts/check-shell.sh`); not part of the documented interface.
struct ShellCommandsCommand {
    let output: OutputStream
    let errors: OutputStream

    func run(_ arguments: [String], standardInput: () throws -> [UInt8]) -> ExitCode {
        guard arguments == ["--batch"] else {
            errors.write("usage: dockwright shell-commands --batch < paths\n")
            return .failure
        }
        guard let paths = FileReader.pathList(standardInput, reportingTo: errors) else { return .failure }
        var status = ExitCode.success
        for path in paths {
            guard let bytes = try? FileReader.read(path: path) else {
                errors.write("\(RawPath.display(path)): cannot read\n")
                status = .failure
                continue
            }
            let syntax = DockerfileSyntax.parse(SourceFile(path: RawPath.display(path), bytes: bytes))
            for script in RunScript.scripts(in: syntax) where script.dialect.isPOSIX {
                output.write(describe(script, path: RawPath.display(path)) + "\n")
            }
        }
        return status
    }

    private func describe(_ script: RunScript, path: String) -> String {
        let json = BuildKitDump.jsonString
        var fields = [
            "\"path\": \(json(path))",
            "\"line\": \(script.instruction.startLine)",
            "\"kind\": \(script.origin == .shellForm ? "\"shell\"" : "\"heredoc\"")",
            "\"script\": \(json(String(decoding: script.text.bytes, as: UTF8.self)))",
        ]
        switch script.outcome {
        case .parsed(let parsed):
            let commands = parsed.simpleCommands.map { command -> String in
                let values = command.words.map { word in word.literalValue.map(json) ?? "null" }
                return "{\"name\": \(values[0]), \"args\": [\(values.dropFirst().joined(separator: ", "))]}"
            }
            fields += ["\"ok\": true", "\"error\": null", "\"commands\": [\(commands.joined(separator: ", "))]"]
        case .invalid(let error):
            fields += ["\"ok\": false", "\"error\": \(json(error.message))", "\"commands\": []"]
        case .opaque:
            fields += ["\"ok\": false", "\"error\": \"opaque\"", "\"commands\": []"]
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
