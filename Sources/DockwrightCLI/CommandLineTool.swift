import DockwrightCore
import DockwrightSyntax

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The whole command line as a function, so tests can run it in-process.
public enum CommandLineTool {
    /// The version printed by `--version`.
    public static let version = ToolInfo.version

    /// The options every command line accepts before a command.
    static let globalOptions: [OptionSpec] = [
        OptionSpec(names: ["--help", "-h"], value: nil, help: "print this help, or with a command that command's"),
        OptionSpec(names: ["--version", "-V"], value: nil, help: "print the version"),
    ]

    /// The top-level help, generated from the command table and lint's options.
    static var usage: String {
        let rows = Subcommand.all.filter { !$0.isInternal }.map { command -> (String, String) in
            let aliases = command.aliases.isEmpty ? "" : " (also: \(command.aliases.joined(separator: ", ")))"
            return ("dockwright \(command.name) \(command.synopsis)", command.summary + aliases)
        }
        return """
            dockwright \(version): a Dockerfile analyzer and optimizer

            Usage:
            \(ArgumentParser.table(rows))
              dockwright [LINT OPTIONS] PATH ...      lint, as with hadolint ('-' reads standard input)
              dockwright help COMMAND                 print a command's options (or: dockwright COMMAND --help)

            Lint options:
            \(ArgumentParser.help(LintCommand.options))

            Options for any command:
            \(ArgumentParser.help(globalOptions))

            Exit codes: 0 success; 1 findings at or above the fail level, a file BuildKit's
            parser rejects, or a fix --check/--diff that would change something; 2 usage or
            I/O error.

            """
    }

    /// The process's arguments, `argv[0]` first, with every byte kept (see ``RawPath``):
    /// `CommandLine.arguments` replaces bytes that are not UTF-8 with U+FFFD, and a
    /// path so changed names no file.
    public static func rawArguments(
        count: Int32, values: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    ) -> [String] {
        (0..<Int(count)).compactMap { index in
            values[index].map { RawPath.string(cString: $0) }
        }
    }

    /// Runs the tool with the process's real streams; returns the exit status.
    /// `programPath` is `argv[0]`: run as `docker-lint`, the tool is a docker CLI plugin.
    public static func main(arguments: [String], programPath: String? = nil) -> Int32 {
        StandardStreams.reserve()
        StandardStreams.unblockTerminatingSignals()
        let standardOutput = FileOutput(descriptor: STDOUT_FILENO)
        let standardError = FileOutput(descriptor: STDERR_FILENO)
        let code = run(
            invokedAs: programPath.map(DockerPlugin.baseName) ?? ToolInfo.name, arguments: arguments,
            standardInput: { try FileReader.readStandardInput() }, standardOutput: standardOutput,
            standardError: standardError)
        return StandardStreams.finish(output: standardOutput, errors: standardError, code: code)
    }

    /// Runs the tool; `standardInput` is read only when a command asks for `-`.
    /// `invokedAs` is the program's base name (`docker-lint` makes it a docker CLI plugin).
    public static func run(
        invokedAs programName: String = ToolInfo.name,
        arguments: [String], standardInput: () throws -> [UInt8],
        standardOutput: OutputStream, standardError: OutputStream
    ) -> ExitCode {
        var arguments = arguments
        if programName == DockerPlugin.executableName {
            // docker runs `docker-lint docker-cli-plugin-metadata` to learn about the
            // plugin, and `docker-lint lint ARGS` for `docker lint ARGS`.
            if arguments.first == DockerPlugin.metadataCommand {
                standardOutput.write(DockerPlugin.metadata)
                return .success
            }
            // `docker lint fix .` runs fix; `docker lint`, `docker lint .` and
            // `docker lint --help` run lint itself.
            if arguments.first == DockerPlugin.commandName, arguments.count > 1,
               arguments[1] == "help" || Subcommand.named(arguments[1]) != nil {
                arguments.removeFirst()
            }
        }
        return withoutActuallyEscaping(standardInput) { standardInput in
            dispatch(arguments, Invocation(
                arguments: [], standardInput: standardInput, output: standardOutput, errors: standardError))
        }
    }

