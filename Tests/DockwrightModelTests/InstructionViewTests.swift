import DockwrightModel
import DockwrightShell
import DockwrightSyntax
import Testing

/// Typed views of instructions and the per-instruction facts (working directory,
/// variables) that rules used to work out each on their own.
@Suite struct InstructionViewTests {
    static func model(_ text: String) -> DockerfileModel {
        DockerfileModel(syntax: DockerfileSyntax.parse(SourceFile(path: "Dockerfile", text: text)))
    }

    static func instruction(_ model: DockerfileModel, _ index: Int) -> InstructionSyntax {
        model.syntax.instructions[index]
    }

    @Test func copyReadsSourcesDestinationAndEveryFlag() throws {
        let model = Self.model("""
            FROM alpine
            COPY --from=build --chown=app:app --chmod=755 --link --exclude=*.md --exclude=tmp --parents "a" c /dst/
            ADD --checksum=sha256:abc --keep-git-dir=true https://example.com/x.tar.gz app.tar.gz /opt/
            COPY --link=false ["x", "'y'", "/z"]

            """)
        let copy = try #require(CopyInstruction(Self.instruction(model, 1)))
        #expect(copy.sources == ["a", "c"])
        #expect(copy.destination == "/dst/")
        #expect(copy.from == "build")
        #expect(copy.chown == "app:app")
        #expect(copy.chmod == "755")
        #expect(copy.isLinked && copy.keepsParents)
        #expect(copy.excludes == ["*.md", "tmp"])
        #expect(!copy.copiesFromContext && !copy.isAdd)

        let add = try #require(CopyInstruction(Self.instruction(model, 2)))
        #expect(add.isAdd && add.checksum == "sha256:abc" && add.keepsGitDirectory)
        #expect(add.sourceKinds == [.httpFile, .local])
        #expect(add.hasRemoteSource)
        #expect(!CopyInstruction.isArchive(add.sources[0]))
        #expect(CopyInstruction.isArchive(add.sources[1]))

        // Exec form: the quotes left inside an element are removed as BuildKit's expansion removes them.
        let exec = try #require(CopyInstruction(Self.instruction(model, 3)))
        #expect(exec.sources == ["x", "y"])
        #expect(!exec.isLinked)
    }

