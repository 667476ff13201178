import DockwrightSyntax
import Testing

@Suite struct InstructionTests {
    @Test func fromWithPlatformAndAlias() throws {
        let syntax = parse("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n")
        let from = try #require(syntax.instruction(0))
        #expect(from.kind == .from)
        #expect(from.flags.map(\.text) == ["--platform=$BUILDPLATFORM"])
        #expect(from.flag(named: "platform")?.value == "$BUILDPLATFORM")
        #expect(from.values == ["golang:1.22", "AS", "build"])
        #expect(syntax.errors.isEmpty)
    }

    @Test func runShellFormKeepsTheWholeLine() {
        let syntax = parse("FROM a\nRUN --mount=type=cache,target=/root/.cache pip install -r req.txt\n")
        let run = syntax.instruction(1)
        #expect(run?.flags.map(\.text) == ["--mount=type=cache,target=/root/.cache"])
        #expect(run?.values == ["pip install -r req.txt"])
        #expect(run?.isExecForm == false)
    }

    /// A long one-line command and a continued one read the same whichever way the
    /// instruction stores them; so do the three words of `FROM image AS name`.
    @Test func argumentsReadBackAsParsed() {
        let text = "FROM ubuntu:24.04 AS s0\nRUN echo a-command-longer-than-fifteen-bytes > /f\nRUN echo a \\\n  b\n"
        let syntax = parse(text)
        let bytes = Array(text.utf8)
        func written(_ token: Token) -> String { String(decoding: bytes[token.range.start..<token.range.end], as: UTF8.self) }
        guard case .words(let words) = syntax.instruction(0)?.arguments else {
            Issue.record("FROM has no words")
            return
        }
        #expect(words.map(\.text) == ["ubuntu:24.04", "AS", "s0"])
        #expect(words.map(written) == ["ubuntu:24.04", "AS", "s0"])
        guard case .shellForm(let long) = syntax.instruction(1)?.arguments,
              case .shellForm(let continued) = syntax.instruction(2)?.arguments else {
            Issue.record("RUN is not in shell form")
            return
        }
        #expect(long.text == "echo a-command-longer-than-fifteen-bytes > /f" && written(long) == long.text)
        #expect(continued.text == "echo a   b" && written(continued) == "echo a \\\n  b")
    }

    @Test func runWithMountWithoutTargetParses() {
        // hadolint 2.15.1 rejects this; BuildKit accepts it.
        let syntax = parse("FROM a\nRUN --mount=type=secret,id=npmrc npm ci\n")
        #expect(syntax.errors.isEmpty)
        #expect(syntax.instruction(1)?.flags.first?.name == "mount")
    }

    @Test func execFormDecodesJSONStrings() throws {
        let syntax = parse("FROM a\nCMD [\"echo\", \"a \\\"b\\\"\", \"\\u00e9\\n\"]\n")
        let cmd = try #require(syntax.instruction(1))
        #expect(cmd.isExecForm)
        #expect(cmd.values == ["echo", "a \"b\"", "é\n"])
        guard case .execForm(let tokens) = cmd.arguments else {
            Issue.record("expected exec form")
            return
        }
        #expect(syntax.text(tokens[1].range) == "\"a \\\"b\\\"\"")
    }

    @Test func invalidJSONFallsBackToShellForm() {
        let cases = [
            "CMD ['single', 'quotes']": "['single', 'quotes']",
            "CMD [\"unterminated\"": "[\"unterminated\"",
            "CMD [\"a\",]": "[\"a\",]",
            "ENTRYPOINT [ \"a\" \"b\" ]": "[ \"a\" \"b\" ]",
        ]
        for (line, value) in cases {
            let syntax = parse("FROM a\n\(line)\n")
            #expect(syntax.instruction(1)?.isExecForm == false, "\(line)")
            #expect(syntax.instruction(1)?.values == [value], "\(line)")
            #expect(!syntax.hasParserErrors, "\(line)")
        }
    }

