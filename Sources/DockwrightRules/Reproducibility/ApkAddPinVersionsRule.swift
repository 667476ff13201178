import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags each package that `apk add` installs without a version constraint.
public struct ApkAddPinVersionsRule: Rule {
    public static let description = RuleDescription(
        code: "DL3018", name: "apk-add-pin-versions", category: .reproducibility,
        summary: "Pin the versions of packages `apk add` installs", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `apk add curl` installs whatever version the Alpine mirror has on the day of the \
            build. A constraint (`curl=8.9.1-r0`, or `curl~8.9` for any 8.9 release) says \
            which one the image was tested with. Each package word without one is reported \
            on its own.

            Like hadolint, a word counts as pinned when it has `=`, `~`, `>` or `<`, or is a \
            `.apk` file; the values of `-t`/`--virtual` and `-X`/`--repository` are not \
            packages, and dockwright skips the values of apk's other options that take one \
            (`--root`, `--arch`, …). The whole family of version-pinning rules goes off \
            with `"version-pinning": false` in `.dockwright.json`.

            Differences from hadolint: ARG and ENV values are substituted first \
            (`curl=${CURL_VERSION}` is pinned, `$PACKAGES` and `${PACKAGES//,/ }` are read \
            from their ARG), and a word \
            that is nothing but a variable dockwright cannot know is not reported; commands \
            behind `sudo` or called by path are checked too. Words of an instruction a \
            trailing `\\` swallowed into the RUN (`COPY . /app` after an empty continuation \
            line, which DW103 reports) are not packages (`swallowed-instruction`).

            ## References
            hadolint DL3018.
            """,
        triggering: [
            Example("FROM alpine:3.20\nRUN apk add --no-cache ↓curl git=2.45.2-r0 ↓bash\n"),
            Example("FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps ↓gcc musl-dev=1.2.5-r0\n"),
            Example("FROM alpine:3.20\nARG PACKAGES=\"curl bash=5.2.26-r0\"\nRUN apk add --no-cache ↓$PACKAGES\n"),
            Example("FROM alpine:3.20\nONBUILD RUN apk add --no-cache ↓curl\n"),
            Example("FROM alpine:3.20\nARG PACKAGES=bash=5.2.26-r0,curl\nRUN apk add --no-cache ↓${PACKAGES//,/ }\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0 git~2.45 \"bash>5\" \"tzdata<2025\"\n"),
            Example("FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0 \\\n\nCOPY . /app\n"),
            Example("FROM alpine:3.20\nRUN apk add --no-cache --allow-untrusted /tmp/tool-1.0.apk\n"),
            Example("FROM alpine:3.20\nARG CURL_VERSION\nRUN apk add --no-cache curl=${CURL_VERSION}\n"),
            Example("FROM alpine:3.20\nRUN apk add --no-cache -X https://dl-cdn.alpinelinux.org/alpine/edge/testing tool=1.0-r0\n"),
            Example("FROM alpine:3.20\nRUN apk update && apk upgrade\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for command in context.model.packageManagerCommands where command.manager == .apk && command.subcommand == "add" {
            violations += PackageManagerCommands.unpinnedPackageViolations(
                of: command, operands: PackageManagerCommands.operandsBeforeSwallowedInstruction(command), in: context,
                isPinned: Self.isPinned)
        }
        return violations
    }

    /// Mirrors hadolint DL3018: a constraint operator, or a `.apk` file.
    static func isPinned(_ package: String) -> Bool {
        package.contains { $0 == "=" || $0 == "~" || $0 == ">" || $0 == "<" } || package.hasSuffix(".apk")
    }
}
