import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags a RUN that directly follows another RUN with the same flags; each adds a layer.
public struct MergeConsecutiveRunsRule: Rule {
    public static let description = RuleDescription(
        code: "DL3059", name: "merge-consecutive-runs", category: .performance,
        summary: "Merge consecutive `RUN` instructions to save a layer each", severity: .info, fix: .sometimes,
        rationale: """
            ## Why
            Every `RUN` commits a layer. Two `RUN`s in a row with the same flags cost an extra \
            layer, and files the second one deletes still ship in the first one's layer. Joining \
            them with `&&` gives one layer. Only `RUN`s with nothing but comments and blank lines \
            between them are reported, one finding on each `RUN` that follows another; `RUN`s \
            whose `--mount`, `--network` or `--security` flags differ are left alone, as in hadolint.

            ## Fix safety
            The fix appends ` && \\` to the previous `RUN`'s script and continues with this one's \
            on the next line. Both scripts keep their bytes; comment lines between them move into \
            the continuation (BuildKit skips comment lines there), blank lines between them are \
            dropped (BuildKit warns about blank lines inside a continuation), and this `RUN`'s \
            flags, equal to the previous ones, go away. Docker runs each `RUN` as its own `sh -c` \
            and stops at the first script that fails, so `RUN A` then `RUN B` builds what \
            `RUN A && B` builds when:
            - `A` leaves no state for `B`: no `cd`, `export`, `set`, `source`, `exit`, `exec`, \
            `trap`, `umask`, `eval`, `read`, plain or loop variable assignments, function or \
            alias definitions, background jobs, and no trailing comment (it would swallow the `&&`);
            - `A && B` keeps `A`'s status. `&&` and `||` bind left to right with equal \
            precedence, so `a; b && B` and `a || b && B` already run `B` exactly when `A` \
            succeeds; the fix still braces such a script, `{ a; b; } && B`, so readers need \
            not know that, and a trailing `;` stays legal;
            - `B` is a single `&&` chain, or is braced: in `A && b1 || b2` and `A && b1; b2`, a \
            failing `A` would no longer stop `b2`;
            - when the stage's `SHELL` runs with `-e`, `A` is not braced and does not end in a \
            compound command (`if`, `{ …; }`, …) or `;`: the shell ignores `-e` inside a compound \
            command that `&&` follows;
            - no `--mount` is a `tmpfs` or a writable bind mount, whose writes `B` would then see;
            - no `# hadolint` or `# dockwright` comment stands between the two `RUN`s or right \
            above the previous one, since merging would move it inside an instruction or widen \
            it (one that names only this rule is fine).

            Exec-form and heredoc `RUN`s, scripts for a shell that is not POSIX, and scripts \
            that do not parse are reported without a fix. Each fix joins one pair, so fixes of \
            neighbouring pairs rarely touch: a run of `RUN`s usually merges in one pass, and \
            when braces make two fixes meet, the next pass joins the rest after checking the \
            merged script again.

            ## References
            hadolint DL3059 (which also skips a pair when either `RUN` has more than two \
            commands; dockwright reports every pair); Docker's best practices on minimizing \
            the number of layers.
            """,
        triggering: [
            Example("FROM alpine:3.20\nRUN apk add --no-cache curl\n↓RUN curl --version\n"),
            Example("FROM alpine:3.20\nRUN a\n↓RUN b\n↓RUN c\n"),
            Example("FROM alpine:3.20\nRUN a\n# why b\n\n↓RUN b\n"),
            Example("FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache pip install a\n↓RUN --mount=type=cache,target=/root/.cache pip install b\n"),
            Example("FROM alpine:3.20\nRUN [\"echo\", \"a\"]\n↓RUN echo b\n"),
            Example("FROM alpine:3.20\nRUN cd /src\n↓RUN make\n"),
            Example("FROM alpine:3.20 AS build\nRUN a\n↓RUN b\nFROM build\nRUN c\n↓run d\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nRUN a && b\n"),
            Example("FROM alpine:3.20\nRUN a\nWORKDIR /src\nRUN b\n"),
            Example("FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\nRUN curl --version\n"),
            Example("FROM alpine:3.20\nRUN --network=none make\nRUN --network=default make test\n"),
            Example("FROM alpine:3.20 AS a\nRUN a\nFROM alpine:3.20 AS b\nRUN b\n"),
            Example("FROM alpine:3.20\nONBUILD RUN a\nONBUILD RUN b\n"),
        ],
        fixes: [
            FixExample(
                "FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN curl --version\n",
                "FROM alpine:3.20\nRUN apk add --no-cache curl && \\\n    curl --version\n", .safe),
            FixExample(
                "FROM alpine:3.20\nRUN a\n# b needs a\n\nRUN b\nRUN c \\\n  && d\n",
                "FROM alpine:3.20\nRUN a && \\\n# b needs a\n  b && \\\n  c \\\n  && d\n", .safe),
            FixExample("# escape=`\nFROM alpine:3.20\nRUN a\nRUN b\n", "# escape=`\nFROM alpine:3.20\nRUN a && `\n    b\n", .safe),
            FixExample(
                "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pip install a\nRUN --mount=type=cache,target=/root/.cache pip install b\n",
                "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pip install a && \\\n    pip install b\n", .safe),
            FixExample(
                "FROM alpine:3.20\nRUN apk update; apk add curl\nRUN make || true\n",
                "FROM alpine:3.20\nRUN { apk update; apk add curl; } && \\\n    { make || true; }\n", .safe),
            FixExample(
                "FROM alpine:3.20\nRUN a || true\nRUN set -eux; b; c;\n",
                "FROM alpine:3.20\nRUN { a || true; } && \\\n    { set -eux; b; c; }\n", .safe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        // At most one finding per RUN, and on a file of consecutive RUNs nearly one each:
        // reserved once, the array never holds its old and its doubled copy at once.
        violations.reserveCapacity(context.syntax.instructions.count { $0.kind == .run })
        // hadolint DL3059's fold: comments keep the previous RUN, any other instruction
        // (FROM included, so stages never merge) forgets it.
        var previous: InstructionSyntax?
        var previousHasPragmaAbove = false
        var between: [TriviaLine] = []
        for item in context.syntax.items {
            switch item {
            case .byteOrderMark:
                continue
            case .trivia(let line):
                between.append(line)
            case .instruction(let instruction):
                if instruction.kind == .run, let first = previous, Self.flagKey(first) == Self.flagKey(instruction) {
                    violations.append(violation(
                        merging: first, into: instruction, between: between,
                        hasPragmaAbove: previousHasPragmaAbove, context: context))
                }
                if instruction.kind == .run {
                    previous = instruction
                    // Suppressions reach the next instruction only through adjacent comment lines.
                    previousHasPragmaAbove = context.model.leadingComments(of: instruction).pragmas.contains(where: Self.matters)
                } else {
                    previous = nil
                }
                between = []
            }
        }
        return violations
    }
}

// MARK: - Helpers

private extension MergeConsecutiveRunsRule {
    /// Why a pair is reported without a fix.
    enum Obstacle: Error {
        case execForm, heredoc, opaqueShell, unparsable, emptyScript, separateMount(String)
        case suppressionBetween, suppressionAbove
        case stateLeak(String), trailingSeparator, errexitCompound, trailingCommentNeedsWrap

        var reason: String {
            switch self {
            case .execForm: return "a `RUN` in exec form has no shell to join with `&&`"
            case .heredoc: return "heredoc `RUN`s are not joined"
            case .opaqueShell: return "the stage's `SHELL` is not a POSIX shell"
            case .unparsable: return "a script could not be parsed"
            case .emptyScript: return "a script has no command"
            case .separateMount(let kind): return "each `RUN` gets a fresh \(kind) mount"
            case .suppressionBetween: return "a `# hadolint`/`# dockwright` comment between them would stop applying"
            case .suppressionAbove: return "the suppression comment above the previous `RUN` would cover this one too"
            case .stateLeak(let what): return "the previous `RUN` \(what), which would reach this one"
            case .trailingSeparator: return "the previous script ends with `;` and `SHELL` runs with `-e`"
            case .errexitCompound:
                return "`SHELL` runs with `-e`, which `&&` would turn off in the last compound command"
            case .trailingCommentNeedsWrap: return "this script ends with a comment and would need wrapping"
            }
        }
    }

    /// The finding on `second`, with a fix joining it to `first` when that keeps the build's meaning.
    func violation(
        merging first: InstructionSyntax, into second: InstructionSyntax, between: [TriviaLine],
        hasPragmaAbove: Bool, context: RuleContext
    ) -> Violation {
        switch fix(merging: first, into: second, between: between, hasPragmaAbove: hasPragmaAbove, context: context) {
        case .success(let fix):
            return Violation(range: second.keyword.range, fix: fix)
        case .failure(let obstacle):
            return Violation(
                range: second.keyword.range,
                message: "Merge consecutive `RUN` instructions; no automatic fix because \(obstacle.reason)")
        }
    }

    func fix(
        merging first: InstructionSyntax, into second: InstructionSyntax, between: [TriviaLine],
        hasPragmaAbove: Bool, context: RuleContext
    ) -> Result<Fix?, Obstacle> {
        guard case .shellForm(let firstText) = first.arguments,
              case .shellForm(let secondText) = second.arguments else { return .failure(.execForm) }
        guard first.heredocs.isEmpty && second.heredocs.isEmpty else { return .failure(.heredoc) }
        guard let firstRun = context.runScript(of: first), let secondRun = context.runScript(of: second),
              firstRun.dialect.isPOSIX && secondRun.dialect.isPOSIX else { return .failure(.opaqueShell) }
        guard let firstScript = firstRun.script, let secondScript = secondRun.script else {
            return .failure(.unparsable)
        }
        if let kind = Self.separateMountKind(first) { return .failure(.separateMount(kind)) }
        let bytes = context.bytes
        let gap = TextRange(start: firstText.range.end, end: secondText.range.start)
        let keptComments = Self.commentLines(in: gap, first: first, second: second, between: between)
        // Suppressions read the comment lines above an instruction, never those inside it.
        if keptComments.contains(where: { Pragma(comment: Self.text(bytes, $0)).map(Self.matters) == true }) {
            return .failure(.suppressionBetween)
        }
        if hasPragmaAbove { return .failure(.suppressionAbove) }
        guard let lastItem = firstScript.body.items.last, let secondLastItem = secondScript.body.items.last else {
            return .failure(.emptyScript)
        }
        if let leak = Self.leakDescription(firstScript) { return .failure(.stateLeak(leak)) }
        let firstEndsWithSeparator = Self.hasTrailingSeparator(firstScript, after: lastItem)
        let wrapsFirst: Bool
        if Self.shellRunsWithErrexit(first, context: context) {
            // Under `-e`, a compound command followed by `&&` runs with `-e` ignored inside
            // (POSIX `set -e`; dash and bash agree), so the first script is never braced and
            // must not end in a compound command.
            if firstEndsWithSeparator { return .failure(.trailingSeparator) }
            let endsInCompound = lastItem.andOr.pipelines.last?.commands.contains { command in
                if case .simple = command.kind { return false }
                return true
            } ?? false
            if endsInCompound { return .failure(.errexitCompound) }
            wrapsFirst = false
        } else {
            // `a; b && c` and `a || b && c` already mean `{ a; b; } && c` and
            // `{ a || b; } && c`, but braces say so to readers, end a trailing `;` legally,
            // and put a chain's braces where the RUNs were.
            wrapsFirst = firstEndsWithSeparator || Self.isList(firstScript)
        }
        // The second script must be one `&&` chain: in `A && b1 || b2` or `A && b1; b2`, a
        // failing `A` would no longer stop `b2`.
        let wrapsSecond = Self.isList(secondScript) || secondLastItem.isBackground
        if wrapsSecond && secondScript.stateLeaks.contains(where: { $0.kind == .endsWithComment }) {
            return .failure(.trailingCommentNeedsWrap)
        }

        // Whether a fix exists decides the message; the fix itself only the caller's use.
        guard context.buildsFixes else { return .success(nil) }
        let style = context.style
        var edits: [Edit] = []
        var joiner = ""
        if wrapsFirst {
            edits.append(.insert("{ ", at: firstText.range.start))
            // `{ a; }` needs a separator before `}`; keep the one the script already ends with.
            joiner += firstEndsWithSeparator ? " }" : "; }"
        }
        joiner += " && \(style.escapeCharacter)\(style.lineEnding)"
        for line in keptComments { joiner += Self.text(bytes, line) }
        joiner += style.continuationIndent
        if wrapsSecond {
            joiner += "{ "
            let closer = Self.hasTrailingSeparator(secondScript, after: secondLastItem) ? " }" : "; }"
            edits.append(.insert(closer, at: secondText.range.end))
        }
        edits.append(Edit(range: gap, replacement: joiner))
        return .success(Fix(title: "Join this `RUN` to the previous one with `&&`", applicability: .safe, edits: edits))
    }

    /// The flags that must match for hadolint to report the pair, in any order.
    static func flagKey(_ instruction: InstructionSyntax) -> [String] {
        instruction.flags.map(\.text).sorted()
    }

    /// `tmpfs` and writable bind mounts start empty or unchanged in each RUN: merged, the
    /// second script would see what the first wrote there (BuildKit's `--mount` semantics).
    static func separateMountKind(_ run: InstructionSyntax) -> String? {
        for mount in RunMount.mounts(of: run) {
            if mount.type == .tmpfs { return "`tmpfs`" }
            if mount.type == .bind && mount.isWritable { return "writable bind" }
        }
        return nil
    }

    /// The comment lines between the two scripts, which the merged RUN keeps; blank lines are dropped.
    static func commentLines(
        in gap: TextRange, first: InstructionSyntax, second: InstructionSyntax, between: [TriviaLine]
    ) -> [TextRange] {
        var lines = first.lines.filter { $0.role == .comment && $0.range.start >= gap.start }.map(\.range)
        lines += between.filter { $0.kind != .blank }.map(\.range)
        lines += second.lines.filter { $0.role == .comment && $0.range.end <= gap.end }.map(\.range)
        return lines
    }

    /// Whether a merge would change what `pragma` applies to. A pragma that names only
    /// this rule does not count: it already keeps its pair apart, and after a merge it
    /// still suppresses nothing but this rule.
    static func matters(_ pragma: Pragma) -> Bool {
        guard case .ignore(let entries, _) = pragma.directive else { return true }
        let ownNames = [description.code, description.name]
        return !entries.allSatisfy { ownNames.contains($0) }
    }

    static func text(_ bytes: [UInt8], _ range: TextRange) -> String {
        String(decoding: bytes[range.start..<range.end], as: UTF8.self)
    }

    /// Whether the script is more than one `&&` chain: several and-or lists, or an `||`.
    static func isList(_ script: ShellScript) -> Bool {
        script.body.items.count > 1 || script.body.items.contains { $0.andOr.operators.contains(.or) }
    }

    /// Whether the script ends with a `;` or `&` after its last and-or list.
    static func hasTrailingSeparator(_ script: ShellScript, after item: ShellListItem) -> Bool {
        item.isBackground || script.text.bytes[item.range.upperBound...].contains(UInt8(ascii: ";"))
    }

    /// What the script leaves behind for a script joined after it, in words, or nil.
    static func leakDescription(_ script: ShellScript) -> String? {
        guard let leak = script.stateLeaks.first else { return nil }
        // The program that leaks (`set` in `buildDeps='a b' set -e`), or for a bare
        // assignment its name (`buildDeps=`), not the first blank-separated piece of text.
        let program = script.commands.lazy.compactMap { view -> String? in
            guard let first = view.command.words.first, leak.range.contains(first.range.lowerBound) else { return nil }
            return first.literalValue
        }.first
        let text = script.text(leak.range)
        let word = program ?? (text.contains("=") ? String(text.prefix { $0 != "=" }) + "=" : String(text.prefix { $0 != " " }))
        switch leak.kind {
        case .changesDirectory: return "changes directory with `\(word)`"
        case .changesVariables: return "sets variables with `\(word)`"
        case .changesShellOptions: return "changes shell options with `\(word)`"
        case .sourcesFile: return "sources a file with `\(word)`"
        case .definesCommands: return "defines commands"
        case .endsShell: return "may end the shell with `\(word)`"
        case .runsInBackground: return "starts a background job"
        case .endsWithComment: return "ends with a comment"
        case .changesShellState: return "changes the shell's state with `\(word)`"
        case .setsVariableWithPrintf: return "sets a variable with `printf -v`"
        case .assignsInCompoundCommand: return "sets variables with an assignment"
        case .setsLoopVariable: return "sets a loop variable with `for`"
        case .assignsInExpansion(let name, let operatorText): return "sets a variable with `${\(name)\(operatorText)…}`"
        case .assignsInArithmetic: return "sets a variable in an arithmetic expression"
        }
    }

    /// Whether the stage's SHELL (or its base stage's) turns on `errexit` (`-e`, `-eux`, `-o errexit`).
    static func shellRunsWithErrexit(_ run: InstructionSyntax, context: RuleContext) -> Bool {
        guard let stage = context.stages.stage(containing: run) else { return false }
        return context.model.stage(stage.index).shell.options(at: run.range.start).errexit
    }
}
