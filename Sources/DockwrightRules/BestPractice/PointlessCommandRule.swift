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

            Difference from hadolint: a `kill` that stops a job its own script started in \
            the background (`mysqld & pid=$!; …; kill $pid`, or `kill %1`) is not \
            reported (`own-background-job`): starting a temporary server to seed a \
            database and stopping it is a build step, not a service.

            ## References
            hadolint DL3001.
            """,
        triggering: [
            Example("FROM debian:bookworm\nRUN ↓service nginx start\n"),
            Example("FROM debian:bookworm\nRUN ↓kill -9 $(cat /run/nginx.pid)\n"),
            Example("FROM debian:bookworm\nRUN ↓ssh git@example.com true\n"),
        ],
        nonTriggering: [
            Example("FROM debian:bookworm\nRUN apt-get install -y --no-install-recommends vim=2:9.0.1378-2 openssh-client\n"),
            Example("FROM debian:bookworm\nRUN ssh-keygen -A && echo top\n"),
            Example("FROM debian:bookworm\nCMD [\"service\", \"nginx\", \"start\"]\n"),
            Example("FROM debian:bookworm\nRUN mysqld & pid=$!; sleep 5 && mysql < /init.sql; kill $pid\n"),
            Example("FROM debian:bookworm\nRUN mysqld & sleep 5 && mysql < /init.sql && kill %1\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        // The names each script sets from `$!`, read once per script.
        var jobVariables: [Int: Set<String>?] = [:]
        return context.model.scriptCommands(named: Self.pointless).compactMap { command in
            guard let name = command.name else { return nil }
            if name == "kill" {
                let key = command.run.instruction.range.start
                let names = jobVariables[key] ?? Self.namesSetFromLastJob(command.script)
                jobVariables[key] = .some(names)
                if Self.stopsOwnBackgroundJob(command, jobVariables: names) { return nil }
            }
            return Violation(
                range: command.range(of: command.view.nameWord),
                message: "`\(name)` makes no sense in an image build; move it to `CMD` or an entrypoint, or drop it")
        }
    }

    /// Whether a `kill` only names jobs its own script started in the background
    /// (`%1`, `%%`, `$!`, or a variable set from `$!`): a temporary server stopped after
    /// seeding, not a service managed at build time.
    static func stopsOwnBackgroundJob(_ command: ScriptCommand, jobVariables: Set<String>?) -> Bool {
        guard let jobVariables else { return false }
        let script = command.script
        let targets = command.view.arguments.map { script.text($0.range) }.filter { !$0.hasPrefix("-") }
        guard !targets.isEmpty else { return false }
        return targets.allSatisfy { target in
            if target.hasPrefix("%") || target == "$!" || target == "\"$!\"" { return true }
            return jobVariables.contains(target.filter { !"\"${}".contains($0) })
        }
    }

    /// The variables a script sets from `$!` (`pid=$!`, `PID="$!"`), or nil when it
    /// starts no background job (then no `kill` in it stops one of its own).
    static func namesSetFromLastJob(_ script: ShellScript) -> Set<String>? {
        guard script.commands.contains(where: { $0.context.isBackground }) else { return nil }
        let bytes = script.text.bytes
        var names: Set<String> = []
        var index = 0
        while index < bytes.count {
            // At `=$!` or `="$!`, read the name before the `=`.
            if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count,
               (bytes[index + 1] == UInt8(ascii: "$") && bytes[index + 2] == UInt8(ascii: "!"))
                || (index + 3 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"")
                    && bytes[index + 2] == UInt8(ascii: "$") && bytes[index + 3] == UInt8(ascii: "!")) {
                var start = index
                while start > 0, bytes[start - 1] == UInt8(ascii: "_") || (bytes[start - 1] < 0x80
                    && (Character(UnicodeScalar(bytes[start - 1])).isLetter || Character(UnicodeScalar(bytes[start - 1])).isNumber)) {
                    start -= 1
                }
                if start < index { names.insert(String(decoding: bytes[start..<index], as: UTF8.self)) }
            }
            index += 1
        }
        return names
    }

    /// hadolint DL3001's list.
    private static let pointless = ["ssh", "vim", "shutdown", "service", "ps", "free", "top", "kill", "mount"]
}
