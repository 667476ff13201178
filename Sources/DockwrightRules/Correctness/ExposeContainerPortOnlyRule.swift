import DockwrightCore
import DockwrightSyntax

/// Flags an EXPOSE port with an IP address or a host port (`8080:80`).
public struct ExposeContainerPortOnlyRule: Rule {
    public static let description = RuleDescription(
        code: "DW121", name: "expose-container-port-only", category: .correctness,
        summary: "EXPOSE only the container port, without an IP address or host port", severity: .warning,
        fix: .sometimes,
        rationale: """
            ## Why
            EXPOSE records which ports the container listens on; it cannot publish them. \
            Publishing, and choosing a host address or host port, happens at run time \
            (`docker run -p 127.0.0.1:8080:80`). BuildKit still parses `[ip:]host:container` \
            in EXPOSE for historical reasons, but keeps only the container port, so \
            `EXPOSE 8080:80` exposes port 80 and nothing else. BuildKit reports it as \
            `ExposeInvalidFormat` and says it will become an error.

            Like BuildKit, the check looks at each port after variable substitution, and \
            skips ports BuildKit rejects outright (an unknown protocol, no port before `/`). \
            A lone leading colon (`:80`) names no host port and is not reported, as in BuildKit.

            ## Fix safety
            The fix keeps only the container port (`8080:80/udp` becomes `80/udp`), which is \
            what BuildKit stores in the image. It is safe when the host part is a plain host \
            port and both ports are valid numbers: the image config is then unchanged. With \
            an IP address or port ranges it is unsafe, because BuildKit may reject the \
            original word (an invalid address, mismatched ranges) and the fix would turn a \
            failing build into a passing one. Words that use variables, quotes or escapes \
            are reported without a fix.

            ## References
            BuildKit check `ExposeInvalidFormat` (`parsePort` in \
            `dockerfile2llb/convert_expose.go`; moby/buildkit#2173); hadolint has no equivalent.
            """,
        triggering: [
            Example("FROM alpine\nEXPOSE ↓127.0.0.1:80:80\n"),
            Example("FROM alpine\nEXPOSE 443 ↓8080:80\n"),
            Example("FROM alpine\nEXPOSE ↓[::1]:8080:80/udp\n"),
            Example("FROM alpine\nARG HOST_PORT=8080\nEXPOSE ↓${HOST_PORT}:80\n"),
        ],
        nonTriggering: [
            Example("FROM alpine\nEXPOSE 80\n"),
            Example("FROM alpine\nEXPOSE 80/tcp 8000-8010/udp\n"),
            Example("FROM alpine\nEXPOSE :80\n"),
            Example("FROM alpine\nARG PORT=80\nEXPOSE ${PORT}\n"),
            Example("FROM alpine\nEXPOSE 8080:80/http\n"),
        ],
        fixes: [
            FixExample("FROM alpine\nEXPOSE 8080:80 443\n", "FROM alpine\nEXPOSE 80 443\n", .safe),
            FixExample(
                "FROM alpine\n# metrics\nEXPOSE 9090:9090/udp \\\n    53   # dns\n",
                "FROM alpine\n# metrics\nEXPOSE 9090/udp \\\n    53   # dns\n", .safe),
            FixExample("FROM alpine\nEXPOSE 127.0.0.1:80:80\n", "FROM alpine\nEXPOSE 80\n", .unsafe),
            FixExample("FROM alpine\nEXPOSE 8000-8001:80-81\n", "FROM alpine\nEXPOSE 80-81\n", .unsafe),
        ],
        buildKitCheckName: "ExposeInvalidFormat"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        ExposePortSpec.all(in: context).compactMap { spec in
            // Mirrors BuildKit: `ip != "" || hostPort != ""`.
            guard spec.hasHostPart else { return nil }
            return Violation(
                range: spec.token.range,
                message: "EXPOSE should not define an IP address or host-port mapping, found `\(spec.port)`; "
                    + "expose only the container port `\(spec.containerPort)` and publish it with `docker run -p`",
                fix: fix(spec, in: context))
        }
    }
}

// MARK: - Helpers

private extension ExposeContainerPortOnlyRule {
    /// Replaces the word with its container port, when the word is written literally.
    func fix(_ spec: ExposePortSpec, in context: RuleContext) -> Fix? {
        guard spec.isLiteral(in: context) else { return nil }
        let number = spec.containerPort.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let isPlain = spec.hostIP.isEmpty && ExposePortSpec.isPortNumber(spec.hostPort)
            && ExposePortSpec.isPortNumber(number)
        return Fix(
            title: "Keep only the container port `\(spec.containerPort)`", applicability: isPlain ? .safe : .unsafe,
            edits: [Edit(range: spec.token.range, replacement: spec.containerPort)])
    }
}
