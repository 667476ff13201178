@testable import DockwrightModel
import DockwrightShell
import DockwrightSyntax
import Testing

/// The facts that used to be worked out in several places, each with its one answer.
@Suite struct DockerfileModelTests {
    static func model(_ text: String) -> DockerfileModel {
        DockerfileModel(syntax: DockerfileSyntax.parse(SourceFile(path: "Dockerfile", text: text)))
    }

    @Test func baseChainGoesFromTheStageDownToTheImage() {
        let model = Self.model("FROM alpine:3.20 AS a\nFROM a AS b\nFROM debian:12 AS c\nFROM b\n")
        #expect(model.stages.baseChain(ofStage: 3) == [3, 1, 0])
        #expect(model.stages.baseChain(ofStage: 2) == [2])
        #expect(model.stages.rootStage(of: 3)?.index == 0)
        #expect(model.stage(3).rootIndex == 0)
        #expect(model.stages.baseChain(ofStage: 9).isEmpty)
    }

    @Test func aWindowsImageStartsWithCmdAndItsStagesInheritIt() {
        let model = Self.model(
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win\nCMD ping localhost\nFROM win\nRUN dir\n")
        #expect(model.stage(0).isWindows)
        #expect(model.stage(0).shell.initial == .defaultWindows)
        #expect(model.stage(1).isWindows)
        #expect(model.stage(1).shell.initial == .defaultWindows)
        // RunScript reads the RUN in the shell the model decided: cmd, so it is not parsed.
        #expect(model.runScripts.map(\.dialect) == [.defaultWindows])
        #expect(model.runScripts.first?.script == nil)
    }

    @Test func aPowerShellSwitchMarksAnImageHiddenBehindAVariableAsWindows() {
        let model = Self.model("ARG BASE\nFROM ${BASE}\nRUN echo before\nSHELL [\"powershell\", \"-Command\"]\nRUN Get-Item .\n")
        #expect(model.stage(0).isWindows)
        #expect(model.runScripts.map(\.dialect) == [.defaultWindows, .opaque("powershell")])
    }

    @Test func aLinuxStageRunsUnderShAndSwitchesAtEachShell() {
        let text = "FROM debian:12 AS base\nRUN a\nSHELL [\"/bin/bash\", \"-euo\", \"pipefail\", \"-c\"]\nRUN b\nFROM base\nRUN c\n"
        let model = Self.model(text)
        #expect(!model.stage(0).isWindows)
        #expect(model.runScripts.map(\.dialect) == [.posix("sh"), .posix("bash"), .posix("bash")])
        let runs = model.syntax.instructions.filter { $0.kind == .run }
        #expect(model.stage(0).shell.options(at: runs[0].range.start) == ShellOptions(dialect: .defaultLinux, arguments: []))
        let bash = model.stage(0).shell.options(at: runs[1].range.start)
        #expect(bash.errexit && bash.pipefail)
        // A stage built on another starts with its shell and options.
        #expect(model.stage(1).shell.options(at: runs[2].range.start) == bash)
    }

    @Test(arguments: [
        ("# hadolint ignore=DL3008, DL3009", Pragma(tool: .hadolint, directive: .ignore(entries: ["DL3008", "DL3009"], isGlobal: false))),
        ("  #dockwright global ignore = DL3007", Pragma(tool: .dockwright, directive: .ignore(entries: ["DL3007"], isGlobal: true))),
        ("# hadolint shell=powershell", Pragma(tool: .hadolint, directive: .shell("powershell"))),
        ("# hadolint shell = cmd.exe\r\n", Pragma(tool: .hadolint, directive: .shell("cmd.exe"))),
        ("# hadolint shell=", Pragma(tool: .hadolint, directive: .other)),
        ("# hadolint ignore=", Pragma(tool: .hadolint, directive: .other)),
        ("# ignore this line", nil),
        ("# see hadolint ignore=DL3008", nil),
    ])
    func oneGrammarReadsEveryPragma(comment: String, expected: Pragma?) {
        #expect(Pragma(comment: comment) == expected)
    }

    @Test func leadingCommentsStopAtABlankLineAndCarryTheirPragmas() {
        let model = Self.model("FROM a\n# one\n\n# two\n# hadolint ignore=DL3008\nRUN x\nRUN y\n")
        let runs = model.syntax.instructions.filter { $0.kind == .run }
        let comments = model.leadingComments(of: runs[0])
        #expect(comments.lines.count == 2)
        #expect(comments.pragmas.map(\.ignoredEntries) == [["DL3008"]])
        #expect(model.leadingComments(of: runs[1]).lines.isEmpty)
    }

    /// The user a RUN runs as and the user a stage ends with come from one reading of USER,
    /// with ARG values substituted (the package rules used to read `USER $U` as a user named `$U`).
    @Test func theUserIsReadOnceWithVariablesSubstituted() {
        let model = Self.model("FROM debian:12 AS base\nARG U=root\nUSER $U\nFROM base\nRUN id\nUSER app\nRUN id\n")
        let runs = model.syntax.instructions.filter { $0.kind == .run }
        #expect(StageUser.effective(ofStage: 0, in: model.stages)?.isRoot == true)
        #expect(model.userInEffect(at: runs[0].range.start, inStage: 1)?.isRoot == true)
        #expect(model.userInEffect(at: runs[1].range.start, inStage: 1)?.value == "app")
        #expect(StageUser.effective(ofStage: 1, in: model.stages)?.value == "app")
        #expect(StageUser.all(inChainOf: 1, in: model.stages).map(\.value) == ["root", "app"])
    }

    /// Whether a COPY/ADD source is remote was decided three ways (one case-sensitive).
    @Test(arguments: [
        ("app/", CopySource.local), ("HTTPS://example.com/a.tar.gz", .httpFile), ("http://x/y?z=1", .httpFile),
        ("https://github.com/moby/buildkit.git#v0.12", .git), ("git@github.com:moby/buildkit.git", .git),
        ("git://example.com/r", .git), ("ftp://example.com/f", .otherURL), ("repo.git", .local),
        ("GIT@github.com:moby/buildkit.git", .git), ("git", .local), ("git`x", .local), ("gi@t", .local),
    ])
    func oneAnswerForWhereACopySourceComesFrom(source: String, expected: CopySource) {
        #expect(CopySource(source) == expected)
        #expect(CopySource(source).isRemote == (expected != .local))
    }

    @Test func scriptsAreParsedOnlyWhenAsked() {
        let model = Self.model("FROM a\nRUN apt-get update\n")
        #expect(!model.hasParsedRunScripts)
        _ = model.stage(0).isWindows
        _ = model.leadingComments(of: model.syntax.instructions[0])
        #expect(!model.hasParsedRunScripts)
        #expect(model.runScripts.count == 1)
        #expect(model.hasParsedRunScripts)
    }
}

/// The effects fact: one walk per RUN script, resolved against the WORKDIR and ENV in effect.
@Suite struct ScriptEffectsFactTests {
    @Test func pathsResolveAgainstTheWorkdirAndEnvironmentAtTheRun() {
        let model = DockerfileModelTests.model("""
            FROM node:20 AS build
            WORKDIR /srv
            ENV CONF=/etc/app
            WORKDIR web
            RUN npm ci && cp app.conf $CONF/ && cd /tmp && tar xf x.tar
            FROM build
            RUN cat VERSION
            FROM alpine:3.20
            RUN cat VERSION
            """)
        let scripts = model.runScripts
        let first = model.effects(of: scripts[0])
        #expect(first.programs.map(\.name) == ["npm", "cp", "tar"])
        #expect(first.programs[0].workingDirectory == .absolute("/srv/web"))
        #expect(first.reads.contains { $0.path == .absolute("/srv/web/package.json") })
        #expect(first.writes.contains { $0.reason == .copyDestination && $0.path == .absolute("/etc/app") })
        #expect(first.writes.contains { $0.reason == .extraction && $0.path == .absolute("/tmp") })
        // A stage built on another starts in its last WORKDIR; one built on an image, in the image's.
        #expect(model.effects(of: scripts[1]).reads.first?.path == .absolute("/srv/web/VERSION"))
        guard case .relative(_, let path)? = model.effects(of: scripts[2]).reads.first?.path else {
            Issue.record("expected a path in the base image's WORKDIR")
            return
        }
        #expect(path == "VERSION")
        #expect(model.workingDirectory(before: scripts[1].instruction) == .absolute("/srv/web"))
    }

