import DockwrightCore
import DockwrightOutput
import DockwrightRules
import DockwrightSyntax

/// `dockwright fix [--unsafe] [--diff|--check] [PATH ...|-]`: applies fixes in place,
/// or with `-` reads standard input and writes the fixed file to standard output.
struct FixCommand {
    let output: OutputStream
    let errors: OutputStream

    private struct Options {
        var level = Applicability.safe
        var showsDiff = false
        var checksOnly = false
        var isBatch = false
        var paths: [String] = []
    }

    func run(_ arguments: [String], standardInput: () throws -> [UInt8]) -> ExitCode {
        var options = Options()
        for argument in arguments {
            switch argument {
            case "--unsafe": options.level = .unsafe
            case "--diff": options.showsDiff = true
            case "--check": options.checksOnly = true
            case "--batch": options.isBatch = true
            default:
                if argument.hasPrefix("-") && argument != "-" {
                    errors.write("dockwright fix: unknown option '\(argument)'\n")
                    return .failure
                }
                options.paths.append(argument)
            }
        }
        let linter = Linter(rules: BuiltinRules.instances())
        if options.isBatch { return runBatch(linter, options, standardInput) }
        if options.paths == ["-"] { return fixStandardInput(linter, options, standardInput) }
        if options.paths.isEmpty { options.paths = ["."] }
        let (files, discoveryErrors) = FileDiscovery.files(in: options.paths)
        var status = ExitCode.success
        for error in discoveryErrors {
            errors.write(error + "\n")
            status = .failure
        }
        for path in files {
            guard let bytes = try? FileReader.read(path: path) else {
                errors.write("\(path): cannot read\n")
                status = .failure
                continue
            }
            let result = linter.fix(SourceFile(path: path, bytes: bytes), level: options.level)
            report(result, path: path)
            guard result.output != bytes else { continue }
            if options.showsDiff {
                output.write(UnifiedDiff.render(old: bytes, new: result.output, path: path))
                if status == .success { status = .findings }
            } else if options.checksOnly {
                output.write("would fix \(path)\n")
                if status == .success { status = .findings }
            } else if !FileWriter.replace(path: path, with: result.output) {
                errors.write("\(path): cannot write\n")
                status = .failure
            }
        }
        return status
    }

    /// The editor on-save path: the fixed file on standard output, nothing else; on
    /// any failure the input goes back unchanged and the exit code is 2.
    private func fixStandardInput(_ linter: Linter, _ options: Options, _ standardInput: () throws -> [UInt8]) -> ExitCode {
        guard let bytes = try? standardInput() else {
            errors.write("<stdin>: cannot read\n")
            return .failure
        }
        let result = linter.fix(SourceFile(path: "<stdin>", bytes: bytes), level: options.level)
        output.write(String(decoding: result.output, as: UTF8.self))
        report(result, path: "<stdin>")
        return .success
    }

    /// One JSON line per path read from standard input; writes nothing to disk.
    private func runBatch(_ linter: Linter, _ options: Options, _ standardInput: () throws -> [UInt8]) -> ExitCode {
        guard let list = try? standardInput() else { return .failure }
        let json = BuildKitDump.jsonString
        for line in list.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let path = String(decoding: line, as: UTF8.self)
            guard let bytes = try? FileReader.read(path: path) else {
                output.write("{\"path\": \(json(path)), \"changed\": false, \"output\": \"\", \"applied\": [], "
                    + "\"rejected\": [], \"converged\": true, \"error\": \"cannot read\"}\n")
                continue
            }
            let result = linter.fix(SourceFile(path: path, bytes: bytes), level: options.level)
            let applied = result.applied.map { "{\"code\": \(json($0.code)), \"title\": \(json($0.fix.title))}" }
            let rejected = result.rejected.map { "{\"code\": \(json($0.code)), \"title\": \(json($0.title))}" }
            output.write("{\"path\": \(json(path)), \"changed\": \(result.output != bytes), "
                + "\"output\": \(json(String(decoding: result.output, as: UTF8.self))), "
                + "\"applied\": [\(applied.joined(separator: ", "))], \"rejected\": [\(rejected.joined(separator: ", "))], "
                + "\"converged\": \(!result.didNotConverge), \"error\": null}\n")
        }
        return .success
    }

    private func report(_ result: FixResult, path: String) {
        for rejected in result.rejected {
            errors.write("\(path): dropped the fix '\(rejected.title)' of \(rejected.code): it would make the file invalid\n")
        }
        if result.didNotConverge {
            errors.write("\(path): fixes did not converge; the last result was kept\n")
        }
    }
}
