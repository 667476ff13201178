import DockwrightSyntax
import Testing

/// Inputs built to break a parser: deep nesting, huge lines, random bytes.
/// None may crash, and each must still print back byte for byte.
@Suite struct HostileInputTests {
    @Test func tenThousandNestedJSONArraysFallBackToShellForm() {
        let text = "FROM a\nCMD " + String(repeating: "[", count: 10_001) + String(repeating: "]", count: 10_001) + "\n"
        let syntax = parse(text)
        #expect(syntax.instruction(1)?.isExecForm == false)
    }

    @Test func nestedJSONWithinGosDepthLimitIsRejectedAsNonStrings() {
        let text = "FROM a\nCMD " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "\n"
        #expect(parse(text).errorMessages(.parser) == ["when using JSON array syntax, arrays must be comprised of strings only"])
    }

    @Test func tenThousandNestedExpansionsOnAHeredocLine() {
        let nested = String(repeating: "${a:-", count: 10_000) + "x" + String(repeating: "}", count: 10_000)
        let syntax = parse("FROM a\nRUN echo \(nested) <<EOF\nbody\nEOF\n")
        #expect(syntax.instruction(1)?.heredocs.first?.content == "body\n")
    }

    @Test func aMillionOnbuildsDoNotExhaustTheStack() {
        let text = "FROM a\n" + String(repeating: "ONBUILD ", count: 200_000) + "RUN x\n"
        let syntax = parse(text)
        #expect(syntax.instruction(1)?.kind == .onbuild)
        #expect(syntax.errorMessages(.instruction).first == "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")
    }

    @Test func aOneMegabytePhysicalLineIsReportedAsBuildKitDoes() {
        let text = "FROM a\nRUN echo " + String(repeating: "x", count: 1 << 20) + "\nRUN next\n"
        let syntax = parse(text)
        #expect(syntax.errorMessages(.parser) == ["dockerfile line greater than max allowed size of 65535"])
        #expect(syntax.instruction(2)?.values == ["next"])
    }

    @Test func theLineLengthLimitFallsExactlyWhereBuildKitsScannerFails() {
        func lineOfLength(_ length: Int, terminated: Bool) -> String {
            "FROM a\nRUN " + String(repeating: "x", count: length - 4) + (terminated ? "\n" : "")
        }
        #expect(!parse(lineOfLength(65_535, terminated: true)).hasParserErrors)
        #expect(parse(lineOfLength(65_536, terminated: true)).hasParserErrors)
        #expect(!parse(lineOfLength(65_535, terminated: false)).hasParserErrors)
        #expect(parse(lineOfLength(65_536, terminated: false)).hasParserErrors)
    }

    @Test func aOneMegabyteContinuedLineParses() {
        let line = "  echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa && \\\n"
        let count = (1 << 20) / line.utf8.count
        let text = "FROM a\nRUN true && \\\n" + String(repeating: line, count: count) + "  true\n"
        let syntax = parse(text)
        #expect(syntax.errors.isEmpty)
        #expect(syntax.instruction(1)?.endLine == count + 3)
    }

    @Test func oneHundredThousandStages() {
        var text = ""
        for index in 0..<100_000 { text += "FROM base AS s\(index)\n" }
        let syntax = parse(text)
        #expect(syntax.instructions.count == 100_000)
    }

    @Test func tenThousandNestedExpansionsStopWithAPositionedError() throws {
        // Expansion recurses per level, so it stops at a fixed depth instead of
        // running out of stack; the stage keeps the error at the image word.
        let nested = String(repeating: "${a:-", count: 10_000) + "alpine" + String(repeating: "}", count: 10_000)
        let syntax = parse("ARG a\nFROM \(nested)\nENV B=\(nested)\n")
        let stage = try #require(StageGraph(syntax: syntax).stages.first)
        guard case .unresolved(let error) = stage.base else {
            Issue.record("expected an unresolved base, got \(stage.base)")
            return
        }
        #expect(error.message.hasSuffix(": syntax error: substitutions nested too deeply"))
        #expect(syntax.source.location(of: error.range.start) == SourcePosition(line: 2, column: 6))
        let shallow = String(repeating: "${a:-", count: 200) + "alpine" + String(repeating: "}", count: 200)
        #expect((try? VariableExpander().expand(shallow, environment: [:]).get()) == "alpine")
    }

    @Test func anUnterminatedHeredocIsAPositionedError() throws {
        let syntax = parse("FROM a\nRUN <<EOF\necho hi\n")
        let error = try #require(syntax.errors.first)
        #expect(error.message == "unterminated heredoc")
        #expect(syntax.text(error.range) == "<<EOF")
        #expect(syntax.source.location(of: error.range.start) == SourcePosition(line: 2, column: 5))
    }

    @Test func carriageReturnOnlyLineEndsMakeOneLongLine() {
        // BuildKit splits at LF only: 20,000 CR-ended lines are one 120 KB line.
        let syntax = parse(String(repeating: "RUN a\r", count: 20_000))
        #expect(syntax.errorMessages(.parser) == ["dockerfile line greater than max allowed size of 65535"])
    }

    @Test func unterminatedConstructsAtTheEndOfTheFile() {
        for text in ["FROM a\nCMD [\"a\"", "FROM a\nRUN <<EOF", "FROM a\nENV A=\"x", "FROM a\nRUN \\", "FROM a\nCOPY --from=\"x"] {
            _ = parse(text)
        }
    }

    @Test func randomBytesNeverBreakTheTree() {
        // A fixed linear congruential generator: the same inputs on every run.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let fragments: [[UInt8]] = [
            "FROM ", "RUN ", "COPY ", "ONBUILD ", "ENV ", "ARG ", "HEALTHCHECK ", "<<EOF", "<<-'E'", "EOF", "\\",
            "`", "\n", "\r\n", "\r", " ", "\t", "[\"", "\"]", "\"", "'", "${", "}", "$", "=", "--", "#", "# escape=`\n",
            "\u{A0}", "é",
        ].map { Array($0.utf8) }
        for _ in 0..<3_000 {
            var bytes: [UInt8] = []
            for _ in 0..<(next() % 40) {
                if next() % 5 == 0 {
                    bytes.append(UInt8(truncatingIfNeeded: next()))
                } else {
                    bytes.append(contentsOf: fragments[Int(next() % UInt64(fragments.count))])
                }
            }
            _ = parse(bytes: bytes)
        }
    }
}