    /// RUNs written alike have equal effects, and the model keeps one set of their lists
    /// (issue 13's memory budget); a RUN that differs keeps its own, and the answers are
    /// the same whatever order the scripts are asked in.
    @Test func alikeNeighbouringScriptsShareTheirEffectsLists() {
        let text = """
            FROM debian:12
            RUN apt-get install -y p1
            RUN apt-get install -y p2
            RUN curl -o /tmp/x https://example.com/x
            RUN apt-get install -y p3
            """
        let model = DockerfileModelTests.model(text)
        let scripts = model.runScripts
        let effects = scripts.map { model.effects(of: $0) }
        func programsBuffer(_ effects: ScriptEffects) -> UnsafeRawPointer? {
            effects.programs.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
        }
        #expect(effects[0] == effects[1])
        #expect(programsBuffer(effects[0]) != nil)
        #expect(programsBuffer(effects[0]) == programsBuffer(effects[1]))
        #expect(effects[2] != effects[1])
        #expect(programsBuffer(effects[2]) != programsBuffer(effects[1]))
        // Two scripts back is a neighbour too: an install between two other commands.
        #expect(effects[3] != effects[2])
        #expect(programsBuffer(effects[3]) == programsBuffer(effects[1]))

        let askedBackwards = DockerfileModelTests.model(text)
        let backwards = askedBackwards.runScripts.reversed().map { askedBackwards.effects(of: $0) }
        #expect(Array(backwards.reversed()) == effects)
    }

