import DockwrightCore
import DockwrightSyntax

/// Flags a stage name that is not all lower case.
public struct StageNameCasingRule: Rule {
    public static let description = RuleDescription(
        code: "DW100", name: "stage-name-casing", category: .style,
        summary: "Stage names should be lowercase", severity: .warning, fix: .sometimes,
        rationale: """
            ## Why
            BuildKit lower-cases stage names when it reads them, so `AS Build` defines the \
            stage `build`, and `COPY --from=BUILD` finds it too. Writing the name in lower case \
            shows the name BuildKit uses and keeps references consistent.

            Like BuildKit, the third word of a `FROM` with exactly three words is checked.

            ## Fix safety
            The fix lower-cases the name, and the `COPY --from=` and `RUN --mount=…,from=` \
            references to the stage that spell it plainly. BuildKit stores the name in lower \
            case (`parseBuildStageName`) and lower-cases these references and `--target` \
            before looking them up, so every one of them finds the same stage as before. \
            `FROM Name` is different: BuildKit compares the image word as written with the \
            lower-cased names, so it never found the stage and still does not; the fix \
            leaves it alone, as it leaves `ONBUILD` triggers, which run in other builds.

            ## References
            BuildKit check `StageNameCasing`.
            """,
        triggering: [
            Example("FROM golang:1.22 AS ↓Build\nRUN go build -o /app\nFROM alpine:3.20\nCOPY --from=Build /app /app\n"),
            Example("FROM alpine:3.20 AS ↓BASE\nFROM BASE\n"),
        ],
        nonTriggering: [
            Example("FROM golang:1.22 AS build\nFROM alpine:3.20\nCOPY --from=build /app /app\n"),
            Example("FROM Alpine\n"),
            Example("FROM alpine:3.20 AS build-1.x\n"),
        ],
        fixes: [
            FixExample(
                "FROM golang:1.22 AS Build\nRUN go build -o /app\nFROM alpine:3.20\nCOPY --from=BUILD /app /app\n"
                    + "RUN --mount=type=cache,from=Build,target=/c true\nFROM build AS test\n",
                "FROM golang:1.22 AS build\nRUN go build -o /app\nFROM alpine:3.20\nCOPY --from=build /app /app\n"
                    + "RUN --mount=type=cache,from=build,target=/c true\nFROM build AS test\n",
                .safe),
            FixExample(
                "FROM alpine:3.20 AS Base\n# the app\nFROM base\nCOPY  --from=BASE  /a /a\nONBUILD COPY --from=Base /b /b\n",
                "FROM alpine:3.20 AS base\n# the app\nFROM base\nCOPY  --from=base  /a /a\nONBUILD COPY --from=Base /b /b\n", .safe),
        ],
        buildKitCheckName: "StageNameCasing"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.stages.stages.compactMap { stage in
            // Mirrors BuildKit's isLowerCaseStageName: only a FROM with exactly three words.
            guard case .words(let words) = stage.from.arguments, words.count == 3,
                  words[2].text != words[2].text.lowercased() else { return nil }
            let name = words[2]
            return Violation(
                range: name.range,
                message: "Stage name `\(name.text)` should be lowercase: `\(name.text.lowercased())`",
                fix: stage.nameToken == name ? fix(stage, context) : nil)
        }
    }
}

// MARK: - Fix

private extension StageNameCasingRule {
    func fix(_ stage: Stage, _ context: RuleContext) -> Fix? {
        guard let token = stage.nameToken, let name = stage.name else { return nil }
        var edits = [Edit(range: token.range, replacement: name)]
        let source = context.syntax.source
        // References written as the name itself; others (variables, quoting) resolve the same anyway.
        func rewrite(_ range: TextRange) {
            let text = source.text(in: range)
            if text != name && text.lowercased() == name { edits.append(Edit(range: range, replacement: name)) }
        }
        for other in context.stages.stages {
            if other.baseStageIndex == stage.index, let base = other.baseToken { rewrite(base.range) }
            // An ONBUILD trigger runs in other builds, where the name means their stage.
            for dependency in other.dependencies where dependency.stageIndex == stage.index && !dependency.isOnbuildTrigger {
                rewrite(dependency.range)
            }
        }
        edits.sort { $0.range.start < $1.range.start }
        var unique: [Edit] = []
        for edit in edits where unique.last?.range != edit.range { unique.append(edit) }
        return Fix(title: "Rename the stage to `\(name)`", applicability: .safe, edits: unique)
    }
}
