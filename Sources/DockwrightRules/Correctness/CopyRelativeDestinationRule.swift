import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags a COPY to a relative destination before the stage sets a WORKDIR.
public struct CopyRelativeDestinationRule: Rule {
    public static let description = RuleDescription(
        code: "DL3045", name: "copy-relative-destination", category: .correctness,
        summary: "Set `WORKDIR` before copying to a relative destination", severity: .warning, fix: .none,
        rationale: """
            ## Why
            A relative `COPY` destination is joined to the working directory. Before the \
            stage sets one with `WORKDIR`, that is the base image's, which the Dockerfile \
            does not show and which changes when the base image does: files land somewhere \
            unexpected. Set `WORKDIR` first, or copy to an absolute path.

            A `WORKDIR` counts in the stage and in the stages it is built on (`FROM base`). \
            The destination is read after substituting ARG and ENV values; one starting with \
            a variable without a value here is taken as absolute, as hadolint does.

            Deliberate differences from hadolint:
            - a stage built on `scratch` (directly or through other stages) is not \
            reported: its working directory is `/`, which is known;
            - a `WORKDIR` in the `ONBUILD` triggers of the base stage counts, since BuildKit \
            runs those first.

            ## References
            hadolint DL3045.
            """,
        triggering: [
            Example("FROM node:22\nCOPY package.json ↓app/\n"),
            Example("FROM node:22\nCOPY . ↓.\nWORKDIR /app\n"),
            Example("FROM node:22\nENV DEST=app\nCOPY . ↓$DEST\n"),
        ],
        nonTriggering: [
            Example("FROM node:22\nWORKDIR /app\nCOPY . .\n"),
            Example("FROM node:22\nCOPY . /app/\n"),
            Example("FROM node:22\nCOPY . $APP_HOME\n"),
            Example("FROM node:22 AS base\nWORKDIR /app\nFROM base\nCOPY . .\n"),
            Example("FROM scratch\nCOPY app .\n"),
            Example("FROM node:22 AS base\nONBUILD WORKDIR /app\nFROM base\nCOPY . .\n"),
            Example("FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY app.exe C:\\\\app\\\\\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for stage in context.stages.stages {
            for instruction in stage.instructions where instruction.kind == .copy {
                // The base image's directory: no WORKDIR of the file (and not `scratch`, which runs in `/`).
                guard context.model.runsInImageWorkingDirectory(instruction, inStage: stage.index),
                      let destination = CopyInstruction(instruction)?.destinationToken,
                      let expansion = context.model.expansion(of: destination.text, before: instruction),
                      let value = expansion.value
                else { continue }
                let written = InstructionText.unquoted(destination.text)
                if !expansion.undefinedNames.isEmpty && written.hasPrefix("$") { continue }
                guard !InstructionText.isAbsolutePath(value) else { continue }
                violations.append(Violation(
                    range: destination.range,
                    message: "`\(written)` is relative to the base image's working directory; "
                        + "set `WORKDIR` first or copy to an absolute path"))
            }
        }
        return violations
    }
}
