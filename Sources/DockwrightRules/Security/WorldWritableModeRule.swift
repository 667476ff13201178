import DockwrightCore
import DockwrightShell
import DockwrightSyntax

/// Flags `chmod` (and `mkdir -m`, `install -m`) modes that let any user write a path.
public struct WorldWritableModeRule: Rule {
    public static let description = RuleDescription(
        code: "DW202", name: "world-writable-mode", category: .security,
        summary: "Do not make paths writable by every user", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `chmod 777` (or `666`, `o+w`, `a+w`) lets every user of the container write the \
            path: any process, whatever user it runs as, can replace the app's code, its \
            configuration or the scripts root runs later. It is usually a shortcut for "the \
            app's user cannot write here"; the fix is to give the path to that user \
            (`chown 10001 /data`, `COPY --chown=10001 …`) with a mode like `755` or `775`.

            A mode is world-writable when it gives "others" the write bit:

            - octal modes whose last digit is `2`, `3`, `6` or `7` (`777`, `0666`, `757`);
            - symbolic modes that add or set `w` for `o` or `a` (`o+w`, `a+rwx`, `ugo=rwx`, \
            `u=rwx,o=rwx`), taking later clauses into account (`a+w,o-w` is fine).

            Not reported: modes with the sticky bit (`1777`, `+t`), which is how shared \
            directories like `/tmp` are meant to be world-writable; symbolic modes without \
            `o` or `a` (`+w`, `=rwx`), which the umask (`022` in `RUN`) keeps away from \
            others; `--reference`; and modes held in variables. `mkdir -m`/`--mode` and \
            `install -m`/`--mode` are read the same way. The finding points at the mode.

            There is no automatic fix: which user should own the path, and whether the group \
            needs to write, is a decision about the app.

            ## References
            No hadolint, BuildKit, Trivy or Checkov check covers this.
            """,
        triggering: [
            Example("FROM alpine:3.20\nRUN chmod ↓777 /app\n"),
            Example("FROM alpine:3.20\nRUN mkdir -p /data && chmod -R ↓0777 /data\n"),
            Example("FROM alpine:3.20\nRUN chmod ↓a+rwX /srv/uploads\n"),
            Example("FROM alpine:3.20\nRUN chmod -R ↓o+w /var/www \\\n && echo done\n"),
            Example("FROM alpine:3.20\nRUN chmod ↓666 /etc/app.conf\n"),
            Example("FROM alpine:3.20\nRUN mkdir -m ↓777 /cache\n"),
            Example("FROM alpine:3.20\nRUN install -d -m ↓0777 /srv/shared && mkdir ↓--mode=a+rwx /srv/drop\n"),
            Example("FROM alpine:3.20\nRUN <<EOF\nchmod ↓u=rwx,go=rwx /opt/app\nEOF\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nRUN chmod 755 /app && chmod 775 /data\n"),
            Example("FROM alpine:3.20\nRUN chmod 1777 /tmp\n"),
            Example("FROM alpine:3.20\nRUN chmod +w /app/config && chmod =rwx /app/bin\n"),
            Example("FROM alpine:3.20\nRUN chmod -R g+w,o-w /data\n"),
            Example("FROM alpine:3.20\nRUN chmod a+w,o-w /data\n"),
            Example("FROM alpine:3.20\nRUN chmod a+x /usr/local/bin/app\n"),
            Example("FROM alpine:3.20\nARG MODE=777\nRUN chmod \"$MODE\" /data\n"),
            Example("FROM alpine:3.20\nRUN chmod --reference=/etc/hosts /app\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        // The commands of the programs that set a mode, found by name in the model's index.
        for command in context.model.scriptCommands(named: Self.programs) {
            let view = command.view
            guard let word = Self.modeWord(of: view), let mode = Self.modeText(of: word, command: view),
                  Self.isWorldWritable(mode)
            else { continue }
            let text = view.name == "chmod" ? "chmod \(mode)" : "\(view.name ?? "mkdir") -m \(mode)"
            violations.append(Violation(
                range: command.script.sourceRange(word.range),
                message: "`\(text)` lets every user write the path; give it to the user that needs it "
                    + "(`chown`) and use a mode like `755` or `775`"))
        }
        return violations
    }
}

extension WorldWritableModeRule {
    /// Whether a chmod mode gives "others" write permission without the sticky bit.
    static func isWorldWritable(_ mode: String) -> Bool {
        if !mode.isEmpty, mode.allSatisfy({ $0 >= "0" && $0 <= "7" }) {
            guard let value = Int(mode, radix: 8) else { return false }
            return value & 0o002 != 0 && value & 0o1000 == 0
        }
        var othersWrite = false
        var sticky = false
        for clause in mode.split(separator: ",", omittingEmptySubsequences: false) {
            guard let parsed = parseClause(clause) else { return false }
            for (operation, permissions) in parsed.actions {
                if permissions.contains("t") { sticky = operation != "-" }
                // Without `o` or `a` the umask decides what others get; RUN's umask (022)
                // keeps their write bit off.
                guard parsed.includesOthers else { continue }
                switch operation {
                case "+": if permissions.contains("w") { othersWrite = true }
                case "-": if permissions.contains("w") { othersWrite = false }
                default: othersWrite = permissions.contains("w")
                }
            }
        }
        return othersWrite && !sticky
    }

    /// One symbolic clause: `[ugoa]*([-+=][rwxXst]*)+`; nil when it is not one. Copying
    /// another class (`o=u`) is read as no permission, which is never reported.
    private static func parseClause(_ clause: Substring) -> (includesOthers: Bool, actions: [(Character, String)])? {
        var who = ""
        var index = clause.startIndex
        while index < clause.endIndex, "ugoa".contains(clause[index]) {
            who.append(clause[index])
            index = clause.index(after: index)
        }
        var actions: [(Character, String)] = []
        while index < clause.endIndex {
            let operation = clause[index]
            guard "+-=".contains(operation) else { return nil }
            index = clause.index(after: index)
            var permissions = ""
            while index < clause.endIndex, "rwxXstugo".contains(clause[index]) {
                permissions.append(clause[index])
                index = clause.index(after: index)
            }
            actions.append((operation, permissions))
        }
        guard !actions.isEmpty else { return nil }
        return (who.contains("o") || who.contains("a"), actions)
    }

    /// The word holding the mode: chmod's first non-option argument, or the value of
    /// `-m`/`--mode` for mkdir and install.
    /// The programs ``modeWord(of:)`` reads a mode from.
    static let programs = ["chmod", "mkdir", "install"]

    static func modeWord(of view: CommandView) -> ShellWord? {
        let arguments = Array(view.arguments)
        switch view.name {
        case "chmod":
            for word in arguments {
                guard let value = word.literalValue else { return word }
                if value.hasPrefix("--reference") { return nil }
                if chmodOptions.contains(value) || (value.hasPrefix("--") && value.count > 2) { continue }
                // A cluster of option letters (`-Rv`); `-w`, `-x` are modes that remove bits.
                if value.hasPrefix("-"), value.count > 1, value.dropFirst().allSatisfy({ "Rfvc".contains($0) }) {
                    continue
                }
                return word
            }
            return nil
        case "mkdir", "install":
            for (index, word) in arguments.enumerated() {
                guard let value = word.literalValue else { continue }
                if value == "--" { return nil }
                if value == "-m" || value == "--mode" {
                    return index + 1 < arguments.count ? arguments[index + 1] : nil
                }
                if value.hasPrefix("--mode=") || (value.hasPrefix("-m") && value.count > 2) { return word }
            }
            return nil
        default:
            return nil
        }
    }

    /// The mode in a mode word (without `-m`/`--mode=`), when literal.
    static func modeText(of word: ShellWord, command view: CommandView) -> String? {
        guard let value = word.literalValue else { return nil }
        if view.name != "chmod" {
            if value.hasPrefix("--mode=") { return String(value.dropFirst("--mode=".count)) }
            if value.hasPrefix("-m") && value.count > 2 { return String(value.dropFirst(2)) }
        }
        return value
    }

    /// chmod's options (GNU coreutils and BusyBox).
    static let chmodOptions: Set<String> = [
        "-R", "-f", "-v", "-c", "--recursive", "--silent", "--quiet", "--verbose", "--changes",
        "--no-preserve-root", "--preserve-root", "--",
    ]
}
