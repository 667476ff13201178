import DockwrightCLI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

exit(CommandLineTool.main(arguments: Array(CommandLine.arguments.dropFirst())))