    /// The same RUN in stage after stage runs in each stage's own unknown base folder:
    /// the model keeps one value for all of them, and each stage reads its own folder,
    /// as a walk of that script alone gives it. A stage with a WORKDIR, whose folder is
    /// known, keeps a value of its own.
    @Test func alikeScriptsOfManyStagesShareOneValueAnchoredAtEachStage() throws {
        var text = ""
        for index in 0..<5 { text += "FROM ubuntu:24.04 AS s\(index)\nADD f\(index) /f\nRUN apt-get update\nRUN echo \(index)\n" }
        text += "FROM ubuntu:24.04\nWORKDIR /app\nRUN apt-get update\n"
        let model = DockerfileModelTests.model(text)
        let updates = model.runScripts.filter { $0.text.string == "apt-get update" }
        #expect(updates.count == 6)
        let effects = updates.map { model.effects(of: $0) }
        #expect(model.keptEffectsValueCount == 2)
        for (stage, update) in updates.enumerated() {
            let folder = model.workingDirectory(before: update.instruction)
            let alone = try #require(update.script).effects(workingDirectory: folder, variables: [:])
            #expect(effects[stage] == alone)
            #expect(model.effects(of: update) == alone)
            let expectedFolder = stage < 5
                ? ImagePath.relative(anchor: model.stages.stages[stage].from.range.start, path: "") : .absolute("/app")
            #expect(effects[stage].programs.map(\.workingDirectory) == [expectedFolder])
        }
    }

    /// The same short command at the same place in many RUNs keeps one list of words;
    /// a command that differs in a byte, or starts elsewhere, keeps its own.
    @Test func alikeShortCommandsShareTheirWordList() throws {
        let text = """
            FROM ubuntu:24.04
            RUN apt-get update
            RUN echo 1
            RUN apt-get update
            RUN apt-get updatE
            RUN  apt-get update
            RUN apt-get update
            """
        let model = DockerfileModelTests.model(text)
        func wordsBuffer(_ index: Int) throws -> UInt {
            let words = try #require(model.runScripts[index].script?.commands.first?.command.words)
            return words.withUnsafeBufferPointer { $0.baseAddress.map { UInt(bitPattern: $0) } ?? 0 }
        }
        #expect(try wordsBuffer(0) == wordsBuffer(2))
        #expect(try wordsBuffer(0) == wordsBuffer(5))
        #expect(try wordsBuffer(0) != wordsBuffer(3))
        #expect(try wordsBuffer(0) != wordsBuffer(1))
        // Shared or not, each script reads its own words.
        let words = model.runScripts.map { $0.script?.commands.first?.command.words.map(\.literalValue) }
        #expect(words == [
            ["apt-get", "update"], ["echo", "1"], ["apt-get", "update"], ["apt-get", "updatE"], ["apt-get", "update"],
            ["apt-get", "update"],
        ])
        #expect(model.runScripts[4].script?.commands.first?.command.words.map(\.range) == [0..<7, 8..<14])
    }

    @Test func aScriptThatDidNotParseHasUnknownEffects() {
        let model = DockerfileModelTests.model("FROM alpine\nRUN echo \"unterminated\n")
        #expect(model.effects(of: model.runScripts[0]) == .unknown)
        #expect(!ScriptEffects.unknown.isComplete)
    }
}
