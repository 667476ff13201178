import DockwrightCore
import DockwrightSyntax

/// Flags ARG and ENV names that look like secrets.
public struct SecretInArgOrEnvRule: Rule {
    public static let description = RuleDescription(
        code: "DL3064", name: "secret-in-arg-or-env", category: .security,
        summary: "Pass secrets with `RUN --mount=type=secret`, not `ARG` or `ENV`", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `ENV` values are stored in the image's configuration, and `ARG` values (defaults \
            and `--build-arg`s alike) in its history: anyone who can pull the image can read \
            them with `docker history` or `docker inspect`, and they end up in the build cache. \
            A secret needed while building belongs in a secret mount, which is never stored:

            ```dockerfile
            RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
            ```

            built with `docker build --secret id=npm_token,env=NPM_TOKEN .`. A secret needed at \
            run time is passed when the container starts.

            A name is reported when it is one of hadolint's well-known secret variables \
            (`GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`, `NPM_TOKEN`, …) or contains, in any case, \
            `api_key`, `client_key`, `password`, `private`, `secret` or `token` (hadolint's \
            words), or `apikey`, `passwd` or `credential` (words BuildKit's \
            `SecretsUsedInArgOrEnv` knows and hadolint misses). ONBUILD ARG and ENV are \
            checked too. Each name is reported at the name, so `ENV A=1 GITHUB_TOKEN=x` points \
            at `GITHUB_TOKEN`.

            Differences from hadolint, which users report as noise (buildkit#5775, #5403):

            - A username is not a secret: `ARG USERNAME=vscode` (the account dev \
            containers create) is not reported. The well-known credential names that include \
            a user name (`DOCKER_USERNAME`) still are.
            - A name that names a file or a version is not the secret: a name whose last \
            `_` word is `FILE`, `PATH`, `DIR`, `VERSION` or `URL` says where a secret is or \
            which version is wanted. `ENV POSTGRES_PASSWORD_FILE=/run/secrets/db` is the \
            recommended way to pass one (BuildKit excludes `file` and `version` the same way).
            - An empty ENV holds no secret: `ENV GITHUB_TOKEN=` or `ENV GITHUB_TOKEN=""` \
            (often written to clear a value an earlier stage set) is not reported \
            (`empty-env`). An ARG with an empty default still is, since `--build-arg` \
            gives it its value.
            - A few well-known settings that only contain the words are not reported: \
            `GOPRIVATE` (Go's list of private modules), `GOOGLE_APPLICATION_CREDENTIALS` (a \
            path to a key file), `TOKENIZERS_PARALLELISM`, and the MySQL/MariaDB switches \
            `MYSQL_ALLOW_EMPTY_PASSWORD`, `MYSQL_RANDOM_ROOT_PASSWORD`, \
            `MARIADB_ALLOW_EMPTY_ROOT_PASSWORD`, `MARIADB_RANDOM_ROOT_PASSWORD`.

            BuildKit's bare `key` and `auth` words are not used: they flag `KEY_NAME`, \
            `PUBLIC_KEY` or `AUTHOR`, the false positives buildkit#5775 and #5403 are about.

            ## References
            hadolint DL3064; BuildKit check `SecretsUsedInArgOrEnv`.
            """,
        triggering: [
            Example("FROM node:22\nARG ↓NPM_TOKEN\nRUN npm ci\n"),
            Example("FROM alpine:3.20\nENV APP_ENV=prod ↓DB_PASSWORD=hunter2\n"),
            Example("FROM alpine:3.20\nARG ↓AWS_SECRET_ACCESS_KEY=\"\"\n"),
            Example("FROM alpine:3.20\nENV ↓GithubApiKey=abc\n"),
            Example("FROM alpine:3.20\nENV ↓GITHUB_TOKEN=${GITHUB_TOKEN}\n"),
            Example("FROM alpine:3.20\nARG ↓DOCKER_USERNAME\n"),
            Example("FROM alpine:3.20\nENV ↓SSH_PASSWD x\n"),
            Example("FROM alpine:3.20\nONBUILD ARG ↓SIGNING_SECRET\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n"),
            Example("FROM mcr.microsoft.com/devcontainers/base:bookworm\nARG USERNAME=vscode\nARG USER_UID=1000\n"),
            Example("FROM postgres:16\nENV POSTGRES_PASSWORD_FILE=/run/secrets/db_password\n"),
            Example("FROM alpine:3.20\nARG VAULT_TOKEN_VERSION=1.2\nENV SECRETS_DIR=/run/secrets\n"),
            Example("FROM golang:1.22\nENV GOPRIVATE=github.com/acme/*\n"),
            Example("FROM python:3.12\nENV TOKENIZERS_PARALLELISM=false\n"),
            Example("FROM mysql:8\nENV MYSQL_ALLOW_EMPTY_PASSWORD=yes\n"),
            Example("FROM alpine:3.20\nARG PUBLIC_KEY\nARG KEY_NAME\n"),
            Example("FROM alpine:3.20\nENV GITHUB_TOKEN= NPM_TOKEN=\"\"\n"),
        ],
        buildKitCheckName: "SecretsUsedInArgOrEnv"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for outer in context.syntax.instructions {
            let instruction = outer.trigger ?? outer
            for (name, range) in Self.names(in: instruction) where Self.looksSecret(name)
                && !Self.setsEmptyEnv(name: range, in: instruction) {
                let keyword = instruction.kind == .arg ? "ARG" : "ENV"
                violations.append(Violation(
                    range: range,
                    message: "`\(name)` looks like a secret, and `\(keyword)` values stay in the image; "
                        + "use `RUN --mount=type=secret` instead"))
            }
        }
        return violations
    }
}

extension SecretInArgOrEnvRule {
    /// The names an ARG or ENV declares, with where each is written.
    static func names(in instruction: InstructionSyntax) -> [(String, TextRange)] {
        // Kind first: the arguments are built on each read, a RUN's among them.
        guard instruction.kind == .arg || instruction.kind == .env else { return [] }
        switch (instruction.kind, instruction.arguments) {
        case (.arg, .words(let tokens)):
            return tokens.map { token in
                let name = String(token.text.prefix { $0 != "=" })
                let end = token.range.start + name.utf8.count
                return (name, TextRange(start: token.range.start, end: min(end, token.range.end)))
            }
        case (.env, .keyValuePairs(let pairs, _)):
            return pairs.map { pair in
                var name = Substring(pair.key.text)
                if name.count >= 2, let first = name.first, first == name.last, first == "\"" || first == "'" {
                    name = name.dropFirst().dropLast()
                }
                return (String(name), pair.key.range)
            }
        default:
            return []
        }
    }

    /// Whether the ENV pair whose key is at `range` sets an empty value (`ENV TOKEN=`,
    /// `ENV TOKEN=""`): an empty ENV holds nothing, unlike an empty ARG default, which a
    /// `--build-arg` fills.
    static func setsEmptyEnv(name range: TextRange, in instruction: InstructionSyntax) -> Bool {
        guard case .keyValuePairs(let pairs, _) = instruction.arguments,
              let pair = pairs.first(where: { $0.key.range == range }), pair.separator == "=" else { return false }
        return ["", "\"\"", "''"].contains(pair.value.text)
    }

    /// Whether a variable name looks like it holds a secret.
    static func looksSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        if knownSensitiveNames.contains(upper) { return true }
        // Most names hold no sensitive word: the exceptions below are read only for those that do.
        let lower = name.lowercased()
        guard sensitiveSubstrings.contains(where: { lower.containsBytes(of: $0) }) else { return false }
        if knownHarmlessNames.contains(upper) { return false }
        if let lastWord = upper.split(separator: "_").last, harmlessLastWords.contains(String(lastWord)) {
            return false
        }
        return true
    }

    /// hadolint's `suspiciousSubstrings` without `username`, plus BuildKit's `apikey`,
    /// `passwd` and `credential`.
    static let sensitiveSubstrings = [
        "api_key", "apikey", "client_key", "password", "passwd", "private", "secret", "token", "credential",
    ]

    /// Last words that make the name about a secret rather than the secret itself.
    static let harmlessLastWords: Set<String> = ["FILE", "PATH", "DIR", "VERSION", "URL"]

    /// Well-known settings whose names contain a sensitive word but hold no secret.
    static let knownHarmlessNames: Set<String> = [
        "GOPRIVATE", "GOOGLE_APPLICATION_CREDENTIALS", "TOKENIZERS_PARALLELISM", "MYSQL_ALLOW_EMPTY_PASSWORD",
        "MYSQL_RANDOM_ROOT_PASSWORD",
        "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "MARIADB_RANDOM_ROOT_PASSWORD",
    ]

    /// hadolint DL3064's `knownSensitiveNames`.
    static let knownSensitiveNames: Set<String> = [
        "ACCESS_TOKEN", "APPLICATION_KEY", "APP_SECRET", "AUTH_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
        "BITTREX_API_KEY", "BITTREX_API_SECRET", "CF_PASSWORD", "CF_USERNAME", "CIRCLE_TOKEN", "CI_DEPLOY_PASSWORD",
        "CI_DEPLOY_USER", "DOCKERHUB_PASSWORD", "DOCKER_EMAIL", "DOCKER_PASSWORD", "DOCKER_USERNAME",
        "FACEBOOK_ACCESS_TOKEN", "FACEBOOK_APP_ID", "FACEBOOK_APP_SECRET", "FIREBASE_API_TOKEN", "FIREBASE_TOKEN",
        "FOSSA_API_KEY", "GH_ENTERPRISE_TOKEN", "GH_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GITHUB_TOKEN",
        "HEROKU_API_KEY", "HEROKU_API_USER", "NPM_AUTH_TOKEN", "NPM_TOKEN", "OKTA_AUTHN_GROUPID",
        "OKTA_CLIENT_ORGURL", "OKTA_CLIENT_TOKEN", "OKTA_OAUTH2_CLIENTID", "OKTA_OAUTH2_CLIENTSECRET",
        "OPENAI_API_KEY", "OS_PASSWORD", "OS_USERNAME", "POSTGRES_PASSWORD", "SLACK_TOKEN", "STRIPE_API_KEY",
        "STRIPE_DEVICE_NAME", "TRAVIS_OS_NAME", "TRAVIS_SECURE_ENV_VARS", "TRAVIS_SUDO", "VAULT_CLIENT_KEY",
        "VAULT_TOKEN",
    ]
}
