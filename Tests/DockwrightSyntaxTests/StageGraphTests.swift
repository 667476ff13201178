import Testing
@testable import DockwrightSyntax

@Suite("StageGraph")
struct StageGraphTests {
    private func graph(_ text: String, buildArguments: [String: String] = [:], target: String? = nil) -> StageGraph {
        StageGraph(syntax: DockerfileSyntax.parse(text), buildArguments: buildArguments, target: target)
    }

    @Test("Stages are listed in order with their names, base and instructions")
    func stagesInOrder() throws {
        let text = """
            ARG GO=1.22
            FROM golang:${GO} AS Build
            WORKDIR /src
            RUN go build -o /app .

            FROM scratch
            COPY --from=build /app /app
            ENTRYPOINT ["/app"]
            """
        let graph = graph(text)
        #expect(graph.stages.count == 2)
        #expect(graph.globalInstructions.map(\.keyword.text) == ["ARG"])

        let build = graph.stages[0]
        #expect(build.index == 0)
        #expect(build.name == "build")
        #expect(build.nameToken?.text == "Build")
        #expect(build.displayName == "build")
        #expect(build.baseToken?.text == "golang:${GO}")
        #expect(build.baseName == "golang:1.22")
        let image = try #require(build.baseImage)
        #expect(image.familiarString == "golang:1.22")
        #expect(image.range == build.baseToken?.range)
        #expect(build.instructions.map(\.keyword.text) == ["WORKDIR", "RUN"])
        #expect(build.from.keyword.text == "FROM")

        let final = graph.stages[1]
        #expect(final.name == nil)
        #expect(final.displayName == "stage-1")
        #expect(final.baseImage?.isScratch == true)
        #expect(final.dependencies.count == 1)
        #expect(final.dependencies.first?.kind == .copy)
        #expect(final.dependencies.first?.source == .stage(0))
        #expect(final.dependencies.first?.reference == "build")

        #expect(graph.finalStageIndex == 1)
        #expect(graph.finalStage?.index == 1)
        #expect(graph.stagesNeededByFinalStage == [0])
    }

    @Test("A FROM names an earlier stage by its lower-cased name; otherwise it is an image")
    func baseStages() {
        let graph = graph("""
            FROM alpine AS Base
            FROM base AS second
            FROM Base AS third
            FROM later AS fourth
            FROM alpine AS later
            FROM 0
            """)
        #expect(graph.stages[1].base == .stage(0))
        // BuildKit looks the name up as written, against lower-cased stage names.
        #expect(graph.stages[2].baseStageIndex == nil)
        #expect(graph.stages[2].baseImage?.error?.kind == .uppercaseRepository)
        // Only earlier stages can be bases.
        #expect(graph.stages[3].baseImage?.familiarName == "later")
        // A FROM never takes a stage index.
        #expect(graph.stages[5].baseImage?.familiarName == "0")
        #expect(graph.directDependencies(ofStage: 1) == [0])
    }

    @Test("COPY --from takes a stage index, a stage name in any case, or an image")
    func copyFrom() throws {
        let text = """
            FROM alpine AS assets
            FROM alpine
            COPY --from=0 /a /a
            COPY --from=ASSETS /b /b
            COPY --from=nginx:1.27 /etc/nginx /etc/nginx
            COPY --from=7 /c /c
            COPY --from=${IMAGE} /d /d
            COPY --from=final /e /e
            COPY --from=a\\\\b /f /f
            FROM alpine AS final
            """
        let graph = graph(text)
        let sources = graph.stages[1].dependencies.map(\.source)
        #expect(sources.count == 7)
        #expect(sources[0] == .stage(0))
        #expect(sources[1] == .stage(0))
        guard case .image(let nginx) = sources[2] else {
            Issue.record("expected an image, got \(sources[2])")
            return
        }
        #expect(nginx.familiarString == "nginx:1.27")
        #expect(DockerfileSyntax.parse(text).source.text(in: try #require(nginx.range)) == "nginx:1.27")
        guard case .invalid(let badIndex) = sources[3], case .invalid(let variable) = sources[4] else {
            Issue.record("expected invalid sources, got \(sources[3]) and \(sources[4])")
            return
        }
        #expect(badIndex.message == "invalid stage index 7")
        #expect(variable.kind == .variableInCopyFrom)
        // A later stage is found, as BuildKit finds it before rejecting the copy.
        #expect(sources[5] == .stage(2))
        // BuildKit refuses any reference its shell lexer would change, escapes included.
        // (`a\\b` reaches the flag as `a\b`, which the lexer turns into `ab`.)
        guard case .invalid(let escaped) = sources[6] else {
            Issue.record("expected an invalid source, got \(sources[6])")
            return
        }
        #expect(escaped.kind == .variableInCopyFrom)
        #expect(graph.directDependencies(ofStage: 1) == [0, 2])
    }

