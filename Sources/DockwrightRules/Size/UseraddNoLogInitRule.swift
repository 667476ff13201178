import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags `useradd` with a long UID and without `-l`, which bloats `/var/log/lastlog`.
public struct UseraddNoLogInitRule: Rule {
    public static let description = RuleDescription(
        code: "DL3046", name: "useradd-no-log-init", category: .size,
        summary: "Use `useradd -l` with a high UID so lastlog does not bloat the image",
        severity: .warning, fix: .sometimes,
        rationale: """
            ## Why
            `useradd` records every user in `/var/log/lastlog` and `/var/log/faillog`, \
            files indexed by UID. With a UID like `1000000` they become sparse files of \
            hundreds of megabytes, and image layers store them in full. `-l` \
            (`--no-log-init`) skips those records.

            Reported, as in hadolint, when the UID has more than five digits and neither \
            `-l` nor `--no-log-init` is given, at the UID's word (the `--uid=…` word when \
            attached). Differences from hadolint: \
            `--uid=1000000` and clusters like `-ou 1000000` are read too, and a UID held in \
            an ARG or ENV is substituted first (one nothing sets is not judged), where \
            hadolint measures the text: `-u $USER_UID` is six characters and reported even \
            when `USER_UID` is `1000`.

            ## Fix safety
            The fix inserts `-l` right after `useradd`. It only stops `useradd` from \
            initialising the lastlog and faillog records of the new user, which a container \
            does not use, so it is safe.

            ## References
            hadolint DL3046; moby/moby#5419.
            """,
        triggering: [
            Example("FROM debian:bookworm\nRUN useradd -u ↓1000000 app\n"),
            Example("FROM debian:bookworm\nRUN useradd ↓--uid=2000000 --create-home app\n"),
            Example("FROM debian:bookworm\nARG UID=1000001\nRUN useradd -m -u ↓\"$UID\" app\n"),
        ],
        nonTriggering: [
            Example("FROM debian:bookworm\nRUN useradd -l -u 1000000 app\n"),
            Example("FROM debian:bookworm\nRUN useradd --no-log-init --uid 1000000 app\n"),
            Example("FROM debian:bookworm\nRUN useradd -u 10001 app\n"),
            Example("FROM debian:bookworm\nARG UID\nRUN useradd -u \"$UID\" app\n"),
            Example("FROM debian:bookworm\nENV KG_UID=1000\nRUN useradd -m -u $KG_UID app\n"),
        ],
        fixes: [
            FixExample(
                "FROM debian:bookworm\nRUN useradd -u 1000000 app\n",
                "FROM debian:bookworm\nRUN useradd -l -u 1000000 app\n", .safe),
            FixExample(
                "FROM debian:bookworm\nRUN groupadd -g 1000000 app \\\n # the user\n && /usr/sbin/useradd \\\n    --uid=1000000 -g app app\n",
                "FROM debian:bookworm\nRUN groupadd -g 1000000 app \\\n # the user\n && /usr/sbin/useradd -l \\\n    --uid=1000000 -g app app\n",
                .safe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        let scanner = OptionScanner(flagsWithValues: Self.flagsWithValues)
        for command in context.model.scriptCommands(named: ["useradd"]) {
            let items = scanner.scan(command.expandedArguments)
            guard !items.hasFlag("-l", "--no-log-init"), let uid = items.flagValue("-u", "--uid"),
                  uid.isLiteral, uid.value.count > 5, uid.value.allSatisfy(\.isNumber) else { continue }
            let end = command.range(of: command.view.nameWord).end
            violations.append(Violation(
                range: command.range(of: uid.word),
                message: "`useradd` with UID \(uid.value) writes a huge sparse lastlog; add `-l` (`--no-log-init`)",
                fix: Fix(title: "Add `-l`", applicability: .safe, edits: [.insert(" -l", at: end)])))
        }
        return violations
    }

    /// useradd's options that take a value (`useradd --help`).
    private static let flagsWithValues: Set<String> = [
        "-b", "--base-dir", "-c", "--comment", "-d", "--home-dir", "-e", "--expiredate", "-f", "--inactive", "-g",
        "--gid", "-G", "--groups", "-k", "--skel", "-K", "--key", "-p", "--password", "-R", "--root", "-P",
        "--prefix", "-s", "--shell", "-u", "--uid", "-Z", "--selinux-user", "--btrfs-subvolume-home",
    ]
}
