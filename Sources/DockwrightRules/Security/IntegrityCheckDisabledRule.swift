import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags switches that turn off TLS certificate or package signature checks.
public struct IntegrityCheckDisabledRule: Rule {
    public static let description = RuleDescription(
        code: "DW301", name: "integrity-check-disabled", category: .security,
        summary: "Keep TLS certificate and package signature checks on", severity: .warning, fix: .sometimes,
        rationale: """
            ## Why
            A download whose certificate is not checked, or a package whose signature is \
            not, can be replaced by anyone between the build and the server, and the \
            image then runs their code. The rule reports the switches that turn these \
            checks off in a `RUN`, in an `ENV` or in an `ARG` default:
            - TLS: `curl -k`/`--insecure` (also inside `-fsSLk`), `wget \
            --no-check-certificate`, `pip --trusted-host`, `npm`/`yarn`/`pnpm config set \
            strict-ssl false` and `--strict-ssl=false`, `git config http.sslVerify false` \
            and `git -c http.sslVerify=false`, apt's `Acquire::https::Verify-Peer=false`, \
            and the variables `NODE_TLS_REJECT_UNAUTHORIZED=0`, `GIT_SSL_NO_VERIFY` (git \
            turns checks off whatever its value), `PYTHONHTTPSVERIFY=0`, `PIP_TRUSTED_HOST` \
            and `NPM_CONFIG_STRICT_SSL=false`;
            - signatures: `apt-get --allow-unauthenticated`, `--allow-insecure-repositories` \
            and `-o Acquire::AllowInsecureRepositories=true` (or \
            `APT::Get::AllowUnauthenticated`), `[trusted=yes]` in a sources line the `RUN` \
            writes, `--nogpgcheck` and `gpgcheck=0` for dnf, yum, microdnf and tdnf, \
            `zypper --no-gpg-checks`, and `apk add --allow-untrusted` for packages from \
            a repository (a local `.apk` file built in the image is not reported).

            Common causes are a missing `ca-certificates` package (install it instead) \
            and an internal mirror with a self-signed certificate (add its CA to the \
            image, or mount it with `RUN --mount=type=secret`).

            ## Fix safety
            Each fix removes the switch. Removal is unsafe in general: it can break a \
            build that only works without the check (an image without CA certificates, \
            a self-signed internal mirror, a proxy that intercepts TLS, an unsigned \
            third-party repository or package). It is safe in one case the rule can \
            show: `apk add --allow-untrusted` of package names, in a stage built on the \
            official `alpine` image, with no `--repository`/`-X` option and no \
            `/etc/apk/repositories` or `/etc/apk/keys` written anywhere in the file: \
            then every package comes from Alpine's own repositories, signed with the \
            keys the image ships, so apk verifies them and installs the same packages. \
            Variables set by `ENV`, `ARG` or in a script, `[trusted=yes]` and \
            `gpgcheck=0` written into files have no fix: what replaces them depends on \
            the mirror.

            ## References
            curl, wget, pip, npm, git and apt documentation of these options; hadolint \
            issues #781 and #439/#373 (requests for checks of disabled certificate and \
            signature verification); Docker's "Building best practices" on verifying \
            downloads.
            """,
        triggering: [
            Example("FROM debian:12\nRUN curl ↓-fsSLk https://example.com/tool -o /usr/local/bin/tool\n"),
            Example("FROM debian:12\nRUN wget ↓--no-check-certificate https://example.com/tool.tgz\n"),
            Example("FROM debian:12\nRUN apt-get update && apt-get install -y ↓--allow-unauthenticated curl\n"),
            Example("FROM python:3.12\nRUN pip install ↓--trusted-host pypi.org flask==3.0.3\n"),
            Example("FROM node:20\n↓ENV NODE_TLS_REJECT_UNAUTHORIZED=0\n"),
            Example("FROM node:20\nRUN ↓npm config set strict-ssl false && npm ci\n"),
            Example("FROM alpine:3.20\nRUN apk add ↓--allow-untrusted curl\n"),
            Example("FROM fedora:40\nRUN dnf install -y ↓--nogpgcheck httpd\n"),
            Example("FROM alpine:3.20\nRUN ↓git config --global http.sslVerify false\n"),
            Example("FROM debian:12\nRUN echo ↓'deb [trusted=yes] http://mirror.local/debian bookworm main' > /etc/apt/sources.list.d/local.list\n"),
        ],
        nonTriggering: [
            Example("FROM debian:12\nRUN curl -fsSL https://example.com/tool -o /usr/local/bin/tool\n"),
            Example("FROM debian:12\nRUN curl -fsSLo k https://example.com/tool\n"),
            Example("FROM alpine:3.20\nCOPY pkg.apk /tmp/\nRUN apk add --allow-untrusted /tmp/pkg.apk\n"),
            Example("FROM node:20\nENV NODE_TLS_REJECT_UNAUTHORIZED=1\n"),
            Example("FROM node:20\nRUN npm config set strict-ssl true\n"),
            Example("FROM debian:12\nRUN echo 'trusted=yes is a bad idea' > /notes.txt\n"),
            Example("FROM debian:12\nRUN echo 'deb [ trusted=yes ] file:/tmp/debs ./' > /etc/apt/sources.list.d/temp.list\n"),
            Example("FROM alpine:3.20\nRUN apk add --no-cache --allow-untrusted /tmp/packages/module-${VERSION}*.apk\n"),
        ],
        fixes: [
            FixExample(
                "FROM debian:12\nRUN curl -fsSLk https://example.com/tool -o /usr/local/bin/tool\n",
                "FROM debian:12\nRUN curl -fsSL https://example.com/tool -o /usr/local/bin/tool\n", .unsafe),
            FixExample(
                "FROM python:3.12\nRUN pip install --trusted-host pypi.org flask==3.0.3\n",
                "FROM python:3.12\nRUN pip install flask==3.0.3\n", .unsafe),
            FixExample(
                "FROM node:20\nRUN npm config set strict-ssl false && npm ci\n",
                "FROM node:20\nRUN npm ci\n", .unsafe),
            FixExample(
                "FROM alpine:3.20\nRUN apk add --no-cache git=2.45.2-r0 \\\n && git config --global http.sslVerify false\n",
                "FROM alpine:3.20\nRUN apk add --no-cache git=2.45.2-r0\n", .unsafe),
            FixExample(
                "FROM alpine:3.20\nRUN apk add --no-cache --allow-untrusted curl=8.9.1-r0\n",
                "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n", .safe),
            FixExample(
                "FROM debian:12\nRUN apt-get -o Acquire::AllowInsecureRepositories=true update\n",
                "FROM debian:12\nRUN apt-get update\n", .unsafe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for outer in context.syntax.instructions {
            let instruction = outer.trigger ?? outer
            violations += Self.variableViolations(in: instruction)
        }
        let changesApkTrust = Self.changesApkTrust(context)
        // The commands come script by script: what a script mentions is read at its first.
        var mentionsScript: (start: Int, mentions: (sources: Bool, repos: Bool))?
        for command in context.model.scriptCommands {
            let start = command.run.instruction.range.start
            if mentionsScript?.start != start { mentionsScript = (start, Self.mentions(command.script)) }
            let mentions = mentionsScript?.mentions ?? (false, false)
            violations += Self.violations(of: command, mentions: mentions, changesApkTrust: changesApkTrust, context: context)
        }
        return violations.sorted { $0.range.start < $1.range.start }
    }
}

// MARK: - Helpers

private extension IntegrityCheckDisabledRule {
    /// Variables that turn checks off, and whether a value does.
    static let variables: [String: @Sendable (String) -> Bool] = [
        "NODE_TLS_REJECT_UNAUTHORIZED": { $0 == "0" },
        "GIT_SSL_NO_VERIFY": { _ in true },
        "PYTHONHTTPSVERIFY": { $0 == "0" },
        "PIP_TRUSTED_HOST": { !$0.isEmpty },
        "NPM_CONFIG_STRICT_SSL": { $0.lowercased() == "false" },
        "npm_config_strict_ssl": { $0.lowercased() == "false" },
    ]

    /// curl's short options that take a value: in `-ok`, `k` is `-o`'s value.
    static let curlShortOptionsWithValues = Set("oHduXxwAebcTCmrEKQyYzFUDtP")

    static func variableViolations(in instruction: InstructionSyntax) -> [Violation] {
        // Kind first: the arguments are built on each read, a RUN's among them.
        guard instruction.kind == .arg || instruction.kind == .env else { return [] }
        var found: [(name: String, value: String, range: TextRange)] = []
        switch (instruction.kind, instruction.arguments) {
        case (.env, .keyValuePairs(let pairs, _)):
            found = pairs.map {
                (InstructionText.unquoted($0.key.text), InstructionText.unquoted($0.value.text), instruction.range)
            }
        case (.arg, .words(let tokens)):
            found = tokens.compactMap { token in
                guard let equals = token.text.firstIndex(of: "=") else { return nil }
                return (String(token.text[..<equals]), InstructionText.unquoted(String(token.text[token.text.index(after: equals)...])),
                        instruction.range)
            }
        default:
            return []
        }
        return found.compactMap { name, value, _ in
            guard let disables = variables[name], disables(value) else { return nil }
            return Violation(
                range: instruction.keyword.range,
                message: "`\(name)=\(value)` turns TLS certificate checks off for every later command; remove it "
                    + "and give the image the CA certificates it needs")
        }
    }

    /// Whether the script writes apt sources or rpm repository files.
    static func mentions(_ script: ShellScript) -> (sources: Bool, repos: Bool) {
        // Searched in the script's bytes, not in a string copy of them.
        let text = script.text.bytes
        return (text.containsBytes(of: "sources.list") || text.containsBytes(of: ".sources"),
                text.containsBytes(of: ".repo") || text.containsBytes(of: "yum.conf") || text.containsBytes(of: "dnf.conf"))
    }

    /// Every program name a case of the flag switch in ``violations(of:mentions:changesApkTrust:context:)`` names.
    static let flagCheckedPrograms: Set<String> = [
        "curl", "wget", "apt-get", "apt", "aptitude", "dnf", "yum", "microdnf", "tdnf", "zypper", "apk", "npm", "yarn",
        "pnpm", "git",
    ]

    static func violations(of command: ScriptCommand, mentions: (sources: Bool, repos: Bool), changesApkTrust: Bool,
                           context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        let view = command.view
        let name = view.name ?? ""
        func report(_ word: ShellWord, _ message: String, _ fix: Fix?) {
            violations.append(Violation(range: command.range(of: word), message: message, fix: fix))
        }

        for assignment in view.command.assignments {
            if let disables = variables[assignment.name], disables(assignment.value?.literalValue ?? "") {
                report(view.nameWord, "`\(assignment.name)` turns TLS certificate checks off for `\(name)`", nil)
            }
        }
        if name == "export" {
            for word in view.arguments {
                guard let value = word.literalValue, let equals = value.firstIndex(of: "=") else { continue }
                let variable = String(value[..<equals])
                if let disables = variables[variable], disables(String(value[value.index(after: equals)...])) {
                    report(word, "`\(variable)` turns TLS certificate checks off for the rest of the script", nil)
                }
            }
        }

        // The programs the switch below reads flags of, looked up once per command
        // rather than compared with each program name for every word.
        let checksFlags = Self.flagCheckedPrograms.contains(name)
        // The loop reads each word's value; a command none of its checks can fire on (not a
        // program above, not pip, in a script that writes no apt source or rpm repository)
        // skips it. `pipInstall` needs a name starting `pip` or `python`, or `uv`.
        let mayBePip = name.hasPrefix("pip") || name.hasPrefix("python") || name == "uv"
        guard checksFlags || mayBePip || mentions.sources || mentions.repos else { return violations }
        let words = Array(view.arguments)
        // Read for a few programs only; built per command, it cost more than the rest of the rule.
        lazy var positionals = view.positionalArguments
        func previous(_ index: Int) -> ShellWord { index == 0 ? view.nameWord : words[index - 1] }
        func removal(_ index: Int, count: Int = 1, title: String, safe: Bool = false) -> Fix? {
            var edits: [Edit] = []
            for offset in index..<(index + count) {
                guard offset < words.count,
                      let edit = ScriptEdits.removal(of: words[offset], after: previous(offset), in: command.script, context: context)
                else { return nil }
                edits.append(edit)
            }
            return Fix(title: title, applicability: safe ? .safe : .unsafe, edits: edits)
        }
        for (index, word) in words.enumerated() {
            guard let value = word.literalValue else { continue }
            if value == "--" { break }
            switch checksFlags ? name : "" {
            case "curl":
                if value == "--insecure" {
                    report(word, "`curl --insecure` does not check the server's certificate; remove it "
                        + "(install `ca-certificates` if the image lacks them)", removal(index, title: "Remove `--insecure`"))
                } else if value.hasPrefix("-"), !value.hasPrefix("--"), let position = shortFlagPosition(of: "k", in: value) {
                    var cluster = Array(value)
                    cluster.remove(at: position)
                    let fix = cluster.count == 1 ? removal(index, title: "Remove `-k`")
                        : word.parts.count == 1 ? Fix(title: "Remove `-k`", applicability: .unsafe,
                                                      edits: [Edit(range: command.range(of: word), replacement: String(cluster))])
                        : nil
                    report(word, "`curl -k` does not check the server's certificate; remove it "
                        + "(install `ca-certificates` if the image lacks them)", fix)
                }
            case "wget" where value == "--no-check-certificate":
                report(word, "`wget --no-check-certificate` does not check the server's certificate; remove it "
                    + "(install `ca-certificates` if the image lacks them)", removal(index, title: "Remove `--no-check-certificate`"))
            case "apt-get", "apt", "aptitude":
                if value == "--allow-unauthenticated" || value == "--allow-insecure-repositories" {
                    report(word, "`\(value)` installs packages whose signature is not checked; remove it",
                           removal(index, title: "Remove `\(value)`"))
                } else if let option = aptOption(value, next: index + 1 < words.count ? words[index + 1].literalValue : nil),
                          isInsecureAptOption(option.text) {
                    report(word, "`\(option.text)` turns apt's checks off; remove it",
                           removal(index, count: option.wordCount, title: "Remove `\(option.text)`"))
                }
            case "dnf", "yum", "microdnf", "tdnf":
                if value == "--nogpgcheck" {
                    report(word, "`--nogpgcheck` installs packages whose signature is not checked; remove it",
                           removal(index, title: "Remove `--nogpgcheck`"))
                } else if value.hasPrefix("--setopt="), isOff(value, key: "gpgcheck") || isOff(value, key: "sslverify") {
                    report(word, "`\(value)` turns signature or certificate checks off; remove it",
                           removal(index, title: "Remove `\(value)`"))
                }
            case "zypper" where value == "--no-gpg-checks":
                report(word, "`--no-gpg-checks` installs packages whose signature is not checked; remove it",
                       removal(index, title: "Remove `--no-gpg-checks`"))
            case "apk" where value == "--allow-untrusted":
                let operands = positionals.dropFirst()
                // A package file built or copied into the image (`/tmp/pkgs/*.apk`, `${DIR}/x.apk`) is
                // unsigned by nature; only packages from repositories are worth reporting.
                let local = words.dropFirst(index + 1).contains { word in
                    let text = command.script.text(word.range)
                    return !text.hasPrefix("-") && !text.containsBytes(of: "://")
                        && (text.containsBytes(of: ".apk") || text.containsBytes(of: "/"))
                }
                guard positionals.first == "add", !local else { break }
                let safe = !changesApkTrust && isOfficialAlpine(command, context: context)
                    && !view.hasFlag("repository", "X") && !operands.contains { $0.containsBytes(of: "://") }
                report(word, "`apk add --allow-untrusted` installs packages whose signature is not checked; remove it",
                       removal(index, title: "Remove `--allow-untrusted`", safe: safe))
            case "npm", "yarn", "pnpm":
                if value == "--strict-ssl=false" {
                    report(word, "`--strict-ssl=false` does not check the registry's certificate; remove it",
                           removal(index, title: "Remove `--strict-ssl=false`"))
                } else if index == 0, ["config", "set"].contains(positionals.first ?? ""),
                          positionals.contains(where: { $0 == "strict-ssl" || $0 == "strict-ssl=false" }),
                          positionals.last == "false" || positionals.last == "strict-ssl=false" {
                    violations.append(Violation(
                        range: command.range(of: view.nameWord),
                        message: "`\(name) config set strict-ssl false` does not check the registry's certificate; remove it",
                        fix: commandRemoval(command, title: "Remove `\(name) config set strict-ssl false`", context: context)))
                }
            case "git":
                if value == "-c", index + 1 < words.count, let setting = words[index + 1].literalValue,
                   setting.lowercased().hasPrefix("http.sslverify="), isFalse(String(setting.split(separator: "=").last ?? "")) {
                    report(word, "`git -c \(setting)` does not check the server's certificate; remove it",
                           removal(index, count: 2, title: "Remove `-c \(setting)`"))
                } else if value.lowercased() == "http.sslverify", positionals.first == "config",
                          index + 1 < words.count, isFalse(words[index + 1].literalValue ?? "") {
                    violations.append(Violation(
                        range: command.range(of: view.nameWord),
                        message: "`git config http.sslVerify false` turns certificate checks off for every later git command; "
                            + "remove it",
                        fix: commandRemoval(command, title: "Remove `git config http.sslVerify false`", context: context)))
                }
            default:
                break
            }
            if value == "--trusted-host" || value.hasPrefix("--trusted-host="), command.pipInstall != nil || name.hasPrefix("pip") {
                report(word, "`pip --trusted-host` accepts the host without a valid certificate; remove it",
                       removal(index, count: value == "--trusted-host" ? 2 : 1, title: "Remove `--trusted-host`"))
            }
            // A `file:` source is a folder of packages built in this image, not a download.
            if mentions.sources, value.containsBytes(of: "trusted=yes"), value.containsBytes(of: "["), !value.containsBytes(of: "file:") {
                report(word, "`[trusted=yes]` makes apt install from this source without checking signatures; "
                    + "add the repository's key with `signed-by=` instead", nil)
            }
            if mentions.repos, value.containsBytes(of: "gpgcheck=0") {
                report(word, "`gpgcheck=0` makes dnf and yum install from this repository without checking signatures", nil)
            }
        }
        return violations
    }

    /// Removes a whole command that turns a check off (unsafe: a build may need it).
    static func commandRemoval(_ command: ScriptCommand, title: String, context: RuleContext) -> Fix? {
        guard let index = command.script.commands.firstIndex(where: { $0.command.range == command.view.command.range }),
              let edit = ScriptEdits.removal(ofCommandAt: index, in: command.script, context: context) else { return nil }
        return Fix(title: title, applicability: .unsafe, edits: [edit])
    }

    /// The position of the short flag `flag` in a cluster like `-fsSLk`, unless an
    /// option that takes a value comes first (then the rest is its value).
    static func shortFlagPosition(of flag: Character, in cluster: String) -> Int? {
        for (offset, character) in cluster.dropFirst().enumerated() {
            if character == flag { return offset + 1 }
            if curlShortOptionsWithValues.contains(character) || !character.isLetter { return nil }
        }
        return nil
    }

    /// apt's `-o X=Y`, `-oX=Y` or `--option=X=Y`, and how many words it spans.
    static func aptOption(_ value: String, next: String?) -> (text: String, wordCount: Int)? {
        if value == "-o" || value == "--option", let next { return (next, 2) }
        if value.hasPrefix("--option=") { return (String(value.dropFirst(9)), 1) }
        if value.hasPrefix("-o"), value.count > 2 { return (String(value.dropFirst(2)), 1) }
        return nil
    }

    static func isInsecureAptOption(_ option: String) -> Bool {
        let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return false }
        let key = parts[0].lowercased()
        let enabling = ["true", "1", "yes"].contains(parts[1].lowercased())
        if ["acquire::allowinsecurerepositories", "apt::get::allowunauthenticated",
            "acquire::allowdowngradetoinsecurerepositories"].contains(key) { return enabling }
        if key.hasSuffix("::verify-peer") || key.hasSuffix("::verify-host") { return isFalse(parts[1]) }
        return false
    }

    static func isOff(_ setting: String, key: String) -> Bool {
        let body = setting.dropFirst("--setopt=".count)
        guard let equals = body.lastIndex(of: "=") else { return false }
        let name = body[..<equals]
        return (name == key || name.hasSuffix("." + key)) && isFalse(String(body[body.index(after: equals)...]))
    }

    static func isFalse(_ value: String) -> Bool { ["false", "0", "no", "off"].contains(value.lowercased()) }

    /// A stage on the official alpine image.
    static func isOfficialAlpine(_ command: ScriptCommand, context: RuleContext) -> Bool {
        guard let image = context.stages.rootStage(of: command.run.stageIndex)?.baseImage, image.isValid,
              image.isOfficialImage, image.path.split(separator: "/").last == "alpine" else { return false }
        return true
    }

    /// Whether the file writes apk's repositories or keys anywhere (read once per file),
    /// searched in the file's bytes rather than in a decoded copy of the whole file.
    static func changesApkTrust(_ context: RuleContext) -> Bool {
        let bytes = context.bytes
        return bytes.containsBytes(of: "/etc/apk/repositories") || bytes.containsBytes(of: "/etc/apk/keys")
    }
}
