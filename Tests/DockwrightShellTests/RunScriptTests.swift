import DockwrightShell
import DockwrightSyntax
import Testing

@Suite struct RunScriptTests {
    private func scripts(_ dockerfile: String) -> (DockerfileSyntax, [RunScript]) {
        let syntax = DockerfileSyntax.parse(dockerfile)
        return (syntax, RunScript.scripts(in: syntax))
    }

    @Test func shellFormScriptIsTheJoinedLine() throws {
        let (syntax, runs) = scripts("FROM debian\nRUN apt-get update && \\\n    apt-get install -y curl\n")
        let run = try #require(runs.first)
        #expect(run.origin == .shellForm)
        #expect(run.dialect == .posix("sh"))
        let script = try #require(run.script)
        #expect(script.commands.map { $0.name ?? "" } == ["apt-get", "apt-get"])
        // A word on the continuation line maps back to its exact place in the Dockerfile.
        let curl = try #require(script.commands[1].command.words.last)
        let range = script.sourceRange(curl.range)
        #expect(syntax.source.text(in: range) == "curl")
        #expect(syntax.source.location(of: range.start) == SourcePosition(line: 3, column: 24))
    }

    @Test func onbuildTriggersAreScriptsInTheStageShell() throws {
        let syntax = DockerfileSyntax.parse(
            "FROM debian\nSHELL [\"/bin/bash\", \"-c\"]\nONBUILD RUN apt-get install \\\n  curl\nRUN true\n")
        #expect(RunScript.scripts(in: syntax).count == 1)
        let all = RunScript.scriptsIncludingTriggers(in: StageGraph(syntax: syntax))
        #expect(all.map(\.isOnbuildTrigger) == [true, false])
        let trigger = try #require(all.first)
        #expect(trigger.dialect == .posix("bash"))
        let curl = try #require(trigger.script?.commands.first?.command.words.last)
        let range = try #require(trigger.script).sourceRange(curl.range)
        #expect(syntax.source.text(in: range) == "curl")
        #expect(syntax.source.location(of: range.start) == SourcePosition(line: 4, column: 3))
    }

    @Test func invalidUTF8InARunStaysInsideTheInstruction() throws {
        // Found by the fuzzer: each invalid byte decodes to U+FFFD, three bytes in UTF-8,
        // and a length taken from the decoded text ran past the end of the RUN.
        let bytes = Array("FROM a\nRUN pip install ".utf8) + [0xFF, 0xFE, 0x00] + Array(" flask\nRUN echo ".utf8) + [0xC3, 0x0A]
        let syntax = DockerfileSyntax.parse(SourceFile(path: "<bytes>", bytes: bytes))
        let runs = RunScript.scripts(in: syntax)
        #expect(runs.count == 2)
        let install = try #require(runs.first?.script?.commands.first)
        #expect(install.command.words.count == 4)
        #expect(runs.last?.script?.commands.first?.name == "echo")
    }

    @Test func execFormHasNoScript() {
        #expect(scripts("FROM a\nRUN [\"apt-get\", \"update\"]\n").1.isEmpty)
    }

    @Test func aLoneHeredocRunsItsBody() throws {
        let (syntax, runs) = scripts("FROM a\nRUN <<EOF\nset -e\napt-get update\nEOF\n")
        let run = try #require(runs.first)
        #expect(run.origin == .heredocBody)
        let script = try #require(run.script)
        #expect(script.commands.map { $0.name ?? "" } == ["set", "apt-get"])
        let update = try #require(script.commands[1].command.words.last)
        #expect(syntax.source.location(of: script.sourceRange(update.range).start) == SourcePosition(line: 4, column: 9))
    }

    @Test func aShebangPicksTheInterpreter() {
        let runs = scripts("FROM a\nRUN <<EOF\n#!/usr/bin/env python3\nprint('hi')\nEOF\nRUN <<EOF\n#!/bin/bash\necho hi\nEOF\n").1
        #expect(runs.map(\.dialect) == [.opaque("python3"), .posix("bash")])
    }

    @Test func heredocsAfterACommandAreReassembledForTheShell() throws {
        let run = try #require(scripts("FROM a\nRUN cat <<EOF > /etc/motd && echo done\nhello\nEOF\n").1.first)
        #expect(String(decoding: run.text.bytes, as: UTF8.self) == "cat <<EOF > /etc/motd && echo done\nhello\nEOF")
        #expect(run.script?.commands.map { $0.name ?? "" } == ["cat", "echo"])
    }

    @Test func shellInstructionControlsTheDialect() {
        let runs = scripts("""
            FROM debian AS base
            RUN echo sh
            SHELL ["/bin/bash", "-o", "pipefail", "-c"]
            RUN echo bash
            FROM base
            RUN echo inherited
            SHELL ["powershell", "-Command"]
            RUN Write-Host hi

            """).1
        #expect(runs.map(\.dialect) == [.posix("sh"), .posix("bash"), .posix("bash"), .opaque("powershell")])
        if case .opaque = runs[3].outcome {} else { Issue.record("PowerShell scripts must stay opaque") }
    }

    @Test func windowsBasesDefaultToCmd() {
        let runs = scripts("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir C:\\\\\n").1
        #expect(runs.first?.dialect == .opaque("cmd"))
        let hinted = scripts("ARG base\nFROM ${base}\nRUN if exist x echo y\nSHELL [\"powershell\"]\n").1
        #expect(hinted.first?.dialect == .opaque("cmd"))
    }

    @Test func invalidScriptsAreReportedNotParsed() {
        let run = scripts("FROM a\nRUN echo 'unterminated\n").1.first
        if case .invalid(let error) = run?.outcome {
            #expect(error.message == "unterminated single quote")
        } else {
            Issue.record("expected an invalid script")
        }
    }
}
