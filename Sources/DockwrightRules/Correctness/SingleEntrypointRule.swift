import DockwrightCore
import DockwrightSyntax

/// Flags a ENTRYPOINT that a later ENTRYPOINT of the same stage replaces.
public struct SingleEntrypointRule: Rule {
    public static let description = RuleDescription(
        code: "DL4004", name: "single-entrypoint", category: .correctness,
        summary: "Keep one `ENTRYPOINT` per stage; only the last one takes effect", severity: .error, fix: .always,
        rationale: """
            ## Why
            A stage's image has one entrypoint. Each `ENTRYPOINT` replaces the previous \
            one, so every `ENTRYPOINT` but the last of a stage does nothing, and a reader \
            may believe the wrong one runs. Stages are separate.

            Deliberate difference from hadolint, which reports the later `ENTRYPOINT`s: the \
            finding is on each earlier one, the one that has no effect and can be deleted \
            (as BuildKit's `MultipleInstructionsDisallowed` does).

            \(OverriddenInstructions.fixSafety)

            ## References
            hadolint DL4004; BuildKit check `MultipleInstructionsDisallowed`.
            """,
        triggering: [
            Example("FROM alpine:3.20\n↓ENTRYPOINT [\"/a\"]\nENTRYPOINT [\"/b\"]\n"),
            Example("FROM alpine:3.20\n↓ENTRYPOINT /a\nCMD [\"x\"]\n↓entrypoint [\"/b\"]\nENTRYPOINT [\"/c\"]\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nENTRYPOINT [\"/a\"]\nCMD [\"--help\"]\n"),
            Example("FROM alpine:3.20 AS base\nENTRYPOINT [\"/a\"]\nFROM base\nENTRYPOINT [\"/b\"]\n"),
        ],
        fixes: [
            FixExample(
                "FROM alpine:3.20\n# old\nENTRYPOINT [\"/a\"]\nCMD [\"x\"]\nENTRYPOINT [\"/b\"]\n",
                "FROM alpine:3.20\n# old\nCMD [\"x\"]\nENTRYPOINT [\"/b\"]\n", .safe),
        ],
        buildKitCheckName: "MultipleInstructionsDisallowed"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        OverriddenInstructions.violations(of: .entrypoint, in: context)
    }
}
