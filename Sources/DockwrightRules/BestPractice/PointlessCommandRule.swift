import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags commands that make no sense while building an image (`ssh`, `vim`, `service`, …).
public struct PointlessCommandRule: Rule {
    public static let description = RuleDescription(
        code: "DL3001", name: "pointless-command", category: .bestPractice,
        summary: "Avoid `ssh`, `vim`, `service` and other commands pointless in a build",
        severity: .info, fix: .none,
        rationale: """
            ## Why
            A `RUN` runs once, without a terminal, in a container that keeps no processes \
            afterwards. Interactive programs (`vim`, `top`, `ssh`), process and system \
            tools (`ps`, `free`, `kill`, `mount`, `shutdown`) and `service` (starting a \
            daemon that dies with the `RUN`) either do nothing useful or hide that the \
            step belongs in `CMD`, an entrypoint script, or the build context.

            Each such command is reported at its word, as hadolint's list has it: `ssh`, \
            `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`. Installing \
            them (`apt-get install -y vim`) is not reported.

            ## References
            hadolint DL3001.
            """,
        triggering: [
            Example("FROM debian:bookworm\nRUN ↓service nginx start\n"),
            Example("FROM debian:bookworm\nRUN mysqld & sleep 5 && mysql < /init.sql && ↓kill %1\n"),
            Example("FROM debian:bookworm\nRUN ↓ssh git@example.com true\n"),
        ],
        nonTriggering: [
            Example("FROM debian:bookworm\nRUN apt-get install -y --no-install-recommends vim=2:9.0.1378-2 openssh-client\n"),
            Example("FROM debian:bookworm\nRUN ssh-keygen -A && echo top\n"),
            Example("FROM debian:bookworm\nCMD [\"service\", \"nginx\", \"start\"]\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.model.scriptCommands.compactMap { command in
            guard let name = command.name, Self.pointless.contains(name) else { return nil }
            return Violation(
                range: command.range(of: command.view.nameWord),
                message: "`\(name)` makes no sense in an image build; move it to `CMD` or an entrypoint, or drop it")
        }
    }

    /// hadolint DL3001's list.
    private static let pointless: Set<String> = ["ssh", "vim", "shutdown", "service", "ps", "free", "top", "kill", "mount"]
}
