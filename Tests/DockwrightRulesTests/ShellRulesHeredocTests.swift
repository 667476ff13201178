import DockwrightCore
import DockwrightRules
import Testing

/// Heredoc bodies are scripts like any other, but an example's `↓` inside a body
/// cannot take the harness's ignore-pragma variant (the comment would land in the
/// body), so these cases are checked here.
@Suite struct ShellRulesHeredocTests {
    private func starts(_ rule: any Rule.Type, _ text: String) -> [Int] {
        RuleCase(rule: rule).diagnostics(text).map(\.range.start)
    }

    private func offset(of needle: String, in text: String) -> Int {
        guard let range = text.firstRange(of: needle) else { return -1 }
        return text.utf8.distance(from: text.utf8.startIndex, to: range.lowerBound.samePosition(in: text.utf8) ?? text.utf8.startIndex)
    }

    @Test func pinningRulesReadHeredocBodies() {
        let pip = "FROM python:3.12\nRUN <<EOF\nset -e\npip install --no-cache-dir httpx\nEOF\n"
        #expect(starts(PinPipVersionsRule.self, pip) == [offset(of: "httpx", in: pip)])
        let npm = "FROM node:20\nRUN <<EOF\nnpm install -g typescript\nEOF\n"
        #expect(starts(PinNpmVersionsRule.self, npm) == [offset(of: "typescript", in: npm)])
    }

    @Test func shellRulesReadHeredocBodies() {
        let cd = "FROM alpine:3.20\nRUN <<EOF\ncd /app\nmake\nEOF\n"
        #expect(starts(WorkdirInsteadOfCdRule.self, cd) == [offset(of: "cd /app", in: cd)])
        let sudo = "FROM ubuntu:24.04\nRUN <<EOF\nsudo chown app /data\nEOF\n"
        #expect(starts(AvoidSudoRule.self, sudo) == [offset(of: "sudo", in: sudo)])
        let pipe = "FROM debian:bookworm\nRUN <<EOF\nls | wc -l\nEOF\n"
        #expect(starts(PipefailForPipesRule.self, pipe) == [offset(of: "|", in: pipe)])
    }

    @Test func scriptsInOtherLanguagesAreNotRead() {
        let python = "FROM python:3.12\nRUN <<EOF\n#!/usr/bin/env python3\nimport os; os.system('cd /x | wc')\nEOF\n"
        #expect(starts(WorkdirInsteadOfCdRule.self, python).isEmpty)
        #expect(starts(PipefailForPipesRule.self, python).isEmpty)
    }
}
