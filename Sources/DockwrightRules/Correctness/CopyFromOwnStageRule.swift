import DockwrightCore
import DockwrightSyntax

/// Flags a `COPY --from` or `RUN --mount=from=` that names the stage it is in.
public struct CopyFromOwnStageRule: Rule {
    public static let description = RuleDescription(
        code: "DL3023", name: "copy-from-own-stage", category: .correctness,
        summary: "`COPY --from` cannot read the stage it is in", severity: .error, fix: .none,
        rationale: """
            ## Why
            A stage cannot copy from itself: its files are not finished while it is being \
            built, and BuildKit refuses the reference as a cycle. Files already in the stage \
            are copied with `RUN cp`; files from another stage need that stage's name.

            The stage is matched by name in any letter case or by index, as BuildKit \
            matches it. Deliberate difference from hadolint, which compares the name exactly \
            and only looks at `COPY`: `--from=0` inside stage 0, `--from=BUILD` inside \
            `AS build`, and `RUN --mount=from=<own stage>` are reported too.

            ## References
            hadolint DL3023.
            """,
        triggering: [
            Example("FROM golang:1.23 AS build\nCOPY --from=↓build /src /src\n"),
            Example("FROM golang:1.23 AS build\nCOPY --from=↓0 /src /src\n"),
            Example("FROM golang:1.23 AS Build\nCOPY --from=↓BUILD /src /src\n"),
            Example("FROM golang:1.23 AS build\nRUN --mount=type=bind,from=↓build,target=/x ls /x\n"),
        ],
        nonTriggering: [
            Example("FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build /out /out\n"),
            Example("FROM golang:1.23 AS build\nFROM build AS test\nCOPY --from=build /out /out\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.stages.stages.flatMap { stage in
            stage.dependencies.compactMap { dependency -> Violation? in
                guard !dependency.isOnbuildTrigger, dependency.stageIndex == stage.index else { return nil }
                let flag = dependency.kind == .copy ? "COPY --from" : "RUN --mount=from"
                return Violation(
                    range: dependency.range,
                    message: "`\(flag)=\(dependency.reference)` names the stage it is in; "
                        + "name another stage, or use `RUN cp` within the stage")
            }
        }
    }
}
