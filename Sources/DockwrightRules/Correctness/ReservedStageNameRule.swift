import DockwrightCore
import DockwrightSyntax

/// Flags a stage named `scratch` or `context`.
public struct ReservedStageNameRule: Rule {
    public static let description = RuleDescription(
        code: "DL3063", name: "reserved-stage-name", category: .correctness,
        summary: "Reserved words should not be used as stage names", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `scratch` is the empty base image and `context` names the build context in \
            `COPY --from` and `RUN --mount=from`. A stage with either name makes `FROM scratch` \
            or `--from=context` ambiguous to readers, and BuildKit warns about it.

            BuildKit stores stage names in lower case, so `AS Scratch` is reported too; hadolint \
            compares the name as written and misses it.

            There is no fix: renaming a stage can break `--target` in build scripts outside the file.

            ## References
            hadolint DL3063; BuildKit check `ReservedStageName`.
            """,
        triggering: [
            Example("FROM alpine:3.20 AS ↓scratch\n"),
            Example("FROM alpine:3.20 AS ↓context\nFROM alpine:3.20\nCOPY --from=context /a /a\n"),
            Example("FROM alpine:3.20 AS ↓Scratch\n"),
        ],
        nonTriggering: [
            Example("FROM scratch\n"),
            Example("FROM alpine:3.20 AS build-context\n"),
            Example("FROM alpine:3.20 AS scratchpad\n"),
        ],
        buildKitCheckName: "ReservedStageName"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.stages.stages.compactMap { stage in
            guard let name = stage.name, let token = stage.nameToken, name == "scratch" || name == "context" else {
                return nil
            }
            return Violation(
                range: token.range,
                message: "Stage name `\(token.text)` is the reserved name `\(name)`; choose another name")
        }
    }
}
