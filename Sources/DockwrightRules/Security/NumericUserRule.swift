import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags a USER of the final image given by name rather than by numeric UID.
public struct NumericUserRule: Rule {
    public static let description = RuleDescription(
        code: "DL3066", name: "numeric-user", category: .security,
        summary: "Give the image's `USER` as a numeric UID", severity: .info, fix: .none,
        rationale: """
            ## Why
            A user name means something only inside the image, through its `/etc/passwd`. \
            Tools outside it cannot resolve it: Kubernetes' `runAsNonRoot` refuses to start a \
            container whose image user is a name, because it cannot prove the name is not root, \
            and volume permissions on the host are set by number. `USER 10001` (or \
            `USER 10001:10001`) says exactly who runs the process.

            Every `USER` of the stages the image is made of is checked: the final stage and \
            the stages it is built on (`FROM base`). The last one decides who runs the \
            container, and an earlier named user in those stages is usually the same account \
            switched back to later, so it is reported too and all of them change to the UID \
            together. A name in a builder stage is harmless, since that stage never reaches \
            the image, and is not reported (a builder stage; hadolint 2.15.1 reports every \
            `USER` of every stage, and narrowed DL3066 to the last one after that release).

            The value is read after substituting ARG and ENV values, so `ARG APP_USER=app` then \
            `USER ${APP_USER}` is reported (hadolint skips variables an ARG declares). A variable the file \
            gives no value is not judged (a variable without value): an ARG without a default, or an ENV of the base \
            image such as `$APP_UID` in .NET images or `$NB_UID` in Jupyter's, which hold \
            numbers (hadolint 2.15.1 reports those as names).

            Not reported either: a group given by name (`USER 10001:app`: the UID is what \
            matters). A `root` that switches back to root for a few steps is reported like any \
            name (`USER 0` also works in an image without `/etc/passwd`), but not when it is \
            the image's final user: that root is reported by DL3002 on its own.

            There is no automatic fix: the UID of a name is only known inside the image.

            ## References
            hadolint DL3066; Kubernetes `securityContext.runAsNonRoot`.
            """,
        triggering: [
            Example("FROM alpine:3.20\nRUN adduser -D app\nUSER ↓app\n"),
            Example("FROM alpine:3.20\nUSER ↓app:1000\n"),
            Example("FROM alpine:3.20 AS base\nUSER ↓node\nFROM base\nCMD [\"node\"]\n"),
            Example("FROM alpine:3.20\nARG APP_USER=app\nUSER ↓${APP_USER}\n"),
            Example("FROM alpine:3.20\nUSER ↓app\nRUN make\nUSER ↓root\nRUN apk add curl\nUSER ↓app\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nUSER 10001\n"),
            Example("FROM alpine:3.20\nUSER 10001:app\n"),
            Example("FROM node:22 AS build\nUSER node\nRUN npm ci\nFROM alpine:3.20\nUSER 1000\n"),
            Example("FROM mcr.microsoft.com/dotnet/aspnet:8.0\nUSER $APP_UID\n"),
            Example("FROM alpine:3.20\nARG APP_USER\nUSER ${APP_USER}\n"),
            Example("FROM alpine:3.20\nUSER root\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        guard let final = context.stages.finalStageIndex else { return [] }
        let imageUser = StageUser.effective(ofStage: final, in: context.stages)?.instruction.range
        // Sized once: a stage of thousands of USERs has nearly a finding each, and an array
        // grown by doubling would hold up to twice that while the engine copies them out.
        var violations: [Violation] = []
        violations.reserveCapacity(context.stages.baseChain(ofStage: final).reduce(0) { count, index in
            count + context.stages.stages[index].instructions.count { $0.kind == .user }
        })
        for user in StageUser.all(inChainOf: final, in: context.stages) {
            if let violation = violation(user, imageUser: imageUser) { violations.append(violation) }
        }
        return violations
    }

    private func violation(_ user: StageUser, imageUser: TextRange?) -> Violation? {
        guard !user.hasUnsetVariables, let uid = user.userPart, !uid.isEmpty,
              !uid.allSatisfy({ $0.isASCII && $0.isNumber }),
              !(user.isRoot && user.instruction.range == imageUser)
        else { return nil }
        if user.isRoot {
            return Violation(
                range: user.token.range,
                message: "`\(user.token.text)` names root; write `USER 0`, which needs no `/etc/passwd` lookup")
        }
        guard user.usesVariables else { return Violation(range: user.token.range, message: Self.userName, with: uid) }
        return Violation(
            range: user.token.range,
            message: "`\(user.token.text)` resolves to the user name `\(uid)`, which runtimes cannot check is "
                + "non-root; use its numeric UID")
    }

    /// The message for a user name as written, kept as the name alone until it is printed.
    private static let userName = MessageTemplate(
        "`", "` is a user name, which runtimes cannot check is non-root; use its numeric UID")
}
