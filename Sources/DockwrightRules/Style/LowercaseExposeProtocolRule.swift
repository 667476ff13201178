import DockwrightCore
import DockwrightSyntax

/// Flags an EXPOSE protocol that is not lowercase (`80/TCP`).
public struct LowercaseExposeProtocolRule: Rule {
    public static let description = RuleDescription(
        code: "DW120", name: "lowercase-expose-protocol", category: .style,
        summary: "Write the EXPOSE protocol in lowercase", severity: .warning, fix: .sometimes,
        rationale: """
            ## Why
            Docker accepts `tcp`, `udp` and `sctp` in any case and stores them in lowercase \
            (`80/TCP` becomes `80/tcp` in the image config), so an uppercase protocol only \
            makes the Dockerfile disagree with what `docker inspect` shows. BuildKit reports \
            it as `ExposeProtoCasing`.

            Like BuildKit, the check looks at each port after variable substitution, so \
            `EXPOSE ${PORT}/UDP` is reported too, and skips ports BuildKit rejects outright \
            (an unknown protocol such as `80/http`, or no port before the `/`).

            ## Fix safety
            The fix lowercases the protocol where it is written. It is safe: BuildKit \
            lowercases it anyway, so the image is unchanged. A protocol that comes from a \
            variable, or a word with quotes or escapes, is reported without a fix.

            ## References
            BuildKit check `ExposeProtoCasing` (`parsePort` in \
            `dockerfile2llb/convert_expose.go`); hadolint has no equivalent.
            """,
        triggering: [
            Example("FROM alpine\nEXPOSE ↓80/TcP\n"),
            Example("FROM alpine\nEXPOSE 80/tcp ↓53/UDP ↓8080/TCP\n"),
            Example("FROM alpine\nARG PORT=8080\nEXPOSE ↓${PORT}/SCTP\n"),
            Example("FROM alpine\nARG PROTO=TCP\nEXPOSE ↓80/${PROTO}\n"),
            Example("FROM alpine\nEXPOSE ↓8000-8010/TCP\n"),
        ],
        nonTriggering: [
            Example("FROM alpine\nEXPOSE 80/tcp 53/udp 9/sctp\n"),
            Example("FROM alpine\nEXPOSE 80\n"),
            Example("FROM alpine\nARG PORT=80/tcp\nEXPOSE $PORT\n"),
            Example("FROM alpine\nEXPOSE 80/HTTP\n"),
            Example("FROM alpine\nONBUILD EXPOSE 80/TCP\n"),
        ],
        fixes: [
            FixExample("FROM alpine\nEXPOSE 80/TCP 443/Tcp\n", "FROM alpine\nEXPOSE 80/tcp 443/tcp\n", .safe),
            FixExample(
                "FROM alpine\n# ports\nEXPOSE 8080 \\\n    9090/UDP   # metrics\n",
                "FROM alpine\n# ports\nEXPOSE 8080 \\\n    9090/udp   # metrics\n", .safe),
            FixExample("FROM alpine\nARG PORT=81\nEXPOSE $PORT/TCP\n", "FROM alpine\nARG PORT=81\nEXPOSE $PORT/tcp\n", .safe),
        ],
        buildKitCheckName: "ExposeProtoCasing"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        ExposePortSpec.all(in: context).compactMap { spec in
            // Mirrors BuildKit: `proto != strings.ToLower(proto)`.
            let lowered = spec.proto.lowercased()
            guard spec.proto != lowered else { return nil }
            let fixed = String(spec.port.dropLast(spec.proto.count)) + lowered
            return Violation(
                range: spec.token.range,
                message: "Defined protocol `\(spec.port)` in EXPOSE instruction should be lowercase: `\(fixed)`",
                fix: fix(spec, lowered: lowered, in: context))
        }
    }
}

// MARK: - Helpers

private extension LowercaseExposeProtocolRule {
    /// Replaces the protocol's bytes, the end of the word, when the word writes it literally.
    func fix(_ spec: ExposePortSpec, lowered: String, in context: RuleContext) -> Fix? {
        let protoLength = spec.proto.utf8.count
        let written = context.syntax.source.text(in: spec.token.range)
        // The protocol must be the literal end of the word (`$PORT/TCP`, not `80/$PROTO`).
        let escape = context.style.escapeCharacter
        guard spec.token.text == written, written.hasSuffix("/" + spec.proto),
            !spec.proto.contains(where: { $0 == "$" || $0 == "\"" || $0 == "'" || $0 == escape })
        else { return nil }
        let range = TextRange(start: spec.token.range.end - protoLength, end: spec.token.range.end)
        return Fix(title: "Lowercase the protocol", applicability: .safe, edits: [Edit(range: range, replacement: lowered)])
    }
}
