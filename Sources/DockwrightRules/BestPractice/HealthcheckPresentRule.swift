import DockwrightCore
import DockwrightSyntax

/// Flags a final stage without HEALTHCHECK.
public struct HealthcheckPresentRule: Rule {
    public static let description = RuleDescription(
        code: "DL3057", name: "healthcheck-present", category: .bestPractice,
        summary: "Give the image a `HEALTHCHECK`", severity: .info, isEnabledByDefault: false, fix: .none,
        rationale: """
            ## Why
            Off by default (hadolint's severity is `ignore`): many images run under an \
            orchestrator with its own probes (Kubernetes ignores `HEALTHCHECK`), and a \
            useful check needs knowledge of the application. Where plain Docker or Compose \
            runs the container, a `HEALTHCHECK` lets them tell a hung service from a \
            healthy one. `HEALTHCHECK NONE` counts: it states the decision.

            The check is on the stage that is built (the last one), and a `HEALTHCHECK` \
            in a stage it is built on counts, as the image inherits it.

            Deliberate difference from hadolint, which reports every stage without one, \
            builder stages included: only the stage that becomes the image is reported, \
            since a builder's health check never runs.

            ## References
            hadolint DL3057.
            """,
        triggering: [
            Example("↓FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n"),
            Example("FROM golang:1.23 AS build\nHEALTHCHECK NONE\n↓FROM alpine:3.20\n"),
        ],
        nonTriggering: [
            Example("FROM nginx:1.27\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\n"),
            Example("FROM golang:1.23 AS build\nFROM alpine:3.20\nHEALTHCHECK NONE\n"),
            Example("FROM nginx:1.27 AS base\nHEALTHCHECK CMD [\"true\"]\nFROM base\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        guard let final = context.stages.finalStage else { return [] }
        // A HEALTHCHECK in a stage the final stage is built on is inherited.
        for index in context.stages.baseChain(ofStage: final.index)
        where context.stages.stages[index].instructions.contains(where: { $0.kind == .healthcheck }) {
            return []
        }
        return [Violation(
            range: final.from.keyword.range,
            message: "The image has no `HEALTHCHECK`; add one, or `HEALTHCHECK NONE` to state there is none")]
    }
}
