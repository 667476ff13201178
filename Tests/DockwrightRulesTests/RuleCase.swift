import DockwrightCore
import DockwrightRules
import DockwrightSyntax
import Testing

/// One rule as a test argument, named by its code and name.
struct RuleCase: Sendable, CustomTestStringConvertible {
    let rule: any Rule.Type

    var description: RuleDescription { rule.description }
    var testDescription: String { "\(description.code) \(description.name)" }

    static let all = BuiltinRules.all.map(RuleCase.init)

    /// A linter running only this rule, with the rule's example options and an optional build context.
    func linter(_ buildContext: BuildContextListing? = nil) -> Linter {
        Linter(rules: [rule.init()], buildContext: buildContext, options: description.exampleOptions)
    }

    /// This rule's diagnostics for `text`.
    func diagnostics(_ text: String, context: BuildContextListing? = nil) -> [Diagnostic] {
        linter(context).lint(SourceFile(path: "Dockerfile", text: text)).diagnostics.filter { $0.code == description.code }
    }

    /// `text` fixed at `level` with only this rule.
    func fixed(_ text: String, level: Applicability, context: BuildContextListing? = nil) -> String {
        let result = linter(context).fix(SourceFile(path: "Dockerfile", text: text), level: level)
        return String(decoding: result.output, as: UTF8.self)
    }

    /// The changes to files beside the Dockerfile that fixing `text` at `level` asks for.
    func fileEdits(_ text: String, level: Applicability, context: BuildContextListing? = nil) -> [FileEdit] {
        linter(context).fix(SourceFile(path: "Dockerfile", text: text), level: level).fileEdits.map(\.edit)
    }
}

/// Turns an example's location into a Swift Testing source location.
func location(file: String, line: Int) -> SourceLocation {
    SourceLocation(fileID: "DockwrightRules/\(file.split(separator: "/").last ?? "")", filePath: file, line: line, column: 1)
}
