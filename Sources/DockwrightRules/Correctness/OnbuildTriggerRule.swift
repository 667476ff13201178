import DockwrightCore
import DockwrightSyntax

/// Flags ONBUILD wrapping ONBUILD, FROM or MAINTAINER.
public struct OnbuildTriggerRule: Rule {
    public static let description = RuleDescription(
        code: "DL3043", name: "onbuild-trigger", category: .correctness,
        summary: "`ONBUILD` cannot trigger `ONBUILD`, `FROM` or `MAINTAINER`", severity: .error, fix: .none,
        rationale: """
            ## Why
            `ONBUILD` stores an instruction to run when another build uses this image as \
            its base. Docker refuses `ONBUILD ONBUILD` ("Chaining ONBUILD via `ONBUILD \
            ONBUILD` isn't allowed") and `ONBUILD FROM`/`ONBUILD MAINTAINER` ("isn't allowed \
            as an ONBUILD trigger"), so the image cannot be built.

            ## References
            hadolint DL3043.
            """,
        triggering: [
            Example("FROM alpine:3.20\nONBUILD ↓ONBUILD RUN echo hi\n"),
            Example("FROM alpine:3.20\nONBUILD ↓FROM alpine:3.20\n"),
            Example("FROM alpine:3.20\nonbuild ↓maintainer me\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nONBUILD RUN echo hi\nONBUILD COPY . /app/\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.syntax.instructions.compactMap { instruction in
            guard let trigger = instruction.trigger, let kind = trigger.kind,
                  [.onbuild, .from, .maintainer].contains(kind)
            else { return nil }
            return Violation(
                range: trigger.keyword.range,
                message: "`ONBUILD \(kind.keyword)` is refused by Docker; `\(kind.keyword)` cannot be an ONBUILD trigger")
        }
    }
}
