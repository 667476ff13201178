import DockwrightSyntax
import Testing

@Suite struct ErrorRecoveryTests {
    @Test func instructionStageErrorsHavePositions() throws {
        let syntax = parse("""
            FROM a b
            COPY onlyone
            ENV =value
            ARG
            COPY --form=x a b
            RUN --mount type=cache echo
            COPY --link=maybe a b
            WORKDIR
            ONBUILD ONBUILD RUN x
            ONBUILD FROM x

            """)
        #expect(syntax.errorMessages(.parser).isEmpty)
        #expect(syntax.errorMessages(.instruction) == [
            "FROM requires either one or three arguments",
            "COPY requires at least two arguments, but only one was provided. Destination could not be determined.",
            "ENV names can not be blank",
            "ARG requires at least one argument",
            "unknown flag: form",
            "missing a value on flag: mount",
            "expecting boolean value for flag link, not: maybe",
            "WORKDIR requires exactly one argument",
            "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
            "FROM isn't allowed as an ONBUILD trigger",
        ])
        let flagError = try #require(syntax.errors.first { $0.message == "unknown flag: form" })
        #expect(syntax.text(flagError.range) == "--form=x")
        #expect(syntax.source.location(of: flagError.range.start) == SourcePosition(line: 5, column: 6))
    }

    @Test func aMisspelledInstructionSuggestsTheRightOne() {
        let syntax = parse("FROM a\nRUNN echo\n")
        #expect(syntax.errorMessages(.instruction) == ["unknown instruction: RUNN (did you mean run?)"])
    }

    @Test func instructionsBeforeTheFirstFromAreRejectedExceptArg() {
        let syntax = parse("ARG V=1\nRUN echo\nFROM a\n")
        #expect(syntax.errorMessages(.instruction) == ["no build stage in current context"])
    }

    @Test func stageNamesMustBeValid() {
        let syntax = parse("FROM a AS 1build\nFROM a as Good-Name.2\n")
        #expect(syntax.errorMessages(.instruction).count == 1)
        #expect(syntax.errorMessages(.instruction).first?.hasPrefix("invalid name for build stage: \"1build\"") == true)
    }

    @Test func healthcheckTypesAreChecked() {
        let syntax = parse("FROM a\nHEALTHCHECK NONE x\nHEALTHCHECK CMD\nHEALTHCHECK PING x\n")
        #expect(syntax.errorMessages(.instruction) == [
            "HEALTHCHECK NONE takes no arguments",
            "Missing command after HEALTHCHECK CMD",
            "Unknown type \"PING\" in HEALTHCHECK (try CMD)",
        ])
    }

    @Test func severalBrokenLinesAreAllReported() {
        let syntax = parse("FROM a\nENV X\nCMD [1]\nLABEL a=b c\nRUN ok\n")
        #expect(syntax.errorMessages(.parser).count == 3)
        #expect(syntax.instructions.map(\.kind) == [.from, .env, .cmd, .label, .run])
        let lines = syntax.errors.map { syntax.source.location(of: $0.range.start).line }
        #expect(lines == [2, 3, 4])
    }
}