    @Test("RUN --mount=from= takes a stage name or an image, never an index")
    func runMountFrom() {
        let text = """
            FROM golang AS deps
            FROM alpine
            RUN --mount=type=cache,target=/root/.cache --mount=type=bind,from=deps,source=/go,target=/go make
            RUN --mount=from=0,target=/x true
            RUN --mount=type=bind,from=$STAGE,target=/y true
            RUN --mount="type=bind,\\"from=deps\\",target=/z" true
            """
        let graph = graph(text)
        let dependencies = graph.stages[1].dependencies
        #expect(dependencies.map(\.kind) == [.runMount, .runMount, .runMount, .runMount])
        #expect(dependencies[0].source == .stage(0))
        #expect(dependencies[0].reference == "deps")
        let source = DockerfileSyntax.parse(text).source
        #expect(source.text(in: dependencies[0].range) == "deps")
        #expect(dependencies[1].source.imageName == "0")
        guard case .invalid(let error) = dependencies[2].source else {
            Issue.record("expected an invalid source")
            return
        }
        #expect(error.message == "'from' doesn't support variable expansion, define alias stage instead")
        // The mount value is CSV: a quoted field still names the stage.
        #expect(dependencies[3].source == .stage(0))
    }

    @Test("Stage names match case-insensitively for lookups and the last duplicate wins")
    func stageLookup() {
        let graph = graph("""
            FROM alpine AS tools
            FROM alpine AS Tools
            RUN true
            """)
        #expect(graph.stage(named: "TOOLS")?.index == 1)
        #expect(graph.stage(named: "missing") == nil)
        let run = graph.stages[1].instructions[0]
        #expect(graph.stage(containing: run)?.index == 1)
        #expect(graph.stage(containing: graph.stages[0].from)?.index == 0)
    }

    @Test("Among many named stages, each name finds its last stage and other names none")
    func stageLookupAmongMany() {
        let graph = graph("""
            FROM alpine AS b
            FROM alpine
            FROM alpine AS a
            FROM alpine AS c
            FROM alpine AS A
            FROM alpine AS ab
            """)
        #expect(graph.stage(named: "a")?.index == 4)
        #expect(graph.stage(named: "b")?.index == 0)
        #expect(graph.stage(named: "c")?.index == 3)
        #expect(graph.stage(named: "AB")?.index == 5)
        for missing in ["", "0", "aa", "abc", "bb", "d", "stage-1"] {
            #expect(graph.stage(named: missing) == nil)
        }
    }

    @Test("The final stage needs its stages transitively; unused stages are not needed")
    func finalStageDependencies() {
        let text = """
            FROM alpine AS a
            FROM a AS b
            FROM alpine AS unused
            FROM alpine AS c
            COPY --from=b /x /x
            FROM c
            RUN --mount=from=a,target=/a true
            """
        let graph = graph(text)
        #expect(graph.finalStageIndex == 4)
        #expect(graph.directDependencies(ofStage: 4) == [3, 0])
        #expect(graph.transitiveDependencies(ofStage: 4) == [0, 1, 3])
        #expect(graph.stagesNeededByFinalStage == [0, 1, 3])
        #expect(!graph.isNeededByFinalStage(2))
        #expect(graph.isNeededByFinalStage(4))

        let targeted = self.graph(text, target: "B")
        #expect(targeted.finalStageIndex == 1)
        #expect(targeted.stagesNeededByFinalStage == [0])
        #expect(self.graph(text, target: "nope").finalStageIndex == nil)
    }

