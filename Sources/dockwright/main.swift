import DockwrightCLI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Paths arrive as bytes; argv[0] tells whether docker runs us as its `docker-lint` plugin.
let arguments = CommandLineTool.rawArguments(count: CommandLine.argc, values: CommandLine.unsafeArgv)
exit(CommandLineTool.main(arguments: Array(arguments.dropFirst()), programPath: arguments.first))
