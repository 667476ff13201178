import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags a FROM whose image tag is `latest`.
public struct AvoidLatestTagRule: Rule {
    public static let description = RuleDescription(
        code: "DL3007", name: "avoid-latest-tag", category: .reproducibility,
        summary: "Pin the base image to a release tag instead of `latest`", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `latest` is just the tag a publisher moves to each new release. A base image tagged \
            `latest` changes under the Dockerfile: rebuilds pick up new releases, including major \
            ones, and two builds of the same commit can differ. A release tag (`alpine:3.20`) \
            says which version the Dockerfile was written for.

            The tag is read after substituting ARG defaults (`ARG TAG=latest` then \
            `FROM alpine:${TAG}` is reported). An ARG with no value gets one from `--build-arg`, \
            so a word using one is reported only when the tag is `latest` whatever its value \
            (`${REGISTRY}/node:latest`, but not `node:${TAG:-latest}`). Like hadolint, `image:latest@sha256:…` is reported \
            too: the digest pins the bytes and Docker ignores the tag, but `latest` then hides \
            which release the digest is, and tools that update digests cannot tell which tag \
            to follow. Tags are case-sensitive, so only `latest` itself is reported.

            ## References
            hadolint DL3007 (`tag == "latest"`, whatever the digest); DL3006 covers images \
            without any tag.
            """,
        triggering: [
            Example("FROM ↓alpine:latest\n"),
            Example("FROM --platform=$BUILDPLATFORM ↓golang:latest AS build\nFROM gcr.io/distroless/static:nonroot\n"),
            Example("ARG TAG=latest\nFROM ↓node:${TAG}\n"),
            Example("ARG BASE=ghcr.io/org/app:latest\nFROM ↓${BASE} AS app\nFROM app\n"),
            Example("ARG REGISTRY\nFROM ↓${REGISTRY}/node:latest\n"),
            Example("FROM ↓alpine:latest@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\n"),
            Example("FROM alpine\n"),
            Example("FROM scratch\n"),
            Example("FROM alpine:3.20 AS latest\nFROM latest\n"),
            Example("ARG TAG=3.20\nFROM alpine:${TAG}\n"),
            Example("FROM alpine:latest-slim\n"),
            Example("ARG TAG\nFROM node:${TAG:-latest}\n"),
            Example("FROM --platform=linux/amd64 localhost:5000/latest:1.0\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.model.baseImages.compactMap { base in
            let reference = base.reference
            // Mirrors hadolint DL3007: the tag alone decides, a digest next to it does not exempt
            // it. ARGs without a value are set to a plain word: if the tag stays `latest`, they
            // cannot change it.
            guard reference.tag == "latest", base.probe("x", in: context.model)?.tag == "latest" else { return nil }
            let message: String
            if reference.digest != nil {
                let shown = (reference.text.split(separator: "@").first.map(String.init) ?? reference.text) + "@…"
                message = "\(base.messageSubject(showing: shown)) is pinned by digest, but `latest` hides which "
                    + "release that is; use the release's tag"
            } else {
                message = "\(base.messageSubject(showing: reference.text)) moves with every release; pin a release tag"
            }
            return Violation(range: base.token.range, message: message)
        }
    }
}
