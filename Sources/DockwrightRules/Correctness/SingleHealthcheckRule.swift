import DockwrightCore
import DockwrightSyntax

/// Flags a HEALTHCHECK that a later HEALTHCHECK of the same stage replaces.
public struct SingleHealthcheckRule: Rule {
    public static let description = RuleDescription(
        code: "DL3012", name: "single-healthcheck", category: .correctness,
        summary: "Keep one `HEALTHCHECK` per stage; only the last one takes effect", severity: .error, fix: .always,
        rationale: """
            ## Why
            An image has one health check. Each `HEALTHCHECK` replaces the previous one of \
            the stage entirely (flags included), so every `HEALTHCHECK` but the last does \
            nothing, and a reader may believe the wrong probe runs.

            Deliberate difference from hadolint, which reports the later `HEALTHCHECK`s: \
            the finding is on each earlier one, the one that has no effect and can be \
            deleted (as BuildKit's `MultipleInstructionsDisallowed` does).

            \(OverriddenInstructions.fixSafety)

            ## References
            hadolint DL3012; BuildKit check `MultipleInstructionsDisallowed`.
            """,
        triggering: [
            Example("FROM nginx:1.27\n↓HEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\nHEALTHCHECK --interval=5s CMD [\"true\"]\n"),
            Example("FROM nginx:1.27\n↓HEALTHCHECK NONE\nHEALTHCHECK CMD [\"true\"]\n"),
        ],
        nonTriggering: [
            Example("FROM nginx:1.27\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\n"),
            Example("FROM nginx:1.27 AS base\nHEALTHCHECK CMD [\"true\"]\nFROM base\nHEALTHCHECK NONE\n"),
        ],
        fixes: [
            FixExample(
                "FROM nginx:1.27\nHEALTHCHECK --interval=30s \\\n  CMD [\"curl\", \"-f\", \"http://localhost/\"]\n# faster\nHEALTHCHECK --interval=5s CMD [\"true\"]\n",
                "FROM nginx:1.27\n# faster\nHEALTHCHECK --interval=5s CMD [\"true\"]\n", .safe),
        ],
        buildKitCheckName: "MultipleInstructionsDisallowed"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        OverriddenInstructions.violations(of: .healthcheck, in: context)
    }
}
