import DockwrightSyntax

/// `dockwright dump`: prints what BuildKit's parser reads, for checking against it.
struct DumpCommand {
    let output: OutputStream
    let errors: OutputStream

    static let options: [OptionSpec] = [
        OptionSpec(names: ["--sexp"], value: nil, help: "print BuildKit's own s-expression dump instead of JSON"),
        OptionSpec(names: ["--batch"], value: nil, help: "read file paths from standard input; print one JSON line per file"),
        OptionSpec(names: ["--help", "-h"], value: nil, help: "show this help"),
    ]

    static let help = ArgumentParser.commandHelp("dump [--sexp] [FILE ...|-]", options) + """

        dump prints a JSON array with one object per instruction (cmd, sub_cmd, json,
        original, start_line, end_line, flags, value, heredocs), or with --sexp
        BuildKit's own s-expression dump. Errors go to standard error as
        FILE:LINE:COLUMN: error: MESSAGE. Exit 1 when BuildKit's parser rejects a file.

        """

    func run(_ arguments: [String], standardInput: () throws -> [UInt8]) -> ExitCode {
        let parsed: ParsedArguments
        do {
            parsed = try ArgumentParser.parse(arguments, options: Self.options, command: "dump")
        } catch {
            errors.write(error.message + "\n")
            return .failure
        }
        if parsed.has("--help") {
            output.write(Self.help)
            return .success
        }
        var paths = parsed.positional
        let usesSExpressions = parsed.has("--sexp")
        let isBatch = parsed.has("--batch")
        if isBatch { return runBatch(list: standardInput) }
        if paths.isEmpty { paths = ["-"] }
        var worst = ExitCode.success
        for path in paths {
            let source: SourceFile
            do {
                let bytes = path == "-" ? try standardInput() : try FileReader.read(path: path)
                source = SourceFile(path: path == "-" ? "<stdin>" : RawPath.display(path), bytes: bytes)
            } catch {
                errors.write("\(RawPath.display(path)): cannot read: \(describe(error))\n")
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
            let quotedPath = BuildKitDump.jsonString(RawPath.display(path))
            guard let bytes = try? FileReader.read(path: path) else {
                output.write("{\"path\": \(quotedPath), \"ok\": false, \"error\": \"cannot read\"}\n")
                worst = .failure
                continue
            }
            let syntax = DockerfileSyntax.parse(SourceFile(path: RawPath.display(path), bytes: bytes))
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