    @Test func fromRunHealthcheckAndTheOthersReadAsTypedCommands() throws {
        let model = Self.model("""
            FROM --platform=$BUILDPLATFORM golang:1.22 AS Build
            RUN --mount=type=cache,target=/root/.cache --network=none --security=insecure go build
            HEALTHCHECK --interval=30s --retries=3 CMD ["curl", "-f", "http://localhost"]
            CMD echo hi
            ENV A=1 B=2
            ARG X Y=2
            EXPOSE 80/tcp
            WORKDIR /app
            SHELL ["/bin/bash", "-c"]
            VOLUME /data
            ONBUILD COPY . /src
            HEALTHCHECK NONE

            """)
        let from = try #require(FromInstruction(Self.instruction(model, 0)))
        #expect(from.imageToken.text == "golang:1.22")
        #expect(from.platform == "$BUILDPLATFORM")
        #expect(from.alias == "build")

        let run = try #require(RunInstruction(Self.instruction(model, 1)))
        #expect(run.mounts.map(\.type) == [.cache])
        #expect(run.network == "none" && run.security == "insecure")
        #expect(run.command?.isExec == false)

        let check = try #require(HealthcheckInstruction(Self.instruction(model, 2)))
        #expect(check.interval == "30s" && check.retries == "3" && check.timeout == nil)
        #expect(check.command?.isExec == true && !check.isNone)
        #expect(HealthcheckInstruction(Self.instruction(model, 11))?.isNone == true)

        guard case .command(.shell(let cmd)) = model.view(of: Self.instruction(model, 3)) else {
            Issue.record("CMD is shell form")
            return
        }
        #expect(cmd.text == "echo hi")
        guard case .pairs(let pairs) = model.view(of: Self.instruction(model, 4)) else { return #expect(Bool(false)) }
        #expect(pairs.map(\.key.text) == ["A", "B"])
        guard case .arguments(let arguments) = model.view(of: Self.instruction(model, 5)) else { return #expect(Bool(false)) }
        #expect(arguments.map(\.name) == ["X", "Y"] && arguments.map(\.defaultValue) == [nil, "2"])
        guard case .expose(let ports) = model.view(of: Self.instruction(model, 6)) else { return #expect(Bool(false)) }
        #expect(ports.map(\.text) == ["80/tcp"])
        guard case .text(let workdir) = model.view(of: Self.instruction(model, 7)) else { return #expect(Bool(false)) }
        #expect(workdir.text == "/app")
        guard case .shell(let shell) = model.view(of: Self.instruction(model, 8)) else { return #expect(Bool(false)) }
        #expect(shell.map(\.text) == ["/bin/bash", "-c"])
        guard case .volume(let volumes) = model.view(of: Self.instruction(model, 9)) else { return #expect(Bool(false)) }
        #expect(volumes.map(\.text) == ["/data"])
        guard case .onbuild(.copy(let trigger)) = model.view(of: Self.instruction(model, 10)) else {
            return #expect(Bool(false))
        }
        #expect(trigger.destination == "/src")
    }

    @Test func workingDirectoryResolvesVariablesRelativePathsAndTheBaseChain() {
        let model = Self.model("""
            FROM alpine AS base
            COPY a b
            ENV ROOT=/srv
            WORKDIR $ROOT/app
            WORKDIR ../lib/./x
            FROM base AS child
            COPY c d
            WORKDIR ${UNSET}
            COPY e f
            FROM scratch
            COPY g h
            FROM alpine AS triggers
            ONBUILD WORKDIR /t
            FROM triggers
            COPY i j

            """)
        let instructions = model.syntax.instructions
        func directory(_ index: Int) -> ImagePath { model.workingDirectory(before: instructions[index]) }
        let stages = model.stages.stages
        #expect(directory(1) == .relative(anchor: stages[0].from.range.start, path: ""))
        #expect(model.runsInImageWorkingDirectory(instructions[1], inStage: 0))
        #expect(directory(6) == .absolute("/srv/lib/x"))
        #expect(directory(8) == .relative(anchor: instructions[7].range.start, path: ""))
        #expect(!model.runsInImageWorkingDirectory(instructions[8], inStage: 1))
        #expect(directory(10) == .absolute("/"))
        #expect(!model.runsInImageWorkingDirectory(instructions[10], inStage: 2))
        // BuildKit runs the base stage's ONBUILD triggers in the stage built on it.
        #expect(directory(14) == .absolute("/t"))
    }

    /// A folder longer than Linux's PATH_MAX cannot be created, so the build fails there;
    /// the chain of relative WORKDIRs that would build it starts over as an unknown folder
    /// instead of growing (thousands of them would cost quadratic time and memory).
    @Test func aWorkingDirectoryPastPathMaxIsUnknown() {
        let component = String(repeating: "d", count: 100)
        let short = Self.model("FROM alpine\nWORKDIR /\(component)\nWORKDIR \(component)\nCOPY a b\n")
        #expect(short.workingDirectory(before: short.syntax.instructions[3]) == .absolute("/\(component)/\(component)"))
        let workdirs = String(repeating: "WORKDIR \(component)\n", count: 41)
        let long = Self.model("FROM alpine\nWORKDIR /\n\(workdirs)COPY a b\n")
        let instructions = long.syntax.instructions
        // 40 components of 100 bytes and their slashes make 4,040 bytes; the 41st passes 4,096.
        let forty = "/" + Array(repeating: component, count: 40).joined(separator: "/")
        #expect(long.workingDirectory(before: instructions[42]) == .absolute(forty))
        #expect(long.workingDirectory(before: instructions[43]) == .relative(anchor: instructions[42].range.start, path: ""))
    }

    /// The table keeps its folders as a tree of components and spells a path out only
    /// when asked; what it spells must be what folding ``ImagePath/appending(_:)`` over
    /// the WORKDIRs gives, PATH_MAX rule included, for relative and absolute chains, `.`,
    /// `..`, empty components, a folder of exactly 4,096 bytes and a non-ASCII one.
    @Test(arguments: ["", "WORKDIR /\n"])
    func aLongChainOfWorkdirsSpellsTheFoldersThatAppendingGives(start: String) {
        let hundred = String(repeating: "d", count: 100)
        var values = (0..<40).map { _ in hundred }
        // 40 components of 100 bytes make 4,039 bytes relative (4,040 absolute), so the
        // next one is cut to reach exactly 4,096.
        let lastLength = start.isEmpty ? 56 : 55
        let last = String(repeating: "e", count: lastLength)
        values += [last, "zzz/..", ".", "../\(last)", "x", "..", String(repeating: "f", count: 57)]
        values += ["a//b/./c/", "../../..", "../../..", "é", "g/../h", "/abs/./q", "r", "..", "s"]
        values += (0..<1500).map { $0 % 7 == 6 ? "../d\($0)" : $0 % 11 == 10 ? "./.." : "d\($0)/./" }
        let text = "FROM alpine\n\(start)" + values.map { "WORKDIR \($0)\n" }.joined() + "COPY a b\n"
        let model = Self.model(text)
        let instructions = model.syntax.instructions
        let firstWorkdir = start.isEmpty ? 1 : 2
        var expected: ImagePath = start.isEmpty
            ? .relative(anchor: instructions[0].range.start, path: "") : .absolute("/")
        var reachedPathMax = false
        for (offset, value) in values.enumerated() {
            let workdir = instructions[firstWorkdir + offset]
            #expect(model.workingDirectory(before: workdir) == expected)
            let next = expected.appending(value)
            let length: Int
            switch next {
            case .absolute(let path), .relative(_, let path), .home(let path): length = path.utf8.count
            }
            if length == 4096 { reachedPathMax = true }
            expected = length > 4096 ? .relative(anchor: workdir.range.start, path: "") : next
        }
        #expect(reachedPathMax)
        #expect(model.workingDirectory(before: instructions[instructions.count - 1]) == expected)
    }

    @Test func variablesBeforeAnInstructionAreTheOneEnvironmentTriggersIncluded() throws {
        let model = Self.model("ARG V=1\nFROM alpine\nARG V\nENV E=$V\nONBUILD RUN echo $E\nRUN echo\n")
        let run = Self.instruction(model, 5)
        #expect(model.variables(before: run)?.value(of: "E") == "1")
        #expect(model.resolvedValue(of: "${E}-${V:+set}", before: run) == "1-set")
        #expect(model.resolvedValue(of: "$MISSING", before: run) == nil)
        // The RUN inside an ONBUILD sees the values at its ONBUILD.
        let trigger = try #require(Self.instruction(model, 4).trigger)
        #expect(model.variables(before: trigger)?.value(of: "E") == "1")
    }
}

/// Facts that rules computed each for themselves, now asked of the model.
@Suite struct MovedFactsTests {
    /// Where a fix inserts an instruction is where the instruction's leading comments
    /// (the ones pragmas attach to) start: one walk decides both.
    @Test func anInsertionGoesAboveTheCommentsThatBelongToTheInstruction() {
        let model = InstructionViewTests.model("FROM alpine\n\n# why\n# dockwright ignore=DL3018\nRUN apk add curl\nRUN x\n")
        let run = model.syntax.instructions[1]
        #expect(model.insertionOffset(before: run) == model.leadingComments(of: run).start)
        #expect(model.insertionOffset(before: run) == 13)
        let bare = model.syntax.instructions[2]
        #expect(model.insertionOffset(before: bare) == bare.range.start)
    }

    /// Script commands, package manager calls and the family of the base image come
    /// from the model, once per file.
    @Test func commandsAndPackageCallsAreReadOncePerFile() throws {
        let model = InstructionViewTests.model("ARG V=1\nFROM debian:12\nARG V\nRUN apt-get install -y curl=$V && pip install -qr r.txt\n")
        let run = try #require(model.runScripts.first)
        #expect(model.scriptCommands(of: run).map(\.name) == ["apt-get", "pip"])
        let apt = try #require(model.packageManagerCommands.first)
        #expect(apt.subcommand == "install" && apt.operands.map(\.literalValue) == [nil])
        #expect(PackageManagerCommands.environment(of: apt, in: model).value(of: "V") == "1")
        let pip = try #require(model.scriptCommands(of: run).last?.pipInstall)
        #expect(pip.0.operands.isEmpty && pip.0.items.flagValue("-r")?.value == "r.txt")
        #expect(model.imageFamily(ofStage: 0) == .gnu)
        #expect(model.baseImages.map(\.reference.text) == ["debian:12"])
    }

    /// Iterating the commands (what rules do) walks the RUNs in step and reads each RUN's
    /// environment once; it must give what reading each position gives, for the whole
    /// file and for one RUN's commands, across stages, a RUN without commands, an
    /// ONBUILD trigger (no environment) and values that change between RUNs.
    @Test func iteratingCommandsGivesWhatReadingEachPositionGives() throws {
        let model = InstructionViewTests.model("""
            ARG V=1
            FROM debian:12 AS build
            ARG V
            RUN a $V && b
            RUN # nothing runs
            ENV V=2
            RUN c; d | e
            ONBUILD RUN f
            FROM build
            ENV V=3
            RUN g && h
            """)
        let all = model.scriptCommands
        func summary(_ command: ScriptCommand) -> String {
            "\(command.name ?? "?")@\(command.run.instruction.range.start) V=\(command.environment?.value(of: "V") ?? "none")"
        }
        let iterated = all.map(summary)
        #expect(iterated == all.indices.map { summary(all[$0]) })
        #expect(iterated == [
            "a@38 V=1", "b@38 V=1", "c@79 V=2", "d@79 V=2", "e@79 V=2", "f@100 V=none", "g@125 V=3", "h@125 V=3",
        ])
        for run in model.runAndTriggerScripts {
            let commands = model.scriptCommands(of: run)
            #expect(commands.map(summary) == commands.indices.map { summary(all[$0]) })
        }
        #expect(model.scriptCommands(of: model.runAndTriggerScripts[1]).isEmpty)
    }
}
