import DockwrightCore
import DockwrightRules
import DockwrightSyntax
import Testing

/// Positions the examples cannot show: the harness puts an ignore pragma on the line
/// above each marker, which inside a continuation or a heredoc is part of the RUN.
@Suite struct PackageManagerRulesTests {
    private func findings(_ rule: any Rule.Type, _ text: String) -> [(line: Int, column: Int, message: String)] {
        Linter(rules: [rule.init()]).lint(SourceFile(path: "Dockerfile", text: text)).diagnostics
            .map { ($0.start.line, $0.start.column, $0.message) }
    }

    @Test func pinFindingsPointAtTheWordOnItsContinuationLine() {
        let text = "FROM debian:12\nRUN apt-get update \\\n  && apt-get install -y \\\n     curl=7.88 \\\n     wget\n"
        let found = findings(AptGetPinVersionsRule.self, text)
        #expect(found.map(\.line) == [5])
        #expect(found.map(\.column) == [6])
        #expect(found.first?.message.contains("`wget`") == true)
    }

    @Test func heredocBodiesAreCheckedAtTheirLines() {
        let text = "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install curl\nEOF\n"
        #expect(findings(AptGetPinVersionsRule.self, text).map(\.line) == [4])
        #expect(findings(AptGetInstallYesRule.self, text).map(\.line) == [4])
        #expect(findings(AptListsCleanupRule.self, text).map(\.line) == [3])
        let apk = "FROM alpine:3.20\nRUN <<EOF\nset -e\napk add curl\nEOF\n"
        #expect(findings(ApkAddNoCacheRule.self, apk).map(\.line) == [4])
        #expect(findings(ApkAddPinVersionsRule.self, apk).map(\.line) == [4])
    }

    @Test func variablesHoldingListsAreSplitAndJudged() {
        let text = "FROM debian:12\nENV TOOLS=\"curl=7.88 wget\"\nRUN apt-get install -y $TOOLS\n"
        #expect(findings(AptGetPinVersionsRule.self, text).map(\.message) == [
            "`wget` is installed without a version; pin it: `wget=<version>`",
        ])
    }

    private func fixes(_ rule: any Rule.Type, _ text: String) -> [Fix?] {
        Linter(rules: [rule.init()]).lint(SourceFile(path: "Dockerfile", text: text)).diagnostics.map(\.fix)
    }

    @Test func cleanupFixesOnlyWhereAppendingKeepsTheScriptsMeaning() {
        let offered = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"
        #expect(fixes(AptListsCleanupRule.self, offered).compactMap { $0 }.count == 1)
        for text in [
            // rm would run as a user who cannot remove the lists.
            "FROM debian:12\nRUN sudo apt-get update && sudo apt-get install -y curl\n",
            "FROM debian:12\nUSER app\nRUN apt-get update && apt-get install -y curl\n",
            // The last apt command is in a pipeline, a subshell or a condition.
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl | tee /log\n",
            "FROM debian:12\nRUN apt-get update && (apt-get install -y curl)\n",
            "FROM debian:12\nRUN apt-get update && if true; then apt-get install -y curl; fi\n",
        ] {
            #expect(fixes(AptListsCleanupRule.self, text).count == 1, "\(text)")
            #expect(fixes(AptListsCleanupRule.self, text).compactMap { $0 }.isEmpty, "\(text)")
        }
        let root = "FROM debian:12\nUSER app\nUSER root\nRUN apt-get update && apt-get install -y curl\n"
        #expect(fixes(AptListsCleanupRule.self, root).compactMap { $0 }.count == 1)
        #expect(fixes(YumCleanAllRule.self, "FROM centos:7\nUSER 1000\nRUN yum install -y httpd-2.4.6\n")
            .compactMap { $0 }.isEmpty)
    }
}
