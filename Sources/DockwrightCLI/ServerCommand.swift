import DockwrightServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `dockwright server` (alias `lsp`): the language server on standard input and
/// output. `--stdio` is accepted and ignored, since editors pass it.
struct ServerCommand {
    let output: OutputStream
    let errors: OutputStream

    static let options: [OptionSpec] = [
        OptionSpec(names: ["--stdio"], value: nil, help: "talk over standard input and output (the only transport; accepted for editors)"),
        OptionSpec(names: ["--help", "-h"], value: nil, help: "show this help"),
    ]

    func run(_ arguments: [String]) -> ExitCode {
        let parsed: ParsedArguments
        do {
            parsed = try ArgumentParser.parse(arguments, options: Self.options, command: "server")
        } catch {
            errors.write(error.message + "\n")
            return .failure
        }
        if parsed.has("--help") {
            output.write(ArgumentParser.commandHelp("server [--stdio]", Self.options)
                + "\nA Language Server Protocol server on standard input and output; see README.md, \"Language server\".\n")
            return .success
        }
        guard parsed.positional.isEmpty else {
            errors.write("dockwright server: unexpected argument '\(parsed.positional[0])'\n")
            return .failure
        }
        let server = LanguageServer(
            input: STDIN_FILENO, output: STDOUT_FILENO, version: CommandLineTool.version, linters: ServerLinters())
        // The protocol's exit status: 0 after shutdown, 1 without.
        return server.run() == 0 ? .success : .findings
    }
}
