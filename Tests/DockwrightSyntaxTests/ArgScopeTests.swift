import Testing
@testable import DockwrightSyntax

@Suite("ArgScope")
struct ArgScopeTests {
    /// A parsed file with its scope, and its instructions for lookups.
    private struct Fixture {
        let syntax: DockerfileSyntax
        let scope: ArgScope

        init(_ text: String, buildArguments: [String: String] = [:], target: String? = nil) {
            syntax = DockerfileSyntax.parse(text)
            scope = ArgScope(syntax: syntax, buildArguments: buildArguments, target: target)
        }

        /// The `index`-th instruction of the file.
        func instruction(_ index: Int) -> InstructionSyntax { syntax.instructions[index] }

        /// The environment just before the `index`-th instruction.
        func environment(before index: Int) -> [String: String] {
            scope.environment(before: instruction(index)) ?? [:]
        }
    }

    @Test("Global ARGs resolve in order, against the ARGs before them and the build args")
    func globalArguments() {
        let fixture = Fixture("""
            ARG REGISTRY=docker.io
            ARG IMAGE=${REGISTRY}/library/alpine
            ARG TAG
            ARG QUOTED="a b"
            FROM ${IMAGE}:${TAG:-3.20}
            """)
        let global = fixture.scope.globalEnvironment
        #expect(global["REGISTRY"] == "docker.io")
        #expect(global["IMAGE"] == "docker.io/library/alpine")
        #expect(global["TAG"] == nil)
        #expect(global["QUOTED"] == "a b")
        #expect(fixture.scope.globalDeclarations.map(\.name) == ["REGISTRY", "IMAGE", "TAG", "QUOTED"])
        #expect(fixture.scope.globalDeclarations[1].defaultValue == "${REGISTRY}/library/alpine")
        #expect(fixture.scope.globalDeclarations[2].defaultValue == nil)
        #expect(fixture.scope.globalDeclarations.allSatisfy { $0.isGlobal })
        #expect(fixture.scope.globalArgumentNames.contains("TAG"))
        #expect(fixture.scope.expandInGlobalScope("${IMAGE}:${TAG:-3.20}").value == "docker.io/library/alpine:3.20")

        let overridden = Fixture(
            "ARG REGISTRY=docker.io\nARG IMAGE=${REGISTRY}/app\nFROM $IMAGE\n",
            buildArguments: ["REGISTRY": "ghcr.io", "UNDECLARED": "x"])
        #expect(overridden.scope.globalEnvironment["IMAGE"] == "ghcr.io/app")
        #expect(overridden.scope.globalEnvironment["UNDECLARED"] == nil)
    }

    @Test("A stage ends with its last values and declarations over what it inherited")
    func stageEndsWithItsOwnLastValues() {
        // The walk reads a stage's own values from the assignments it records; the end
        // of a base stage must fold them over the inherited ones, name by name.
        let fixture = Fixture("""
            FROM alpine AS base
            ENV A=1 B=1
            ENV A=2
            ARG B
            ARG C
            ARG D=${A}${B}
            FROM base
            RUN echo
            """)
        #expect(fixture.environment(before: 7) == ["PATH": ArgScope.defaultPath, "A": "2", "B": "1", "D": "21"])
        let derived = fixture.scope.variables(before: fixture.instruction(7))
        #expect(["B", "C", "D"].allSatisfy { derived?.isDeclaredArgument($0) == true })
        #expect(derived?.isDeclaredArgument("A") == false)
        #expect(fixture.scope.environment(atEndOfStage: 0) == fixture.environment(before: 7))
    }

    @Test("A FROM sees only the global ARGs, even after stage ARGs")
    func fromSeesGlobalsOnly() {
        let fixture = Fixture("""
            ARG BASE=alpine
            FROM $BASE AS one
            ARG BASE=debian
            ARG LOCAL=x
            FROM $BASE
            """)
        let secondFrom = fixture.instruction(4)
        #expect(fixture.scope.environment(before: secondFrom)?["BASE"] == "alpine")
        #expect(fixture.scope.environment(before: secondFrom)?["LOCAL"] == nil)
        #expect(StageGraph(syntax: fixture.syntax, argScope: fixture.scope).stages[1].baseName == "alpine")
    }

