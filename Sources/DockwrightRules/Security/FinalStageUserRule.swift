import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags a final stage that never sets a USER, so the container runs as root.
public struct FinalStageUserRule: Rule {
    public static let description = RuleDescription(
        code: "DW200", name: "final-stage-user", category: .security,
        summary: "Set a non-root `USER` in the final stage", severity: .info, isEnabledByDefault: false, fix: .none,
        rationale: """
            ## Why
            Without a `USER`, a container runs as the user its base image sets, and for almost \
            every base image (`alpine`, `debian`, `ubuntu`, `node`, `python`, `scratch`…) that \
            is root. hadolint's DL3002 only looks at `USER` lines that exist, so a Dockerfile \
            that never mentions one passes it while running everything as root.

            The rule looks at the final stage only (builder stages never run as the container), \
            including the stages it is built on: `FROM base` keeps `base`'s `USER`. It stays \
            silent when it cannot know the user, or when the image is known to handle it:

            - the base image word uses an ARG without a value (`FROM ${BASE}`);
            - the base image already runs as a non-root user: tags containing `nonroot` \
            (`gcr.io/distroless/static:nonroot`), .NET `chiseled` images, Bitnami images \
            (except `bitnami/minideb`), Chainguard images (except `-dev` tags), and a few \
            official images that set a `USER` themselves (`memcached`, `jenkins/jenkins`, \
            `grafana/grafana`, `prom/prometheus`, `sonarqube`, Jupyter's stacks, Elastic's images);
            - the base image's entrypoint starts as root and drops privileges itself \
            (`postgres`, `mysql`, `mariadb`, `mongo`, `redis`, `rabbitmq`, `cassandra`, \
            `couchdb`), unless the Dockerfile replaces its `ENTRYPOINT`;
            - the image is a Windows image (`servercore`, `nanoserver`, or a stage whose \
            `SHELL` is PowerShell or cmd): its users are `ContainerAdministrator` and \
            `ContainerUser`, and a UID means nothing there;
            - the final stage uses or installs a privilege-dropping tool (`gosu`, `su-exec`, \
            `setpriv`, `s6-setuidgid`, `runuser`), the usual sign of an entrypoint that does \
            the same.

            Running as root is a default that many images rely on, and base images meant to be \
            built upon (`FROM debian` plus tools) are reported too: over a corpus of real \
            Dockerfiles, six in ten (Windows images aside) have no `USER`. So the rule is off by default and `info` \
            when on: turn it on with `--select DW200` (or `"select": ["DW200"]`, or the \
            `security` category) where every image must run unprivileged, and raise it with \
            the `severity` setting.

            There is no automatic fix. The suggestion is a numeric UID (`USER 10001`): it needs \
            no entry in `/etc/passwd`, and Kubernetes' `runAsNonRoot` can check it (see DL3066). \
            Whether the app can still write where it writes (files copied in belong to root) \
            needs a person: give those paths to the user (`COPY --chown=10001`) or create a \
            user (`RUN adduser -D -u 10001 app`).

            ## References
            Trivy DS-0002 and Checkov CKV_DOCKER_3 report a missing `USER`; hadolint declined \
            the check (hadolint#328, #650) because of its noise, which the exemptions above address.
            """,
        triggering: [
            Example("FROM ↓alpine:3.20\nRUN apk add --no-cache curl\nCMD [\"curl\"]\n"),
            Example("FROM golang:1.22 AS build\nUSER 1000\nFROM ↓debian:12-slim\nCOPY --from=build /app /app\n"),
            Example("FROM python:3.12-slim AS base\nFROM ↓base\nCMD [\"python\"]\n"),
            Example("FROM ↓postgres:16\nENTRYPOINT [\"/opt/start.sh\"]\n"),
            Example("FROM ↓scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nUSER 10001\n"),
            Example("FROM alpine:3.20 AS base\nUSER app\nFROM base\nCMD [\"app\"]\n"),
            Example("FROM golang:1.22 AS build\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\n"),
            Example("FROM mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled\nCOPY app /app\n"),
            Example("FROM bitnami/nginx:1.27\nCOPY site /app\n"),
            Example("FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/\n"),
            Example("FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gosu\nENTRYPOINT [\"/entrypoint.sh\"]\n"),
            Example("ARG BASE\nFROM ${BASE}\nCMD [\"app\"]\n"),
            Example("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo hello\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        guard let final = context.stages.finalStageIndex, StageUser.effective(ofStage: final, in: context.stages) == nil,
              let token = context.stages.stages[final].baseToken,
              let root = context.stages.rootStage(of: final),
              case .image(let image) = root.base, let rootToken = root.baseToken,
              context.stages.argScope.expandInGlobalScope(rootToken.text).undefinedNames.isEmpty
        else { return [] }
        let facts = context.model.stage(final)
        let chain = facts.baseChain.map { context.stages.stages[$0] }
        // Windows users are `ContainerAdministrator` and `ContainerUser`, not root and UIDs.
        guard !Self.runsAsNonRoot(image), !dropsPrivileges(image, chain: chain, in: context), !facts.isWindows
        else { return [] }
        return [Violation(
            range: token.range,
            message: "No `USER` is set, so the final stage runs as root; add a non-root `USER` (e.g. `USER 10001`)")]
    }
}

private extension FinalStageUserRule {
    /// Images documented to run as a non-root user by default.
    static func runsAsNonRoot(_ image: ImageReference) -> Bool {
        let tag = (image.tag ?? "").lowercased()
        let name = image.fullName.lowercased()
        if tag.contains("nonroot") { return true }
        if name.hasPrefix("mcr.microsoft.com/dotnet/") && tag.contains("chiseled") { return true }
        if name.hasPrefix("docker.io/bitnami/") && name != "docker.io/bitnami/minideb" { return true }
        if name.hasPrefix("cgr.dev/chainguard/") && !tag.contains("dev") { return true }
        if name.hasPrefix("docker.io/jupyter/") || name.hasPrefix("quay.io/jupyter/") { return true }
        if name.hasPrefix("docker.elastic.co/") { return true }
        return nonRootImages.contains(name)
    }

    /// Official and vendor images whose Dockerfile ends with a non-root `USER`.
    static let nonRootImages: Set<String> = [
        "docker.io/library/memcached", "docker.io/library/sonarqube", "docker.io/jenkins/jenkins",
        "docker.io/grafana/grafana", "docker.io/prom/prometheus", "docker.io/prom/alertmanager",
        "docker.io/prom/node-exporter",
    ]

    /// Official images whose `docker-entrypoint.sh` starts as root and switches to a service
    /// user with `gosu` before starting the server.
    static let privilegeDroppingImages: Set<String> = [
        "docker.io/library/postgres", "docker.io/library/mysql", "docker.io/library/mariadb",
        "docker.io/library/mongo", "docker.io/library/redis", "docker.io/library/rabbitmq",
        "docker.io/library/cassandra", "docker.io/library/couchdb",
    ]

    /// Tools entrypoints use to start the app as another user.
    static let privilegeDroppingTools = ["gosu", "su-exec", "setpriv", "s6-setuidgid", "runuser"]

    /// Whether the image's entrypoint, or a tool the stages use, drops root at start.
    func dropsPrivileges(_ image: ImageReference, chain: [Stage], in context: RuleContext) -> Bool {
        let instructions = chain.flatMap(\.instructions)
        if Self.privilegeDroppingImages.contains(image.fullName.lowercased()) {
            // The image's entrypoint keeps running unless the Dockerfile replaces it with
            // something that does not call it.
            let entrypoint = instructions.last { $0.kind == .entrypoint }
            guard let entrypoint else { return true }
            if context.syntax.source.text(in: entrypoint.range).contains("docker-entrypoint") { return true }
        }
        return instructions.contains { instruction in
            guard instruction.kind == .run || instruction.kind == .entrypoint || instruction.kind == .cmd else {
                return false
            }
            let text = context.syntax.source.text(in: instruction.range)
            return Self.privilegeDroppingTools.contains { text.contains($0) }
        }
    }
}
