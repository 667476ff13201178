import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags a local tar archive that is COPYed and then extracted by a later RUN of the stage.
public struct AddToExtractArchiveRule: Rule {
    public static let description = RuleDescription(
        code: "DL3010", name: "add-to-extract-archive", category: .size,
        summary: "Use `ADD` to extract a local tar archive instead of `COPY` and `tar -x`",
        severity: .info, fix: .none,
        rationale: """
            ## Why
            `COPY app.tar.gz /tmp/` followed by `RUN tar -xzf /tmp/app.tar.gz` stores the \
            archive in one layer and its contents in another, so the image carries both \
            (unless the `RUN` also deletes the archive, which still costs the `COPY` layer). \
            `ADD app.tar.gz /opt/` extracts a local tar archive in one step and keeps only \
            the contents.

            Reported at the archive's word in the `COPY` (its destination when the \
            destination names the archive), when a later `RUN` of the same stage extracts \
            a file of that name: `tar` in extract mode (`-x…`, `--extract`, `--get`, or the \
            old `tar xzf` form) or `gunzip`, `bunzip2`, `unxz`, `zcat`. `COPY --from` is \
            left alone: `ADD` cannot extract from another stage.

            Differences from hadolint:
            - Only tar archives `ADD` can extract are considered: `.tar`, `.tar.gz`, `.tgz`, \
            `.tar.bz2`, `.tbz`, `.tbz2`, `.tb2`, `.tar.xz`, `.txz`. A `.zip` or a plain `.gz` \
            file is copied as is by `ADD`, so using `ADD` would not help.
            - `tar xzf file` (options without a dash) is read as extraction, and \
            `--exclude` is not mistaken for `-x`.

            ## References
            hadolint DL3010; Docker's documentation of `ADD` (local tar archives).
            """,
        triggering: [
            Example("FROM debian:bookworm\nCOPY ↓app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n"),
            Example("FROM debian:bookworm\nCOPY dist/app-1.0.tgz ↓/tmp/app.tgz\nRUN cd /opt && tar xzf /tmp/app.tgz\n"),
            Example("FROM debian:bookworm\nCOPY [↓\"vendor.tar\", \"/src/\"]\nWORKDIR /src\nRUN tar --extract --file=vendor.tar\n"),
        ],
        nonTriggering: [
            Example("FROM debian:bookworm\nADD app.tar.gz /opt/\n"),
            Example("FROM debian:bookworm\nCOPY --from=build /out/app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\n"),
            Example("FROM debian:bookworm\nCOPY app.zip /tmp/\nRUN unzip /tmp/app.zip -d /opt\n"),
            Example("FROM debian:bookworm\nCOPY app.tar.gz /tmp/\nFROM debian:bookworm\nRUN tar -xzf /tmp/app.tar.gz\n"),
            Example("FROM debian:bookworm\nCOPY app.tar.gz /srv/\nRUN tar -czf /backup.tgz --exclude=cache /srv\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for stage in context.stages.stages {
            // Archive file name → the COPY tokens that brought a file of that name.
            var copied: [String: [Token]] = [:]
            var reported: Set<Int> = []
            for instruction in stage.instructions {
                if instruction.kind == .copy {
                    guard let copy = CopyInstruction(instruction), copy.copiesFromContext else { continue }
                    for token in Self.archiveTokens(of: copy) {
                        copied[Self.basename(token.text), default: []].append(token)
                    }
                    continue
                }
                guard instruction.kind == .run, !copied.isEmpty, let run = context.runScript(of: instruction)
                else { continue }
                for command in context.model.scriptCommands(of: run) where Self.extracts(command) {
                    for argument in command.expandedArguments {
                        var value = argument.value
                        if value.hasPrefix("--file=") { value.removeFirst(7) }
                        for token in copied[Self.basename(value)] ?? [] where reported.insert(token.range.start).inserted {
                            violations.append(Violation(
                                range: token.range,
                                message: "`\(Self.basename(token.text))` is copied and then extracted; `ADD` extracts a local tar archive in one layer"))
                        }
                    }
                }
            }
        }
        return violations.sorted { $0.range.start < $1.range.start }
    }
}

// MARK: - Helpers

private extension AddToExtractArchiveRule {
    /// The tokens naming an archive: the destination when it names one (hadolint's
    /// rule), else the archive sources.
    static func archiveTokens(of copy: CopyInstruction) -> [Token] {
        if isArchive(copy.destinationToken.text) { return [copy.destinationToken] }
        return copy.sourceTokens.filter { isArchive($0.text) }
    }

    static func isArchive(_ path: String) -> Bool {
        let name = basename(path)
        return CopyInstruction.archiveSuffixes.contains { name.hasSuffix($0) && name.count > $0.count }
    }

    static func basename(_ path: String) -> String {
        let unquoted = path.filter { $0 != "\"" && $0 != "'" }
        return String(unquoted.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "")
    }

    /// `tar` in extract mode, or a decompressor.
    static func extracts(_ command: ScriptCommand) -> Bool {
        guard let name = command.name else { return false }
        if ["gunzip", "bunzip2", "unxz", "zcat", "gzcat", "uncompress"].contains(name) { return true }
        guard name == "tar" else { return false }
        for (index, argument) in command.expandedArguments.enumerated() {
            let value = argument.value
            if value == "--extract" || value == "--get" { return true }
            if value.hasPrefix("-") && !value.hasPrefix("--") && value.contains("x") { return true }
            // The old form: the first argument is the option letters without a dash.
            if index == 0 && !value.hasPrefix("-") && !value.isEmpty
                && value.allSatisfy({ "xzjJvfpCcturOkmwaLZ".contains($0) }) && value.contains("x") {
                return true
            }
        }
        return false
    }
}
