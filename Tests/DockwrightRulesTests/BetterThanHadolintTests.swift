import DockwrightCore
import DockwrightRules
import DockwrightSyntax
import Testing

/// Shapes hadolint reports wrongly (issue 14, item 3): each stays quiet, or is reported at
/// the right word with the right words, while a close twin still fires as before.
@Suite struct BetterThanHadolintTests {
    static func findings(_ rule: any Rule.Type, _ text: String) -> [Diagnostic] {
        RuleCase(rule: rule).diagnostics(text)
    }

    @Test func cdThatCannotLeakIsNoWorkdir() {
        let rule = WorkdirInsteadOfCdRule.self
        #expect(Self.findings(rule, "FROM debian:12\nRUN ( cd /opt/src && ./configure && make )\n").isEmpty)
        #expect(Self.findings(rule, "FROM debian:12\nRUN make -C /opt/src install && cd / && rm -rf /opt/src\n").isEmpty)
        // Twins: the same `cd` in the main shell, and a `cd` with real work after it.
        #expect(Self.findings(rule, "FROM debian:12\nRUN cd /opt/src && ./configure && make\n").count == 1)
        #expect(Self.findings(rule, "FROM debian:12\nRUN make -C /opt/src && cd / && ls && rm -rf /opt/src\n").count == 1)
    }

    @Test func anEmptyEnvHoldsNoSecret() {
        let rule = SecretInArgOrEnvRule.self
        #expect(Self.findings(rule, "FROM alpine:3.20\nENV API_TOKEN=\n").isEmpty)
        #expect(Self.findings(rule, "FROM alpine:3.20\nENV API_TOKEN=''\n").isEmpty)
        #expect(Self.findings(rule, "FROM alpine:3.20\nENV API_TOKEN=abc123\n").count == 1)
        // An ARG with an empty default is filled by --build-arg: still reported.
        #expect(Self.findings(rule, "FROM alpine:3.20\nARG API_TOKEN=\n").count == 1)
    }

    @Test func addOfAVariableHoldingAURLIsADownload() {
        let rule = PreferCopyOverAddRule.self
        #expect(Self.findings(rule, "FROM alpine:3.20\nENV JAR=https://repo.example.org/app.jar\nADD $JAR /app.jar\n").isEmpty)
        #expect(Self.findings(rule, "FROM alpine:3.20\nARG SRC=git@github.com:acme/app.git\nADD ${SRC} /src\n").isEmpty)
        #expect(Self.findings(rule, "FROM alpine:3.20\nARG JAR=build/app.jar\nADD ${JAR} /app.jar\n").count == 1)
    }

    @Test func pipTakesPrefixesOfNoCacheDir() {
        let rule = PipNoCacheDirRule.self
        #expect(Self.findings(rule, "FROM python:3.12\nRUN pip install --no-cache requests==2.32.3\n").isEmpty)
        #expect(Self.findings(rule, "FROM python:3.12\nRUN pip install --no-cache-di requests==2.32.3\n").isEmpty)
        // `--no-c` is ambiguous (`--no-color`, `--no-compile`…): pip would refuse it, and it disables nothing.
        #expect(Self.findings(rule, "FROM python:3.12\nRUN pip install --no-c requests==2.32.3\n").count == 1)
        #expect(Self.findings(rule, "FROM python:3.12\nRUN pip install --no-deps requests==2.32.3\n").count == 1)
    }

    @Test func killingTheScriptsOwnJobIsNoService() {
        let rule = PointlessCommandRule.self
        #expect(Self.findings(rule, "FROM postgres:16\nRUN postgres & PG=$!; sleep 3; psql -f /seed.sql; kill \"$PG\"\n").isEmpty)
        #expect(Self.findings(rule, "FROM postgres:16\nRUN postgres & sleep 3 && psql -f /seed.sql && kill $!\n").isEmpty)
        // Twins: no background job of its own, or a pid from elsewhere.
        #expect(Self.findings(rule, "FROM postgres:16\nRUN kill $PG\n").count == 1)
        #expect(Self.findings(rule, "FROM postgres:16\nRUN postgres & sleep 3; kill $(cat /run/pg.pid)\n").count == 1)
    }

