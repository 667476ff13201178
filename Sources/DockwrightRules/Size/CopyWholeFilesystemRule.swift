import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags `COPY --from=<stage> / /`.
public struct CopyWholeFilesystemRule: Rule {
    public static let description = RuleDescription(
        code: "DL3067", name: "copy-whole-filesystem", category: .size,
        summary: "Copy what the stage needs, not the whole filesystem of another stage", severity: .warning,
        fix: .none,
        rationale: """
            ## Why
            `COPY --from=build / /` brings everything the other stage has into this one: \
            compilers, package caches, sources and secrets left in layers. That undoes the \
            point of a multi-stage build and overwrites this stage's own files. Copy the \
            folders the image needs (`COPY --from=build /out/app /app`).

            Deliberate difference from hadolint: in a stage built on `scratch`, `COPY \
            --from=<stage> / /` is the usual way to squash a stage into a single layer \
            (nothing is overwritten and nothing else is added), so it is not reported.

            ## References
            hadolint DL3067.
            """,
        triggering: [
            Example("FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build ↓/ /\n"),
            Example("FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build /etc/passwd ↓\"/\" /\n"),
        ],
        nonTriggering: [
            Example("FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build /out/app /app\n"),
            Example("FROM golang:1.23 AS build\nFROM scratch\nCOPY --from=build / /\n"),
            Example("FROM alpine:3.20\nCOPY / /\n"),
            Example("FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build / /rootfs/\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.stages.stages.flatMap { stage -> [Violation] in
            guard context.stages.argScope.inheritsImageEnvironment(stageIndex: stage.index) else { return [] }
            return stage.instructions.compactMap { instruction -> Violation? in
                guard instruction.kind == .copy, let copy = CopyInstruction(instruction),
                      let from = copy.flags.flag("from"), from.value?.isEmpty == false, copy.destination == "/",
                      let root = copy.sourceTokens.first(where: { InstructionText.unquoted($0.text) == "/" })
                else { return nil }
                return Violation(
                    range: root.range,
                    message: "`COPY \(from.text) / /` copies the other stage's whole filesystem; "
                        + "copy only the folders this stage needs")
            }
        }
    }
}
