import DockwrightSyntax
import Testing

@Suite struct HeredocTests {
    @Test func runHeredocReadsTheBodyUntilTheDelimiter() throws {
        let syntax = parse("FROM a\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nRUN next\n")
        let run = try #require(syntax.instruction(1))
        #expect(run.heredocs.count == 1)
        #expect(run.heredocs[0].name == "EOF")
        #expect(run.heredocs[0].content == "apt-get update\napt-get install -y curl\n")
        #expect(run.heredocs[0].expandsVariables)
        #expect(run.startLine == 2)
        #expect(run.endLine == 5)
        #expect(run.lines.map { $0.role } == [.first, .heredocBody, .heredocBody, .heredocTerminator])
        #expect(syntax.instruction(2)?.values == ["next"])
    }

    @Test func quotedDelimitersDoNotExpand() {
        let syntax = parse("FROM a\nRUN <<'EOF'\necho $HOME\nEOF\nRUN <<\"E2\"\nx\nE2\n")
        #expect(syntax.instruction(1)?.heredocs.first?.expandsVariables == false)
        #expect(syntax.instruction(1)?.heredocs.first?.name == "EOF")
        #expect(syntax.instruction(2)?.heredocs.first?.expandsVariables == false)
    }

    @Test func dashDelimiterAllowsTabIndentedTerminatorButKeepsTheBody() {
        let syntax = parse("FROM a\nRUN <<-EOF\n\techo hi\n\tEOF\n")
        #expect(syntax.instruction(1)?.heredocs.first?.stripsLeadingTabs == true)
        #expect(syntax.instruction(1)?.heredocs.first?.content == "\techo hi\n")
    }

    @Test func severalHeredocsOnOneLineAreReadInOrder() {
        let syntax = parse("FROM a\nCOPY <<one <<two /dst/\nfirst\none\nsecond\ntwo\n")
        let heredocs = syntax.instruction(1)?.heredocs ?? []
        #expect(heredocs.map(\.name) == ["one", "two"])
        #expect(heredocs.map(\.content) == ["first\n", "second\n"])
        #expect(syntax.instruction(1)?.values == ["<<one", "<<two", "/dst/"])
    }

    @Test func fileDescriptorBeforeTheMarker() {
        let syntax = parse("FROM a\nRUN 3<<EOF cat /dev/fd/3\nhi\nEOF\n")
        #expect(syntax.instruction(1)?.heredocs.first?.fileDescriptor == 3)
    }

    @Test func theTerminatorMayBeFollowedDirectlyByAnInstruction() {
        // hadolint 2.15.1 fails on this; BuildKit reads it.
        let syntax = parse("FROM a\nRUN <<EOF\necho\nEOF\nCOPY a b\n")
        #expect(syntax.instructions.map(\.kind) == [.from, .run, .copy])
    }

    @Test func execFormAndOtherInstructionsHaveNoHeredocs() {
        let syntax = parse("FROM a\nRUN [\"<<EOF\"]\nCMD <<EOF\nENV A=<<EOF\n")
        #expect(syntax.instructions.allSatisfy { $0.heredocs.isEmpty })
        #expect(syntax.instructions.count == 4)
    }

    @Test func markersInsideQuotesOrAttachedToAWordAreNotHeredocs() {
        let syntax = parse("FROM a\nRUN echo \"<<EOF\" cat<<EOF <<<here\n")
        #expect(syntax.instruction(1)?.heredocs.isEmpty == true)
    }

    @Test func onbuildTriggersCarryHeredocs() {
        let syntax = parse("FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\n")
        #expect(syntax.instruction(1)?.heredocs.first?.content == "echo hi\n")
    }

    @Test func anUnterminatedHeredocIsAnErrorAndParsingGoesOn() {
        let syntax = parse("FROM a\nRUN <<EOF\nRUN echo hi\nCOPY a b\n")
        #expect(syntax.errorMessages(.parser) == ["unterminated heredoc"])
        #expect(syntax.text(syntax.errors[0].range) == "<<EOF")
        #expect(syntax.instructions.map(\.kind) == [.from, .run, .run, .copy])
    }

    @Test func crlfBodiesKeepTheirLineEnds() {
        let syntax = parse("FROM a\r\nCOPY <<EOF /x\r\nhi\r\nEOF\r\n")
        #expect(syntax.instruction(1)?.heredocs.first?.content == "hi\r\n")
    }

    @Test func dumpOriginalAppendsBodiesAsThePythonPackageDoes() {
        let syntax = parse("FROM a\nRUN <<EOF cat <<-\"E2\"\nhello\nEOF\n\tworld\n\tE2\n")
        let json = BuildKitDump.jsonObject(syntax.instructions[1])
        #expect(json.contains("\"original\": \"RUN <<EOF cat <<-\\\"E2\\\"\\nhello\\nEOF\\n\\tworld\\nE2\\n\""))
    }
}
