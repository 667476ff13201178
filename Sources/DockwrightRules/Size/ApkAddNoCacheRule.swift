import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags `apk add` without `--no-cache`, which leaves apk's index in the layer.
public struct ApkAddNoCacheRule: Rule {
    public static let description = RuleDescription(
        code: "DL3019", name: "apk-add-no-cache", category: .size,
        summary: "Pass `--no-cache` to `apk add` to keep its index out of the image", severity: .info,
        fix: .always,
        rationale: """
            ## Why
            `apk add` keeps the repository index it downloads (with `--update`, or after \
            `apk update`) in `/var/cache/apk`, where it stays in the layer. `apk add --no-cache` \
            fetches the index, installs, and keeps nothing, so there is no need for \
            `apk update` or `rm -rf /var/cache/apk/*`. As in hadolint, a cache or tmpfs mount \
            on `/var/cache/apk` (or a folder above it) keeps the index out of the layer and is \
            accepted.

            Differences from hadolint: commands behind `sudo`, `xargs` and similar wrappers or \
            called by path are checked too; the mount may be a tmpfs or cover a folder above \
            `/var/cache/apk`; `apk add --no-network` (which installs from what is already \
            there and fetches no index) is not reported.

            ## Fix safety
            The fix inserts ` --no-cache` right after `add`. It is safe: the same packages \
            are installed from the same repositories (apk fetches a fresh index when it has \
            none), and only the cached index is no longer written to the image.

            ## References
            hadolint DL3019.
            """,
        triggering: [
            Example("FROM alpine:3.20\nRUN ↓apk add curl=8.9.1-r0\n"),
            Example("FROM alpine:3.20\nRUN apk update && ↓apk add --virtual .deps gcc=13.2.1-r0\n"),
            Example("FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache ↓apk add curl=8.9.1-r0\n"),
            Example("FROM alpine:3.20\nONBUILD RUN ↓apk add curl=8.9.1-r0\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n"),
            Example("FROM alpine:3.20\nRUN apk --no-cache add curl=8.9.1-r0\n"),
            Example("FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl=8.9.1-r0\n"),
            Example("FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache apk add curl=8.9.1-r0\n"),
            Example("FROM alpine:3.20\nRUN apk del curl\n"),
            Example("FROM alpine:3.20\nRUN apk info -R python3 | xargs -rt apk add --no-network --virtual .rundeps\n"),
        ],
        fixes: [
            FixExample(
                "FROM alpine:3.20\nRUN apk add curl=8.9.1-r0\n",
                "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n", .safe),
            FixExample(
                "FROM alpine:3.20\nRUN apk update \\\n    # tools\n    && apk add \\\n        curl=8.9.1-r0\n",
                "FROM alpine:3.20\nRUN apk update \\\n    # tools\n    && apk add --no-cache \\\n        curl=8.9.1-r0\n",
                .safe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.model.packageManagerCommands.compactMap { command in
            guard command.manager == .apk, let add = command.subcommandWord, command.subcommand == "add",
                  !command.hasFlag("no-cache", "no-network"),
                  !PackageManagerCommands.isCached(command.run, anyOf: ["/var/cache/apk"]) else { return nil }
            let fix = Fix(
                title: "Add `--no-cache` after `add`", applicability: .safe,
                edits: [.insert(" --no-cache", at: command.range(of: add).end)])
            return Violation(
                range: command.range(through: add),
                message: "`apk add` without `--no-cache` leaves apk's index in the layer; add `--no-cache`", fix: fix)
        }
    }
}
