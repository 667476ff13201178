import DockwrightSyntax

/// `dockwright dump`: prints what BuildKit's parser reads, for checking against it.
struct DumpCommand {
    let output: OutputStream
    let errors: OutputStream

    func run(_ arguments: [String], standardInput: () throws -> [UInt8]) -> ExitCode {
        var paths: [String] = []
        var usesSExpressions = false
        var isBatch = false
        var onlyPaths = false
        for argument in arguments {
            if onlyPaths || argument == "-" || !argument.hasPrefix("-") {
                paths.append(argument)
                continue
            }
            switch argument {
            case "--": onlyPaths = true
            case "--sexp": usesSExpressions = true
            case "--batch": isBatch = true
            case "--help", "-h":
                output.write(CommandLineTool.usage)
                return .success
            default:
                errors.write("dockwright dump: unknown option '\(argument)'\n")
                return .failure
            }
        }
        if isBatch { return runBatch(list: standardInput) }
        if paths.isEmpty { paths = ["-"] }
        var worst = ExitCode.success
        for path in paths {
            let source: SourceFile
            do {
                let bytes = path == "-" ? try standardInput() : try FileReader.read(path: path)
                source = SourceFile(path: path == "-" ? "<stdin>" : path, bytes: bytes)
            } catch {
                errors.write("\(path): cannot read: \(describe(error))\n")
                worst = .failure
                continue
            }
            let syntax = DockerfileSyntax.parse(source)
            output.write(usesSExpressions ? BuildKitDump.sExpressions(syntax) : BuildKitDump.json(syntax) + "\n")
            report(syntax)
            if syntax.hasParserErrors && worst == .success { worst = .findings }
        }
        return worst
    }

    /// Reads paths from standard input and prints one JSON line per file, so a whole
    /// corpus is checked in one process.
    private func runBatch(list readList: () throws -> [UInt8]) -> ExitCode {
        guard let paths = FileReader.pathList(readList, reportingTo: errors) else { return .failure }
        var worst = ExitCode.success
        for path in paths {
            let quotedPath = BuildKitDump.jsonString(path)
            guard let bytes = try? FileReader.read(path: path) else {
                output.write("{\"path\": \(quotedPath), \"ok\": false, \"error\": \"cannot read\"}\n")
                worst = .failure
                continue
            }
            let syntax = DockerfileSyntax.parse(SourceFile(path: path, bytes: bytes))
            if syntax.hasParserErrors {
                let first = syntax.errors.first { $0.stage == .parser }
                let message = first.map { BuildKitDump.jsonString($0.message) } ?? "\"\""
                output.write("{\"path\": \(quotedPath), \"ok\": false, \"error\": \(message)}\n")
            } else {
                let instructions = syntax.instructions.map(BuildKitDump.jsonObject).joined(separator: ", ")
                output.write("{\"path\": \(quotedPath), \"ok\": true, \"instructions\": [\(instructions)]}\n")
            }
        }
        return worst
    }

    private func report(_ syntax: DockerfileSyntax) {
        for error in syntax.errors {
            let location = syntax.source.location(of: error.range.start)
            let label = error.stage == .parser ? "error" : "error (build)"
            errors.write("\(syntax.source.path):\(location.line):\(location.column): \(label): \(error.message)\n")
        }
    }

    private func describe(_ error: any Error) -> String {
        (error as? FileReader.ReadError)?.reason ?? "\(error)"
    }
}
