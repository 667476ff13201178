import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags CMD, ENTRYPOINT and HEALTHCHECK CMD written in shell form.
public struct ExecFormCommandRule: Rule {
    public static let description = RuleDescription(
        code: "DL3025", name: "exec-form-command", category: .bestPractice,
        summary: "Write `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` in exec form (JSON array)", severity: .warning,
        fix: .sometimes,
        rationale: """
            ## Why
            In shell form (`CMD node server.js`) Docker runs the command as `/bin/sh -c \
            "node server.js"`. The shell becomes PID 1 and does not pass `SIGTERM` on, so \
            `docker stop` waits its timeout and then kills the process without a clean \
            shutdown. A shell-form `ENTRYPOINT` also ignores the arguments given to \
            `docker run`. Exec form (`CMD ["node", "server.js"]`) runs the program directly.

            Like hadolint 2.15, `HEALTHCHECK CMD` in shell form is reported too: it needs \
            a shell in the image, which minimal and distroless images do not have.

            Deliberate difference from BuildKit's `JSONArgsRecommended`, which stays silent \
            once a stage sets `SHELL`: the signal problem is the same whatever POSIX shell \
            runs the command (`SHELL ["/bin/bash", "-o", "pipefail", "-c"]` is usually there \
            for `RUN` pipes), so, like hadolint, it is still reported. Deliberate difference \
            from hadolint: a stage whose `SHELL` is PowerShell or cmd is not reported, since \
            there shell form is the idiomatic way to run a command and signals do not apply; \
            nor is a Windows stage without `SHELL` (a Windows image such as `servercore` or \
            `nanoserver`), whose shell form runs under `cmd /S /C`.

            ## Fix safety
            When the command is a plain list of words (no variables, quotes, globs, \
            redirections, `&&`, pipes, `;`, backslashes, `%` (cmd's variables), assignments \
            or shell built-ins such as `exec` or `cd`), an unsafe fix rewrites it as a JSON array of the same words. \
            It is unsafe because exec form changes the process tree: the program becomes \
            PID 1 and receives signals itself (usually the point, but a program that does \
            not handle `SIGTERM` or reap children now must), and `sh -c` is gone, so the \
            environment the shell would have set up is too. Other commands get no fix; \
            `["sh", "-c", "exec …"]` is the manual route.

            ## References
            hadolint DL3025; BuildKit check `JSONArgsRecommended`.
            """,
        triggering: [
            Example("FROM node:22\nCMD ↓node server.js\n"),
            Example("FROM alpine:3.20\nENTRYPOINT ↓/usr/bin/app --port 8080\n"),
            Example("FROM alpine:3.20\nHEALTHCHECK --interval=30s CMD ↓curl -f http://localhost/ || exit 1\n"),
            Example("FROM alpine:3.20\nCMD ↓exec app \"$PORT\"\n"),
            Example("FROM alpine:3.20\nCMD ↓['app', '--serve']\n"),
            Example("FROM python:3.12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nCMD ↓python app.py\n"),
        ],
        nonTriggering: [
            Example("FROM node:22\nCMD [\"node\", \"server.js\"]\n"),
            Example("FROM alpine:3.20\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\n"),
            Example("FROM alpine:3.20\nHEALTHCHECK NONE\n"),
            Example("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nCMD Start-Service w3svc\n"),
            Example("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ping localhost\n"),
            Example("FROM alpine:3.20\nRUN echo shell form is fine for RUN\n"),
        ],
        fixes: [
            FixExample("FROM node:22\nCMD node server.js\n", "FROM node:22\nCMD [\"node\", \"server.js\"]\n", .unsafe),
            FixExample(
                "FROM alpine:3.20\n# probe\nHEALTHCHECK --interval=5s CMD  curl -f http://localhost:8080/health\n",
                "FROM alpine:3.20\n# probe\nHEALTHCHECK --interval=5s CMD  [\"curl\", \"-f\", \"http://localhost:8080/health\"]\n",
                .unsafe),
            FixExample("FROM alpine:3.20\nCMD app && other\n", "FROM alpine:3.20\nCMD app && other\n", .unsafe),
        ],
        buildKitCheckName: "JSONArgsRecommended"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for stage in context.stages.stages {
            // The shell the model says runs the command: a Windows stage starts with cmd.
            let facts = context.model.stage(stage.index)
            // Kind first: the arguments are built on each read, a RUN's among them.
            for instruction in stage.instructions
            where instruction.kind == .cmd || instruction.kind == .entrypoint || instruction.kind == .healthcheck {
                switch (instruction.kind, instruction.arguments) {
                case (.cmd, .shellForm(let token)), (.entrypoint, .shellForm(let token)):
                    if !facts.dialect(at: instruction.range.start).isWindowsShell {
                        violations.append(violation(for: token, keyword: instruction.keyword.text.uppercased(), context))
                    }
                case (.healthcheck, .healthcheck(let type, .shellForm(let token))) where type.text.uppercased() == "CMD":
                    if !facts.dialect(at: instruction.range.start).isWindowsShell {
                        violations.append(violation(for: token, keyword: "HEALTHCHECK CMD", context))
                    }
                default:
                    break
                }
            }
        }
        return violations
    }
}

// MARK: - Helpers

private extension ExecFormCommandRule {
    func violation(for token: Token, keyword: String, _ context: RuleContext) -> Violation {
        // A health check is not PID 1, so signals do not matter there; the shell still does.
        let problem = keyword == "HEALTHCHECK CMD"
            ? "needs `/bin/sh` in the image (distroless images have none)"
            : "runs under `/bin/sh -c`, which does not forward signals"
        var message = "`\(keyword)` in shell form \(problem); use exec form (`[\"program\", \"arg\"]`)"
        if token.text.hasPrefix("[") {
            // Mirrors dockerfile-utils' JSON_IN_SINGLE_QUOTES: meant as exec form, read as shell form.
            message = "`\(keyword)` looks like exec form but is not valid JSON (strings need double quotes), "
                + "so Docker runs it in shell form"
        }
        guard let words = Self.plainWords(of: token, in: context) else {
            return Violation(range: token.range, message: message)
        }
        let json = "[" + words.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        // The token may end in spaces before a comment or line end; keep them.
        let text = token.text
        let trailing = text.reversed().prefix { $0 == " " || $0 == "\t" }.count
        let end = token.range.end - trailing
        let fix = Fix(
            title: "Rewrite as exec form `\(json)`", applicability: .unsafe,
            edits: [Edit(range: TextRange(start: token.range.start, end: end), replacement: json)])
        return Violation(range: token.range, message: message, fix: fix)
    }

    /// The words of a shell command that means the same in exec form, or nil: only
    /// characters no shell (sh, bash, cmd) gives a meaning to.
    static func plainWords(of token: Token, in context: RuleContext) -> [String]? {
        guard context.model.isWrittenPlainly(token) else { return nil }
        let words = token.text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = words.first, !shellBuiltins.contains(first), !first.contains("=") else { return nil }
        for word in words {
            for scalar in word.unicodeScalars {
                let isAllowed = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                    || ("0"..."9").contains(scalar) || "-_./:,+@=".unicodeScalars.contains(scalar)
                guard isAllowed else { return nil }
            }
        }
        return words
    }

    /// Words the shell itself runs: in exec form Docker would look for a program of that name.
    static let shellBuiltins: Set<String> = [
        "exec", "cd", "export", "source", ".", "set", "unset", "eval", "trap", "ulimit", "umask", "alias",
        "read", "wait", "shift", "if", "for", "while", "until", "case", "time", "command", "builtin", "local",
    ]
}