    @Test func aJSONArrayOfNonStringsIsAParserError() {
        for line in ["CMD [\"a\", 1]", "CMD [[\"nested\"]]", "RUN [\"a\", null]", "SHELL [{\"a\": 1}]"] {
            let syntax = parse("FROM a\n\(line)\n")
            #expect(syntax.errorMessages(.parser) == ["when using JSON array syntax, arrays must be comprised of strings only"], "\(line)")
        }
    }

    @Test func textAfterAValidJSONArrayIsIgnoredAsGoDoes() {
        let syntax = parse("FROM a\nCMD [\"a\"] trailing\n")
        #expect(syntax.instruction(1)?.isExecForm == true)
        #expect(syntax.instruction(1)?.values == ["a"])
    }

    @Test func shellInstructionInBothForms() {
        let syntax = parse("FROM a\nSHELL [\"powershell\", \"-Command\"]\nSHELL /bin/bash -c\n")
        #expect(syntax.instruction(1)?.values == ["powershell", "-Command"])
        #expect(syntax.instruction(2)?.isExecForm == false)
        #expect(syntax.errorMessages(.instruction) == ["SHELL requires the arguments to be in JSON form"])
    }

    @Test func envPairsWithQuotesAndEscapes() throws {
        let syntax = parse("FROM a\nENV A=1 B=\"two words\" C=three\\ words D='x y'\n")
        let env = try #require(syntax.instruction(1))
        #expect(env.values == ["A", "1", "B", "\"two words\"", "C", "three\\ words", "D", "'x y'"])
        guard case .keyValuePairs(let pairs, let isLegacy) = env.arguments else {
            Issue.record("expected pairs")
            return
        }
        #expect(!isLegacy)
        #expect(pairs.map(\.separator) == ["=", "=", "=", "="])
        #expect(syntax.text(pairs[1].key.range) == "B")
        #expect(syntax.text(pairs[1].value.range) == "\"two words\"")
    }

    @Test func legacyEnvFormTakesTheRestOfTheLine() {
        let syntax = parse("FROM a\nENV PATH /usr/local/bin:$PATH   with spaces\nLABEL maintainer me@example.com\n")
        #expect(syntax.instruction(1)?.values == ["PATH", "/usr/local/bin:$PATH   with spaces"])
        #expect(syntax.instruction(2)?.values == ["maintainer", "me@example.com"])
    }

    @Test func envWithoutValueIsAParserError() {
        let syntax = parse("FROM a\nENV PATH\nRUN next\n")
        #expect(syntax.errorMessages(.parser) == ["ENV must have two arguments"])
        // Recovery: the next instruction is still read.
        #expect(syntax.instruction(2)?.kind == .run)
    }

    @Test func envMixingFormsIsAParserError() {
        let syntax = parse("FROM a\nENV a=b c\n")
        #expect(syntax.errorMessages(.parser) == ["Syntax error - can't find = in \"c\". Must be of the form: name=value"])
        #expect(syntax.text(syntax.errors[0].range) == "c")
    }

    @Test func argWithAndWithoutDefault() {
        let syntax = parse("ARG VERSION=1.0\nARG TARGETARCH\nARG A=\"x y\" B\nFROM a\n")
        #expect(syntax.instruction(0)?.values == ["VERSION=1.0"])
        #expect(syntax.instruction(1)?.values == ["TARGETARCH"])
        #expect(syntax.instruction(2)?.values == ["A=\"x y\"", "B"])
        #expect(syntax.errors.isEmpty)
    }

    @Test func singleStringInstructions() {
        let syntax = parse("FROM a\nWORKDIR /app dir\nUSER app:app\nSTOPSIGNAL SIGTERM\nMAINTAINER Jane Doe <j@d.io>\n")
        #expect(syntax.instructions.dropFirst().map(\.values) == [["/app dir"], ["app:app"], ["SIGTERM"], ["Jane Doe <j@d.io>"]])
    }

