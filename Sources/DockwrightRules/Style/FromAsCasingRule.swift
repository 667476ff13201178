import DockwrightCore
import DockwrightSyntax

/// Flags an `AS` whose letter case differs from its `FROM` keyword's.
public struct FromAsCasingRule: Rule {
    public static let description = RuleDescription(
        code: "DW101", name: "from-as-casing", category: .style,
        summary: "The `AS` keyword should match the case of the `FROM` keyword", severity: .warning, fix: .sometimes,
        rationale: """
            ## Why
            `FROM` and `AS` are read in any case, but `FROM image as name` or \
            `from image AS name` mixes two styles on one line.

            Like BuildKit, only a `FROM` written all in lower case or all in upper case is \
            checked; a mixed-case keyword (`From`) is the business of \
            `consistent-instruction-casing` (DW102).

            ## Fix safety
            The fix rewrites `AS` in the case of `FROM`; keywords are case-insensitive, so \
            the build is the same.

            ## References
            BuildKit check `FromAsCasing`.
            """,
        triggering: [
            Example("FROM golang:1.22 ↓as build\n"),
            Example("from golang:1.22 ↓AS build\n"),
            Example("FROM golang:1.22 ↓As build\n"),
        ],
        nonTriggering: [
            Example("FROM golang:1.22 AS build\n"),
            Example("from golang:1.22 as build\n"),
            Example("From golang:1.22 as build\n"),
            Example("FROM golang:1.22\n"),
        ],
        fixes: [
            FixExample("FROM golang:1.22 as build\n", "FROM golang:1.22 AS build\n", .safe),
            FixExample("from  golang:1.22  As \\\n  build\n", "from  golang:1.22  as \\\n  build\n", .safe),
        ],
        buildKitCheckName: "FromAsCasing"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.stages.stages.compactMap { stage in
            // Mirrors BuildKit's doesFromCaseMatchAsCase.
            let from = stage.from.keyword.text
            guard case .words(let words) = stage.from.arguments, words.count >= 3 else { return nil }
            let isLower = from == from.lowercased()
            guard isLower || from == from.uppercased() else { return nil }
            let word = words[1]
            let expected = isLower ? word.text.lowercased() : word.text.uppercased()
            guard word.text != expected else { return nil }
            let fix = word.text.lowercased() == "as" && context.syntax.source.text(in: word.range) == word.text
                ? Fix(title: "Write `\(expected)`", applicability: .safe,
                      edits: [Edit(range: word.range, replacement: expected)])
                : nil
            return Violation(
                range: word.range, message: "`\(word.text)` and `\(from)` keywords' casing do not match; write `\(expected)`",
                fix: fix)
        }
    }
}
