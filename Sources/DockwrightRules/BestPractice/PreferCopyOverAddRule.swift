import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags ADD of local files and folders, which COPY does more plainly.
public struct PreferCopyOverAddRule: Rule {
    public static let description = RuleDescription(
        code: "DL3020", name: "prefer-copy-over-add", category: .bestPractice,
        summary: "Use `COPY` instead of `ADD` for local files and folders", severity: .error, fix: .sometimes,
        rationale: """
            ## Why
            `ADD` also downloads URLs, clones git repositories and unpacks local tar archives. \
            For plain local files it does what `COPY` does, but a reader (and a reviewer) has to \
            check which of its powers is in use. `COPY` says exactly what happens.

            ## Fix safety
            Replacing the keyword is safe: for local sources that are not archives, `ADD` and \
            `COPY` copy the same files with the same flags. URLs, git sources, `--checksum`, \
            `--keep-git-dir`, `--unpack` and local archives (which `ADD` extracts) are not \
            reported, and a source that is a variable is reported without a fix.

            Difference from hadolint: a source written as a variable is read through the \
            ARG and ENV values before it, so `ARG URL=https://example.com/tool.bin` then \
            `ADD ${URL} /opt/` is the download it is and not reported, and neither is \
            `ENV PKG=jre.tar.gz` then `ADD $PKG /`, a local archive ADD extracts; hadolint \
            reads the bare variable as a plain local path (`resolved-source`).

            ## References
            hadolint DL3020; Docker's best practices for ADD and COPY.
            """,
        triggering: [
            Example("FROM alpine:3.20\n↓ADD app.py /app/\n"),
            Example("FROM alpine:3.20\n↓add --chown=app:app ./config /etc/app/\n"),
            Example("FROM alpine:3.20\n↓ADD [\"a b.txt\", \"/dst/\"]\n"),
            Example("FROM alpine:3.20\nARG TOOL=tool.bin\n↓ADD ${TOOL} /opt/tool\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nCOPY app.py /app/\n"),
            Example("FROM alpine:3.20\nADD https://example.com/tool.tar.gz /opt/\n"),
            Example("FROM alpine:3.20\nADD rootfs.tar.xz /\n"),
            Example("FROM alpine:3.20\nADD git@github.com:moby/buildkit.git /src\n"),
            Example("FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d file /x\n"),
            Example("FROM alpine:3.20\nADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.10.1 /buildkit\n"),
            Example("FROM alpine:3.20\nARG TOOL_URL=https://example.com/tool.bin\nADD ${TOOL_URL} /opt/tool\n"),
            Example("FROM alpine:3.20\nENV ROOTFS=rootfs.tar.gz\nADD $ROOTFS /\n"),
        ],
        fixes: [
            FixExample("FROM alpine:3.20\nADD app.py /app/\n", "FROM alpine:3.20\nCOPY app.py /app/\n", .safe),
            FixExample("FROM alpine:3.20\nadd --chown=app:app . /app\n", "FROM alpine:3.20\ncopy --chown=app:app . /app\n", .safe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.syntax.instructions.compactMap { instruction in
            guard instruction.kind == .add, instruction.heredocs.isEmpty else { return nil }
            let flagNames = Set(instruction.flags.map(\.name))
            guard flagNames.isDisjoint(with: ["checksum", "keep-git-dir", "unpack"]) else { return nil }
            let sources = CopyInstruction(instruction)?.sources ?? []
            guard !sources.isEmpty, sources.allSatisfy(isPlainLocalSource),
                  !sources.contains(where: { resolvesToRemote($0, instruction, context) }) else { return nil }
            let fix: Fix? = sources.contains { $0.contains("$") } ? nil : context.fix {
                Fix(title: "Replace `ADD` with `COPY`", applicability: .safe,
                    edits: [Edit(range: instruction.keyword.range, replacement: copyKeyword(matching: instruction.keyword.text))])
            }
            return Violation(range: instruction.keyword.range, fix: fix)
        }
    }
}

private extension PreferCopyOverAddRule {
    /// Whether a source with variables names a URL or git source once the ARG and ENV
    /// values before the instruction are substituted.
    func resolvesToRemote(_ source: String, _ instruction: InstructionSyntax, _ context: RuleContext) -> Bool {
        guard source.contains("$"), let value = context.model.expansion(of: source, before: instruction)?.value else {
            return false
        }
        return !isPlainLocalSource(value)
    }

    /// A source ADD copies as is: not a URL, not a git source, not an archive ADD would unpack.
    func isPlainLocalSource(_ source: String) -> Bool {
        let lowered = source.lowercased()
        // A local `name.git` may be a repository the author meant ADD to clone: left alone too.
        if CopySource(source).isRemote || lowered.hasSuffix(".git") || lowered.contains(".git#") {
            return false
        }
        return !Self.archiveSuffixes.contains { lowered.hasSuffix($0) }
    }

    /// Archives ADD extracts (hadolint DL3020's exemption, extended to every format BuildKit detects).
    static let archiveSuffixes = [
        ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".tzst", ".tar.lz",
        ".tar.lzma", ".tlz", ".tar.z", ".taz", ".gz", ".bz2", ".xz", ".zst", ".lz4", ".lzma",
    ]

    /// `COPY` in the letter case of the keyword it replaces.
    func copyKeyword(matching keyword: String) -> String {
        if keyword == keyword.lowercased() { return "copy" }
        if keyword == keyword.uppercased() { return "COPY" }
        return "Copy"
    }
}
