import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags a RUN with a pipe while the stage's shell does not run with `-o pipefail`.
public struct PipefailForPipesRule: Rule {
    public static let description = RuleDescription(
        code: "DL4006", name: "pipefail-for-pipes", category: .correctness,
        summary: "Set `-o pipefail` in `SHELL` before a `RUN` with a pipe", severity: .warning, fix: .sometimes,
        rationale: """
            ## Why
            A pipeline's status is its last command's. In \
            `RUN curl -fsSL https://example.com/key | gpg --dearmor > key.gpg`, a failed \
            download still leaves `gpg` succeeding on empty input, the `RUN` passes and the \
            image is built broken. With `pipefail` the pipeline fails when any of its \
            commands fails. `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` turns it on for \
            every later `RUN` of the stage.

            One finding per `RUN`, at its first `|` (or `|&`), pipes inside `$(…)` and \
            heredoc bodies included. Not reported: a stage whose `SHELL` passes \
            `-o pipefail` (also `-eo pipefail`, `-euxo pipefail`) to a POSIX shell, a \
            `SHELL` that is PowerShell or cmd, and `ONBUILD RUN`, whose stage and shell \
            are another build's.

            Differences from hadolint:
            - A script that runs `set -o pipefail` (or `set -euo pipefail`) in its main \
            shell before the pipe is not reported: the option is then on where it matters. \
            This covers heredoc scripts that start with it (hadolint#806, #1137).
            - A stage built on another stage (`FROM build AS test`) keeps that stage's \
            `SHELL`, as BuildKit does, where hadolint forgets it at every `FROM`.
            - `-o pipefail` counts for every POSIX shell (`sh`, `dash`, `ksh` too): a shell \
            without the option fails the build at its first `RUN`, so a build that \
            succeeds has it.

            ## Fix safety
            When the stage has no `SHELL` yet and its image is known to have bash (Debian, \
            Ubuntu, RHEL-family and official language images that are not `-alpine`), the \
            fix inserts `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the first \
            `RUN` with a pipe; for alpine images it uses `/bin/ash`, BusyBox's shell, which \
            has `pipefail` since BusyBox 1.16. The fix is unsafe: the `RUN`s after it run in \
            a different shell (bash reads some scripts differently from `dash`), a pipeline \
            that failed silently now fails the build, and the `SHELL` is inherited by \
            stages built on this one. Other images get no fix.

            ## References
            hadolint DL4006; Docker's best practices on pipes (`RUN` with pipes).
            """,
        triggering: [
            Example("FROM debian:bookworm\nRUN curl -fsSL https://example.com/key ↓| gpg --dearmor -o /usr/share/keyrings/x.gpg\n"),
            Example("FROM alpine:3.20\nRUN echo \"$(ls /etc ↓| wc -l)\" > /count\n"),
            Example("FROM ubuntu:24.04\nSHELL [\"/bin/bash\", \"-c\"]\nRUN cat /etc/os-release ↓| grep VERSION\n"),
            Example("FROM ubuntu:24.04\nRUN a ↓| b && set -o pipefail && c | d\n"),
            Example("FROM ubuntu:24.04 AS build\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM ubuntu:24.04\nRUN a ↓|& b\n"),
        ],
        nonTriggering: [
            Example("FROM debian:bookworm\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://example.com/key | gpg --dearmor -o /k.gpg\n"),
            Example("FROM alpine:3.20\nSHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN ls | wc -l\n"),
            Example("FROM debian:bookworm AS base\nSHELL [\"/bin/bash\", \"-euxo\", \"pipefail\", \"-c\"]\nFROM base AS test\nRUN ls | wc -l\n"),
            Example("FROM debian:bookworm\nRUN set -o pipefail && curl -fsSL https://example.com/key | gpg --dearmor -o /k.gpg\n"),
            Example("FROM debian:bookworm\nRUN <<EOF\n#!/bin/bash\nset -euo pipefail\nls | wc -l\nEOF\n"),
            Example("FROM debian:bookworm\nRUN make || true && echo 'a|b'\n"),
            Example("FROM debian:bookworm\nONBUILD RUN ls | wc -l\n"),
            Example("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN Get-ChildItem | Select-Object Name\n"),
        ],
        fixes: [
            FixExample(
                "FROM debian:bookworm\nRUN apt-get update\n# add the key\nRUN curl -fsSL https://example.com/key | gpg --dearmor -o /k.gpg\nRUN ls | wc -l\n",
                "FROM debian:bookworm\nRUN apt-get update\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n# add the key\nRUN curl -fsSL https://example.com/key | gpg --dearmor -o /k.gpg\nRUN ls | wc -l\n",
                .unsafe),
            FixExample(
                "FROM python:3.12-alpine\nRUN ls | wc -l\n",
                "FROM python:3.12-alpine\nSHELL [\"/bin/ash\", \"-o\", \"pipefail\", \"-c\"]\nRUN ls | wc -l\n", .unsafe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for stage in context.stages.stages {
            let facts = context.model.stage(stage.index)
            var hasShell = false
            var stageFix: Fix?
            var isFixComputed = false
            for instruction in stage.instructions {
                if instruction.kind == .shell {
                    hasShell = true
                    continue
                }
                guard instruction.kind == .run, !facts.shell.options(at: instruction.range.start).pipefail,
                      let run = context.runScript(of: instruction),
                      let script = run.script, let pipe = Self.firstUnprotectedPipe(in: script) else { continue }
                // Every finding of the stage carries the same edit, before its first piped
                // RUN, so applying several of them inserts one SHELL.
                if !isFixComputed {
                    isFixComputed = true
                    // Only where no SHELL of the stage or the stages it is built on would be overridden.
                    let chainHasShell = facts.baseChain.dropFirst().contains { !context.model.stage($0).shell.changes.isEmpty }
                    if !hasShell && !chainHasShell {
                        stageFix = Self.fix(before: instruction, in: stage, context)
                    }
                }
                violations.append(Violation(
                    range: script.sourceRange(pipe..<(pipe + 1)),
                    message: "A pipe's status is only its last command's; set `-o pipefail` in `SHELL` before this `RUN`",
                    fix: stageFix))
            }
        }
        return violations
    }
}

// MARK: - Helpers

private extension PipefailForPipesRule {
    /// The script offset of the first pipe not preceded by `set -o pipefail` in the main shell.
    static func firstUnprotectedPipe(in script: ShellScript) -> Int? {
        var pipefailFrom: Int?
        for view in script.commands where view.name == "set" && view.context.runsInMainShell {
            if setsPipefail(view) {
                pipefailFrom = view.command.range.lowerBound
                break
            }
        }
        var first: Int?
        var seen: Set<Range<Int>> = []
        for view in script.commands where view.context.pipelineLength > 1 {
            guard seen.insert(view.context.pipelineRange).inserted, let pipe = pipeOffset(of: view, in: script) else {
                continue
            }
            if let pipefailFrom, pipefailFrom < pipe { continue }
            if first.map({ pipe < $0 }) ?? true { first = pipe }
        }
        return first
    }

    /// `set -o pipefail`, `set -euo pipefail`, …
    static func setsPipefail(_ view: CommandView) -> Bool {
        let values = view.arguments.map { $0.literalValue ?? "" }
        for (index, value) in values.enumerated() where index + 1 < values.count {
            if value.hasPrefix("-") && !value.hasPrefix("--") && value.hasSuffix("o") && values[index + 1] == "pipefail" {
                return true
            }
        }
        return false
    }

    /// The `|` of the pipeline a command belongs to, next to that command.
    static func pipeOffset(of view: CommandView, in script: ShellScript) -> Int? {
        let bytes = script.text.bytes
        if view.context.pipelineIndex == 0 {
            var offset = view.command.range.upperBound
            while offset < view.context.pipelineRange.upperBound {
                if bytes[offset] == UInt8(ascii: "|") { return offset }
                offset += 1
            }
            return nil
        }
        var offset = view.command.range.lowerBound - 1
        while offset >= view.context.pipelineRange.lowerBound {
            if bytes[offset] == UInt8(ascii: "|") { return offset }
            offset -= 1
        }
        return nil
    }

    /// `SHELL [<bash or ash>, "-o", "pipefail", "-c"]` before `run` (above its comments),
    /// when the stage's image is known to have that shell.
    static func fix(before run: InstructionSyntax, in stage: Stage, _ context: RuleContext) -> Fix? {
        let shell: String
        switch context.model.imageFamily(ofStage: stage.index) {
        case .gnu: shell = "/bin/bash"
        case .alpine: shell = "/bin/ash"
        case nil: return nil
        }
        let style = context.style
        let text = "\(style.keyword(.shell)) [\"\(shell)\", \"-o\", \"pipefail\", \"-c\"]\(style.lineEnding)"
        return Fix(
            title: "Set `SHELL [\"\(shell)\", \"-o\", \"pipefail\", \"-c\"]` before this `RUN`", applicability: .unsafe,
            edits: [.insert(text, at: context.model.insertionOffset(before: run))])
    }
}
