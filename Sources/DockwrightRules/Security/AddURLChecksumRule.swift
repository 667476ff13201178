import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags `ADD` of an HTTP(S) URL without `--checksum`.
public struct AddURLChecksumRule: Rule {
    public static let description = RuleDescription(
        code: "DW203", name: "add-url-checksum", category: .security,
        summary: "Verify files `ADD` downloads with `--checksum`", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `ADD https://…` puts whatever the server returns at build time into the image. A \
            compromised server, a re-published release or a hijacked domain changes the image \
            without any change to the Dockerfile. `ADD --checksum=sha256:<digest> <url> <dest>` \
            (Dockerfile syntax 1.6 and later) makes BuildKit fail the build when the bytes \
            differ, and documents which file was meant.

            A source is a URL when it starts with `http://` or `https://`, after substituting \
            ARG and ENV values (`ADD ${TOOL_URL} /opt/`). The finding points at the URL. Git \
            sources (`https://github.com/org/repo.git#v1.2`, `git@…`) are not reported: they \
            are fetched by git and pinned by their ref (a commit hash pins them exactly), not \
            by a file digest.

            There is no automatic fix: the digest has to come from the publisher (or from \
            downloading the file once and reviewing it), not from whatever the URL returns today.

            ## References
            Docker's `ADD --checksum`; no hadolint or BuildKit check covers it (hadolint's \
            DL3020 only asks for `COPY` over `ADD` for local files).
            """,
        triggering: [
            Example("FROM alpine:3.20\nADD ↓https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini\n"),
            Example("FROM alpine:3.20\nARG TOOL_URL=https://example.com/tool.tar.gz\nADD ↓${TOOL_URL} /opt/\n"),
            Example("FROM alpine:3.20\nADD --chmod=755 [↓\"http://example.com/a.sh\", \"/usr/local/bin/a.sh\"]\n"),
            Example("FROM alpine:3.20\nADD ↓https://example.com/a.tar.gz \\\n    ↓https://example.com/b.tar.gz /opt/\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/\n"),
            Example("FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#v0.14.1 /src\n"),
            Example("FROM alpine:3.20\nADD git@github.com:moby/buildkit.git /src\n"),
            Example("FROM alpine:3.20\nADD app.tar.gz /opt/\n"),
            Example("FROM alpine:3.20\nCOPY https.txt /etc/\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for stage in context.stages.stages {
            for instruction in stage.instructions where instruction.kind == .add && instruction.heredocs.isEmpty {
                guard let add = CopyInstruction(instruction), add.checksum == nil else { continue }
                let environment = context.model.variables(before: instruction) ?? [:]
                for token in add.sourceTokens {
                    guard case .success(let value) = context.stages.argScope.expander.expand(
                        token.text, environment: environment), Self.isRemoteFile(value) else { continue }
                    violations.append(Violation(
                        range: token.range,
                        message: "`ADD` downloads `\(value)` without checking it; add `--checksum=sha256:<digest>`"))
                }
            }
        }
        return violations
    }
}

private extension AddURLChecksumRule {
    /// An HTTP(S) file, not a git repository.
    static func isRemoteFile(_ source: String) -> Bool { CopySource(source) == .httpFile }
}
