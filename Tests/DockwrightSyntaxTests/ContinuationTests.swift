import DockwrightSyntax
import Testing

@Suite struct ContinuationTests {
    @Test func continuationLinesAreJoinedWithoutTheEscapeCharacter() {
        let syntax = parse("FROM a\nRUN apt-get update && \\\n    apt-get install -y curl\n")
        let run = syntax.instruction(1)
        #expect(run?.values == ["apt-get update &&     apt-get install -y curl"])
        #expect(run?.startLine == 2)
        #expect(run?.endLine == 3)
    }

    @Test func spacesAndTabsAfterTheEscapeCharacterStillContinue() {
        let syntax = parse("FROM a\nRUN echo a \\ \t \n b\n")
        #expect(syntax.instruction(1)?.values == ["echo a  b"])
    }

    @Test func commentLinesInsideAContinuationAreSkipped() {
        let syntax = parse("FROM a\nRUN echo a \\\n# note\n  # indented note\n  b\n")
        let run = syntax.instruction(1)
        #expect(run?.values == ["echo a   b"])
        #expect(run?.lines.map { $0.role } == [.first, .comment, .comment, .continuation])
        #expect(run?.endLine == 5)
    }

    @Test func emptyLinesInsideAContinuationAreSkipped() {
        let syntax = parse("FROM a\nRUN echo a \\\n\n   \n  b\n")
        #expect(syntax.instruction(1)?.values == ["echo a   b"])
        #expect(syntax.instruction(1)?.lines.map { $0.role } == [.first, .emptyContinuation, .emptyContinuation, .continuation])
    }

    @Test func anEscapedEscapeCharacterAtTheEndDoesNotContinue() {
        // BuildKit's trailing-backslash rule: `foo\\` ends the instruction (Windows paths).
        let syntax = parse("FROM a\nENV C trailing\\\\\nENV D next\n")
        #expect(syntax.instructions.count == 3)
        #expect(syntax.instruction(1)?.values == ["C", "trailing\\\\"])
    }

    @Test func anEscapeCharacterAloneOnALineContinues() {
        let syntax = parse("FROM a\nENV E hello\\\n\\\nworld\n")
        #expect(syntax.instruction(1)?.values == ["E", "helloworld"])
    }

    @Test func aContinuationAtTheEndOfTheFileEndsTheInstruction() {
        let syntax = parse("FROM a\nRUN something \\")
        #expect(syntax.instruction(1)?.values == ["something"])
        #expect(!syntax.hasParserErrors)
    }

    @Test func crlfLineEndsAreTrimmedAndKept() {
        let text = "FROM a\r\nRUN a \\\r\n  b\r\n"
        let syntax = parse(text)
        #expect(syntax.instruction(1)?.values == ["a   b"])
        #expect(syntax.instruction(1)?.range == TextRange(start: 8, end: text.utf8.count))
    }

    @Test func aLoneCarriageReturnDoesNotEndALine() {
        let syntax = parse("FROM a\rRUN b\r")
        #expect(syntax.instructions.count == 1)
        #expect(syntax.instruction(0)?.values == ["a", "RUN", "b"])
    }

    @Test func continuationIndentationIsKeptOnContinuationLines() {
        // BuildKit strips leading whitespace only on the first line of an instruction.
        let syntax = parse("FROM a\n   RUN echo \\\n\t  two\n")
        #expect(syntax.instruction(1)?.values == ["echo \t  two"])
        #expect(syntax.instruction(1)?.logicalText.string == "RUN echo \t  two")
    }

    @Test func logicalOffsetsMapBackToTheSourceAcrossContinuations() throws {
        let syntax = parse("FROM a\nCOPY --chown=1:1 \\\n  # comment\n  src/ /app/\n")
        let copy = try #require(syntax.instruction(1))
        guard case .words(let words) = copy.arguments else {
            Issue.record("expected words")
            return
        }
        #expect(words.map(\.text) == ["src/", "/app/"])
        #expect(syntax.text(words[0].range) == "src/")
        #expect(syntax.text(words[1].range) == "/app/")
        #expect(syntax.source.location(of: words[1].range.start) == SourcePosition(line: 4, column: 8))
        #expect(syntax.text(copy.flags[0].range) == "--chown=1:1")
    }
}