    private static func dispatch(_ arguments: [String], _ io: Invocation) -> ExitCode {
        guard let first = arguments.first else {
            io.errors.write(usage)
            return .failure
        }
        let rest = Array(arguments.dropFirst())
        switch first {
        case "--version", "-V":
            io.output.write("dockwright \(version)\n")
            return .success
        case "--help", "-h":
            io.output.write(usage)
            return .success
        case "help":
            return help(rest, io)
        default:
            break
        }
        if let command = Subcommand.named(first) {
            // `--version` works after any command, as `--help` does.
            if rest.contains("--version") && !rest.contains("--") {
                io.output.write("dockwright \(version)\n")
                return .success
            }
            return command.run(io.with(arguments: rest))
        }
        if first.hasPrefix("-") && first != "-" {
            // Like hadolint, `dockwright [OPTIONS] PATH …` lints; an option lint does not
            // know is a usage error here, with the nearest spelling.
            let name = first.split(separator: "=", maxSplits: 1).first.map(String.init) ?? first
            if !LintCommand.options.contains(where: { $0.names.contains(name) }) && LintCommand.hadolintOnlyOptions[name] == nil {
                let candidates = (globalOptions + LintCommand.options).flatMap(\.names)
                io.errors.write("dockwright: unknown option '\(name)'" + Suggestion.didYouMean(name, among: candidates)
                    + "; run 'dockwright --help'\n")
                return .failure
            }
        } else if looksLikeCommand(first) {
            let candidates = Subcommand.all.filter { !$0.isInternal }.flatMap { [$0.name] + $0.aliases } + ["help"]
            io.errors.write("dockwright: unknown command '\(first)'" + Suggestion.didYouMean(first, among: candidates)
                + "; run 'dockwright --help' (a path named '\(first)' does not exist)\n")
            return .failure
        }
        return LintCommand(output: io.output, errors: io.errors).run(arguments, standardInput: io.standardInput)
    }

    /// A first word that is no existing path and reads like a command (lower-case
    /// letters and dashes): `lnit` is a misspelt command, `Dockerfile` or `./x` a path.
    private static func looksLikeCommand(_ word: String) -> Bool {
        guard let first = word.utf8.first, (0x61...0x7A).contains(first),
              word.utf8.allSatisfy({ (0x61...0x7A).contains($0) || $0 == 0x2D }) else { return false }
        return access(word, F_OK) != 0
    }

    /// `dockwright help [COMMAND]`.
    private static func help(_ arguments: [String], _ io: Invocation) -> ExitCode {
        guard let name = arguments.first else {
            io.output.write(usage)
            return .success
        }
        if name == "internal" {
            io.output.write("Internal commands, for the scripts in scripts/ (not a stable interface):\n"
                + ArgumentParser.table(Subcommand.all.filter(\.isInternal).map {
                    ("dockwright \($0.name) \($0.synopsis)", $0.summary)
                }) + "\n")
            return .success
        }
        guard let command = Subcommand.named(name) else {
            let candidates = Subcommand.all.filter { !$0.isInternal }.flatMap { [$0.name] + $0.aliases }
            io.errors.write("dockwright help: unknown command '\(name)'" + Suggestion.didYouMean(name, among: candidates)
                + "; run 'dockwright --help'\n")
            return .failure
        }
        return command.run(io.with(arguments: ["--help"]))
    }
}

/// What a command runs with: its arguments and the three standard streams.
struct Invocation {
    /// The arguments after the command's name.
    let arguments: [String]
    /// Reads all of standard input; called only when a command asks for `-`.
    let standardInput: () throws -> [UInt8]
    /// Standard output.
    let output: OutputStream
    /// Standard error.
    let errors: OutputStream

    /// The same streams with other arguments.
    func with(arguments: [String]) -> Invocation {
        Invocation(arguments: arguments, standardInput: standardInput, output: output, errors: errors)
    }
}

