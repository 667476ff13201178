import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags `MAINTAINER`, deprecated since Docker 1.13 in favour of a label.
public struct MaintainerDeprecatedRule: Rule {
    public static let description = RuleDescription(
        code: "DL4000", name: "maintainer-deprecated", category: .bestPractice,
        summary: "`MAINTAINER` is deprecated; use a label for the image author", severity: .error, fix: .sometimes,
        rationale: """
            ## Why
            `MAINTAINER` has been deprecated since Docker 1.13. It writes the legacy `Author` \
            field of the image configuration, which few tools read. The OCI annotation \
            `org.opencontainers.image.authors`, set with `LABEL`, is where registries, scanners \
            and `docker inspect` users look for the author.

            ## Fix safety
            The fix replaces `MAINTAINER <text>` with \
            `LABEL org.opencontainers.image.authors="<text>"`, keyword in the same letter case. \
            `MAINTAINER` takes its text literally while `LABEL` expands variables and processes \
            quotes, so the fix writes the text in double quotes with `"`, `$` and the escape \
            character escaped: the label's value is exactly the old text. The image then has \
            the label instead of the `Author` field; the fix is still safe because only \
            metadata changes, never the file system or the command. When the file already sets \
            `org.opencontainers.image.authors` with a `LABEL`, the new label could override \
            that one, so the fix is unsafe there. (A label of the same name inherited from the \
            base image is overridden too; the `MAINTAINER` says who the author of this image \
            is, so that is the intent.) A `MAINTAINER` continued over several lines is \
            reported without a fix, since its comment lines could not be kept.

            ## References
            hadolint DL4000; BuildKit check `MaintainerDeprecated`; \
            https://docs.docker.com/reference/dockerfile/#maintainer-deprecated
            """,
        triggering: [
            Example("FROM alpine:3.20\n↓MAINTAINER Jane Doe <jane@example.com>\n"),
            Example("FROM alpine:3.20\n↓maintainer jane\n"),
            Example("FROM alpine:3.20\n↓MAINTAINER Jane \\\n  Doe\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\n"),
            Example("FROM alpine:3.20\n# MAINTAINER jane\n"),
        ],
        fixes: [
            FixExample(
                "FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>\n",
                "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\n", .safe),
            FixExample(
                "FROM alpine:3.20\n  maintainer  \"Jane\" $HOME \\n  # not a comment\nRUN true\n",
                "FROM alpine:3.20\n  label org.opencontainers.image.authors=\"\\\"Jane\\\" \\$HOME \\\\n  # not a comment\"\nRUN true\n",
                .safe),
            FixExample(
                "# escape=`\nFROM alpine:3.20\nMAINTAINER C:\\Users\\jane `$x\n",
                "# escape=`\nFROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"C:\\Users\\jane ```$x\"\n", .safe),
            FixExample(
                "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=team\nMAINTAINER jane\n",
                "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=team\n"
                    + "LABEL org.opencontainers.image.authors=\"jane\"\n", .unsafe),
        ],
        buildKitCheckName: "MaintainerDeprecated"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let setsAuthors = context.syntax.instructions.contains { instruction in
            guard instruction.kind == .label, case .keyValuePairs(let pairs, _) = instruction.arguments else { return false }
            return pairs.contains { InstructionText.unquoted($0.key.text) == Self.authorsKey }
        }
        return context.syntax.instructions.filter { $0.kind == .maintainer }.map { instruction in
            Violation(
                range: instruction.keyword.range,
                message: "`\(instruction.keyword.text)` is deprecated; use `LABEL \(Self.authorsKey)=…` instead",
                fix: fix(instruction, context, applicability: setsAuthors ? .unsafe : .safe))
        }
    }
}

// MARK: - Fix

private extension MaintainerDeprecatedRule {
    static let authorsKey = "org.opencontainers.image.authors"

    func fix(_ instruction: InstructionSyntax, _ context: RuleContext, applicability: Applicability) -> Fix? {
        guard case .text(let value) = instruction.arguments, instruction.lines.count == 1 else { return nil }
        let keyword = BuildKitCheckText.keyword("LABEL", like: instruction.keyword.text, style: context.style)
        let quoted = BuildKitCheckText.doubleQuoted(value.text, escape: context.syntax.escapeCharacter)
        return Fix(
            title: "Replace `MAINTAINER` with `LABEL \(Self.authorsKey)`", applicability: applicability,
            edits: [Edit(
                range: TextRange(start: instruction.keyword.range.start, end: value.range.end),
                replacement: "\(keyword) \(Self.authorsKey)=\(quoted)")])
    }
}
