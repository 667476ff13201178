import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags images pulled from a registry outside the configured `trusted-registries`.
public struct TrustedRegistryRule: Rule {
    public static let description = RuleDescription(
        code: "DL3026", name: "trusted-registry", category: .security,
        summary: "Pull images only from trusted registries", severity: .error, fix: .none,
        rationale: """
            ## Why
            Organisations often allow images only from their own registry or mirror, where \
            images are scanned and cannot disappear. This rule enforces such a list for \
            `FROM` images, `COPY --from=<image>` and `RUN --mount=from=<image>`. It does \
            nothing until the list is configured.

            ## Options
            `trusted-registries` in `.dockwright.json` (a string or a list), or \
            `trustedRegistries` in `.hadolint.yaml`:

            ```json
            { "trusted-registries": ["docker.io", "*.corp.example", "registry.acme*"] }
            ```

            An image without a registry (`alpine`) comes from `docker.io`, which \
            `hub.docker.com` also stands for. `*.corp.example` allows every subdomain of \
            `corp.example`; `registry.acme*` allows every registry whose name starts so. \
            `scratch` and earlier stages are not images. The examples below run with \
            `docker.io` and `*.corp.example`.

            Deliberate difference from hadolint: the image is read after substituting ARG \
            values (`ARG REGISTRY=evil.example` then `FROM ${REGISTRY}/app` is reported), \
            and an image whose registry comes from an ARG without a value is not judged \
            (hadolint reports it: hadolint#315, #339); one whose tag alone does is.

            ## References
            hadolint DL3026.
            """,
        triggering: [
            Example("FROM ↓quay.io/org/app:1.0\n"),
            Example("ARG REGISTRY=quay.io\nFROM ↓${REGISTRY}/org/app:1.0\n"),
            Example("ARG VERSION\nFROM ↓quay.io/org/app:${VERSION}\n"),
            Example("FROM docker.io/library/alpine:3.20\nCOPY --from=↓quay.io/org/tool:1 /t /t\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\n"),
            Example("FROM registry.corp.example/app:1.0\n"),
            Example("FROM scratch\n"),
            Example("ARG REGISTRY\nFROM ${REGISTRY}/org/app:1.0\n"),
            Example("ARG VERSION\nFROM registry.corp.example/app:${VERSION}\n"),
            Example("FROM alpine:3.20 AS build\nFROM build\nCOPY --from=build /a /a\n"),
        ],
        exampleOptions: RuleOptions(trustedRegistries: ["docker.io", "*.corp.example"])
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let trusted = context.options.trustedRegistries
        guard !trusted.isEmpty else { return [] }
        var violations: [Violation] = []
        for base in context.model.baseImages where !base.reference.isScratch {
            // An ARG without a value may hide the registry (`${REGISTRY}/app`): judge the
            // image only when two different values give the same registry.
            guard let probed = base.probe("probe.invalid", in: context.model), let other = base.probe("x", in: context.model),
                  probed.domain == other.domain
            else { continue }
            if let violation = violation(for: other, shown: base.reference.text, range: base.token.range, trusted: trusted) {
                violations.append(violation)
            }
        }
        for stage in context.stages.stages {
            for dependency in stage.dependencies where !dependency.isOnbuildTrigger {
                guard case .image(let reference) = dependency.source,
                      let violation = violation(
                          for: reference, shown: reference.text, range: dependency.range, trusted: trusted)
                else { continue }
                violations.append(violation)
            }
        }
        return violations.sorted { $0.range.start < $1.range.start }
    }
}

// MARK: - Helpers

private extension TrustedRegistryRule {
    func violation(for reference: ImageReference, shown: String, range: TextRange, trusted: [String]) -> Violation? {
        guard reference.isValid, !reference.isScratch else { return nil }
        let registry = reference.domain.isEmpty ? ImageReference.defaultDomain : reference.domain
        guard !trusted.contains(where: { Self.matches(registry, pattern: $0) }) else { return nil }
        return Violation(
            range: range,
            message: "`\(shown)` comes from `\(registry)`, which is not a trusted registry; "
                + "use an image from \(trusted.map { "`\($0)`" }.joined(separator: ", "))")
    }

    /// hadolint's matching: exact names, `*.domain` for subdomains, `prefix*`; Docker Hub
    /// is `docker.io` or `hub.docker.com`.
    static func matches(_ registry: String, pattern: String) -> Bool {
        let pattern = pattern.lowercased()
        let registry = registry.lowercased()
        let hubNames: Set<String> = ["docker.io", "hub.docker.com", "index.docker.io", "registry-1.docker.io"]
        if hubNames.contains(registry) && hubNames.contains(pattern) { return true }
        if pattern == "*" { return true }
        if pattern.hasPrefix("*.") { return registry.hasSuffix(String(pattern.dropFirst())) }
        if pattern.hasSuffix("*") { return registry.hasPrefix(String(pattern.dropLast())) }
        return registry == pattern
    }
}
