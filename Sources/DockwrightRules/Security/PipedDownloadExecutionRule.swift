import DockwrightCore
import DockwrightShell
import DockwrightSyntax

/// Flags code downloaded and run in one go (`curl … | sh`, `sh -c "$(curl …)"`, `bash <(curl …)`).
public struct PipedDownloadExecutionRule: Rule {
    public static let description = RuleDescription(
        code: "DW201", name: "piped-download-execution", category: .security,
        summary: "Do not run a downloaded script without checking it first", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `curl -fsSL https://… | sh` runs whatever the server sends at build time: a \
            compromised or hijacked host, a changed installer, or a truncated download (the \
            shell runs the part that arrived) all end up in the image, and nothing in the \
            Dockerfile says which script was run. Download the script to a file, check it \
            against a known digest, then run it:

            ```dockerfile
            RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \\
             && echo "<sha256>  /tmp/install.sh" | sha256sum -c - \\
             && sh /tmp/install.sh && rm /tmp/install.sh
            ```

            or let BuildKit do the check with `ADD --checksum=sha256:<digest> <url> /tmp/install.sh`.

            Reported forms, with `curl`, `wget`, `fetch`, `aria2c` or HTTPie as the download:

            - a pipeline into a shell or interpreter that reads its program from standard input \
            (`| sh`, `| bash -s -- --yes`, `| sudo bash -`, `| python3`, `| perl`);
            - the download's output given as the program text: `sh -c "$(curl …)"`, \
            `bash -c "`curl …`"`, `eval "$(wget -qO- …)"`;
            - process substitution: `bash <(curl …)`, `source <(curl …)`, `. <(curl …)`.

            An interpreter that gets its program another way only reads data from the pipe, so \
            `curl … | python3 -c 'import json, sys; print(json.load(sys.stdin)["tag"])'`, \
            `| python3 -m json.tool`, `| perl -ne '…'` or `| sh ./script.sh` are not reported; \
            neither are `curl … | tar -xz` or `| sha256sum -c`. Heredoc RUN bodies are scripts \
            like any other; PowerShell and cmd scripts are not checked.

            The finding points at the interpreter that runs the download. There is no \
            automatic fix: the digest to check against has to come from the publisher.

            ## References
            No hadolint or BuildKit check covers this (hadolint's DL4006 only asks for \
            `pipefail`, which does not stop a partial script from running).
            """,
        triggering: [
            Example("FROM debian:12\nRUN curl -fsSL https://deb.nodesource.com/setup_20.x | ↓bash -\n"),
            Example("FROM alpine:3.20\nRUN wget -qO- https://get.example.com \\\n    | ↓sh -s -- --yes\n"),
            Example("FROM debian:12\nRUN curl -sSL https://install.python-poetry.org | ↓python3 -\n"),
            Example("FROM debian:12\nRUN ↓sh -c \"$(curl -fsSL https://raw.githubusercontent.com/ohmyzsh/ohmyzsh/master/tools/install.sh)\"\n"),
            Example("FROM debian:12\nRUN ↓bash <(curl -s https://example.com/install.sh)\n"),
            Example("FROM debian:12\nRUN ↓eval \"$(wget -qO- https://example.com/env.sh)\"\n"),
            Example("FROM debian:12\nRUN <<EOF\nset -e\ncurl -fsSL https://example.com/install.sh | sudo ↓bash -s -- --version 2\nEOF\n"),
        ],
        nonTriggering: [
            Example("FROM debian:12\nRUN curl -fsSLo /tmp/i.sh https://example.com/i.sh \\\n && echo \"abc  /tmp/i.sh\" | sha256sum -c - \\\n && sh /tmp/i.sh\n"),
            Example("FROM debian:12\nRUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt\n"),
            Example("FROM debian:12\nRUN curl -s https://api.github.com/repos/a/b/releases/latest | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"tag_name\"])'\n"),
            Example("FROM debian:12\nRUN curl -s https://example.com/data.json | python3 -m json.tool\n"),
            Example("FROM debian:12\nRUN curl -s https://example.com/version | sh ./check-version.sh\n"),
            Example("FROM debian:12\nRUN echo \"$(curl -s https://example.com/version)\" > /version\n"),
            Example("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN iwr https://example.com/i.ps1 | iex\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for run in context.runAndTriggerScripts {
            guard let script = run.script else { continue }
            var reported: Set<Range<Int>> = []
            for piped in script.pipedDownloads
            where Self.readsProgramFromStandardInput(piped.interpreter)
                && reported.insert(piped.interpreter.nameWord.range).inserted {
                violations.append(violation(
                    at: piped.interpreter, script: script,
                    message: "`\(piped.interpreter.name ?? "")` runs what `\(piped.download.name ?? "")` downloads "
                        + "without checking it; save it, verify its checksum, then run it"))
            }
            let downloads = script.commands.filter {
                $0.context.enclosures.last == .substitution && Self.downloaders.contains($0.name ?? "")
            }
            guard !downloads.isEmpty else { continue }
            for view in script.commands {
                guard let program = Self.programWord(of: view),
                      let download = downloads.first(where: { program.range.contains($0.command.range.lowerBound) }),
                      reported.insert(view.nameWord.range).inserted
                else { continue }
                violations.append(violation(
                    at: view, script: script,
                    message: "`\(view.name ?? "")` runs the output of `\(download.name ?? "")` without checking it; "
                        + "save the download, verify its checksum, then run it"))
            }
        }
        return violations
    }
}

private extension PipedDownloadExecutionRule {
    /// Programs that download from the network (ShellScript's own list, which `pipedDownloads` uses).
    static let downloaders: Set<String> = ["curl", "wget", "fetch", "aria2c", "http", "https"]
    /// POSIX shells: `-c` takes the program as an argument; `-e`, `-x`, … are options.
    static let shells: Set<String> = ["sh", "bash", "dash", "ash", "zsh", "ksh"]
    /// Other interpreters and the flags that give them their program as an argument.
    static let programFlags: [String: Set<String>] = [
        "python": ["c", "m"], "python2": ["c", "m"], "python3": ["c", "m"], "perl": ["e", "E"], "ruby": ["e"],
        "node": ["e", "p", "eval", "print"], "php": ["r"],
    ]
    /// Shell options that take a separate value (`-o pipefail`).
    static let shellOptionsWithValues: Set<String> = ["-o", "+o", "-O", "+O"]

    func violation(at view: CommandView, script: ShellScript, message: String) -> Violation {
        Violation(range: script.sourceRange(view.nameWord.range), message: message)
    }

    /// Whether an interpreter reads its program from standard input: no program argument
    /// (`-c`, a script file, `-e` for perl, …), or `-s` / `-` saying so explicitly.
    static func readsProgramFromStandardInput(_ view: CommandView) -> Bool {
        guard let name = view.name else { return false }
        let isShell = shells.contains(name)
        let flags = isShell ? ["c"] : (programFlags[name] ?? [])
        var skipNext = false
        for word in view.arguments {
            if skipNext {
                skipNext = false
                continue
            }
            // A word known only at run time is most likely a script path.
            guard let value = word.literalValue else { return false }
            if value == "-" || value == "--" { return true }
            if isShell && shellOptionsWithValues.contains(value) {
                skipNext = true
                continue
            }
            if value.hasPrefix("--") {
                if flags.contains(String(value.dropFirst(2).prefix { $0 != "=" })) { return false }
                continue
            }
            if value.count > 1 && (value.hasPrefix("-") || (isShell && value.hasPrefix("+"))) {
                let letters = value.dropFirst().map(String.init)
                if letters.contains(where: flags.contains) { return false }
                if isShell && letters.contains("s") { return true }
                continue
            }
            return false
        }
        return true
    }

    /// The word an interpreter takes its program from: everything `eval` gets, the file
    /// `source` reads, the `-c` string or script file of a shell or interpreter.
    static func programWord(of view: CommandView) -> ShellWord? {
        guard let name = view.name else { return nil }
        let arguments = Array(view.arguments)
        switch name {
        case "eval", "source", ".":
            return arguments.first
        default:
            guard shells.contains(name) || programFlags[name] != nil else { return nil }
        }
        let isShell = shells.contains(name)
        var skipNext = false
        for (index, word) in arguments.enumerated() {
            if skipNext {
                skipNext = false
                continue
            }
            guard let value = word.literalValue else { return word }
            if isShell && shellOptionsWithValues.contains(value) {
                skipNext = true
                continue
            }
            if value.count > 1 && value.hasPrefix("-") {
                // `python -c CODE`, `perl -e CODE`: the program is the flag's value.
                if !isShell, let flags = programFlags[name], index + 1 < arguments.count,
                   value.dropFirst().contains(where: { flags.contains(String($0)) }) {
                    return arguments[index + 1]
                }
                continue
            }
            return word
        }
        return nil
    }
}
