import DockwrightCore
import DockwrightRules
import DockwrightSyntax
import Testing

/// What DW001's examples cannot show: every ecosystem's manifests, the build-context
/// listing, the moves it refuses, CRLF files, and that a fix keeps every instruction.
@Suite struct DepsBeforeSourceRuleTests {
    static let rule = RuleCase(rule: DepsBeforeSourceRule.self)

    /// The fixed text with only DW001, optionally given a context listing.
    static func fixed(_ text: String, listing: BuildContextListing? = nil) -> String {
        let linter = Linter(rules: [DepsBeforeSourceRule()], buildContext: listing)
        let result = linter.fix(SourceFile(path: "Dockerfile", text: text), level: .unsafe)
        return String(decoding: result.output, as: UTF8.self)
    }

    /// A RUN after `COPY . .` in /app, and the manifest COPYs its fix writes (nil: reported without a fix).
    struct Install: Sendable, CustomTestStringConvertible {
        let run: String
        let copies: String?
        var testDescription: String { run }
    }

    static let installs: [Install] = [
        Install(run: "npm ci --omit=dev", copies: "COPY package*.json .npmrc* ./\n"),
        Install(run: "npm install", copies: "COPY package*.json .npmrc* ./\n"),
        Install(run: "npm --prefix web ci", copies: "COPY web/package*.json web/.npmrc* ./web/\n"),
        // Without a listing, a `.yarnrc.yml` could name a release in `.yarn/releases`.
        Install(run: "yarn", copies: nil),
        Install(run: "yarn --cwd client install --frozen-lockfile", copies: nil),
        Install(run: "pnpm install --frozen-lockfile", copies: "COPY package.json pnpm-lock.yaml* .npmrc* .pnpmfile.cjs* pnpm-workspace.yaml* ./\n"),
        Install(run: "pnpm fetch --prod", copies: "COPY package.json pnpm-lock.yaml* .npmrc* .pnpmfile.cjs* pnpm-workspace.yaml* ./\n"),
        Install(run: "pip install --no-cache-dir -r requirements.txt", copies: "COPY requirements*.txt ./\n"),
        Install(run: "python3 -m pip install -r reqs.txt gunicorn", copies: "COPY reqs.txt ./\n"),
        Install(run: "uv pip install --system -r requirements.txt", copies: "COPY requirements*.txt ./\n"),
        Install(run: "pip install -r requirements.txt -c constraints.txt", copies: "COPY requirements*.txt constraints.txt ./\n"),
        Install(run: "pip install -r /app/requirements/base.txt", copies: "COPY requirements/ ./requirements/\n"),
        Install(run: "pipenv install --deploy --system", copies: "COPY Pipfile Pipfile.lock* ./\n"),
        Install(run: "poetry install --no-root --only main", copies: "COPY pyproject.toml poetry.lock* poetry.toml* ./\n"),
        Install(run: "poetry install", copies: nil),
        Install(run: "uv sync --frozen --no-install-project", copies: "COPY pyproject.toml uv.lock* uv.toml* .python-version* ./\n"),
        Install(run: "uv sync --frozen", copies: nil),
        Install(run: "go mod download", copies: "COPY go.mod go.sum* ./\n"),
        // Without a listing, `.bundle/config` cannot be copied only when it exists.
        Install(run: "bundle install --jobs 4", copies: nil),
        Install(run: "composer install --no-dev --no-scripts --no-autoloader", copies: "COPY composer.json composer.lock* auth.json* ./\n"),
        Install(run: "composer install --no-dev", copies: nil),
        // Nor `.mvn/`, unless the wrapper, which needs it, is run.
        Install(run: "mvn -B dependency:go-offline", copies: nil),
        Install(run: "./mvnw dependency:go-offline", copies: "COPY pom.xml mvnw ./\nCOPY .mvn/ ./.mvn/\n"),
        Install(run: "gradle dependencies --no-daemon", copies: "COPY build.gradle* settings.gradle* gradle.properties* ./\n"),
        Install(run: "./gradlew dependencies", copies: "COPY build.gradle* settings.gradle* gradle.properties* gradlew ./\nCOPY gradle/ ./gradle/\n"),
        Install(run: "cargo fetch", copies: nil),
        Install(run: "npm ci --prefix $APP_DIR", copies: nil),
        Install(run: "pip install -r $REQUIREMENTS", copies: nil),
    ]

