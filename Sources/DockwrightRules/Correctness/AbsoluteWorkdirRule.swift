import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags a relative WORKDIR whose result depends on the base image's working directory.
public struct AbsoluteWorkdirRule: Rule {
    public static let description = RuleDescription(
        code: "DL3000", name: "absolute-workdir", category: .correctness,
        summary: "Use an absolute path in `WORKDIR`", severity: .error, fix: .none,
        rationale: """
            ## Why
            A relative `WORKDIR` is joined to the current working directory, which the \
            Dockerfile does not show when it is the base image's: the same line lands in a \
            different folder when the base image changes its own `WORKDIR`. An absolute \
            path says where files go.

            The path is read after substituting ARG and ENV values (`ENV APP=app` then \
            `WORKDIR $APP` is relative). A path that starts with a variable without a value \
            here (`$HOME`, set by the base image) is taken as absolute, as hadolint does. \
            Windows paths (`C:\\app`) are absolute.

            Deliberate difference from hadolint, which reports every relative WORKDIR: \
            like BuildKit's `WorkdirRelativePath`, a relative WORKDIR after an absolute one \
            in the stage (or in the stage it is built on) is not reported, because it then \
            resolves to a folder the Dockerfile states (`WORKDIR /app` then `WORKDIR src` \
            is `/app/src`). Unlike BuildKit, every relative WORKDIR before that point is \
            reported, not only the first.

            ## References
            hadolint DL3000; BuildKit check `WorkdirRelativePath`.
            """,
        triggering: [
            Example("FROM alpine:3.20\nWORKDIR ↓app\n"),
            Example("FROM alpine:3.20\nWORKDIR ↓\"app\"\n"),
            Example("FROM alpine:3.20\nENV APP=app\nWORKDIR ↓$APP\n"),
            Example("FROM alpine:3.20\nWORKDIR ↓app\nWORKDIR ↓src\nWORKDIR /srv\n"),
            Example("FROM alpine:3.20 AS base\nWORKDIR /app\nFROM alpine:3.20\nWORKDIR ↓src\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nWORKDIR /app\n"),
            Example("FROM alpine:3.20\nWORKDIR $HOME\n"),
            Example("FROM alpine:3.20\nWORKDIR ${HOME}/app\n"),
            Example("FROM alpine:3.20\nARG DIR=/opt/app\nWORKDIR $DIR\n"),
            Example("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\\\app\n"),
            Example("FROM alpine:3.20\nWORKDIR /app\nWORKDIR src\n"),
            Example("FROM alpine:3.20 AS base\nWORKDIR /app\nFROM base\nWORKDIR src\n"),
        ],
        buildKitCheckName: "WorkdirRelativePath"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        // Per stage: whether an absolute WORKDIR is in force at its end.
        var absoluteAtEnd: [Bool] = []
        for stage in context.stages.stages {
            var isAbsoluteKnown = stage.baseStageIndex.map { $0 < absoluteAtEnd.count && absoluteAtEnd[$0] } ?? false
            for instruction in stage.instructions where instruction.kind == .workdir {
                guard case .text(let token) = instruction.arguments,
                      let expansion = context.model.expansion(of: token.text, before: instruction),
                      let value = expansion.value, !value.isEmpty
                else { continue }
                let written = InstructionText.unquoted(token.text)
                if !expansion.undefinedNames.isEmpty && written.hasPrefix("$") {
                    // Mirrors hadolint: a path starting with an unknown variable may well be absolute.
                    isAbsoluteKnown = true
                    continue
                }
                if InstructionText.isAbsolutePath(value) {
                    isAbsoluteKnown = true
                    continue
                }
                guard !isAbsoluteKnown else { continue }
                if expansion.referencedNames.isEmpty || !expansion.undefinedNames.isEmpty {
                    violations.append(Violation(range: token.range, message: Self.relativePath, with: written))
                } else {
                    violations.append(Violation(
                        range: token.range,
                        message: "`\(written)` resolves to `\(value)`, which is relative to the base image's "
                            + "working directory; use an absolute path"))
                }
            }
            absoluteAtEnd.append(isAbsoluteKnown)
        }
        return violations
    }

    /// The message for a path as written, kept as the path alone until it is printed:
    /// a file of many relative WORKDIRs has a finding on every one.
    private static let relativePath = MessageTemplate(
        "`", "` is relative to the base image's working directory; use an absolute path")
}
