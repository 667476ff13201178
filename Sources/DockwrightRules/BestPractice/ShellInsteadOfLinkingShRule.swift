import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags `ln` replacing `/bin/sh`; `SHELL` changes the shell of `RUN` instead.
public struct ShellInsteadOfLinkingShRule: Rule {
    public static let description = RuleDescription(
        code: "DL4005", name: "shell-instead-of-linking-sh", category: .bestPractice,
        summary: "Use `SHELL` to change the default shell instead of linking `/bin/sh`",
        severity: .warning, fix: .none,
        rationale: """
            ## Why
            Replacing `/bin/sh` with a link to bash changes the shell of every program in \
            the image that runs `sh`, not only of the Dockerfile's `RUN`s, and package \
            updates may restore the original. `SHELL ["/bin/bash", "-c"]` changes the shell \
            of the following `RUN`s, visibly, and nothing else.

            Reported at the `/bin/sh` word when `ln` creates `/bin/sh` (the last operand, or \
            `sh` in the `-t /bin` folder). Difference from hadolint: hadolint reports any \
            `ln` whose arguments include `/bin/sh`, even when `/bin/sh` is the link's target \
            (`ln -s /bin/sh /usr/local/bin/sh`), which leaves `/bin/sh` alone and is not \
            reported here.

            ## References
            hadolint DL4005.
            """,
        triggering: [
            Example("FROM debian:bookworm\nRUN ln -sf /bin/bash ↓/bin/sh\n"),
            Example("FROM debian:bookworm\nRUN rm /bin/sh && ln -s bash ↓/bin/sh\n"),
            Example("FROM debian:bookworm\nRUN ln -sf -t /bin ↓/usr/bin/sh\n"),
        ],
        nonTriggering: [
            Example("FROM debian:bookworm\nSHELL [\"/bin/bash\", \"-c\"]\nRUN echo $BASH_VERSION\n"),
            Example("FROM debian:bookworm\nRUN ln -s /bin/sh /usr/local/bin/sh\n"),
            Example("FROM debian:bookworm\nRUN ln -sf /bin/bash /usr/local/bin/bash\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        let scanner = ProgramSpec.ln.scanner
        for command in context.model.scriptCommands(named: ["ln"]) {
            let items = scanner.scan(command.expandedArguments)
            let operands = items.operands
            let created: [ExpandedWord]
            if let folder = items.flagValue("-t", "--target-directory") {
                created = Self.normalized(folder.value) == "/bin" ? operands.filter { Self.basename($0.value) == "sh" } : []
            } else if operands.count >= 2, let last = operands.last {
                created = Self.normalized(last.value) == "/bin/sh" ? [last] : []
            } else {
                created = []
            }
            for word in created {
                violations.append(Violation(
                    range: command.range(of: word.word),
                    message: "Linking `/bin/sh` changes the shell of the whole image; use `SHELL` for `RUN`"))
            }
        }
        return violations
    }

    private static func normalized(_ path: String) -> String {
        var result = path
        while result.count > 1 && result.hasSuffix("/") { result.removeLast() }
        return result
    }

    private static func basename(_ path: String) -> String {
        String(normalized(path).split(separator: "/").last ?? "")
    }
}
