import DockwrightCore
import DockwrightSyntax

/// Flags instructions other than ARG before the first FROM.
public struct FromFirstRule: Rule {
    public static let description = RuleDescription(
        code: "DL3061", name: "from-first", category: .correctness,
        summary: "Start the Dockerfile with `FROM`; only `ARG` may come before it", severity: .error, fix: .none,
        rationale: """
            ## Why
            Every instruction but `ARG` belongs to a build stage, and a stage starts with \
            `FROM`. BuildKit refuses an instruction before the first `FROM` ("no build \
            stage in current context"). Comments and parser directives may come first.

            ## References
            hadolint DL3061.
            """,
        triggering: [
            Example("↓LABEL maintainer=me\nFROM alpine:3.20\n"),
            Example("ARG VERSION=3.20\n↓ENV VERSION=$VERSION\nFROM alpine:${VERSION}\n"),
        ],
        nonTriggering: [
            Example("# syntax=docker/dockerfile:1\nARG VERSION=3.20\nFROM alpine:${VERSION}\nLABEL a=b\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.stages.globalInstructions.compactMap { instruction in
            guard instruction.kind != .arg else { return nil }
            let keyword = instruction.keyword.text.uppercased()
            return Violation(
                range: instruction.keyword.range,
                message: "`\(keyword)` comes before the first `FROM`; only `ARG` may; move it into a stage")
        }
    }
}