    @Test("A stage ARG without a default re-imports the global value; without it the global is invisible")
    func stageReimportsGlobal() {
        let text = """
            ARG VERSION=1.0
            FROM alpine
            RUN echo $VERSION
            ARG VERSION
            RUN echo $VERSION
            """
        let fixture = Fixture(text)
        #expect(fixture.environment(before: 2)["VERSION"] == nil)
        #expect(fixture.environment(before: 4)["VERSION"] == "1.0")
        #expect(fixture.scope.declaredArgumentNames(before: fixture.instruction(2)) == [])
        #expect(fixture.scope.declaredArgumentNames(before: fixture.instruction(4)) == ["VERSION"])

        let built = Fixture(text, buildArguments: ["VERSION": "2.0"])
        #expect(built.environment(before: 4)["VERSION"] == "2.0")
    }

    @Test("A stage ARG default shadows the global default and expands against the stage")
    func stageArgumentShadowsGlobal() {
        let fixture = Fixture("""
            ARG NAME=global
            FROM alpine
            ENV PREFIX=pre
            ARG NAME=${PREFIX}-local
            ARG OTHER=$NAME!
            RUN true
            """)
        #expect(fixture.environment(before: 5)["NAME"] == "pre-local")
        #expect(fixture.environment(before: 5)["OTHER"] == "pre-local!")
        #expect(fixture.scope.stageDeclarations.map(\.name) == ["NAME", "OTHER"])
        #expect(fixture.scope.stageDeclarations.first?.stageIndex == 0)

        let built = Fixture("FROM alpine\nARG NAME=${UNSET:?boom}\nRUN true\n", buildArguments: ["NAME": "given"])
        // With a build arg the default is not evaluated, so its `?` check never fails.
        #expect(built.environment(before: 2)["NAME"] == "given")
        #expect(built.scope.expansionFailures.isEmpty)
    }

    @Test("ENV takes part in substitution; the later of ARG and ENV wins for a name")
    func envAndArgPrecedence() {
        let fixture = Fixture("""
            FROM alpine
            ARG MODE=arg
            ENV MODE=env
            RUN one
            ARG MODE=arg-again
            RUN two
            """)
        #expect(fixture.environment(before: 3)["MODE"] == "env")
        #expect(fixture.environment(before: 5)["MODE"] == "arg-again")
    }

    @Test("An ENV's words see the environment before it; an ARG's names are set one by one")
    func instructionSnapshot() {
        let fixture = Fixture("""
            FROM alpine
            ENV A=old
            ENV A=new B=$A
            ARG C=1 D=$C
            RUN true
            """)
        let environment = fixture.environment(before: 4)
        #expect(environment["A"] == "new")
        #expect(environment["B"] == "old")
        #expect(environment["D"] == "1")
    }

    @Test("ENV keys and values are expanded and unquoted, with the file's escape character")
    func envExpansion() {
        let fixture = Fixture("""
            # escape=`
            FROM alpine
            ENV DIR="C:\\Program Files" SUFFIX=`$HOME
            ENV legacy form with spaces
            ENV ${SUFFIX}_KEY=1
            RUN true
            """)
        let environment = fixture.environment(before: 4)
        #expect(environment["DIR"] == #"C:\Program Files"#)
        #expect(environment["SUFFIX"] == "$HOME")
        #expect(environment["legacy"] == "form with spaces")
        #expect(environment["$HOME_KEY"] == "1")
    }

    @Test("A stage based on another starts from its environment and declared ARGs")
    func inheritedEnvironment() {
        let fixture = Fixture("""
            ARG TOOL=make
            FROM alpine AS base
            ARG TOOL
            ENV CC=gcc
            FROM base AS child
            RUN $CC
            FROM alpine
            RUN $CC
            """)
        let child = fixture.environment(before: 5)
        #expect(child["CC"] == "gcc")
        #expect(child["TOOL"] == "make")
        #expect(fixture.scope.declaredArgumentNames(before: fixture.instruction(5)) == ["TOOL"])
        #expect(fixture.environment(before: 7)["CC"] == nil)
        #expect(fixture.scope.environment(atEndOfStage: 0)?["CC"] == "gcc")
        #expect(fixture.scope.environment(atEndOfStage: 9) == nil)
    }