    @Test func exposeAndVolume() {
        let syntax = parse("FROM a\nEXPOSE 80/tcp 443\nVOLUME [\"/data\", \"/logs\"]\nVOLUME /a /b\n")
        #expect(syntax.instruction(1)?.values == ["80/tcp", "443"])
        #expect(syntax.instruction(2)?.values == ["/data", "/logs"])
        #expect(syntax.instruction(2)?.isExecForm == true)
        #expect(syntax.instruction(3)?.values == ["/a", "/b"])
    }

    @Test func copyAndAddWithEveryFlag() throws {
        let text = """
            FROM a
            COPY --from=build --chown=app:app --chmod=755 --link --parents --exclude=*.md src/ /app/
            ADD --checksum=sha256:abc --keep-git-dir=true --chown=1 --link=false https://x/y.tgz /opt/
            COPY ["a b", "/dst/"]

            """
        let syntax = parse(text)
        #expect(syntax.instruction(1)?.flags.map(\.name) == ["from", "chown", "chmod", "link", "parents", "exclude"])
        #expect(syntax.instruction(1)?.values == ["src/", "/app/"])
        #expect(syntax.instruction(2)?.flags.map(\.value) == ["sha256:abc", "true", "1", "false"])
        #expect(syntax.instruction(3)?.values == ["a b", "/dst/"])
        #expect(syntax.errors.isEmpty, "\(syntax.errors)")
    }

    @Test func flagsWithQuotesAndTheDoubleDashTerminator() {
        let syntax = parse("FROM a\nCOPY --chown=\"a b\" -- --notaflag /x\n")
        #expect(syntax.instruction(1)?.flags.map(\.text) == ["--chown=a b"])
        #expect(syntax.instruction(1)?.values == ["--notaflag", "/x"])
    }

    @Test func nonASCIIFlagValuesComeOutAsBuildKitReadsThem() {
        // BuildKit's flag scanner works on bytes: é (C3 A9) becomes "Ã©".
        let syntax = parse("FROM a\nCOPY --chown=é x y\n")
        #expect(syntax.instruction(1)?.flags.map(\.text) == ["--chown=Ã©"])
    }

    @Test func healthcheckForms() {
        let syntax = parse("""
            FROM a
            HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost/ || exit 1
            HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
            HEALTHCHECK NONE

            """)
        #expect(syntax.instruction(1)?.flags.map(\.name) == ["interval", "timeout"])
        #expect(syntax.instruction(1)?.values == ["CMD", "curl -f http://localhost/ || exit 1"])
        #expect(syntax.instruction(2)?.values == ["CMD", "curl", "-f", "http://localhost/"])
        #expect(syntax.instruction(2)?.isExecForm == true)
        #expect(syntax.instruction(3)?.values == ["NONE"])
        #expect(syntax.errors.isEmpty)
    }

    @Test func onbuildWrapsAnotherInstruction() throws {
        let syntax = parse("FROM a\nONBUILD RUN --mount=type=cache,target=/c make\nonbuild COPY . /src\n")
        let onbuild = try #require(syntax.instruction(1))
        let trigger = try #require(onbuild.trigger)
        #expect(onbuild.kind == .onbuild)
        #expect(onbuild.flags.isEmpty)
        #expect(trigger.kind == .run)
        #expect(trigger.flags.map(\.name) == ["mount"])
        #expect(onbuild.values == ["make"])
        #expect(syntax.text(trigger.keyword.range) == "RUN")
        #expect(BuildKitDump.sExpressions(syntax).contains("(onbuild (run [\"--mount=type=cache,target=/c\"] \"make\"))"))
        #expect(syntax.instruction(2)?.trigger?.values == [".", "/src"])
    }