    @Test("A cycle through forward COPY --from does not loop")
    func cycles() {
        let graph = graph("""
            FROM alpine AS one
            COPY --from=two /x /x
            FROM alpine AS two
            COPY --from=one /y /y
            """)
        #expect(graph.transitiveDependencies(ofStage: 0) == [0, 1])
    }

    @Test("A child stage runs its base stage's ONBUILD triggers")
    func onbuildTriggers() {
        let graph = graph("""
            FROM alpine AS assets
            FROM alpine AS parent
            ONBUILD COPY --from=assets /a /a
            FROM parent
            """)
        #expect(graph.stages[1].dependencies.isEmpty)
        let inherited = graph.stages[2].dependencies
        #expect(inherited.count == 1)
        #expect(inherited.first?.isOnbuildTrigger == true)
        #expect(inherited.first?.source == .stage(0))
        #expect(inherited.first?.instruction.keyword.text == "ONBUILD")
        #expect(graph.stagesNeededByFinalStage == [0, 1])
    }

    @Test("FROM with an undefined ARG expands to nothing, which is an error value")
    func undefinedArgInFrom() {
        let graph = graph("""
            ARG IMAGE
            FROM ${IMAGE}
            FROM ${IMAGE}:latest AS tagged
            FROM ${IMAGE:?required}
            FROM
            """)
        guard case .unresolved(let blank) = graph.stages[0].base else {
            Issue.record("expected an unresolved base, got \(graph.stages[0].base)")
            return
        }
        #expect(blank.message == "base name (${IMAGE}) should not be blank")
        #expect(graph.stages[0].baseName == "")
        #expect(graph.stages[1].baseImage?.error?.kind == .invalidFormat)
        guard case .unresolved(let required) = graph.stages[2].base, case .expansion(let error) = required.kind else {
            Issue.record("expected an expansion error, got \(graph.stages[2].base)")
            return
        }
        #expect(error.message == "IMAGE: required")
        #expect(graph.stages[2].baseName == nil)
        guard case .unresolved(let missing) = graph.stages[3].base else {
            Issue.record("expected an unresolved base")
            return
        }
        #expect(missing.kind == .missingBaseName)

        let passed = self.graph("ARG IMAGE\nFROM ${IMAGE}\n", buildArguments: ["IMAGE": "debian:12"])
        #expect(passed.stages[0].baseImage?.familiarString == "debian:12")
    }

    @Test("--platform is expanded with the global ARGs, predefined ones included")
    func platform() {
        let graph = graph("""
            ARG ARCH=arm64
            FROM --platform=$BUILDPLATFORM golang AS build
            FROM --platform=linux/${ARCH} alpine
            FROM --platform=${NOTHING} alpine
            FROM alpine
            """)
        #expect(graph.stages[0].platform?.value == "linux/amd64")
        #expect(graph.stages[0].platform?.flag.text == "--platform=$BUILDPLATFORM")
        #expect(graph.stages[1].platform?.value == "linux/arm64")
        guard case .failure(let blank) = graph.stages[2].platform?.result else {
            Issue.record("expected a blank platform error")
            return
        }
        #expect(blank.message == "empty platform value from expression ${NOTHING}")
        #expect(graph.stages[3].platform == nil)
    }

    @Test("A file without FROM has no stages and no final stage")
    func noStages() {
        let graph = graph("ARG A=1\n")
        #expect(graph.stages.isEmpty)
        #expect(graph.finalStage == nil)
        #expect(graph.stagesNeededByFinalStage.isEmpty)
        #expect(graph.globalInstructions.count == 1)
    }
}

private extension Stage.Dependency.Source {
    /// The image's familiar name, for compact expectations.
    var imageName: String? {
        if case .image(let reference) = self { return reference.familiarName }
        return nil
    }
}