    @Test("ONBUILD applies in stages based on its stage, not where it is written")
    func onbuildTriggers() {
        let fixture = Fixture("""
            FROM alpine AS parent
            ONBUILD ARG CHANNEL=stable
            ONBUILD ENV FROM_PARENT=$CHANNEL
            RUN true
            FROM parent
            RUN true
            """)
        #expect(fixture.environment(before: 3)["FROM_PARENT"] == nil)
        #expect(fixture.environment(before: 5)["FROM_PARENT"] == "stable")
        #expect(fixture.scope.declaredArgumentNames(before: fixture.instruction(5)) == ["CHANNEL"])
        #expect(fixture.scope.stageDeclarations.isEmpty)
    }

    @Test("An image stage starts with the default PATH; only scratch stages have a known environment")
    func imageEnvironment() {
        let fixture = Fixture("""
            FROM scratch AS empty
            RUN true
            FROM empty
            FROM alpine
            """)
        #expect(fixture.environment(before: 1) == ["PATH": ArgScope.defaultPath])
        #expect(!fixture.scope.inheritsImageEnvironment(stageIndex: 0))
        #expect(!fixture.scope.inheritsImageEnvironment(stageIndex: 1))
        #expect(fixture.scope.inheritsImageEnvironment(stageIndex: 2))
    }

    @Test("Predefined platform ARGs are global, importable into stages, and overridable")
    func predefinedArguments() {
        let fixture = Fixture("""
            FROM --platform=$BUILDPLATFORM golang AS build
            ARG TARGETOS TARGETARCH
            RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build
            FROM alpine AS runtime
            """)
        let global = fixture.scope.globalEnvironment
        #expect(global["TARGETPLATFORM"] == "linux/amd64")
        #expect(global["BUILDARCH"] == "amd64")
        #expect(global["TARGETVARIANT"] == "")
        #expect(global["TARGETSTAGE"] == "runtime")
        #expect(fixture.environment(before: 2)["TARGETARCH"] == "amd64")
        #expect(fixture.environment(before: 2)["TARGETOS"] == "linux")

        let arm = ArgScope(
            syntax: fixture.syntax, buildArguments: ["TARGETVARIANT": "v8"], targetPlatform: "linux/arm64/v8",
            buildPlatform: "darwin/arm64", target: "build")
        #expect(arm.globalEnvironment["TARGETARCH"] == "arm64")
        #expect(arm.globalEnvironment["BUILDOS"] == "darwin")
        #expect(arm.globalEnvironment["TARGETVARIANT"] == "v8")
        #expect(arm.globalEnvironment["TARGETSTAGE"] == "build")

        #expect(Fixture("FROM alpine\n").scope.globalEnvironment["TARGETSTAGE"] == "default")
        #expect(ArgScope.isPredefinedArgument("HTTP_PROXY"))
        #expect(ArgScope.isPredefinedArgument("TARGETPLATFORM"))
        #expect(!ArgScope.isPredefinedArgument("VERSION"))
    }

    @Test("Global ARGs and FROM lines are recorded with the global environment at their point")
    func globalLookups() {
        let fixture = Fixture("ARG A=1\nARG B=$A\nFROM alpine\n")
        #expect(fixture.environment(before: 0)["A"] == nil)
        #expect(fixture.environment(before: 1)["A"] == "1")
        #expect(fixture.environment(before: 2)["B"] == "1")
        #expect(fixture.scope.declaredArgumentNames(before: fixture.instruction(2)) == ["A", "B"])
        let trigger = DockerfileSyntax.parse("FROM a\nONBUILD RUN x\n").instructions[1].trigger
        #expect(trigger.flatMap { fixture.scope.environment(before: $0) } == nil)
    }

