import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags a FROM whose image has neither a tag nor a digest, so it pulls `latest`.
public struct TagBaseImageRule: Rule {
    public static let description = RuleDescription(
        code: "DL3006", name: "tag-base-image", category: .reproducibility,
        summary: "Tag the base image explicitly; an untagged image means `latest`", severity: .warning,
        fix: .none,
        rationale: """
            ## Why
            `FROM alpine` pulls `alpine:latest`, which moves to a new release whenever one is \
            pushed. The same Dockerfile then builds different images on different days, and a \
            major upgrade can arrive unannounced. A version tag says which release the image was \
            written for; a digest pins the exact bytes.

            The image word is read after substituting ARG defaults, as BuildKit does: \
            `ARG BASE=alpine` then `FROM ${BASE}` is reported at `${BASE}`. An ARG with no value \
            gets one from `--build-arg`, which cannot be known, so a word using one is reported \
            only when no value could add a tag (`${REGISTRY}/alpine`, but not `${IMAGE}` or \
            `alpine${TAG}`). `scratch` is not an image, and a FROM naming an earlier stage \
            (`FROM build`, or `FROM build-${MODE}` when the ARG's default makes it one) is not \
            reported either; hadolint reports these (its issue #979). A reference Docker \
            would reject (`FROM REPLACE-ME`: uppercase) is not a missing tag: DW123 reports it.

            ## References
            hadolint DL3006 (which skips any image word starting with `$` instead of resolving it).
            """,
        triggering: [
            Example("FROM ↓alpine\nRUN true\n"),
            Example("FROM --platform=$BUILDPLATFORM ↓golang AS build\nFROM alpine:3.20\nCOPY --from=build /go/bin/app /app\n"),
            Example("ARG BASE=ghcr.io/org/app\nFROM ↓${BASE}\n"),
            Example("ARG REGISTRY\nFROM ↓${REGISTRY}/alpine\n"),
            Example("FROM ↓docker.io/library/ubuntu AS base\nFROM base\nFROM ↓localhost:5000/tools\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\n"),
            Example("FROM scratch\nCOPY app /app\n"),
            Example("FROM alpine@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5\n"),
            Example("FROM golang:1.22 AS Build\nFROM build\nRUN go version\n"),
            Example("ARG MODE=release\nFROM alpine:3.20 AS build-release\nFROM alpine:3.20 AS build-debug\nFROM build-${MODE}\n"),
            Example("FROM REPLACE-ME\n"),
            Example("ARG VERSION=3.20\nFROM alpine:${VERSION}\n"),
            Example("ARG BASE\nFROM ${BASE}\n"),
            Example("ARG IMAGE\nFROM ${IMAGE:-alpine}\n"),
            Example("ARG TAG\nFROM alpine${TAG}\n"),
            Example("FROM --platform=linux/arm64 localhost:5000/tools:1.2\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.model.baseImages.compactMap { base in
            // An ARG without a value may hold the tag at build time: judge the word with
            // such ARGs set to a tagged value, and report only if it still has no tag.
            guard !base.reference.isScratch, let probe = base.probe("x:1", in: context.model), probe.isValid,
                  probe.tag == nil, probe.digest == nil else { return nil }
            let subject = base.messageSubject(showing: base.reference.text)
            return Violation(
                range: base.token.range,
                message: "\(subject) has no tag, so it pulls whatever `latest` is; pin a version tag or a digest")
        }
    }
}
