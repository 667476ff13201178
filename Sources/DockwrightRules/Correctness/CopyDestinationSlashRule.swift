import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags a COPY with several sources whose destination does not end in `/`.
public struct CopyDestinationSlashRule: Rule {
    public static let description = RuleDescription(
        code: "DL3021", name: "copy-destination-slash", category: .correctness,
        summary: "End the destination of a `COPY` with several sources with `/`", severity: .error, fix: .sometimes,
        rationale: """
            ## Why
            With more than one source, `COPY` needs a folder as its destination, and Docker \
            only takes the destination as a folder when it ends in `/`. Without it the \
            classic builder stops with "When using COPY with more than one source file, the \
            destination must be a directory and end with a /", and BuildKit copies every \
            source onto the same path.

            The destination is read after substituting ARG and ENV values (`ARG DEST=/app/` \
            then `COPY a b $DEST` is fine).

            A Windows destination ending in `\\` is a folder too.

            Deliberate difference from hadolint: a destination of `.` is not reported. \
            BuildKit treats `.` as the working directory itself (it appends the `/`), so \
            `COPY package.json yarn.lock .` works.

            A COPY with a flag that needs a value but has none (`COPY --from build /app \
            /app`) is not reported either: BuildKit rejects the flag (DW000 reports \
            "missing a value on flag"), and counting `build` as a second source would point \
            at the wrong problem (`malformed-flag`).

            ## Fix safety
            The fix appends `/` to the destination (inside its quotes). It is safe: a \
            destination with several sources can only mean a folder, and the `/` says so.

            ## References
            hadolint DL3021.
            """,
        triggering: [
            Example("FROM node:22\nCOPY package.json yarn.lock ↓/app\n"),
            Example("FROM node:22\nCOPY [\"package.json\", \"yarn.lock\", ↓\"/app\"]\n"),
            Example("FROM node:22\nARG DEST=/app\nCOPY a b ↓$DEST\n"),
        ],
        nonTriggering: [
            Example("FROM node:22\nCOPY package.json yarn.lock /app/\n"),
            Example("FROM node:22\nWORKDIR /app\nCOPY package.json yarn.lock .\n"),
            Example("FROM node:22\nCOPY package.json /app\n"),
            Example("FROM node:22\nARG DEST=/app/\nCOPY a b $DEST\n"),
            Example("FROM node:22\nCOPY a b \"/app/\"\n"),
            Example("# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY a.dll b.dll C:\\Windows\\System32\\\n"),
        ],
        fixes: [
            FixExample("FROM node:22\nCOPY a b /app\n", "FROM node:22\nCOPY a b /app/\n", .safe),
            FixExample(
                "FROM node:22\n# sources\nCOPY [\"a\", \"b\", \"/app\"]\nCOPY a \\\n  b \"/srv\"\n",
                "FROM node:22\n# sources\nCOPY [\"a\", \"b\", \"/app/\"]\nCOPY a \\\n  b \"/srv/\"\n", .safe),
        ]
    )

    public init() {}

    /// COPY's flags that take a value (`--link` and `--parents` are booleans).
    static let valueFlags: Set<String> = ["from", "chown", "chmod", "exclude"]

    public func check(_ context: RuleContext) -> [Violation] {
        context.syntax.instructions.compactMap { instruction in
            guard instruction.kind == .copy else { return nil }
            // `--from build` (no `=`) is a flag BuildKit rejects ("missing a value on flag",
            // DW000); its value is not a source to count.
            if instruction.flags.contains(where: { Self.valueFlags.contains($0.name) && !$0.text.contains("=") }) {
                return nil
            }
            guard let copy = CopyInstruction(instruction), copy.sourceTokens.count >= 2 else { return nil }
            let destination = copy.destinationToken
            let written = copy.destination
            if let value = context.model.resolvedValue(of: destination.text, before: instruction) {
                guard !Self.namesFolder(value) else { return nil }
            } else if Self.namesFolder(written) {
                return nil
            }
            return Violation(
                range: destination.range,
                message: "`COPY` with \(copy.sourceTokens.count) sources needs a folder destination; write `\(written)/`",
                fix: fix(for: destination, context))
        }
    }
}

// MARK: - Helpers

private extension CopyDestinationSlashRule {
    /// Whether BuildKit takes the destination as a folder: a trailing `/` (or `\` on
    /// Windows, where it is the separator), or `.` (BuildKit's `dispatchCopy`).
    static func namesFolder(_ destination: String) -> Bool {
        destination.isEmpty || destination == "." || destination.hasSuffix("/") || destination.hasSuffix("\\")
    }

    /// Appends `/` inside the quotes of the destination as written.
    func fix(for destination: Token, _ context: RuleContext) -> Fix? {
        let written = context.syntax.source.text(in: destination.range)
        guard let last = written.last else { return nil }
        let offset: Int
        if (last == "\"" || last == "'") && written.count >= 2 && written.first == last {
            offset = destination.range.end - 1
        } else if last == destination.text.last {
            offset = destination.range.end
        } else {
            return nil
        }
        return Fix(title: "Append `/` to the destination", applicability: .safe, edits: [.insert("/", at: offset)])
    }
}