    @Test(arguments: installs)
    func everyEcosystemCopiesItsManifests(_ install: Install) {
        let before = "FROM base\nWORKDIR /app\nCOPY . .\nRUN \(install.run)\n"
        // No finding without a move to offer.
        #expect(Self.rule.diagnostics(before).count == (install.copies == nil ? 0 : 1))
        let expected = install.copies.map { "FROM base\nWORKDIR /app\n\($0)RUN \(install.run)\nCOPY . .\n" } ?? before
        #expect(Self.fixed(before) == expected)
    }

    @Test(arguments: [
        "npm install express", "npm i -g pnpm", "yarn add left-pad", "yarn build", "pip install .", "pip install -e .",
        "pip install -r requirements.txt .", "pip install flask", "go build ./...", "bundle exec rake",
        "composer dump-autoload", "mvn package", "gradle build", "cargo run",
    ])
    func commandsThatNeedTheSourcesAreNotReported(_ run: String) {
        #expect(Self.rule.diagnostics("FROM base\nWORKDIR /app\nCOPY . .\nRUN \(run)\n").isEmpty)
    }

    @Test func aListingSelectsTheManifestsThatExist() {
        let listing = BuildContextListing(files: [
            "package.json", "package-lock.json", ".npmrc", "src/index.js", "requirements.txt", "requirements-dev.txt",
            "README.md", "web/package.json", "web/yarn.lock", "web/.yarnrc.yml", "web/.yarn/releases/yarn-4.1.cjs",
        ])
        #expect(Self.fixed("FROM n\nWORKDIR /app\nCOPY . .\nRUN npm ci\n", listing: listing)
            == "FROM n\nWORKDIR /app\nCOPY package.json package-lock.json .npmrc ./\nRUN npm ci\nCOPY . .\n")
        #expect(Self.fixed("FROM p\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n", listing: listing)
            == "FROM p\nWORKDIR /app\nCOPY requirements-dev.txt requirements.txt ./\nRUN pip install -r requirements.txt\nCOPY . .\n")
        #expect(Self.fixed("FROM n\nWORKDIR /app\nCOPY . .\nRUN cd web && yarn install\n", listing: listing)
            == "FROM n\nWORKDIR /app\nCOPY . .\nRUN cd web && yarn install\n", "`cd` is not moved")
        #expect(Self.fixed("FROM n\nCOPY . /app\nWORKDIR /app/web\nRUN yarn install\n", listing: listing)
            == "FROM n\nCOPY web/package.json web/yarn.lock web/.yarnrc.yml /app/web/\nCOPY web/.yarn/releases/ /app/web/.yarn/releases/\n"
                + "WORKDIR /app/web\nRUN yarn install\nCOPY . /app\n")
    }

    @Test func aListingRefusesMissingManifestsAndWorkspaces() {
        let listing = BuildContextListing(files: ["./pnpm-workspace.yaml", "package.json", "pnpm-lock.yaml", "go.sum"])
        for run in ["pnpm install", "go mod download", "pip install -r requirements.txt",
                    "composer install --no-scripts --no-autoloader"] {
            let before = "FROM b\nWORKDIR /app\nCOPY . .\nRUN \(run)\n"
            #expect(Self.rule.diagnostics(before).count == 1)
            #expect(Self.fixed(before, listing: listing) == before, "\(run)")
        }
    }

    /// Each Dockerfile is reported, and left unchanged by the fix.
    @Test(arguments: [
        "FROM n\nWORKDIR /app\nCOPY . .\nRUN ./configure\nRUN npm ci\n",
        "FROM n\nWORKDIR /app\nCOPY . .\nRUN rm -rf /app/node_modules\nRUN npm ci\n",
        "FROM n\nWORKDIR /app\nCOPY . .\nCOPY extra/ /extra/\nRUN npm ci\n",
        "FROM n\nWORKDIR /app\nCOPY . .\nVOLUME /data\nRUN npm ci\n",
        "FROM n\nWORKDIR /app\nCOPY --chown=$APP_USER . .\nENV APP_USER=node\nRUN npm ci\n",
        "FROM n\nWORKDIR /app\nCOPY --chmod=$MODE . .\nARG MODE\nRUN npm ci\n",
        "FROM p\nARG APP=/srv\nCOPY . $APP\nWORKDIR /srv\nARG APP\nRUN pip install -r requirements.txt\n",
        "FROM p\nCOPY . $APP_HOME\nWORKDIR /srv\nRUN pip install -r requirements.txt\n",
        "FROM n\nWORKDIR /app\nCOPY . .\nWORKDIR /app/web\nRUN npm ci\n",
        "FROM n\nWORKDIR /app\nCOPY --exclude=*.md . .\nRUN npm ci\n",
        "FROM n\nWORKDIR /app\nCOPY . .\nRUN --mount=target=/ctx npm ci\n",
        "FROM n\nWORKDIR /app\nCOPY . .\nRUN npm ci; npm run build\n",
        "FROM n\nWORKDIR /app\nCOPY . .\nRUN npm run lint && npm ci\n",
        "FROM n\nWORKDIR /app\nCOPY . .\nRUN export CI=1 && npm ci && npm run build\n",
        "FROM n\nWORKDIR /app\nCOPY . .\n# hadolint ignore=DL3016\nRUN npm ci && npm run build\n",
        "FROM n\nWORKDIR $HOME/app\nCOPY . .\nRUN cd $SUB && npm ci\n",
    ])
    func movesThatCouldChangeTheBuildAreRefused(_ dockerfile: String) {
        #expect(Self.rule.diagnostics(dockerfile).isEmpty)
    }

    /// ENV, ARG, WORKDIR and USER between the full COPY and the install stay where they
    /// are; the full COPY moves below them only when it names none of their variables.
    @Test func theFullCopyMovesPastSettingsItDoesNotRead() {
        let before = "FROM p\nARG APP=/srv\nCOPY --chown=$OWNER . $APP\nWORKDIR $APP\nUSER app\nENV PIP_NO_CACHE_DIR=1\n"
            + "ARG PIP_INDEX_URL\nRUN pip install -r requirements.txt\n"
        let after = "FROM p\nARG APP=/srv\nCOPY --chown=$OWNER requirements*.txt $APP/\nWORKDIR $APP\nUSER app\n"
            + "ENV PIP_NO_CACHE_DIR=1\nARG PIP_INDEX_URL\nRUN pip install -r requirements.txt\nCOPY --chown=$OWNER . $APP\n"
        #expect(Self.fixed(before) == after)
    }

    /// The fix names the configuration it copies besides the manifests.
    @Test func theTitleNamesTheExtraFiles() throws {
        func title(_ text: String, listing: BuildContextListing? = nil) throws -> String {
            let linter = Linter(rules: [DepsBeforeSourceRule()], buildContext: listing)
            let diagnostic = try #require(linter.lint(SourceFile(path: "Dockerfile", text: text)).diagnostics.first)
            return try #require(diagnostic.fix?.title)
        }
        let npm = "FROM n\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"
        #expect(try title(npm) == "Copy the dependency manifests with any `.npmrc` first and move the full `COPY` below the install")
        #expect(try title(npm, listing: BuildContextListing(files: ["package.json", ".npmrc"]))
            == "Copy the dependency manifests with `.npmrc` first and move the full `COPY` below the install")
        #expect(try title(npm, listing: BuildContextListing(files: ["package.json", "package-lock.json"]))
            == "Copy the dependency manifests first and move the full `COPY` below the install")
        #expect(try title("FROM p\nWORKDIR /app\nCOPY . .\nRUN uv sync --no-install-project && uv run pytest\n")
            == "Copy the dependency manifests with any `uv.toml`, any `.python-version` first and split the install from the build")
    }

    /// Folders of settings come along when the listing shows them, and only then.
    @Test func settingsFoldersNeedAListing() {
        let listing = BuildContextListing(files: [
            "Gemfile", "Gemfile.lock", ".ruby-version", ".bundle/config", "pom.xml", ".mvn/maven.config",
            "package.json", "yarn.lock", ".yarnrc.yml", ".yarn/plugins/plugin-workspace-tools.cjs", "app.rb",
        ])
        let cases = [
            ("bundle install", "COPY Gemfile Gemfile.lock .ruby-version ./\nCOPY .bundle/ ./.bundle/\n"),
            ("mvn -B dependency:go-offline", "COPY pom.xml ./\nCOPY .mvn/ ./.mvn/\n"),
            ("yarn install --immutable", "COPY package.json yarn.lock .yarnrc.yml ./\nCOPY .yarn/plugins/ ./.yarn/plugins/\n"),
        ]
        for (run, copies) in cases {
            let before = "FROM b\nWORKDIR /app\nCOPY . .\nRUN \(run)\n"
            #expect(Self.fixed(before, listing: listing) == "FROM b\nWORKDIR /app\n\(copies)RUN \(run)\nCOPY . .\n")
            #expect(Self.rule.diagnostics(before).isEmpty, "no listing: \(run)")
        }
    }

    @Test func setupRunsInBetweenStayAboveTheSources() {
        let before = "FROM n\nWORKDIR /app\nCOPY . .\nRUN npm install -g npm@10 && apt-get update\nRUN npm ci\n"
        let after = "FROM n\nWORKDIR /app\nCOPY package*.json .npmrc* ./\nRUN npm install -g npm@10 && apt-get update\n"
            + "RUN npm ci\nCOPY . .\n"
        #expect(Self.fixed(before) == after)
    }

    @Test func installsAlreadyPreparedOrElsewhereAreNotReported() {
        for dockerfile in [
            "FROM n\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\nRUN npm ci --omit=dev\n",
            "FROM p\nWORKDIR /app\nCOPY requirements/ requirements/\nCOPY . .\nRUN pip install -r requirements/prod.txt\n",
            "FROM n\nWORKDIR /app\nCOPY --from=build /app .\nRUN npm ci\n",
            "FROM n\nCOPY . /src\nRUN npm --prefix /opt/tools ci\n",
            "FROM p\nWORKDIR /app\nCOPY . .\nRUN pip install -r /opt/requirements.txt\n",
            "FROM r\nWORKDIR /app\nCOPY --from=planner /app/recipe.json .\nRUN cargo chef cook --release --recipe-path recipe.json\n"
                + "COPY . .\nRUN cargo build --release\n",
        ] {
            #expect(Self.rule.diagnostics(dockerfile).isEmpty, "\(dockerfile)")
        }
    }

    /// The fixed file parses, and every original instruction is still there, once, byte for byte.
    @Test(arguments: [
        "FROM node:20\nWORKDIR /app\n# sources\nCOPY --chown=node:node --link . .\nEXPOSE 3000\nUSER node\nRUN npm ci\nCMD [\"node\", \".\"]\n",
        "FROM python:3.12-slim AS build\nCOPY . /app\nWORKDIR /app\nARG PIP_INDEX_URL\nRUN apt-get update && apt-get install -y gcc \\\n    && pip install -r requirements.txt \\\n    && rm -rf /var/lib/apt/lists/*\nFROM python:3.12-slim\nCOPY --from=build /app /app\n",
        "FROM golang:1.22\nWORKDIR /src\nADD ./ /src/\nRUN <<EOF\ngo mod download\nEOF\nRUN go build -o /bin/app .",
        "# syntax=docker/dockerfile:1\nFROM python:3.12 AS a\nWORKDIR /a\nCOPY . .\nRUN pip install -r requirements.txt\nFROM node:20 AS b\nWORKDIR /b\nCOPY . .\nRUN npm ci\n",
    ])
    func fixesKeepEveryInstructionExactlyOnce(_ before: String) throws {
        let after = Self.fixed(before)
        #expect(after != before)
        let original = DockerfileSyntax.parse(before)
        let output = DockerfileSyntax.parse(after)
        #expect(!output.hasParserErrors)
        // The last line of a file may lack its line end, before or after the move.
        func texts(_ syntax: DockerfileSyntax) -> [String] {
            syntax.instructions.map { String(syntax.source.text(in: $0.range).trimmingSuffix(while: \.isNewline)) }
        }
        let outputTexts = texts(output)
        for text in texts(original) {
            #expect(outputTexts.filter { $0 == text }.count == texts(original).filter { $0 == text }.count, "\(text)")
        }
        #expect(output.instructions.count > original.instructions.count)
        #expect(Self.rule.diagnostics(after).isEmpty)
        #expect(Self.fixed(after) == after)
    }

    @Test func crlfFilesGetCRLFManifestCopies() {
        let before = "FROM node:20\r\nWORKDIR /app\r\nCOPY . .\r\nRUN npm ci \\\r\n  && npm run build\r\n"
        let after = "FROM node:20\r\nWORKDIR /app\r\nCOPY package*.json .npmrc* ./\r\nRUN npm ci\r\nCOPY . .\r\nRUN npm run build\r\n"
        #expect(Self.fixed(before) == after)
        #expect(!DockerfileSyntax.parse(after).hasParserErrors)
    }

    @Test func aLastLineWithoutLineEndGetsOne() {
        #expect(Self.fixed("FROM n\nWORKDIR /app\nCOPY . .\nRUN npm ci")
            == "FROM n\nWORKDIR /app\nCOPY package*.json .npmrc* ./\nRUN npm ci\nCOPY . .\n")
        #expect(Self.fixed("FROM n\r\nWORKDIR /app\r\nCOPY . .\r\nRUN npm ci && npm test")
            == "FROM n\r\nWORKDIR /app\r\nCOPY package*.json .npmrc* ./\r\nRUN npm ci\r\nCOPY . .\r\nRUN npm test")
    }

    @Test func backtickEscapeAndLowercaseKeywordsAreKept() {
        let before = "# escape=`\nfrom node:20\nworkdir /app\ncopy . .\nrun npm ci `\n  && npm test\n"
        let after = "# escape=`\nfrom node:20\nworkdir /app\ncopy package*.json .npmrc* ./\nrun npm ci\ncopy . .\nrun npm test\n"
        #expect(Self.fixed(before) == after)
    }

    @Test func messagesNameTheInstallTheCopyAndTheAdvice() throws {
        let diagnostic = try #require(Self.rule.diagnostics("FROM n\nWORKDIR /s\nCOPY . .\nRUN npm ci\n").first)
        #expect(diagnostic.message.hasPrefix("`npm ci` runs after `COPY . .` copies the whole build context"))
        #expect(diagnostic.message.contains("copy `package.json` and the lock file first"))
        // Cargo cannot fetch without its sources: no move, so no finding.
        #expect(Self.rule.diagnostics("FROM r\nWORKDIR /s\nCOPY . .\nRUN cargo build --release\n").isEmpty)
    }

    /// A full COPY into the folder where the package manager reads its own configuration
    /// cannot move below the install.
    @Test func aCopyIntoTheConfigurationFolderStaysAbove() {
        #expect(Self.rule.diagnostics("FROM n\nCOPY . /root\nWORKDIR /srv\nRUN npm ci\n").isEmpty)
        #expect(Self.rule.diagnostics("FROM n\nCOPY . /app\nWORKDIR /app\nRUN npm ci\n").count == 1)
    }
}

extension StringProtocol {
    /// The text without the trailing characters that match `predicate`.
    func trimmingSuffix(while predicate: (Character) -> Bool) -> SubSequence {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
