import DockwrightCore
import DockwrightRules
import DockwrightSyntax
import Testing

/// What DW002's examples cannot show: the instructions a RUN never crosses, the copies it
/// may read, CRLF files, pragmas that travel with the RUN, and the interplay with DW001.
@Suite struct StaticBeforeVolatileRuleTests {
    static let rule = RuleCase(rule: StaticBeforeVolatileRule.self)

    @Test(arguments: ["WORKDIR sub", "SHELL [\"/bin/bash\", \"-c\"]", "VOLUME /data", "RUN echo hi"])
    func aRunNeverCrossesWhatItMayDependOn(_ barrier: String) {
        #expect(Self.rule.diagnostics("FROM d\nWORKDIR /app\nCOPY . .\n\(barrier)\nRUN apt-get install -y curl\n").isEmpty)
    }

    /// A move carries at most eight install RUNs: the ninth install below a COPY moves
    /// above the COPYs it reaches within that bound, and its twin with one install fewer
    /// still moves above the first COPY.
    @Test func aMoveCarriesABoundedNumberOfInstalls() throws {
        func file(installs: Int) -> String {
            "FROM d\nCOPY . /app\n" + (1...installs).map { "RUN apt-get install -y p\($0)\nCOPY f\($0) /opt/f\($0)\n" }
                .joined() + "RUN apt-get install -y last\n"
        }
        let withinBound = try #require(Self.rule.diagnostics(file(installs: 8)).last)
        #expect(withinBound.message.contains("`COPY . /app`"))
        let pastBound = try #require(Self.rule.diagnostics(file(installs: 9)).last)
        #expect(pastBound.message.contains("`COPY f1 /opt/f1`"))
    }