/// One command of the tool: the table `--help`, `help COMMAND`, the dispatcher and
/// the shell completions are generated from. A new command is one entry in ``all``.
struct Subcommand: Sendable {
    /// The name typed after `dockwright`.
    let name: String
    /// Other spellings (`check` for `lint`, as ruff spells it).
    var aliases: [String] = []
    /// The arguments, for the usage line: `[OPTIONS] [PATH ...|-]`.
    let synopsis: String
    /// One line for the top-level help.
    let summary: String
    /// The options, for completions (each command prints its own `--help`).
    var options: [OptionSpec] = []
    /// The words completed after the command when it takes no paths (`completion bash`).
    var argumentChoices: [String] = []
    /// Harness commands the scripts use: kept working, left out of help and completion.
    var isInternal = false
    /// Runs the command.
    let run: @Sendable (Invocation) -> ExitCode

    /// The command called `name` or one of its aliases.
    static func named(_ name: String) -> Subcommand? {
        all.first { $0.name == name || $0.aliases.contains(name) }
    }

    /// Every command, in help order.
    static let all: [Subcommand] = [
        Subcommand(
            name: "lint", aliases: ["check"], synopsis: "[OPTIONS] [PATH ...|-]",
            summary: "report findings (folders are searched for Dockerfiles)", options: LintCommand.options
        ) { LintCommand(output: $0.output, errors: $0.errors).run($0.arguments, standardInput: $0.standardInput) },
        Subcommand(
            name: "fix", synopsis: "[--unsafe] [--diff|--check] [PATH ...|-]",
            summary: "apply safe fixes (and unsafe ones with --unsafe)", options: FixCommand.options
        ) { FixCommand(output: $0.output, errors: $0.errors).run($0.arguments, standardInput: $0.standardInput) },
        Subcommand(
            name: "rules", synopsis: "[--markdown] [CODE|NAME]", summary: "list the rules, or explain one",
            options: RulesCommand.options
        ) { RulesCommand(output: $0.output, errors: $0.errors).run($0.arguments) },
        Subcommand(
            name: "dump", synopsis: "[--sexp] [FILE ...|-]",
            summary: "print the instructions as BuildKit's parser reads them", options: DumpCommand.options
        ) { DumpCommand(output: $0.output, errors: $0.errors).run($0.arguments, standardInput: $0.standardInput) },
        Subcommand(
            name: "pin", synopsis: "[--check|--diff] [--refresh] [PATH ...]",
            summary: "pin image tags to the digests registries serve (network)", options: PinCommand.options
        ) { PinCommand(output: $0.output, errors: $0.errors, environment: ProcessEnvironment.current()).run($0.arguments) },
        Subcommand(
            name: "server", aliases: ["lsp"], synopsis: "[--stdio]",
            summary: "run the language server on standard input and output", options: ServerCommand.options
        ) { ServerCommand(output: $0.output, errors: $0.errors).run($0.arguments) },
        Subcommand(
            name: "completion", synopsis: "bash|zsh|fish", summary: "print a shell completion script",
            options: CompletionCommand.options, argumentChoices: CompletionCommand.shells
        ) { CompletionCommand(output: $0.output, errors: $0.errors).run($0.arguments) },
        Subcommand(
            name: "install-docker-plugin", synopsis: "[--directory DIR]",
            summary: "link dockwright as the docker CLI plugin, for 'docker lint'", options: DockerPlugin.options
        ) { DockerPlugin.install($0.arguments, output: $0.output, errors: $0.errors) },
        Subcommand(
            name: "shell-commands", synopsis: "--batch < PATHS",
            summary: "the simple commands of each RUN script, as JSON lines (scripts/check-shell.sh)", isInternal: true
        ) { ShellCommandsCommand(output: $0.output, errors: $0.errors).run($0.arguments, standardInput: $0.standardInput) },
        Subcommand(
            name: "bench-parse", synopsis: "[--repeat N] [--shell] FILE ...",
            summary: "time parsing in-process (the benchmark scripts)", isInternal: true
        ) { BenchParseCommand(output: $0.output, errors: $0.errors).run($0.arguments) },
    ]
}
