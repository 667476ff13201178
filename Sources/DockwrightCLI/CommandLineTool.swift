import DockwrightSyntax

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The whole command line as a function, so tests can run it in-process.
public enum CommandLineTool {
    /// The version printed by `--version`.
    public static let version = "0.1.0"

    static let usage = """
        dockwright \(version): a Dockerfile analyzer and optimizer

        Usage:
          dockwright lint [PATH ...|-]            report findings (folders are searched for Dockerfiles)
          dockwright fix [--unsafe] [--diff|--check] [PATH ...|-]
                                                  apply safe fixes (and unsafe ones with --unsafe)
          dockwright pin [--check|--diff] [--refresh] [PATH ...]
                                                  pin image tags to the digests registries serve (network)
          dockwright rules [--markdown] [CODE|NAME]
                                                  list the rules, or explain one
          dockwright dump [--sexp] [FILE ...|-]   print the instructions as BuildKit's parser reads them
          dockwright dump --batch                 read file paths from standard input, one JSON line each
          dockwright --version                    print the version
          dockwright --help                       print this help

        dump prints a JSON array with one object per instruction (cmd, sub_cmd, json,
        original, start_line, end_line, flags, value, heredocs), or with --sexp
        BuildKit's own s-expression dump. Errors go to standard error as
        FILE:LINE:COLUMN: error: MESSAGE.

        Exit codes: 0 success; 1 findings, a file BuildKit's parser rejects, or a fix
        --check/--diff that would change something; 2 usage or I/O error.

        """

    /// Runs the tool with the process's real streams; returns the exit status.
    public static func main(arguments: [String]) -> Int32 {
        let standardOutput = FileOutput(descriptor: STDOUT_FILENO)
        let standardError = FileOutput(descriptor: STDERR_FILENO)
        let code = run(
            arguments: arguments, standardInput: { try FileReader.readStandardInput() },
            standardOutput: standardOutput, standardError: standardError)
        standardOutput.flush()
        standardError.flush()
        return code.rawValue
    }

    /// Runs the tool; `standardInput` is read only when a command asks for `-`.
    public static func run(
        arguments: [String], standardInput: () throws -> [UInt8],
        standardOutput: OutputStream, standardError: OutputStream
    ) -> ExitCode {
        guard let command = arguments.first else {
            standardError.write(usage)
            return .failure
        }
        let rest = Array(arguments.dropFirst())
        // `--version` works after any command, as `--help` does.
        if rest.contains("--version") && !rest.contains("--") {
            standardOutput.write("dockwright \(version)\n")
            return .success
        }
        switch command {
        case "--version", "-V":
            standardOutput.write("dockwright \(version)\n")
            return .success
        case "--help", "-h", "help":
            standardOutput.write(usage)
            return .success
        case "dump":
            return DumpCommand(output: standardOutput, errors: standardError).run(rest, standardInput: standardInput)
        case "lint":
            return LintCommand(output: standardOutput, errors: standardError).run(rest, standardInput: standardInput)
        case "fix":
            return FixCommand(output: standardOutput, errors: standardError).run(rest, standardInput: standardInput)
        case "pin":
            return PinCommand(
                output: standardOutput, errors: standardError, environment: ProcessEnvironment.current()
            ).run(rest)
        case "rules":
            return RulesCommand(output: standardOutput, errors: standardError).run(rest)
        case "shell-commands":
            return ShellCommandsCommand(output: standardOutput, errors: standardError)
                .run(rest, standardInput: standardInput)
        case "bench-parse":
            return BenchParseCommand(output: standardOutput, errors: standardError).run(rest)
        default:
            // Like hadolint, `dockwright PATH …` lints.
            if command.hasPrefix("-") && !LintCommand.options.contains(where: { $0.names.contains(command.split(separator: "=").first.map(String.init) ?? command) }) {
                standardError.write("dockwright: unknown option '\(command)'; run 'dockwright --help'\n")
                return .failure
            }
            return LintCommand(output: standardOutput, errors: standardError).run(arguments, standardInput: standardInput)
        }
    }
}
