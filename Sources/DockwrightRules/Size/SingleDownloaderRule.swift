import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags a stage that uses both `wget` and `curl`.
public struct SingleDownloaderRule: Rule {
    public static let description = RuleDescription(
        code: "DL4001", name: "single-downloader", category: .size,
        summary: "Use either `wget` or `curl`, not both", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `wget` and `curl` do the same job. A stage that uses both usually installs both, \
            with their libraries, and makes readers learn two sets of flags for retries, \
            redirects and TLS. Pick one.

            As in hadolint, once a stage has used both, every `RUN` of the stage that \
            uses either is reported, at its first `wget` or `curl` (so the first use of \
            the other tool is where reports start). Each stage starts afresh; `ONBUILD RUN` \
            triggers are counted on their own. Commands behind `sudo` and in heredoc \
            bodies count too.

            ## References
            hadolint DL4001.
            """,
        triggering: [
            Example("FROM debian:bookworm\nRUN curl -fsSLO https://example.com/a\nRUN ↓wget -q https://example.com/b\n"),
            Example("FROM debian:bookworm\nRUN ↓curl -fsSL https://example.com/a | tar xz && wget -q https://example.com/b\n"),
        ],
        nonTriggering: [
            Example("FROM debian:bookworm\nRUN curl -fsSLO https://example.com/a && curl -fsSLO https://example.com/b\n"),
            Example("FROM debian:bookworm AS fetch\nRUN wget -q https://example.com/a\nFROM debian:bookworm\nRUN curl -fsSLO https://example.com/b\n"),
            Example("FROM debian:bookworm\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10 wget=1.21.3-1\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        // Per stage and kind (build RUNs, ONBUILD triggers): the tools seen so far.
        var seen: [String: Set<String>] = [:]
        for run in context.runAndTriggerScripts {
            let key = "\(run.stageIndex)/\(run.isOnbuildTrigger)"
            let downloads = context.model.scriptCommands(of: run).filter { $0.name == "curl" || $0.name == "wget" }
            guard let first = downloads.first else { continue }
            var tools = seen[key] ?? []
            for command in downloads { if let name = command.name { tools.insert(name) } }
            seen[key] = tools
            if tools.count == 2 {
                violations.append(Violation(
                    range: first.range(of: first.view.nameWord),
                    message: "This stage uses both `wget` and `curl`; use one of them"))
            }
        }
        return violations
    }
}
