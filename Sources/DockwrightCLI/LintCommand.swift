import DockwrightCore
import DockwrightOutput
import DockwrightRules
import DockwrightSyntax

/// `dockwright lint [PATH ...|-]`: reports findings; exits 1 when there are any.
struct LintCommand {
    let output: OutputStream
    let errors: OutputStream

    func run(_ arguments: [String], standardInput: () throws -> [UInt8]) -> ExitCode {
        var paths: [String] = []
        for argument in arguments {
            if argument.hasPrefix("-") && argument != "-" {
                errors.write("dockwright lint: unknown option '\(argument)'\n")
                return .failure
            }
            paths.append(argument)
        }
        if paths.isEmpty { paths = ["."] }
        let linter = Linter(rules: BuiltinRules.instances())
        var results: [LintResult] = []
        var status = ExitCode.success
        let (files, discoveryErrors) = paths == ["-"] ? (["-"], []) : FileDiscovery.files(in: paths.filter { $0 != "-" })
        for error in discoveryErrors {
            errors.write(error + "\n")
            status = .failure
        }
        for path in files {
            let bytes: [UInt8]
            do {
                bytes = path == "-" ? try standardInput() : try FileReader.read(path: path)
            } catch {
                errors.write("\(path): cannot read: \((error as? FileReader.ReadError)?.reason ?? "\(error)")\n")
                status = .failure
                continue
            }
            results.append(linter.lint(SourceFile(path: path == "-" ? "<stdin>" : path, bytes: bytes)))
        }
        output.write(TextFormatter().format(results))
        if status == .success && results.contains(where: { !$0.diagnostics.isEmpty }) { status = .findings }
        return status
    }
}
