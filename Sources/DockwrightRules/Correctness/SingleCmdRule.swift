import DockwrightCore
import DockwrightSyntax

/// Flags a CMD that a later CMD of the same stage replaces.
public struct SingleCmdRule: Rule {
    public static let description = RuleDescription(
        code: "DL4003", name: "single-cmd", category: .correctness,
        summary: "Keep one `CMD` per stage; only the last one takes effect", severity: .warning, fix: .always,
        rationale: """
            ## Why
            A stage's image has one default command. Each `CMD` replaces the previous one, \
            so every `CMD` but the last of a stage does nothing, and a reader may believe \
            the wrong one runs. Stages are separate: a `CMD` in a builder stage and one in \
            the final stage are both fine.

            Deliberate difference from hadolint, which reports the later `CMD`s: the finding \
            is on each earlier `CMD`, the one that has no effect and can be deleted (as \
            BuildKit's `MultipleInstructionsDisallowed` does).

            \(OverriddenInstructions.fixSafety)

            ## References
            hadolint DL4003; BuildKit check `MultipleInstructionsDisallowed`.
            """,
        triggering: [
            Example("FROM node:22\n↓CMD [\"node\", \"a.js\"]\nCMD [\"node\", \"b.js\"]\n"),
            Example("FROM node:22\n↓CMD [\"a\"]\n↓CMD [\"b\"]\nCMD [\"c\"]\n"),
        ],
        nonTriggering: [
            Example("FROM node:22\nCMD [\"node\", \"a.js\"]\n"),
            Example("FROM node:22 AS build\nCMD [\"npm\", \"test\"]\nFROM node:22\nCMD [\"node\", \"a.js\"]\n"),
            Example("FROM node:22\nONBUILD CMD [\"a\"]\nCMD [\"b\"]\n"),
        ],
        fixes: [
            FixExample(
                "FROM node:22\n# dev server\nCMD [\"npm\", \"run\", \"dev\"]\n# production\nCMD [\"node\", \"a.js\"]\n",
                "FROM node:22\n# dev server\n# production\nCMD [\"node\", \"a.js\"]\n", .safe),
            FixExample(
                "FROM node:22\nCMD node \\\n    a.js\nCMD [\"b\"]\nCMD [\"c\"]\n", "FROM node:22\nCMD [\"c\"]\n", .safe),
        ],
        buildKitCheckName: "MultipleInstructionsDisallowed"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        OverriddenInstructions.violations(of: .cmd, in: context)
    }
}
