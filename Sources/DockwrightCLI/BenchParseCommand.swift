import DockwrightShell
import DockwrightSyntax

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `dockwright bench-parse [--repeat N] [--shell] FILE...`: parses files in-process
/// (with `--shell`, also the shell scripts of their RUN instructions) and prints how
/// long it took, for the benchmark scripts. Not part of the documented interface.
struct BenchParseCommand {
    let output: OutputStream
    let errors: OutputStream

    func run(_ arguments: [String]) -> ExitCode {
        var repeats = 1
        var paths: [String] = []
        var parsesShell = false
        var index = 0
        while index < arguments.count {
            if arguments[index] == "--shell" {
                parsesShell = true
                index += 1
                continue
            }
            if arguments[index] == "--repeat", index + 1 < arguments.count, let count = Int(arguments[index + 1]) {
                repeats = Swift.max(1, count)
                index += 2
                continue
            }
            paths.append(arguments[index])
            index += 1
        }
        var sources: [SourceFile] = []
        for path in paths {
            guard let bytes = try? FileReader.read(path: path) else {
                errors.write("\(RawPath.display(path)): cannot read\n")
                return .failure
            }
            sources.append(SourceFile(path: RawPath.display(path), bytes: bytes))
        }
        var instructionCount = 0
        var scriptCount = 0
        let start = monotonicSeconds()
        for _ in 0..<repeats {
            for source in sources {
                let syntax = DockerfileSyntax.parse(source)
                instructionCount &+= syntax.items.count
                if parsesShell { scriptCount &+= RunScript.scripts(in: syntax).count }
            }
        }
        let seconds = monotonicSeconds() - start
        let byteCount = sources.reduce(0) { $0 + $1.bytes.count } * repeats
        output.write("bytes=\(byteCount) files=\(sources.count * repeats) seconds=\(seconds) items=\(instructionCount) scripts=\(scriptCount)\n")
        return .success
    }

    private func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000
    }
}
