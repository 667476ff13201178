import DockwrightSyntax
import Testing

@Suite struct DirectiveTests {
    @Test func escapeDirectiveSwitchesContinuationToBacktick() throws {
        let syntax = parse("# escape=`\nFROM windows\nRUN dir `\n  C:\\\\\n")
        #expect(syntax.escapeCharacter == "`")
        #expect(syntax.directives.map(\.name) == ["escape"])
        let run = try #require(syntax.instruction(1))
        #expect(run.values == ["dir   C:\\\\"])
    }

    @Test func directivesAreRecognisedInAnyCaseWithSpacesAroundTheEquals() {
        let syntax = parse("#  SYNTAX = docker/dockerfile:1.7  \n# Escape=\\\nFROM a\n")
        #expect(syntax.directives.map(\.name) == ["syntax", "escape"])
        #expect(syntax.directives.first?.value == "docker/dockerfile:1.7")
        #expect(syntax.text(syntax.directives[0].valueRange) == "docker/dockerfile:1.7")
    }

    @Test func aBlankLineEndsTheDirectiveBlock() {
        let syntax = parse("# syntax=x\n\n# escape=`\nFROM a\nRUN a `\n")
        #expect(syntax.directives.map(\.name) == ["syntax"])
        #expect(syntax.escapeCharacter == "\\")
    }

    @Test func aPlainCommentEndsTheDirectiveBlock() {
        let syntax = parse("# hello\n# escape=`\nFROM a\n")
        #expect(syntax.directives.isEmpty)
    }

    @Test func anUnknownDirectiveEndsTheBlock() {
        let syntax = parse("# foo=bar\n# escape=`\nFROM a\n")
        #expect(syntax.directives.isEmpty)
        #expect(syntax.escapeCharacter == "\\")
    }

    @Test func checkIsADirectiveAsInCurrentBuildKit() {
        // Newer BuildKit wins over the v0.12.5 oracle, which did not know `check`
        // and therefore ignored the escape directive after it.
        let syntax = parse("# check=skip=all\n# escape=`\nFROM a\nRUN a `\n b\n")
        #expect(syntax.directives.map(\.name) == ["check", "escape"])
        #expect(syntax.directives[0].value == "skip=all")
        #expect(syntax.instruction(1)?.values == ["a  b"])
    }

    @Test func aRepeatedDirectiveIsAParserError() {
        let syntax = parse("# escape=`\n# escape=\\\nFROM a\n")
        #expect(syntax.errorMessages(.parser) == ["only one escape parser directive can be used"])
        #expect(syntax.source.location(of: syntax.errors[0].range.start) == SourcePosition(line: 2, column: 1))
        #expect(syntax.escapeCharacter == "`")
    }

    @Test func anInvalidEscapeTokenIsAParserError() {
        let syntax = parse("# escape=x\nFROM a\n")
        #expect(syntax.errorMessages(.parser) == ["invalid escape token 'x' does not match ` or \\"])
        #expect(syntax.text(syntax.errors[0].range) == "x")
    }

    @Test func directivesAfterAnInstructionAreComments() {
        let syntax = parse("FROM a\n# escape=`\nRUN a `\n")
        #expect(syntax.directives.isEmpty)
        guard case .trivia(let line) = syntax.items[1] else {
            Issue.record("expected a comment")
            return
        }
        #expect(line.kind == .comment)
    }

    @Test func directiveLinesAreTriviaOfKindDirective() {
        let syntax = parse("# syntax=docker/dockerfile:1\nFROM a\n")
        guard case .trivia(let line) = syntax.items[0] else {
            Issue.record("expected trivia")
            return
        }
        #expect(line.kind == .directive)
    }
}