    @Test func busyBoxWgetIsToldToBeQuiet() throws {
        let rule = WgetProgressRule.self
        let alpine = try #require(Self.findings(rule, "FROM alpine:3.20\nRUN wget https://example.com/a.tgz\n").first)
        #expect(alpine.message.contains("`-q`") && !alpine.message.contains("dot:giga"))
        #expect(alpine.fix == nil)
        let busybox = try #require(Self.findings(rule, "FROM busybox:1.36\nRUN wget https://example.com/a.tgz\n").first)
        #expect(busybox.message.contains("BusyBox"))
        // With GNU wget installed, or on Debian, the GNU advice stays.
        let gnu = try #require(Self.findings(rule, "FROM alpine:3.20\nRUN apk add --no-cache wget && wget https://example.com/a.tgz\n").first)
        #expect(gnu.message.contains("--progress=dot:giga"))
        let debian = try #require(Self.findings(rule, "FROM debian:12\nRUN wget https://example.com/a.tgz\n").first)
        #expect(debian.message.contains("--progress=dot:giga") && debian.fix != nil)
    }

    @Test func recommendsARunTimeToolNeedsKeepTheirFixOff() throws {
        let rule = AptGetNoInstallRecommendsRule.self
        let xvfb = try #require(Self.findings(rule, "FROM debian:12\nRUN apt-get install -y xvfb\n").first)
        #expect(xvfb.fix == nil)
        #expect(xvfb.message.contains("`xauth`"))
        // Naming xauth, or another package, keeps the fix.
        #expect(Self.findings(rule, "FROM debian:12\nRUN apt-get install -y xvfb xauth\n").first?.fix != nil)
        #expect(Self.findings(rule, "FROM debian:12\nRUN apt-get install -y x11-utils\n").first?.fix != nil)
    }

    @Test func mergeRefusalNamesTheProgramNotTheAssignment() throws {
        let text = "FROM debian:12\nRUN buildDeps='gcc make' set -e\nRUN echo done\n"
        let finding = try #require(Self.findings(MergeConsecutiveRunsRule.self, text).first)
        #expect(finding.message.contains("`set`"))
        #expect(!finding.message.contains("buildDeps='"))
        let assignment = try #require(Self.findings(MergeConsecutiveRunsRule.self, "FROM debian:12\nRUN buildDeps='gcc make'\nRUN echo done\n").first)
        #expect(assignment.message.contains("`buildDeps=`"))
    }

    @Test func aContinuationThatSwallowsAnInstructionSaysSo() throws {
        let swallowed = "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0 \\\n\nCOPY . /app\n"
        let finding = try #require(Self.findings(NoEmptyContinuationRule.self, swallowed).first)
        #expect(finding.message.contains("`COPY . /app`"))
        #expect(finding.fix == nil)
        #expect(Self.findings(ApkAddPinVersionsRule.self, swallowed).isEmpty)
        // The twin: an empty line inside the RUN's own words keeps the delete-it fix, and
        // an unpinned package before the swallowed COPY is still reported.
        let plain = try #require(Self.findings(NoEmptyContinuationRule.self, "FROM alpine:3.20\nRUN apk add \\\n\n  curl\n").first)
        #expect(plain.message.contains("delete it") && plain.fix != nil)
        let unpinned = Self.findings(ApkAddPinVersionsRule.self, "FROM alpine:3.20\nRUN apk add --no-cache curl \\\n\nCOPY . /app\n")
        #expect(unpinned.map(\.message) == ["`curl` is installed without a version; pin it: `curl=<version>`"])
    }

    @Test func listsLeftBehindAreReportedAtTheirUpdate() throws {
        let text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y git\n"
        let finding = try #require(Self.findings(AptListsCleanupRule.self, text).first)
        #expect(finding.start.line == 2)
        #expect(finding.range.start == text.utf8.count - "apt-get update && apt-get install -y git\n".utf8.count)
    }

    @Test func aMalformedFromFlagIsNotASecondSource() {
        let rule = CopyDestinationSlashRule.self
        #expect(Self.findings(rule, "FROM alpine:3.20 AS build\nFROM alpine:3.20\nCOPY --from build /app /app\n").isEmpty)
        #expect(Self.findings(rule, "FROM alpine:3.20 AS build\nFROM alpine:3.20\nCOPY --from=build /app /lib /app\n").count == 1)
    }

    @Test func aGlobCannotBePinned() {
        let rule = AptGetPinVersionsRule.self
        #expect(Self.findings(rule, "FROM debian:12\nRUN apt-get install -y 'android-tools*'\n").isEmpty)
        #expect(Self.findings(rule, "FROM debian:12\nRUN apt-get install -y android-tools-adb\n").count == 1)
    }
}
