import DockwrightSyntax
import Testing

@Suite struct FileEncodingTests {
    @Test func aByteOrderMarkIsKeptAsItsOwnItem() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("FROM a\n".utf8)
        let syntax = parse(bytes: bytes)
        #expect(syntax.items.first == .byteOrderMark(TextRange(start: 0, end: 3)))
        #expect(syntax.instruction(0)?.keyword.text == "FROM")
        #expect(syntax.source.location(of: syntax.instruction(0)?.keyword.range.start ?? 0) == SourcePosition(line: 1, column: 2))
    }

    @Test func aByteOrderMarkBeforeADirectiveStillAllowsTheDirective() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("# escape=`\nFROM a\n".utf8)
        #expect(parse(bytes: bytes).escapeCharacter == "`")
    }

    @Test func tabsSeparateKeywordAndArguments() {
        let syntax = parse("FROM\ta\nRUN\t\techo\thi\n")
        #expect(syntax.instruction(1)?.values == ["echo\thi"])
    }

    @Test func invalidUTF8AndNULBytesNeverCrashAndRoundTrip() {
        let bytes: [UInt8] = Array("FROM a\nRUN echo ".utf8) + [0xFF, 0x00, 0xC3] + Array("\nLABEL k=\u{00}".utf8) + [0xFE]
        let syntax = parse(bytes: bytes)
        #expect(syntax.instructions.count == 3)
        #expect(syntax.instruction(1)?.values == ["echo \u{FFFD}\u{0}\u{FFFD}"])
    }

    @Test func columnsCountUnicodeScalars() {
        let syntax = parse("FROM a\nLABEL café=\"ünïcode\" x=y\n")
        guard case .keyValuePairs(let pairs, _) = syntax.instruction(1)?.arguments else {
            Issue.record("expected pairs")
            return
        }
        #expect(syntax.source.location(of: pairs[1].key.range.start) == SourcePosition(line: 2, column: 22))
    }

    @Test func keywordsMatchInAnyLetterCase() {
        let syntax = parse("from a\nRuN echo\ncOpY a b\n")
        #expect(syntax.instructions.map(\.kind) == [.from, .run, .copy])
        #expect(syntax.instructions.map(\.keyword.text) == ["from", "RuN", "cOpY"])
    }

    @Test func aFileWithoutInstructionsIsRejected() {
        #expect(parse("").errorMessages(.parser) == ["file with no instructions"])
        #expect(parse("# only a comment\n\n").errorMessages(.parser) == ["file with no instructions"])
    }
}