    @Test("Expansion failures are reported with their range and leave the name unset")
    func expansionFailures() {
        let fixture = Fixture("""
            ARG BROKEN=${
            FROM alpine
            ENV OK=1 BAD=${OK
            ARG REQUIRED=${MISSING:?required}
            RUN true
            """)
        let failures = fixture.scope.expansionFailures
        #expect(failures.map(\.error.message) == [
            "syntax error: missing '}'", "syntax error: missing '}'", "MISSING: required",
        ])
        #expect(fixture.syntax.source.text(in: failures[0].range) == "BROKEN=${")
        #expect(fixture.syntax.source.text(in: failures[1].range) == "${OK")
        let environment = fixture.environment(before: 4)
        #expect(environment["OK"] == "1")
        #expect(environment["BAD"] == nil)
        #expect(environment["REQUIRED"] == nil)
        #expect(fixture.scope.globalEnvironment["BROKEN"] == nil)
    }

    @Test("Thousands of ARG and ENV lines are stored once each, not copied per instruction")
    func declarationsAreStoredOnce() throws {
        // 8,000 `ENV` lines used to keep a dictionary per instruction: 2 GB.
        var text = "ARG G=g\nFROM alpine AS base\n"
        for index in 0..<3_000 { text += "ENV E\(index)=\(index)\nARG A\(index)=$E\(index)\n" }
        text += "FROM base\nRUN true\n"
        let fixture = Fixture(text)
        let assignments = fixture.scope.history.assignmentCount
        let declarations = fixture.scope.history.declarationCount
        #expect(assignments == 1 + 6_000)
        #expect(declarations == 1 + 3_000)
        let last = try #require(fixture.scope.variables(before: fixture.syntax.instructions.last!))
        #expect(last["E2999"] == "2999")
        #expect(last["A1500"] == "1500")
        #expect(last["G"] == nil)
        #expect(last.isDeclaredArgument("A0"))
        #expect(!last.isDeclaredArgument("E0"))
        let middle = try #require(fixture.scope.variables(before: fixture.instruction(1_002)))
        #expect(middle["E499"] == "499")
        #expect(middle["E500"] == nil)
        #expect(middle["A499"] == "499")
        #expect(middle.isDeclaredArgument("A499"))
        #expect(!middle.isDeclaredArgument("A500"))
        #expect(fixture.scope.variables(before: fixture.instruction(1))?.isDeclaredArgument("G") == true)
    }

    @Test("A value that doubles on every line stops growing at the substitution limit")
    func doublingValueStopsGrowing() throws {
        // 40 doublings of one byte would need a terabyte; BuildKit builds them all.
        var text = "FROM alpine\nENV A=a\n"
        for _ in 0..<40 { text += "ENV A=${A}${A}\n" }
        text += "RUN echo $A\n"
        let fixture = Fixture(text)
        let last = try #require(fixture.scope.variables(before: fixture.syntax.instructions.last!))
        // The budget (twice the file plus one maximal value) holds the doublings up to
        // 2^13 bytes; every later one fails and keeps that value.
        #expect(last["A"] == String(repeating: "a", count: 8_192))
        #expect(fixture.scope.expansionFailures.count == 40 - 13)
        #expect(fixture.scope.expansionFailures.allSatisfy { $0.error.kind == .substitutionTooLong })
    }

    @Test("Doublings below the limit give BuildKit's value")
    func doublingBelowTheLimit() throws {
        var text = "FROM alpine\nENV A=a\n"
        for _ in 0..<13 { text += "ENV A=${A}${A}\n" }
        text += "RUN echo $A\n"
        let fixture = Fixture(text)
        let last = try #require(fixture.scope.variables(before: fixture.syntax.instructions.last!))
        #expect(last["A"] == String(repeating: "a", count: 8_192))
        #expect(fixture.scope.expansionFailures.isEmpty)
    }

    @Test("Values growing by a byte a line stay within a budget linear in the file")
    func growingValuesStayWithinTheBudget() throws {
        // 3,000 lines of `ENV A=${A}b` (36 KB) make values 4.5 MB long in all.
        var text = "FROM alpine\nENV A=a\n"
        for _ in 0..<3_000 { text += "ENV A=${A}b\n" }
        text += "RUN echo $A\n"
        let fixture = Fixture(text)
        let budget = 2 * text.utf8.count + VariableExpander.maximumSubstitutionLength
        let last = try #require(fixture.scope.variables(before: fixture.syntax.instructions.last!))
        let value = try #require(last["A"])
        // The sum 2 + 3 + … + n of the values within the budget bounds the last one.
        #expect(value.utf8.count * (value.utf8.count + 1) / 2 <= budget + 1)
        #expect(value.utf8.count < 3_001)
        #expect(value == "a" + String(repeating: "b", count: value.utf8.count - 1))
        #expect(!fixture.scope.expansionFailures.isEmpty)
    }

    @Test("A few hundred growing values are exact")
    func growingValuesBelowTheBudgetAreExact() throws {
        var text = "FROM alpine\nENV A=a\n"
        for _ in 0..<200 { text += "ENV A=${A}b\n" }
        text += "RUN echo $A\n"
        let fixture = Fixture(text)
        let last = try #require(fixture.scope.variables(before: fixture.syntax.instructions.last!))
        #expect(last["A"] == "a" + String(repeating: "b", count: 200))
        #expect(fixture.scope.expansionFailures.isEmpty)
    }

    @Test("A chain of stages, each based on the one before, shares what it inherits")
    func stageChainSharesItsEnvironment() throws {
        var text = "FROM alpine AS s0\n"
        for index in 1...2_000 { text += "FROM s\(index - 1) AS s\(index)\nENV V\(index)=\(index)\n" }
        let fixture = Fixture(text)
        let end = try #require(fixture.scope.variables(atEndOfStage: 2_000))
        #expect(end["V1"] == "1")
        #expect(end["V2000"] == "2000")
        #expect(end["PATH"] == ArgScope.defaultPath)
        #expect(fixture.scope.history.scopes.count == 2_002)
        #expect(fixture.scope.history.scopes.last?.inherited.count == 2_000)
        let firstRun = try #require(fixture.scope.variables(before: fixture.instruction(2)))
        #expect(firstRun["V1"] == nil)
    }

    @Test("A view keeps its own changes and compares by the values it gives")
    func environmentViewsAreValues() throws {
        let fixture = Fixture("FROM alpine\nARG A=1\nENV B=$A\nRUN true\n")
        var view = try #require(fixture.scope.variables(before: fixture.instruction(3)))
        #expect(view == ["PATH": ArgScope.defaultPath, "A": "1", "B": "1"])
        view["A"] = nil
        view.declareArgument("C")
        #expect(view["A"] == nil && view.isDeclaredArgument("C"))
        #expect(fixture.scope.variables(before: fixture.instruction(3))?["A"] == "1")
        #expect(fixture.scope.declaredArgumentNames(before: fixture.instruction(3)) == ["A"])
        #expect(VariableExpander().evaluate("${A}-${B}", environment: view).value == "-1")
    }
}

