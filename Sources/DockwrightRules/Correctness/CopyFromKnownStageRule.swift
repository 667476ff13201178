import DockwrightCore
import DockwrightSyntax

/// Flags a `COPY --from` that names neither an earlier stage nor a tagged image.
public struct CopyFromKnownStageRule: Rule {
    public static let description = RuleDescription(
        code: "DL3022", name: "copy-from-known-stage", category: .correctness,
        summary: "`COPY --from` should name an earlier stage or a tagged image", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `COPY --from=<name>` reads from the stage of that name (or index) when there is \
            one, and otherwise pulls an image called `<name>`. A misspelt stage name therefore \
            does not fail where it is written: it becomes a pull of an image that probably \
            does not exist, or worse, of someone else's image. A stage defined later in the \
            file is refused by BuildKit.

            What is reported: a name that is not an earlier stage and has no tag or digest \
            (`:` or `@` marks an image, as in hadolint), a stage index or name of the current \
            or a later stage (the current one is DL3023), and a value with a variable, which \
            BuildKit does not expand in `--from`.

            Deliberate difference from hadolint: stage names are matched in any letter case, \
            as BuildKit matches them (`--from=Build` reads stage `build`).

            `--build-context` names given on the command line look like unknown names; \
            tag them or silence the rule for that line.

            ## References
            hadolint DL3022.
            """,
        triggering: [
            Example("FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=↓biuld /out/app /app\n"),
            Example("FROM alpine:3.20\nCOPY --from=↓1 /out/app /app\nFROM golang:1.23\n"),
            Example("FROM alpine:3.20\nCOPY --from=↓later /out/app /app\nFROM golang:1.23 AS later\n"),
            Example("FROM alpine:3.20\nCOPY --from=↓composer /usr/bin/composer /usr/bin/composer\n"),
            Example("ARG SRC=build\nFROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=↓${SRC} /out/app /app\n"),
        ],
        nonTriggering: [
            Example("FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build /out/app /app\n"),
            Example("FROM golang:1.23 AS Build\nFROM alpine:3.20\nCOPY --from=BUILD /out/app /app\n"),
            Example("FROM golang:1.23\nFROM alpine:3.20\nCOPY --from=0 /out/app /app\n"),
            Example("FROM alpine:3.20\nCOPY --from=composer:2 /usr/bin/composer /usr/bin/composer\n"),
            Example("FROM alpine:3.20\nCOPY --from=ghcr.io/org/tool@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5 /t /t\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for stage in context.stages.stages {
            for dependency in stage.dependencies where dependency.kind == .copy && !dependency.isOnbuildTrigger {
                let reference = dependency.reference
                let message: String
                switch dependency.source {
                case .stage(let index) where index < stage.index:
                    continue
                case .stage(let index) where index == stage.index:
                    continue  // DL3023
                case .stage:
                    message = "`\(reference)` is a later stage; `COPY --from` can only read earlier stages"
                case .image(let image):
                    guard !reference.contains(":") && !reference.contains("@") else { continue }
                    message = "`\(reference)` is not an earlier stage, so it is pulled as the image "
                        + "`\(image.familiarString)`; fix the stage name, or tag the image"
                case .invalid:
                    if reference.contains("$") {
                        message = "`COPY --from` does not expand variables; name the stage (`FROM ${IMAGE} AS src`, "
                            + "then `--from=src`)"
                    } else {
                        message = "`\(reference)` names no stage of this file"
                    }
                }
                violations.append(Violation(range: dependency.range, message: message))
            }
        }
        return violations
    }
}
