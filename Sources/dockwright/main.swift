import DockwrightCLI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
// glibc raises its mmap threshold to the size of each mapped block freed, up to 32 MiB,
// so after a large file's first big list is freed the later ones (each rule's findings,
// the tables that grow while it is linted) come from the main heap, where the holes they
// leave stay resident. Fixed at glibc's default of 128 KiB, every large block keeps a
// mapping of its own and returns to the system when freed: 7 MB less peak memory on a
// 4 MB file of many stages (issue 13's budget).
// Swift's Glibc module leaves out <malloc.h>, hence the look-up; -3 is its M_MMAP_THRESHOLD.
if let symbol = dlsym(nil, "mallopt") {
    let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
    _ = mallopt(-3, 128 * 1024)
}
#endif

// Paths arrive as bytes; argv[0] tells whether docker runs us as its `docker-lint` plugin.
let arguments = CommandLineTool.rawArguments(count: CommandLine.argc, values: CommandLine.unsafeArgv)
exit(CommandLineTool.main(arguments: Array(arguments.dropFirst()), programPath: arguments.first))
