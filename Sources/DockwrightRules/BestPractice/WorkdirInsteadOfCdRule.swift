import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags `cd` in a RUN script; `WORKDIR` sets the directory for the instructions after it.
public struct WorkdirInsteadOfCdRule: Rule {
    public static let description = RuleDescription(
        code: "DL3003", name: "workdir-instead-of-cd", category: .bestPractice,
        summary: "Use `WORKDIR` to switch to a directory instead of `cd`", severity: .warning, fix: .sometimes,
        rationale: """
            ## Why
            A `cd` lasts only until the end of its `RUN`: every `RUN` starts again in the \
            working directory. Scripts that begin with `cd /app && …` repeat it in every \
            `RUN`, and one that forgets it runs in the wrong place. `WORKDIR /app` sets the \
            directory once, for `RUN`, `CMD`, `ENTRYPOINT`, `COPY` and `ADD` alike, and \
            creates it if needed.

            Every `cd` is reported at its word, as in hadolint, heredoc bodies included. \
            Differences from hadolint: `ONBUILD RUN` triggers are read too (hadolint's \
            DL3003 skips them), and scripts for PowerShell or cmd are not (hadolint reads \
            them as POSIX shell). Two `cd`s hadolint reports are not, since no `WORKDIR` \
            could replace them: a `cd` inside a subshell, `( cd /src && make )`, which by \
            design cannot leak into the rest of the script (`subshell`), and a `cd` \
            followed only by `rm`/`rmdir`, which steps out of a folder to delete what the \
            script built there, as in `make -C /src install; cd /; rm -rf /src` \
            (`cleanup-only`).

            ## Fix safety
            For a `RUN` whose script is `cd <dir> && <rest>`, with a literal absolute \
            directory, the fix inserts `WORKDIR <dir>` before the `RUN` (above its comments) \
            and removes `cd <dir> && `. The `RUN` then does the same, with two differences \
            that make the fix unsafe: `WORKDIR` stays in force for every later instruction \
            of the stage, and it creates a missing directory where `cd` would fail. Scripts \
            of any other shape, heredocs, `ONBUILD RUN`, `cd` without a directory, `cd -`, \
            relative directories (which DL3000 would report as `WORKDIR`s) and directories \
            with variables, `~` or globs are reported without a fix.

            ## References
            hadolint DL3003; Docker's best practices on WORKDIR.
            """,
        triggering: [
            Example("FROM alpine:3.20\nRUN ↓cd /app && make install\n"),
            Example("FROM alpine:3.20\nRUN wget -q https://example.com/x.tgz && tar xzf x.tgz && ↓cd x && ./configure\n"),
            Example("FROM alpine:3.20\nRUN ↓cd /src && make && cd / && rm -rf /src\n"),
            Example("FROM node:20\nONBUILD RUN ↓cd programs/server && npm install\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nWORKDIR /app\nRUN make install\n"),
            Example("FROM alpine:3.20\nRUN (cd /src && make) && make -C /docs\n"),
            Example("FROM alpine:3.20\nRUN make -C /src install; cd /; rm -rf /src\n"),
            Example("FROM alpine:3.20\nRUN make -C /app install && echo cd\n"),
            Example("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN cd C:\\app && build.cmd\n"),
        ],
        fixes: [
            FixExample(
                "FROM alpine:3.20\nRUN cd /app && make install\n",
                "FROM alpine:3.20\nWORKDIR /app\nRUN make install\n", .unsafe),
            FixExample(
                "FROM alpine:3.20\n# build the app\nRUN --mount=type=cache,target=/root/.cache cd /src && \\\n    make && make install\n",
                "FROM alpine:3.20\nWORKDIR /src\n# build the app\nRUN --mount=type=cache,target=/root/.cache \\\n    make && make install\n",
                .unsafe),
            FixExample(
                "from alpine:3.20\nrun cd /app && make || true\n",
                "from alpine:3.20\nworkdir /app\nrun make || true\n", .unsafe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        let commands = context.model.scriptCommands
        for index in context.model.scriptCommandPositions(named: ["cd"]) {
            let command = commands[index]
            guard command.view.wrappers.isEmpty else { continue }
            // A subshell keeps its directory to itself; a `cd` that only precedes cleanup
            // steps out of what the script deletes. Neither has a WORKDIR to become.
            if command.view.context.enclosures.contains(.subshell) { continue }
            if Self.onlyCleanupFollows(index, in: commands) { continue }
            violations.append(Violation(
                range: command.range(of: command.view.nameWord),
                message: "`cd` lasts only for this `RUN`; use `WORKDIR` to switch directories",
                fix: fix(for: command, context)))
        }
        return violations
    }
}

// MARK: - Helpers

private extension WorkdirInsteadOfCdRule {
    /// Whether every command after `index` in the same RUN removes files.
    static func onlyCleanupFollows(_ index: Int, in commands: ScriptCommands) -> Bool {
        let run = commands[index].run.instruction.range.start
        var next = index + 1
        var sawCleanup = false
        while next < commands.count, commands[next].run.instruction.range.start == run {
            guard let name = commands[next].name, name == "rm" || name == "rmdir" else { return false }
            sawCleanup = true
            next += 1
        }
        return sawCleanup
    }

    /// `cd <dir> && rest` as the whole script → `WORKDIR <dir>` + `RUN rest`.
    func fix(for command: ScriptCommand, _ context: RuleContext) -> Fix? {
        let run = command.run
        guard !run.isOnbuildTrigger, run.origin == .shellForm, run.instruction.heredocs.isEmpty else { return nil }
        let script = command.script
        guard script.body.items.count == 1, let item = script.body.items.first, !item.isBackground else { return nil }
        let andOr = item.andOr
        guard andOr.pipelines.count >= 2, andOr.operators.first == .and, andOr.pipelines[0].commands.count == 1,
              !andOr.pipelines[0].isNegated, case .simple(let simple) = andOr.pipelines[0].commands[0].kind,
              simple == command.view.command, simple.assignments.isEmpty, simple.redirects.isEmpty,
              simple.words.count == 2, let directory = simple.words[1].literalValue,
              Self.isPlainDirectory(directory) else { return nil }
        // Remove `cd dir && ` and the blanks after it on the same line.
        let bytes = context.bytes
        guard let operatorOffset = Self.andOperatorOffset(in: script, after: andOr.pipelines[0].range.upperBound,
                                                         before: andOr.pipelines[1].range.lowerBound) else { return nil }
        let cdStart = command.range(of: simple.words[0]).start
        var removalEnd = script.sourceRange(operatorOffset..<(operatorOffset + 2)).end
        while removalEnd < bytes.count && (bytes[removalEnd] == 0x20 || bytes[removalEnd] == 0x09) { removalEnd += 1 }
        // A comment line between `cd` and `&&` (inside a continuation) would go with them.
        if bytes[cdStart..<removalEnd].contains(UInt8(ascii: "#")) { return nil }
        let style = context.style
        let workdir = "\(style.keyword(.workdir)) \(directory)\(style.lineEnding)"
        return Fix(
            title: "Move `cd \(directory)` into a `WORKDIR` before the `RUN`", applicability: .unsafe,
            edits: [
                .insert(workdir, at: context.model.insertionOffset(before: run.instruction)),
                .delete(TextRange(start: cdStart, end: removalEnd)),
            ])
    }

    /// A directory `WORKDIR` reads the same as `cd`: no variables, `~`, globs, quotes or blanks.
    static func isPlainDirectory(_ directory: String) -> Bool {
        // A relative directory would also work (WORKDIR resolves it against the current
        // one, as `cd` does), but would then be reported by DL3000.
        guard directory.hasPrefix("/") else { return false }
        return directory.allSatisfy { character in
            !"$*?[]{}\\\"'` \t#~".contains(character)
        }
    }

    /// The script offset of the `&&` between two pipelines.
    static func andOperatorOffset(in script: ShellScript, after start: Int, before end: Int) -> Int? {
        let bytes = script.text.bytes
        var offset = start
        while offset + 1 < end {
            if bytes[offset] == UInt8(ascii: "&") && bytes[offset + 1] == UInt8(ascii: "&") { return offset }
            offset += 1
        }
        return nil
    }
}
