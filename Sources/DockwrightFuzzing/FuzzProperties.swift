import DockwrightCore
import DockwrightRules
import DockwrightSyntax

/// The properties every input must keep on its way through dockwright, whatever its
/// bytes: the fuzz entry point (scripts/fuzz) aborts when one breaks, and the replay
/// test runs every saved crasher through the same checks.
public enum FuzzProperties {
    /// A broken property, worded for a crash report or a test failure.
    public struct Violation: Error, CustomStringConvertible, Sendable {
        /// What broke.
        public let description: String
    }

    /// Every rule, enabled by default or not, so the fuzzer reaches all of them.
    private static let linter = Linter(rules: BuiltinRules.instances())

    /// Checks one input: parse → print equals the input → lint → safe and unsafe fix
    /// through the CLI's fix loop → the output re-parses as well as the input did →
    /// fixing the output again changes nothing.
    public static func check(_ bytes: [UInt8]) throws(Violation) {
        let source = SourceFile(path: "<fuzz>", bytes: bytes)
        let syntax = DockerfileSyntax.parse(source)
        guard syntax.printedBytes() == bytes else { throw Violation(description: "printing the tree does not give the input back") }
        try checkRanges(of: linter.lint(syntax), size: bytes.count)
        for level in [Applicability.safe, .unsafe] {
            let fixed = linter.fix(source, level: level)
            // The loop drops any pass that makes a file BuildKit accepted unparsable.
            let reparsed = DockerfileSyntax.parse(SourceFile(path: "<fuzz>", bytes: fixed.output))
            if !syntax.hasParserErrors && reparsed.hasParserErrors {
                throw Violation(description: "the \(level.rawValue) fix made the file unparsable: \(reparsed.errors)")
            }
            guard reparsed.printedBytes() == fixed.output else {
                throw Violation(description: "printing the \(level.rawValue)-fixed tree does not give its bytes back")
            }
            // A loop stopped at its pass limit has fixes pending by definition; the
            // CLI says so, and fixing again rightly continues. An unchanged file
            // would only repeat the same computation.
            guard !fixed.didNotConverge, fixed.output != bytes else { continue }
            let again = linter.fix(SourceFile(path: "<fuzz>", bytes: fixed.output), level: level)
            guard again.output == fixed.output else {
                let codes = again.applied.map(\.code).joined(separator: ", ")
                throw Violation(description: "fixing the \(level.rawValue) output again changed it (\(codes))")
            }
        }
    }

    /// Findings and their edits must point inside the file, the edits in order and
    /// apart, or the formatters and the fix applier would read out of bounds.
    private static func checkRanges(of result: LintResult, size: Int) throws(Violation) {
        func isValid(_ range: TextRange) -> Bool { 0 <= range.start && range.start <= range.end && range.end <= size }
        for diagnostic in result.diagnostics {
            guard isValid(diagnostic.range) else {
                throw Violation(description: "\(diagnostic.code) reports \(diagnostic.range) in a file of \(size) bytes")
            }
            let edits = diagnostic.fix?.edits ?? []
            for (index, edit) in edits.enumerated() {
                guard isValid(edit.range) else {
                    throw Violation(description: "\(diagnostic.code) edits \(edit.range) in a file of \(size) bytes")
                }
                if index > 0 && edits[index - 1].range.end > edit.range.start {
                    throw Violation(description: "\(diagnostic.code) has overlapping edits \(edits[index - 1].range), \(edit.range)")
                }
            }
        }
    }
}
