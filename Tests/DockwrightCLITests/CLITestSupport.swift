import DockwrightCLI
import Foundation

/// What one in-process run of the tool produced.
struct RunResult {
    let exitCode: ExitCode
    let standardOutput: String
    let standardError: String
}

/// Runs the command line in-process with captured streams.
func runTool(_ arguments: [String], standardInput: String = "") -> RunResult {
    let output = BufferedOutput()
    let errors = BufferedOutput()
    let code = CommandLineTool.run(
        arguments: arguments, standardInput: { Array(standardInput.utf8) },
        standardOutput: output, standardError: errors)
    return RunResult(exitCode: code, standardOutput: output.text, standardError: errors.text)
}

/// Paths in the repository, found from this file.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let examples = root.appendingPathComponent("Examples")

    /// Whether golden files should be rewritten instead of compared.
    static var updatesGoldens: Bool { ProcessInfo.processInfo.environment["DOCKWRIGHT_UPDATE_GOLDENS"] == "1" }
}
