import DockwrightCLI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// argv[0] tells whether docker runs us as its `docker-lint` plugin.
exit(CommandLineTool.main(arguments: Array(CommandLine.arguments.dropFirst()), programPath: CommandLine.arguments.first))
