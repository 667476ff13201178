import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags a RUN script the shell cannot parse: the build fails at that step.
public struct ValidShellSyntaxRule: Rule {
    public static let description = RuleDescription(
        code: "DW126", name: "valid-shell-syntax", category: .correctness,
        summary: "A `RUN` script must be valid shell syntax", severity: .error, fix: .none,
        rationale: """
            ## Why
            BuildKit hands a shell-form `RUN` to `/bin/sh -c` (or the stage's `SHELL`) \
            without reading it, so a script the shell cannot parse (an unterminated quote, \
            an `if` without `fi`, a `|` with nothing after it) passes every Dockerfile check \
            and fails only when the build reaches that step, after the layers before it \
            have been built. Reported where the shell parser stopped, with its reason.

            Read by dockwright's own shell parser, which accepts POSIX sh and, for a stage \
            whose `SHELL` is bash, bash's extensions (`[[ ]]`, arrays, `$'…'`). Scripts for \
            other shells (PowerShell, cmd) are not read. A script too deeply nested for the \
            parser's limit is not reported: that limit is dockwright's, not the shell's. \
            A `# hadolint shell=cmd.exe` (or `pwsh`) comment marks the RUNs below it as \
            another shell's, as it does for hadolint.

            No fix: only the author knows what the script should have said.

            ## References
            hadolint reports these through ShellCheck's parse errors (SC1xxx); tally reports \
            them too. Without ShellCheck installed, dockwright still does.
            """,
        triggering: [
            Example("FROM alpine:3.20\nRUN echo ↓\"unterminated\n"),
            Example("FROM alpine:3.20\nRUN echo ↓'unterminated\n"),
            Example("FROM alpine:3.20\nRUN if true; then echo ye↓s\n"),
            Example("FROM alpine:3.20\nRUN apk add curl &↓&\n"),
            Example("FROM alpine:3.20\n# hadolint shell=bash\nRUN echo ↓\"open\n"),
            Example("FROM alpine:3.20\nRUN <<EOF\necho start\nfor x in a b; do echo $↓x\nEOF\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nRUN echo \"quoted\" 'and single' && [ -f /etc/os-release ]\n"),
            Example("FROM alpine:3.20\nRUN if true; then echo yes; fi\n"),
            Example("FROM alpine:3.20\nRUN echo 'it''s' && apk add curl\n"),
            Example("FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN if [[ -n \"$HOME\" ]]; then arr=(a b); echo \"${arr[0]}\"; fi\n"),
            Example("FROM alpine:3.20\nRUN [\"echo\", \"exec form is not read by a shell\"]\n"),
            Example("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN Write-Host \"(\"\n"),
            Example("ARG base\nFROM ${base}\n# hadolint shell=cmd.exe\nRUN (if \"%V%\"==\"3\" setx X 1) & (echo done)\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let foreignShellFrom = Self.foreignShellPragmaOffset(in: context.syntax)
        return context.runScripts.compactMap { run -> Violation? in
            guard case .invalid(let error) = run.outcome, !error.isParserLimit else { return nil }
            if let foreignShellFrom, run.instruction.range.start > foreignShellFrom { return nil }
            // For what is left open (`if` without `fi`, a trailing `&&`) the parser stops at
            // the script's end; the finding then marks the script's last byte.
            let length = run.text.bytes.count
            guard length > 0 else { return nil }
            var offset = Swift.min(Swift.max(error.offset, 0), length - 1)
            // Not on the line break (LF or CRLF) after a heredoc body's last line.
            while offset > 0 && [0x0A, 0x0D, 0x20, 0x09].contains(run.text.bytes[offset]) { offset -= 1 }
            return Violation(
                range: run.text.sourceRange(of: offset..<(offset + 1)),
                message: "The shell cannot parse this script: \(error.message); the build fails at this step")
        }
    }

    /// Where a `# hadolint shell=cmd.exe` pragma says the RUNs below are for a shell
    /// dockwright does not parse (a Windows stage built `FROM ${base}` cannot be told
    /// from its image). hadolint reads the pragma to pick its checks; here it keeps a
    /// cmd script from being reported as bad shell.
    private static func foreignShellPragmaOffset(in syntax: DockerfileSyntax) -> Int? {
        for item in syntax.items {
            guard case .trivia(let line) = item, line.kind == .comment,
                  let pragma = Pragma(comment: syntax.source.text(in: line.range)),
                  case .shell(let shell) = pragma.directive else { continue }
            if !ShellDialect(executable: shell).isPOSIX { return line.range.start }
        }
        return nil
    }
}
