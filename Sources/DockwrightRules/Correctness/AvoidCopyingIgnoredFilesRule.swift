import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags a COPY or ADD source that the build context's `.dockerignore` excludes.
public struct AvoidCopyingIgnoredFilesRule: Rule {
    public static let description = RuleDescription(
        code: "DW125", name: "avoid-copying-ignored-files", category: .correctness,
        summary: "Do not COPY or ADD files that .dockerignore excludes", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `.dockerignore` removes files from the build context before the Dockerfile \
            runs, so a COPY or ADD of an excluded path finds nothing: the build fails with \
            "not found", or, with a wildcard, silently copies less than intended. Either \
            the ignore file or the COPY is wrong. BuildKit reports this as `CopyIgnoredFile`.

            The check needs the build context on disk: it runs when dockwright lints a file \
            (the context is the Dockerfile's folder, or `--context DIR`) and reads \
            `<Dockerfile>.dockerignore` next to the Dockerfile if it exists, else \
            `.dockerignore` at the context root, as BuildKit does. Sources are matched \
            after variable substitution with Docker's pattern rules (`*`, `?`, `**`, `[…]`, \
            `!` exceptions, a path is excluded when a folder above it is). `COPY --from`, \
            URLs and heredocs do not read the context and are not checked.

            **Differences from BuildKit.** BuildKit matches the source exactly as written, \
            so it misses `COPY ./secrets.env .` and `COPY /config .`; we clean the path \
            first (`./` and a leading `/` name the context root). And a source of `.` (the \
            whole context) is never reported: it copies whatever is not ignored, which is \
            what an allow-list `.dockerignore` (`*` then `!src`) is for, while BuildKit \
            reports it under such a file.

            ## References
            BuildKit check `CopyIgnoredFile` (`validateCopySourcePath` in \
            `dockerfile2llb/convert.go`, `MatchesOrParentMatches` in moby/patternmatcher); \
            hadolint has no equivalent.
            """,
        triggering: [
            Example("FROM alpine\nCOPY ↓secrets.env /app/\n", dockerignore: "secrets.env\n"),
            Example("FROM alpine\nCOPY ↓node_modules/left-pad /app/\n", dockerignore: "node_modules\n"),
            Example("FROM alpine\nADD ↓./build/app.tar.gz /opt/\n", dockerignore: "# outputs\n/build/\n"),
            Example("FROM alpine\nCOPY src ↓docs/api.md /app/\n", dockerignore: "**/*.md\n!README.md\n"),
            Example("FROM alpine\nARG ENV=prod\nCOPY ↓config/${ENV}.yaml /etc/app/\n", dockerignore: "config/prod*\n"),
            Example("FROM alpine\nCOPY [\"src\", ↓\".env\", \"/app/\"]\n", dockerignore: "*\n!src\n"),
        ],
        nonTriggering: [
            Example("FROM alpine\nCOPY . /app\n", dockerignore: "*\n!src\n!package.json\n"),
            Example("FROM alpine\nCOPY src package.json /app/\n", dockerignore: "*\n!src\n!package.json\n"),
            Example("FROM alpine\nCOPY README.md /app/\n", dockerignore: "**/*.md\n!README.md\n"),
            Example("FROM alpine\nCOPY secrets.env /app/\n"),
            Example("FROM golang AS build\nFROM alpine\nCOPY --from=build /build/app /app\n", dockerignore: "build\n"),
            Example("FROM alpine\nADD https://example.com/build/app.tar.gz /opt/\n", dockerignore: "build\n"),
            Example("FROM alpine\nCOPY <<EOF /build/notes\nhi\nEOF\n", dockerignore: "build\n"),
            Example("FROM alpine\nCOPY src/app.py /app/\n", dockerignore: "app.py\n"),
        ],
        buildKitCheckName: "CopyIgnoredFile"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        guard let text = context.buildContext?.dockerignore else { return [] }
        let matcher = DockerignoreMatcher(text)
        guard !matcher.isEmpty else { return [] }
        let scope = context.stages.argScope
        var violations: [Violation] = []
        for stage in context.stages.stages {
            for instruction in stage.instructions where instruction.kind == .copy || instruction.kind == .add {
                // Mirrors BuildKit: only sources read from the main context are checked.
                guard let copy = CopyInstruction(instruction), instruction.kind == .add || copy.copiesFromContext,
                      let environment = context.model.variables(before: instruction) else { continue }
                for token in copy.sourceTokens where !token.text.hasPrefix("<<") {
                    guard let source = scope.expander.evaluate(token.text, environment: environment).value,
                        !CopySource(source).isRemote
                    else { continue }
                    // `./x` and `/x` both name `x` at the context root.
                    var path = DockerignoreMatcher.cleaned(source)
                    while path.hasPrefix("/") { path.removeFirst() }
                    guard !path.isEmpty, path != ".", matcher.excludes(path) else { continue }
                    let keyword = instruction.kind == .add ? "ADD" : "COPY"
                    violations.append(
                        Violation(
                            range: token.range,
                            message: "`\(keyword)` source `\(source)` is excluded by .dockerignore, so the build "
                                + "cannot see it; stop ignoring it or do not copy it"))
                }
            }
        }
        return violations
    }
}