    @Test func unknownInstructionsKeepOneEmptyValue() {
        let syntax = parse("FROM a\nWRONG DOCKERFILE\ndocker-version 0.6.5\n")
        #expect(syntax.instruction(1)?.kind == nil)
        #expect(syntax.instruction(1)?.values == [""])
        #expect(!syntax.hasParserErrors)
        #expect(syntax.errorMessages(.instruction) == ["unknown instruction: WRONG", "unknown instruction: docker-version"])
    }

    @Test func keywordAndArgumentPositions() throws {
        let syntax = parse("FROM a\n  copy   --from=b  x  /y\n")
        let copy = try #require(syntax.instruction(1))
        #expect(syntax.source.location(of: copy.keyword.range.start) == SourcePosition(line: 2, column: 3))
        #expect(syntax.source.location(of: copy.flags[0].range.start) == SourcePosition(line: 2, column: 10))
        guard case .words(let words) = copy.arguments else {
            Issue.record("expected words")
            return
        }
        #expect(syntax.source.location(of: words[1].range.start) == SourcePosition(line: 2, column: 23))
    }
}

@Suite("Instruction storage")
struct InstructionStorageTests {
    // The tree keeps a lone ENV pair or FROM word without an array, and a one-line
    // instruction's line and text as ranges; each must read back as the parser split it.

    @Test("a lone pair, a lone word and their multi-element twins read back the same")
    func loneArgumentsReadBack() throws {
        let syntax = parse("FROM a\nENV k=v\nENV k v w\nENV a=1 b=2\nARG x\nARG y z\n")
        let pairs = try (1...3).map { index in
            guard case .keyValuePairs(let pairs, let isLegacy) = try #require(syntax.instruction(index)).arguments else {
                Issue.record("expected pairs")
                return ([String](), false)
            }
            return (pairs.map { "\(syntax.text($0.key.range))\($0.separator)\(syntax.text($0.value.range))" }, isLegacy)
        }
        #expect(pairs.map(\.0) == [["k=v"], ["kv w"], ["a=1", "b=2"]])
        #expect(pairs.map(\.1) == [false, true, false])
        guard case .words(let image) = try #require(syntax.instruction(0)).arguments else {
            Issue.record("expected words")
            return
        }
        #expect(image.map(\.text) == ["a"] && image.first?.range == TextRange(start: 5, end: 6))
        #expect(syntax.instruction(4)?.values == ["x"])
        #expect(syntax.instruction(5)?.values == ["y", "z"])
    }

    @Test("one line: its line, text and range agree; continued lines keep every line")
    func linesAndTextOfOneAndSeveralLines() throws {
        let syntax = parse("FROM a\nRUN echo \\\n  b\nUSER u\n")
        let run = try #require(syntax.instruction(1))
        #expect(run.lines.map(\.role) == [.first, .continuation])
        #expect(run.logicalText.string == "RUN echo   b")
        let user = try #require(syntax.instruction(2))
        #expect(user.lines.map(\.range) == [user.range])
        #expect(user.logicalText.string == "USER u")
        #expect(user.logicalText.sourceOffset(of: 5) == user.range.start + 5)
        #expect((user.startLine, user.endLine) == (4, 4))
        #expect(user == parse("FROM a\nRUN echo \\\n  b\nUSER u\n").instruction(2))
    }
}

@Suite("Item lookup")
struct ItemLookupTests {
    @Test("itemIndex(startingAt:) finds items by their first byte only")
    func itemIndexFindsItemStarts() {
        let syntax = DockerfileSyntax.parse("# c\nFROM a\n\nRUN b \\\n  c\n")
        #expect(syntax.items.indices.allSatisfy { syntax.itemIndex(startingAt: syntax.items[$0].range.start) == $0 })
        #expect(syntax.itemIndex(startingAt: 1) == nil)
        #expect(syntax.itemIndex(startingAt: syntax.source.bytes.count) == nil)
        #expect(syntax.itemIndex(startingAt: -1) == nil)
    }
}
