import DockwrightCore
import DockwrightModel
import DockwrightRules
import DockwrightSyntax
import Testing

/// Rules read the model's one answer for facts they used to work out themselves.
@Suite struct ModelFactsTests {
    static func lint(_ text: String, rules: [any Rule] = BuiltinRules.all.map { $0.init() }) -> [Diagnostic] {
        Linter(rules: rules).lint(SourceFile(path: "Dockerfile", text: text)).diagnostics
    }

    /// A Windows image runs shell form under `cmd /S /C`: no exec-form advice, nothing about `/bin/sh`.
    @Test func aWindowsStageGetsNoPOSIXAdvice() {
        let diagnostics = Self.lint("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ping localhost\n")
        #expect(!diagnostics.contains { $0.code == "DL3025" })
        #expect(!diagnostics.contains { $0.message.contains("/bin/sh") || $0.message.contains("pipefail") })
        // Its close twin on Linux still gets the finding.
        #expect(Self.lint("FROM debian:12\nCMD ping localhost\n").contains { $0.code == "DL3025" })
    }

    /// The stage the rules that judge the image's user and the shell agree is Windows.
    @Test func windowsIsOneDecisionForTheShellAndTheUser() {
        let text = "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS base\nFROM base\nCMD app.exe --serve\n"
        let diagnostics = Self.lint(text, rules: [ExecFormCommandRule(), FinalStageUserRule()])
        #expect(diagnostics.isEmpty)
        let linux = Self.lint("FROM debian:12 AS base\nFROM base\nCMD app --serve\n", rules: [ExecFormCommandRule(), FinalStageUserRule()])
        #expect(Set(linux.map(\.code)) == ["DL3025", "DW200"])
    }

    /// Rules about base images never ask for RUN scripts, so `--select DL3006` parses none.
    @Test func rulesThatDoNotReadScriptsLeaveThemUnparsed() {
        let syntax = DockerfileSyntax.parse(SourceFile(path: "Dockerfile", text: "FROM ubuntu\nRUN apt-get update && apt-get install -y curl\n"))
        let context = RuleContext(syntax: syntax)
        #expect(TagBaseImageRule().check(context).count == 1)
        #expect(!context.model.hasParsedRunScripts)
        _ = AptGetInsteadOfAptRule().check(context)
        #expect(context.model.hasParsedRunScripts)
    }
}

/// The package rules read `apt-get` command lines with the one option reader.
@Suite struct OneOptionReaderTests {
    /// `-yt bookworm-backports`: the release is `-t`'s value, so `install` is the
    /// subcommand and `curl` the unpinned package (the old split took the release for
    /// a positional word, the first of the package list).
    @Test func aClusteredTargetReleaseIsNotTheSubcommand() {
        let clustered = ModelFactsTests.lint("FROM debian:12\nRUN apt-get -yt bookworm-backports install curl\n")
        #expect(clustered.contains { $0.code == "DL3008" && $0.message.contains("`curl`") })
        // Its twin with separate flags was always read this way.
        let separate = ModelFactsTests.lint("FROM debian:12\nRUN apt-get -y -t bookworm-backports install curl\n")
        #expect(separate.contains { $0.code == "DL3008" && $0.message.contains("`curl`") })
    }
}

/// One locator of `$NAME` references for every rule that points at one.
@Suite struct OneReferenceLocatorTests {
    /// `${AB}` is not a reference to `A`: DL3044 points at `${A}`, as the shared locator
    /// always did (DL3044's own copy matched any `${A…` prefix).
    @Test func aBracedLongerNameIsNotTheReference() throws {
        let text = "FROM alpine\nENV A=x C=${AB}${A}\n"
        let finding = try #require(ModelFactsTests.lint(text, rules: [EnvSelfReferenceRule()]).first { $0.message.contains("`$A`") })
        #expect(text.utf8.dropFirst(finding.range.start).prefix(finding.range.end - finding.range.start).elementsEqual("${A}".utf8))
    }
}
