import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags a final stage whose last USER is root.
public struct NonRootLastUserRule: Rule {
    public static let description = RuleDescription(
        code: "DL3002", name: "last-user-not-root", category: .security,
        summary: "The final stage should not switch back to `root` as its last `USER`", severity: .warning,
        fix: .none,
        rationale: """
            ## Why
            The image's processes run as the last `USER` of the final stage. Left at `root`, \
            anything that breaks into the container (a bug in the app, a malicious dependency) \
            gets root inside it, and root on the host too when a volume, a device or a kernel \
            flaw lets it out. `USER root` is often switched on to install packages and never \
            switched back.

            `root`, `0`, and either with a group (`root:root`, `0:0`, `root:staff`) are root. \
            The argument is read after substituting ARG and ENV values, so `ARG RUN_AS=root` \
            then `USER ${RUN_AS}` is reported; an ARG with no value could be anything and is not.

            Only the final stage is checked: builder stages that run as root to compile or \
            install things never run as the container, so `FROM golang AS build` with `USER root` \
            followed by a final stage with `USER 10001` is fine. A final stage built on an \
            earlier stage (`FROM base`) keeps that stage's `USER`, so a `USER root` there is \
            reported when the final stage does not set another user. A final stage with no \
            `USER` anywhere is DW200's concern.

            There is no automatic fix: the user to switch to must exist in the image (or be a \
            numeric UID, which needs no `/etc/passwd` entry but has no home directory), and the \
            files the app writes must belong to it. Add `USER 10001` (or a user you create) \
            after the steps that need root.

            ## References
            hadolint DL3002, which checks the last `USER` of *every* stage and reads the \
            argument literally; here builder stages are not reported and ARG values are \
            substituted. Trivy DS-0002, Checkov CKV_DOCKER_8.
            """,
        triggering: [
            Example("FROM alpine:3.20\nRUN adduser -D app\nUSER ↓root\n"),
            Example("FROM alpine:3.20\nUSER ↓0:0\nCMD [\"app\"]\n"),
            Example("FROM alpine:3.20\nUSER app\nRUN apk add --no-cache curl\nUSER ↓root:root\n"),
            Example("FROM golang:1.22 AS build\nUSER 1000\nFROM alpine:3.20\nUSER ↓root\n"),
            Example("FROM alpine:3.20\nARG RUN_AS=root\nUSER ↓${RUN_AS}\n"),
            Example("FROM alpine:3.20 AS base\nUSER ↓root\nFROM base\nCMD [\"sh\"]\n"),
        ],
        nonTriggering: [
            Example("""
                FROM golang:1.22 AS build
                USER root
                RUN go build -o /app .
                FROM gcr.io/distroless/static:nonroot
                COPY --from=build /app /app

                """),
            Example("FROM alpine:3.20\nUSER root\nRUN apk add --no-cache curl\nUSER 10001\n"),
            Example("FROM alpine:3.20 AS base\nUSER root\nFROM base\nUSER app\n"),
            Example("FROM alpine:3.20\nUSER rootless\n"),
            Example("FROM alpine:3.20\nARG RUN_AS\nUSER ${RUN_AS}\n"),
            Example("FROM alpine:3.20\nCMD [\"sh\"]\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        guard let final = context.stages.finalStageIndex,
              let user = StageUser.effective(ofStage: final, in: context.stages), user.isRoot else { return [] }
        let shown = user.usesVariables ? "`\(user.token.text)` resolves to `\(user.value ?? "")`, so the" : "The"
        return [Violation(
            range: user.token.range,
            message: "\(shown) final stage runs as root; end it with a non-root `USER` (e.g. `USER 10001`)")]
    }
}
