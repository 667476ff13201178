import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags `sudo` in a RUN script.
public struct AvoidSudoRule: Rule {
    public static let description = RuleDescription(
        code: "DL3004", name: "avoid-sudo", category: .security,
        summary: "Do not use `sudo` in `RUN`; switch users with `USER` instead", severity: .error, fix: .none,
        rationale: """
            ## Why
            `RUN` already runs as the stage's `USER`, root unless the Dockerfile changes it. \
            `sudo` adds a setuid binary and a sudoers policy to the image, has TTY and \
            signal behaviour that surprises in containers, and behaves differently from \
            one base image to the next. Run root steps before switching `USER`, or switch \
            with `USER root` around them; at run time use a tool like `gosu` or `su-exec` \
            to drop privileges.

            Every `sudo` is reported at its word, in heredoc bodies and `ONBUILD RUN` too, \
            as in hadolint.

            ## Fix safety
            There is no fix: removing `sudo` breaks a `RUN` whose `USER` is not root, and \
            which user that is may depend on the base image.

            ## References
            hadolint DL3004.
            """,
        triggering: [
            Example("FROM ubuntu:24.04\nRUN ↓sudo apt-get update\n"),
            Example("FROM ubuntu:24.04\nUSER app\nRUN make && ↓sudo -E make install\n"),
        ],
        nonTriggering: [
            Example("FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends sudo=1.9.15p5-3ubuntu5\n"),
            Example("FROM ubuntu:24.04\nRUN echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/app\n"),
            Example("FROM ubuntu:24.04\nUSER root\nRUN chown app /data\nUSER app\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for command in context.model.scriptCommands {
            // `sudo` is unwrapped as a wrapper, or is the program itself (`sudo -i`).
            for word in command.view.command.words.prefix(command.view.nameIndex + 1)
            where Self.isSudo(word.literalValue) {
                violations.append(Violation(
                    range: command.range(of: word),
                    message: "`sudo` in `RUN` adds a setuid binary and TTY quirks; switch users with `USER` instead"))
                break
            }
        }
        return violations
    }

    private static func isSudo(_ value: String?) -> Bool {
        guard let value else { return false }
        return value == "sudo" || value.hasSuffix("/sudo")
    }
}