    /// An ENV or ARG the install reads goes up with it, so the install still sees it and
    /// the COPY, which does not name it, sees nothing new.
    @Test(arguments: ["ENV DEBIAN_FRONTEND=noninteractive", "ARG http_proxy", "ENV PATH=/opt/bin:$PATH",
                      "ARG TOOL_VERSION=1.2"])
    func variablesTheInstallReadsMoveUpWithIt(_ variable: String) {
        let run = "RUN apt-get install -y curl tool=$TOOL_VERSION\n"
        #expect(Self.rule.fixed("FROM d\nWORKDIR /app\nCOPY . .\n\(variable)\n\(run)", level: .unsafe)
            == "FROM d\nWORKDIR /app\n\(variable)\n\(run)COPY . .\n")
    }

    /// Quiet twins: carrying the variable up would change a value something else sees.
    @Test(arguments: [
        // The COPY names it.
        "FROM d\nWORKDIR /app\nCOPY --chown=$V . .\nARG V=1\nRUN apt-get install -y tool=$V\n",
        "FROM d\nCOPY . /opt/$V/\nARG V=1\nRUN apt-get install -y tool=$V\n",
        // A LABEL or another ENV passed on the way names it.
        "FROM d\nWORKDIR /app\nCOPY . .\nLABEL version=$V\nARG V=1\nRUN apt-get install -y tool=$V\n",
        "FROM d\nWORKDIR /app\nCOPY . .\nENV TOOL=tool-$V\nARG V=1\nRUN apt-get install -y tool=$V\n",
        // Its own value reads a variable an instruction it would pass sets.
        "FROM d\nWORKDIR /app\nCOPY . .\nENV CACHE=http://cache:3142\nENV http_proxy=$CACHE\nRUN apt-get install -y curl\n",
    ])
    func variablesStayWhenMovingThemChangesAValue(_ dockerfile: String) {
        #expect(Self.rule.diagnostics(dockerfile).isEmpty, "\(dockerfile)")
    }

    @Test func carriedVariablesKeepTheirPlaceAmongTheMovedRuns() throws {
        let before = "FROM d\nWORKDIR /app\nCOPY . .\nARG V=1\nRUN apt-get update\nENV DEBIAN_FRONTEND=noninteractive\n"
            + "RUN apt-get install -y tool=$V\n"
        let carried = "ARG V=1\nRUN apt-get update\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get install -y tool=$V\n"
        let fix = try #require(Self.rule.diagnostics(before).last?.fix)
        #expect(fix.edits.contains { $0.replacement == carried })
        // Applied in turn, `apt-get update` moves first on its own, and needs neither variable.
        #expect(Self.rule.fixed(before, level: .unsafe) == "FROM d\nWORKDIR /app\nRUN apt-get update\nARG V=1\n"
            + "ENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get install -y tool=$V\nCOPY . .\n")
        // Under a crossed USER, the repeated USER comes first and the variable after it.
        #expect(Self.rule.fixed("FROM d\nWORKDIR /app\nCOPY . .\nENV DEBIAN_FRONTEND=noninteractive\nUSER root\n"
            + "RUN apt-get install -y curl\n", level: .unsafe)
            == "FROM d\nWORKDIR /app\nUSER root\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get install -y curl\n"
            + "COPY . .\nUSER root\n")
    }

    @Test(arguments: [
        "curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs",
        "apt-get install -y $(cat packages.txt)",
        "apt-get install -y ./local.deb",
        "dpkg -i vector_*_\"$(dpkg --print-architecture)\".deb",
        "apt-get install -y \"$PWD/tool.deb\"",
        "rm -rf node_modules && apt-get install -y curl",
        "pip install -r requirements.txt",
        "echo done",
    ])
    func runsThatMayReadTheCopiesAreNotReported(_ run: String) {
        #expect(Self.rule.diagnostics("FROM d\nWORKDIR /app\nCOPY . .\nRUN \(run)\n").isEmpty)
    }

    /// Quiet: the copy may feed the install, or its destination is unknown, so there is no move to offer.
    @Test(arguments: [
        "FROM d\nCOPY . .\nRUN apt-get install -y curl\n",
        "FROM d\nCOPY sources.list /etc/apt/sources.list\nRUN apt-get update\n",
        "FROM d\nCOPY key.gpg /usr/share/keyrings/\nRUN apt-get update\n",
        "FROM d\nWORKDIR /\nCOPY . .\nRUN apk add curl\n",
        "FROM d\nCOPY lib/ /usr/\nRUN apk add curl\n",
        "FROM d\nCOPY tool /usr/local/bin/\nRUN apk add curl\n",
        "FROM d\nCOPY clean-install /usr/local/bin/clean-install\nRUN apt-get update && apt-get dist-upgrade -y\n",
        "FROM d\nCOPY . /app\nRUN apt-get install -y /app/vendor/tool.deb\n",
        "FROM d\nCOPY . /app\nRUN apt-get update && rm -rf /app/cache\n",
        "FROM d\nCOPY . /app\nRUN apt-get update > /app/log.txt\n",
        "FROM d\nWORKDIR $APP_HOME\nCOPY . .\nRUN apk add curl\n",
    ])
    func copiesThatMayFeedTheInstallBlockTheFix(_ dockerfile: String) {
        #expect(Self.rule.diagnostics(dockerfile).isEmpty)
    }

    @Test func pathsOutsideTheCopiesAreFine() {
        let before = "FROM d\nCOPY . /app\nRUN set -eux; apt-get update && apt-get install -y /tmp/x.deb "
            + "&& echo 'deb http://x bookworm main' > /etc/apt/sources.list.d/x.list && mkdir -p /opt/x "
            + "&& useradd -r app && rm -rf /var/lib/apt/lists/*\n"
        let after = "FROM d\nRUN set -eux; apt-get update && apt-get install -y /tmp/x.deb "
            + "&& echo 'deb http://x bookworm main' > /etc/apt/sources.list.d/x.list && mkdir -p /opt/x "
            + "&& useradd -r app && rm -rf /var/lib/apt/lists/*\nCOPY . /app\n"
        #expect(Self.rule.fixed(before, level: .unsafe) == after)
    }

    @Test func commentsAndPragmasTravelWithTheRun() {
        let before = "FROM d\nWORKDIR /app\n# the app\nCOPY . .\n\n# hadolint ignore=DL3008\n# tools\nRUN apt-get install -y curl\n"
        let after = "FROM d\nWORKDIR /app\n# hadolint ignore=DL3008\n# tools\nRUN apt-get install -y curl\n# the app\nCOPY . .\n\n"
        #expect(Self.rule.fixed(before, level: .unsafe) == after)
    }

    @Test(arguments: ["/usr/src/app", "/var/www/html", "/usr/share/nginx/html", "/opt/app", "/srv"])
    func applicationFoldersCanBeSkipped(_ folder: String) {
        let before = "FROM d\nWORKDIR \(folder)\nCOPY . .\nRUN apk add curl\n"
        #expect(Self.rule.fixed(before, level: .unsafe) == "FROM d\nWORKDIR \(folder)\nRUN apk add curl\nCOPY . .\n")
    }

    @Test func paragraphsStayParagraphs() {
        let before = "FROM d\nWORKDIR /app\n\n# keys\nCOPY KEYS /KEYS\n\n# tools\nRUN apk add bash\n\n# more\nRUN make\n"
        let after = "FROM d\nWORKDIR /app\n\n# tools\nRUN apk add bash\n\n# keys\nCOPY KEYS /KEYS\n\n# more\nRUN make\n"
        #expect(Self.rule.fixed(before, level: .unsafe) == after)
    }

    @Test func crlfFilesKeepTheirLineEnds() {
        let before = "FROM d\r\nWORKDIR /app\r\nCOPY . .\r\nRUN apk add --no-cache curl \\\r\n    git"
        let after = "FROM d\r\nWORKDIR /app\r\nRUN apk add --no-cache curl \\\r\n    git\r\nCOPY . .\r\n"
        #expect(Self.rule.fixed(before, level: .unsafe) == after)
        #expect(!DockerfileSyntax.parse(after).hasParserErrors)
    }

    /// A repository file copied where yum reads its repositories feeds the install; an
    /// unrelated file does not.
    @Test func aRepositoryCopiedForTheInstallKeepsItBelow() {
        let repo = "FROM centos:7\nCOPY virt7-container-common-candidate.repo /etc/yum.repos.d/\n"
            + "RUN yum install -y --enablerepo=virt7-container-common-candidate docker\n"
        #expect(Self.rule.diagnostics(repo).isEmpty)
        let twin = "FROM centos:7\nCOPY virt7-container-common-candidate.txt /opt/notes/\n"
            + "RUN yum install -y --enablerepo=virt7-container-common-candidate docker\n"
        #expect(Self.rule.diagnostics(twin).count == 1)
        #expect(Self.rule.fixed(twin, level: .unsafe) == "FROM centos:7\n"
            + "RUN yum install -y --enablerepo=virt7-container-common-candidate docker\n"
            + "COPY virt7-container-common-candidate.txt /opt/notes/\n")
    }

    @Test func aKeyringOrConfigurationTheInstallReadsKeepsItBelow() {
        #expect(Self.rule.diagnostics("FROM d\nCOPY docker.gpg /etc/apt/keyrings/\nRUN apt-get update\n").isEmpty)
        #expect(Self.rule.diagnostics("FROM alpine\nCOPY repositories /etc/apk/\nRUN apk add curl\n").isEmpty)
        #expect(Self.rule.diagnostics("FROM d\nCOPY k.gpg /opt/k.gpg\nRUN echo 'deb [signed-by=/opt/k.gpg] http://x y z' > /etc/apt/sources.list.d/x.list && apt-get update\n").isEmpty)
        #expect(Self.rule.diagnostics("FROM d\nCOPY k.gpg /opt/other.gpg\nRUN echo 'deb [signed-by=/opt/k.gpg] http://x y z' > /etc/apt/sources.list.d/x.list && apt-get update\n").count == 1)
    }

    /// The move reaches past what the install does not depend on, and keeps what it sees.
    @Test func theMoveCrossesHarmlessInstructionsAndKeepsTheUser() {
        let env = "FROM d\nWORKDIR /app\nCOPY . .\nENV APP_MODE=prod\nARG VERSION\nLABEL a=b\nRUN apk add curl\n"
        #expect(Self.rule.fixed(env, level: .unsafe)
            == "FROM d\nWORKDIR /app\nRUN apk add curl\nCOPY . .\nENV APP_MODE=prod\nARG VERSION\nLABEL a=b\n")
        let workdir = "FROM d\nCOPY . /app\nWORKDIR /app\nRUN apk add curl\n"
        #expect(Self.rule.fixed(workdir, level: .unsafe) == "FROM d\nRUN apk add curl\nCOPY . /app\nWORKDIR /app\n")
        let user = "FROM d\nCOPY . /app\nUSER root\nRUN apk add curl\nUSER app\n"
        #expect(Self.rule.fixed(user, level: .unsafe)
            == "FROM d\nUSER root\nRUN apk add curl\nCOPY . /app\nUSER root\nUSER app\n")
        // An ENV the install reads goes up with it.
        let read = "FROM d\nCOPY . /app\nENV PKG=curl\nRUN apk add $PKG\n"
        #expect(Self.rule.fixed(read, level: .unsafe) == "FROM d\nENV PKG=curl\nRUN apk add $PKG\nCOPY . /app\n")
    }

    @Test func severalInstallsMoveTogetherInOrder() {
        let before = "FROM d\nCOPY . /app\nRUN apt-get update\nCOPY conf.txt /srv/\nRUN apt-get install -y curl\n"
        #expect(Self.rule.diagnostics(before).count == 2)
        #expect(Self.rule.fixed(before, level: .unsafe)
            == "FROM d\nRUN apt-get update\nRUN apt-get install -y curl\nCOPY . /app\nCOPY conf.txt /srv/\n")
    }

    @Test func onlyTheStageOfTheRunCounts() {
        let dockerfile = "FROM d AS a\nWORKDIR /app\nCOPY . .\nFROM d\nRUN apt-get install -y curl\n"
        #expect(Self.rule.diagnostics(dockerfile).isEmpty)
    }

    /// With DW001, the fix loop ends with the package install first, then the manifests and their install.
    @Test func togetherWithDepsBeforeSourceTheLayersEndUpInCacheOrder() {
        let linter = Linter(rules: [StaticBeforeVolatileRule(), DepsBeforeSourceRule()])
        let before = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y gcc\n"
            + "RUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n"
        let result = linter.fix(SourceFile(path: "Dockerfile", text: before), level: .unsafe)
        let after = "FROM python:3.12-slim\nWORKDIR /app\nRUN apt-get update && apt-get install -y gcc\n"
            + "COPY requirements*.txt ./\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n"
        #expect(String(decoding: result.output, as: UTF8.self) == after)
        #expect(!result.didNotConverge)
    }
}
