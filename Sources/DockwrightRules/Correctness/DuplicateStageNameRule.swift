import DockwrightCore
import DockwrightSyntax

/// Flags a stage whose `AS` name an earlier stage already uses.
public struct DuplicateStageNameRule: Rule {
    public static let description = RuleDescription(
        code: "DL3024", name: "duplicate-stage-name", category: .correctness,
        summary: "Stage names should be unique", severity: .error, fix: .none,
        rationale: """
            ## Why
            `COPY --from=name`, `RUN --mount=from=name`, `FROM name` and `--target name` pick a \
            stage by its name. When two stages share one, only one of them can be meant, and a \
            reader cannot tell which.

            BuildKit stores stage names in lower case, so `AS Build` and `AS build` are the same \
            name and are reported; hadolint compares them as written and misses that pair. Each \
            repeat is reported on its name, the first use is not.

            There is no fix: which references mean which stage is for the author to decide.

            ## References
            hadolint DL3024; BuildKit check `DuplicateStageName`.
            """,
        triggering: [
            Example("FROM golang:1.22 AS build\nRUN go build\nFROM node:20 AS ↓build\nRUN npm run build\n"),
            Example("FROM golang:1.22 AS build\nFROM golang:1.22 AS ↓Build\nFROM golang:1.22 AS ↓BUILD\n"),
            Example("FROM alpine:3.20 AS base\nFROM base as ↓base\n"),
        ],
        nonTriggering: [
            Example("FROM golang:1.22 AS build\nFROM node:20 AS web\nFROM alpine:3.20\nCOPY --from=build /app /app\n"),
            Example("FROM golang:1.22 AS build\nFROM build\nFROM build\n"),
            Example("FROM alpine:3.20\nFROM alpine:3.20\n"),
        ],
        buildKitCheckName: "DuplicateStageName"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        // Mirrors BuildKit's validateStageNames: the lower-cased names, every repeat reported.
        var firstLines: [String: Int] = [:]
        var violations: [Violation] = []
        for stage in context.stages.stages {
            guard let name = stage.name, let token = stage.nameToken else { continue }
            if let line = firstLines[name] {
                violations.append(Violation(
                    range: token.range,
                    message: "Stage name `\(name)` is already used by the stage on line \(line); "
                        + "stage names should be unique"))
            } else {
                firstLines[name] = stage.from.startLine
            }
        }
        return violations
    }
}
