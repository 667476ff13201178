import DockwrightCore
import DockwrightSyntax

/// Flags blank lines inside an instruction continued with the escape character.
public struct NoEmptyContinuationRule: Rule {
    public static let description = RuleDescription(
        code: "DW103", name: "no-empty-continuation", category: .style,
        summary: "Empty continuation lines will become errors in a future release", severity: .warning,
        fix: .always,
        rationale: """
            ## Why
            A blank line inside an instruction continued with `\\` looks like the end of the \
            instruction, yet BuildKit skips it and keeps joining lines, so the next line \
            still belongs to the instruction. BuildKit warns that such lines will become \
            errors (moby/moby#33719).

            Like BuildKit, an instruction is reported once, from its keyword to its first blank line; comment \
            lines inside a continuation are fine, and lines inside a heredoc are never \
            continuation lines.

            ## Fix safety
            The fix deletes the blank lines (whitespace only) inside the instruction. BuildKit \
            skips them when it joins the lines, so the instruction reads the same.

            ## References
            BuildKit check `NoEmptyContinuation`.
            """,
        triggering: [
            Example("FROM alpine:3.20\n↓RUN apk add --no-cache \\\n    curl \\\n\n    git\n"),
            Example("FROM alpine:3.20\n↓RUN a \\\n  \n  && b \\\n\n  && c\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nRUN apk add --no-cache \\\n    curl \\\n    git\n\nRUN true\n"),
            Example("FROM alpine:3.20\nRUN apk add --no-cache \\\n    # version control\n    git\n"),
            Example("FROM alpine:3.20\nRUN <<EOF\na\n\nb\nEOF\n"),
        ],
        fixes: [
            FixExample(
                "FROM alpine:3.20\nRUN apk add --no-cache \\\n    curl \\\n\n    # vcs\n  \n    git\n",
                "FROM alpine:3.20\nRUN apk add --no-cache \\\n    curl \\\n    # vcs\n    git\n", .safe),
            FixExample("# escape=`\nFROM alpine:3.20\nRUN a `\n\n  b\n", "# escape=`\nFROM alpine:3.20\nRUN a `\n  b\n", .safe),
        ],
        buildKitCheckName: "NoEmptyContinuation"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let source = context.syntax.source
        return context.syntax.instructions.compactMap { instruction in
            let blanks = instruction.lines.filter { $0.role == .emptyContinuation }
            guard let first = blanks.first else { return nil }
            // From the keyword to the blank line: a pragma above the instruction must cover it.
            let line = source.location(of: first.range.start).line
            if let swallowed = Self.swallowedInstruction(in: instruction, after: blanks, source: source) {
                // Deleting the blank line would keep the mistake: the `\` before it is what
                // joins the next instruction into this one.
                return Violation(
                    range: TextRange(start: instruction.keyword.range.start, end: first.range.start),
                    message: "The `\\` before the empty line \(line) continues this \(instruction.keyword.text) into "
                        + "`\(swallowed)` on the next line, which BuildKit reads as part of it; "
                        + "delete that trailing `\\` if `\(swallowed.split(separator: " ").first ?? "")` is meant "
                        + "as its own instruction")
            }
            return Violation(
                range: TextRange(start: instruction.keyword.range.start, end: first.range.start),
                message: "Empty continuation line (line \(line)); delete it, BuildKit skips it",
                fix: Fix(title: "Delete the empty continuation lines", applicability: .safe,
                         edits: blanks.map { Edit.delete($0.range) }))
        }
    }
}

private extension NoEmptyContinuationRule {
    /// The first line after the last empty continuation line when it starts with an
    /// instruction keyword (`COPY . /app`): a `\` that swallowed the next instruction.
    static func swallowedInstruction(
        in instruction: InstructionSyntax, after blanks: [InstructionSyntax.Line], source: SourceFile
    ) -> String? {
        guard let lastBlank = blanks.last,
              let next = instruction.lines.first(where: { $0.range.start >= lastBlank.range.end && $0.role == .continuation })
        else { return nil }
        let text = source.text(in: next.range).trimmingBlanks
        guard let keyword = text.split(separator: " ").first, InstructionKind(keyword: String(keyword)) != nil,
              keyword == keyword.uppercased() else { return nil }
        let trimmed = text.hasSuffix("\\") ? String(text.dropLast()).trimmingBlanks : text
        return trimmed.count > 60 ? String(trimmed.prefix(57)) + "..." : trimmed
    }
}

private extension String {
    /// The text without leading and trailing blanks and line ends.
    var trimmingBlanks: String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(drop(while: isBlank).reversed().drop(while: isBlank).reversed())
    }
}