@Suite("PersistentMap")
struct PersistentMapTests {
    @Test("Inserting leaves the old map as it was and shares its nodes")
    func insertingIsPersistent() {
        var maps = [PersistentMap<String, Int>()]
        for index in 0..<5_000 { maps.append(maps[maps.count - 1].inserting(index, for: "k\(index % 4_000)")) }
        let last = maps[maps.count - 1]
        #expect(last.count == 4_000)
        #expect(last["k3999"] == 3_999)
        #expect(last["k0"] == 4_000)
        #expect(maps[1_000]["k0"] == 0)
        #expect(maps[1_000]["k999"] == 999)
        #expect(maps[1_000]["k1000"] == nil)
        var seen = 0
        last.forEach { _, _ in seen += 1 }
        #expect(seen == 4_000)
    }

    /// A key whose hash is fixed, to reach the collision lists.
    private struct Colliding: Hashable, Sendable {
        let name: String
        func hash(into hasher: inout Hasher) { hasher.combine(0) }
    }

    @Test("Keys whose whole hashes collide are kept apart")
    func collisions() {
        var map = PersistentMap<Colliding, Int>()
        for index in 0..<10 { map = map.inserting(index, for: Colliding(name: "\(index)")) }
        map = map.inserting(42, for: Colliding(name: "3"))
        #expect(map.count == 10)
        #expect(map[Colliding(name: "3")] == 42)
        #expect(map[Colliding(name: "9")] == 9)
        #expect(map[Colliding(name: "10")] == nil)
    }
}
