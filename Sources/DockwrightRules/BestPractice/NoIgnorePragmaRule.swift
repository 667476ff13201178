import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags inline ignore pragmas, for teams that want every exception in configuration.
public struct NoIgnorePragmaRule: Rule {
    public static let description = RuleDescription(
        code: "DL1001", name: "no-ignore-pragma", category: .bestPractice,
        summary: "Do not silence findings with inline ignore comments", severity: .info, isEnabledByDefault: false,
        fix: .none,
        rationale: """
            ## Why
            A policy rule, off by default (hadolint's severity is `ignore`). Teams that \
            enforce a rule set in CI may want exceptions to go through the shared \
            configuration, where they are reviewed, rather than `# hadolint ignore=…` \
            comments anyone can add next to the code. Select `DL1001` to report every such \
            comment.

            Deliberate difference from hadolint, which reports only `# hadolint ignore=`: \
            dockwright's own `# dockwright ignore=` and the `global ignore=` forms of both \
            silence findings the same way, so they are reported too. A comment that \
            silences this rule itself for the next instruction is still reported.

            ## References
            hadolint DL1001 (see also hadolint's `--disable-ignore-pragma`).
            """,
        triggering: [
            Example("FROM alpine:3.20\n↓# hadolint ignore=DL3018\nRUN apk add curl\n"),
            Example("↓# dockwright global ignore=DL3007\nFROM alpine:latest\n"),
        ],
        nonTriggering: [
            Example("# syntax=docker/dockerfile:1\nFROM alpine:3.20\n# install curl\nRUN apk add curl\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let source = context.syntax.source
        return context.syntax.items.compactMap { item -> Violation? in
            guard case .trivia(let line) = item, line.kind == .comment else { return nil }
            let text = source.text(in: line.range)
            guard let pragma = Pragma(comment: text), case .ignore(let entries, let isGlobal) = pragma.directive
            else { return nil }
            // Point at the `#`, not at indentation, and leave the line end out.
            let leading = text.utf8.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.count
            let trailing = text.utf8.reversed().prefix { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }.count
            let range = TextRange(start: line.range.start + leading, end: line.range.end - trailing)
            let scope = isGlobal ? "for the whole file" : "for the next instruction"
            return Violation(
                range: range,
                message: "This comment silences \(entries.sorted().joined(separator: ", ")) \(scope); "
                    + "fix the finding or list the exception in the configuration")
        }
    }
}
