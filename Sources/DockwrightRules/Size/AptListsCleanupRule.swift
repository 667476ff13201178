import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags a RUN that fetches apt's package lists and leaves them in the layer.
public struct AptListsCleanupRule: Rule {
    public static let description = RuleDescription(
        code: "DL3009", name: "apt-lists-cleanup", category: .size,
        summary: "Remove `/var/lib/apt/lists` in the `RUN` that runs `apt-get update`", severity: .info,
        fix: .sometimes,
        rationale: """
            ## Why
            `apt-get update` downloads the package lists into `/var/lib/apt/lists`, tens of \
            megabytes that nothing in the running container needs. Unless the same `RUN` \
            removes them (`rm -rf /var/lib/apt/lists/*`), they stay in its layer for good; a \
            later `RUN` deleting them only hides them. `apt`, `aptitude` and `apt-get` \
            updates are all reported, once per `RUN`, at the first update.

            As in hadolint, only the final stage and the stages another stage is built \
            `FROM` are checked: the layers of other stages never reach the image. A cache or \
            tmpfs mount on `/var/lib/apt/lists` keeps the lists out of the layer and is \
            accepted.

            Differences from hadolint:
            - the removal must name the lists (`rm -rf /var/lib/apt/lists/*`, or a folder \
            above them) and come after the last update; hadolint accepts any `rm -rf` anywhere \
            in the `RUN` (`rm -rf /tmp/*` included) but not `rm -r /var/lib/apt/lists`;
            - `apt-get dist-clean`/`distclean` (apt 2.7+, used by the official images) and \
            `find /var/lib/apt/lists … -delete` also remove the lists;
            - the stages are those really built on: `FROM ${BASE}` is resolved from its ARG, \
            and a stage whose name happens to equal an image name (`FROM rust:1 AS rust`) is \
            not taken for a reused stage, as hadolint takes it;
            - a cache or tmpfs mount on a folder above the lists (`/var/lib/apt`) is accepted \
            too; hadolint wants it on `/var/lib/apt/lists`, or on both `/var/lib/apt` and \
            `/var/cache/apt`;
            - commands behind `sudo` or called by path are checked too.

            ## Fix safety
            The fix appends ` && rm -rf /var/lib/apt/lists/*` right after the last apt command \
            of the script (`apt-get`, `apt`, `aptitude`, `apt-cache`, `add-apt-repository`), \
            so every command that reads the lists still finds them. It is offered only when \
            that command runs directly in the script's shell (not in a pipeline, subshell, \
            condition or background job), is not the update itself (a `RUN` that only \
            updates gets no fix: the `RUN` installing later would find no lists), no apt \
            command runs through `sudo` and no `USER` \
            before the `RUN` switches away from root (`rm` would then fail). `rm -rf` on the \
            lists succeeds, so the `&&` keeps the script's outcome. It is unsafe all the same: \
            a later `RUN` that runs `apt-get install` without its own `apt-get update` now \
            finds no lists and fails; add the update there.

            ## References
            hadolint DL3009.
            """,
        triggering: [
            Example("FROM debian:12\nRUN ↓apt-get update && apt-get install -y curl\n"),
            Example("FROM debian:12\nRUN ↓apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"),
            Example("FROM debian:12\nRUN ↓apt update && apt install -y curl && rm -rf /tmp/*\n"),
            Example("ARG BASE=base\nFROM debian:12 AS base\nRUN ↓apt-get update && apt-get install -y curl\nFROM ${BASE}\n"),
            Example("FROM debian:12\nRUN rm -rf /var/lib/apt/lists/* && ↓apt-get update && apt-get install -y curl\n"),
            Example("FROM debian:12 AS base\nRUN ↓apt-get update && apt-get install -y curl\nFROM base\nCMD [\"curl\"]\n"),
            Example("FROM debian:12\nONBUILD RUN ↓apt-get update && apt-get install -y curl\n"),
            Example("FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/* \\\n && ↓apt-get update && apt-get install -y git\n"),
            Example("FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt ↓apt-get update && apt-get install -y curl\n"),
        ],
        nonTriggering: [
            Example("FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"),
            Example("FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl \\\n && rm -rf /var/lib/apt/lists\n"),
            Example("FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl\n"),
            Example("FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt \\\n    apt-get update && apt-get install -y curl\n"),
            Example("FROM debian:12\nRUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y curl\n"),
            Example("FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12\nCOPY --from=build /usr/bin/gcc /usr/bin/\n"),
            Example("FROM debian:12\nRUN apt-get install -y ./tool.deb\n"),
            Example("FROM rust:1.80 AS rust\nRUN apt-get update && apt-get install -y musl-tools\nFROM alpine:3.20\n"),
            Example("FROM debian:12\nRUN set -eux; apt-get update; apt-get install -y curl; apt-get dist-clean\n"),
            Example("FROM debian:12\nRUN apt-get update && apt-get install -y curl \\\n && find /var/lib/apt/lists -type f -delete\n"),
            Example("FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\nEOF\n"),
            Example("FROM debian:12\nRUN apt-get update && apt-get upgrade -y && rm -r /var/lib/apt/lists /var/cache/apt/archives\n"),
        ],
        fixes: [
            FixExample(
                "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
                "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n", .unsafe),
            FixExample(
                "FROM debian:12\nRUN apt-get update \\\n  && apt-get install -y curl \\\n  # build\n  && make\n",
                "FROM debian:12\nRUN apt-get update \\\n  && apt-get install -y curl && rm -rf /var/lib/apt/lists/* \\\n  # build\n  && make\n",
                .unsafe),
            FixExample(
                "FROM debian:12\nRUN set -eux; apt-get update; apt-get install -y curl; curl --version\n",
                "FROM debian:12\nRUN set -eux; apt-get update; apt-get install -y curl && rm -rf /var/lib/apt/lists/*; curl --version\n",
                .unsafe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let reportedStages = context.model.stagesReachingAnImage
        var violations: [Violation] = []
        for run in context.runAndTriggerScripts where reportedStages.contains(run.stageIndex) {
            guard let script = run.script else { continue }
            let commands = context.model.packageManagerCommands(of: run)
            let updates = commands.filter {
                [.aptGet, .apt, .aptitude].contains($0.manager) && $0.subcommand == "update"
            }
            guard let firstUpdate = updates.first, let lastUpdate = updates.last else { continue }
            if PackageManagerCommands.isCached(run, anyOf: ["/var/lib/apt/lists"]) { continue }
            let removals = script.commands.indices.filter { index in
                let view = script.commands[index]
                return PackageManagerCommands.removes(view, anyOf: ["/var/lib/apt/lists"]) || Self.isDistClean(view)
                    || Self.deletesLists(view)
            }
            if let lastRemoval = removals.last, lastRemoval > lastUpdate.index { continue }
            // The update left behind is the first one after the last cleanup, not an
            // earlier one whose lists were already removed.
            let leftBehind = removals.last.flatMap { lastRemoval in updates.first { $0.index > lastRemoval } } ?? firstUpdate
            violations.append(Violation(
                range: leftBehind.range(through: leftBehind.subcommandWord),
                message: Self.messageByManager[leftBehind.manager] ?? Self.message(leftBehind.manager),
                fix: context.fix { fix(script: script, run: run, context: context) }))
        }
        return violations
    }
}

// MARK: - Helpers

private extension AptListsCleanupRule {
    /// The message for each apt front end, built once: one string shared by every finding
    /// rather than a copy each (a stage of thousands of `apt-get update` RUNs has as many).
    static let messageByManager: [PackageManager: String] = Dictionary(
        uniqueKeysWithValues: [PackageManager.aptGet, .apt, .aptitude].map { ($0, message($0)) })

    static func message(_ manager: PackageManager) -> String {
        "`\(manager.rawValue) update` leaves the package lists in the layer; "
            + "remove them in this `RUN`: `rm -rf /var/lib/apt/lists/*`"
    }

    /// Programs that read or write the package lists.
    static let listReaders: Set<String> = [
        "apt-get", "apt", "aptitude", "apt-cache", "add-apt-repository", "apt-file",
    ]

    /// `find /var/lib/apt/lists … -delete` (or `-exec rm`) empties the lists too.
    static func deletesLists(_ view: CommandView) -> Bool {
        guard view.name == "find" else { return false }
        let values = view.arguments.compactMap(\.literalValue)
        return values.contains { $0.hasPrefix("/var/lib/apt/lists") || $0 == "/var/lib/apt" }
            && (values.contains("-delete") || values.contains("rm"))
    }

    /// `apt-get distclean` (apt 2.7+) removes the lists too.
    static func isDistClean(_ view: CommandView) -> Bool {
        ["apt-get", "apt"].contains(view.name ?? "") && ["distclean", "dist-clean"].contains(view.subcommand ?? "")
    }

    /// Appends the removal after the last command that reads the lists, when that is
    /// a plain command of the main shell (see "Fix safety").
    func fix(script: ShellScript, run: RunScript, context: RuleContext) -> Fix? {
        // A RUN that only updates would be left with nothing to do, and the RUN that
        // installs later would find no lists: no fix is better than that one.
        guard let last = script.commands.last(where: { Self.listReaders.contains($0.name ?? "") }),
              last.subcommand != "update",
              let end = PackageManagerCommands.appendOffset(after: last, in: script, of: run, model: context.model)
        else { return nil }
        return Fix(
            title: "Remove the apt lists after the last apt command", applicability: .unsafe,
            edits: [.insert(" && rm -rf /var/lib/apt/lists/*", at: end)])
    }
}
