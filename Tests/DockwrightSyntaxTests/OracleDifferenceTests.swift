import DockwrightSyntax
import Testing

/// Where the `dockerfile` Python package (BuildKit v0.12.5's parser) and current
/// BuildKit disagree, dockwright follows current BuildKit. Each difference is named here.
@Suite struct OracleDifferenceTests {
    @Test func checkDirectiveDoesNotEndTheDirectiveBlock() {
        // v0.12.5 did not know `# check=`, so it stopped looking for directives and
        // read the backtick as an ordinary character.
        let syntax = parse("# check=skip=JSONArgsRecommended\n# escape=`\nFROM a\nRUN a `\n b\n")
        #expect(syntax.escapeCharacter == "`")
        #expect(syntax.instructions.count == 2)
    }

    @Test func envAndLabelPairsCarryTheirSeparatorInBuildKitsDump() {
        // Current BuildKit's AST has a third node per pair; the package's `value` does not.
        let syntax = parse("FROM a\nENV A=1\nENV B 2\n")
        #expect(BuildKitDump.sExpressions(syntax) == "(from \"a\")\n(env \"A\" \"1\" \"=\")\n(env \"B\" \"2\" \"\")\n")
        #expect(syntax.instruction(1)?.values == ["A", "1"])
    }

    @Test func newerExpansionOperatorsDoNotHideHeredocs() {
        // v0.12.5's lexer failed on `${a#b}` and `${a/b/c}`, found no heredoc, and read
        // the body lines as instructions; current BuildKit supports these operators.
        for expansion in ["${a#b}", "${a%%b}", "${a/b/c}"] {
            let syntax = parse("FROM a\nRUN echo \(expansion) <<EOF\nx\nEOF\n")
            #expect(syntax.instructions.count == 2, "\(expansion)")
            #expect(syntax.instruction(1)?.heredocs.first?.content == "x\n", "\(expansion)")
        }
    }

    @Test func nulCharactersInJSONStringsAreKept() {
        // The package hands strings to Python as C strings and cuts them at NUL;
        // BuildKit's own conformance file `json` keeps the NUL.
        let syntax = parse("FROM a\nCMD [\"a\\u0000b\"]\n")
        #expect(syntax.instruction(1)?.values == ["a\u{0}b"])
    }
}
