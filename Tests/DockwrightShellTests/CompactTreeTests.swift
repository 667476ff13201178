@testable import DockwrightShell
import DockwrightSyntax
import Testing

/// The shell tree keeps common shapes compactly (issue 13's memory budget): plain
/// words keep no parts, plain commands no pipeline or command around them, short
/// lists no array. These tests pin that each compact form reads back exactly as the
/// parsed form it stands for.
@Suite struct CompactTreeTests {
    private func words(_ script: String) throws -> [ShellWord] {
        let parsed = try #require(parseScript(script))
        return parsed.simpleCommands.flatMap { $0.words + $0.assignments.compactMap(\.value) }
    }

    @Test func plainWordsReadBackTheirParts() throws {
        let found = try words("echo plain A$B ${C}d $1x $%y a$ $@ ${10}")
        let expected: [[ShellWordPart]] = [
            [.literal("echo")],
            [.literal("plain")],
            [.literal("A"), .parameter(ShellParameterExpansion(name: "B", operatorText: "", operand: nil, range: 12..<14))],
            [.parameter(ShellParameterExpansion(name: "C", operatorText: "", operand: nil, range: 15..<19)), .literal("d")],
            [.parameter(ShellParameterExpansion(name: "1", operatorText: "", operand: nil, range: 21..<23)), .literal("x")],
            [.literal("$%y")],
            [.literal("a$")],
            [.parameter(ShellParameterExpansion(name: "@", operatorText: "", operand: nil, range: 32..<34))],
            [.parameter(ShellParameterExpansion(name: "10", operatorText: "", operand: nil, range: 35..<40))],
        ]
        #expect(found.map(\.parts) == expected)
        #expect(found.map(\.literalValue) == ["echo", "plain", nil, nil, nil, "$%y", "a$", nil, nil])
        #expect(found.allSatisfy { !$0.isQuoted })
    }

    @Test func compactWordsEqualTheirParsedTwins() throws {
        for word in try words("run a-long-literal-word-of-many-bytes A$B ${C}d") {
            let twin = ShellWord(parts: word.parts, range: word.range)
            #expect(word == twin)
            #expect(word.hashValue == twin.hashValue)
        }
    }

    @Test func escapedAndQuotedWordsKeepWhatTheParserMade() throws {
        let found = try words(#"x a\bc "q$A" ${A:-d} ${#A} 'lit'"#)
        #expect(found.map(\.literalValue) == ["x", "abc", nil, nil, nil, "lit"])
        #expect(found[2].isQuoted && found[5].isQuoted)
        #expect(found[3].parts == [.parameter(ShellParameterExpansion(
            name: "A", operatorText: ":-", operand: ShellWord(parts: [.literal("d")], range: 18..<19), range: 13..<20))])
    }

    @Test func settingPartsReplacesACompactWord() throws {
        var word = try #require(try words("echo A$B").last)
        word.parts[0] = .literal("Z")
        #expect(word.parts.first == .literal("Z"))
        #expect(word.parts.count == 2)
    }

    @Test func plainAndChainedCommandsReadBackAsPipelines() throws {
        let script = try #require(parseScript("a 1; b && c || d; ! e; f | g; h >x"))
        let lists = script.body.items.map(\.andOr)
        #expect(lists.map(\.pipelines.count) == [1, 3, 1, 1, 1])
        #expect(lists.map(\.operators) == [[], [.and, .or], [], [], []])
        #expect(lists.map(\.range) == [0..<3, 5..<16, 18..<21, 23..<28, 30..<34])
        let chain = lists[1].pipelines
        #expect(chain.map(\.range) == [5..<6, 10..<11, 15..<16])
        #expect(chain.allSatisfy { !$0.isNegated && $0.commands.count == 1 && $0.commands[0].range == $0.range })
        #expect(lists[2].pipelines[0].isNegated)
        #expect(lists[3].pipelines[0].commands.count == 2)
        #expect(commandLines("a 1; b && c || d; ! e; f | g; h >x") == ["a 1", "b", "c", "d", "e", "f", "g", "h"])
    }

    @Test func plainPairsReadBackAsTwoPipelines() throws {
        let script = try #require(parseScript("a && b x; c || d; ! e && f"))
        let lists = script.body.items.map(\.andOr)
        #expect(lists.map(\.operators) == [[.and], [.or], [.and]])
        #expect(lists.map(\.range) == [0..<8, 10..<16, 18..<26])
        #expect(lists[0].pipelines.map(\.range) == [0..<1, 5..<8])
        #expect(lists[0].pipelines.map { $0.commands[0].range } == [0..<1, 5..<8])
        #expect(lists[1].pipelines.map(\.range) == [10..<11, 15..<16])
        #expect(lists[2].pipelines.map(\.isNegated) == [true, false])
        #expect(script.commands.map(\.context.operatorBefore) == [nil, .and, nil, .or, nil, .and])
        #expect(script.commands.map(\.context.isLastInAndOrList) == [false, true, false, true, false, true])
    }

    @Test func listsWithNoItemsAndManyItems() throws {
        let script = try #require(parseScript("if ; then a; fi; ( ); b; c"))
        #expect(script.body.items.count == 4)
        guard case .ifClause(let branches, _) = script.body.items[0].andOr.pipelines[0].commands[0].kind else {
            Issue.record("expected an if clause")
            return
        }
        #expect(branches[0].condition.items.isEmpty)
        #expect(Array(branches[0].body.items.indices) == [0])
        #expect(script.body.items.map(\.range) == [0..<15, 17..<20, 22..<23, 25..<26])
    }

    /// A script of one and-or list of plain commands keeps no body of its own: it is read
    /// back from the command views. Each must read back as the same list parsed as the
    /// first item of a longer script, which keeps its items as the parser made them.
    @Test func bodiesReadBackFromTheViewsEqualTheParsedList() throws {
        let samples = [
            "apt-get install -y p0", "a && b x", "a || b && c 1 2 && d", "echo $(date) && b `c` x",
            "A=$(x) cmd && b", "cmd <(sort a) | wc", "A=1 && b", "a >out && b", "! a && b", "a &",
            "f() { a; } && b", "  a   &&   b  ", "x=$(a && b) y && c",
        ]
        for sample in samples {
            let alone = try #require(parseScript(sample))
            let followed = try #require(parseScript(sample + "\n:"))
            #expect(alone.body.items.count == 1, "\(sample)")
            #expect(alone.body.items == Array(followed.body.items.prefix(1)), "\(sample)")
            #expect(alone.body.range == (followed.body.items.first?.range ?? 0..<0), "\(sample)")
            #expect(alone.commands.map(\.command) == Array(followed.commands.dropLast()).map(\.command), "\(sample)")
            #expect(alone == (try #require(parseScript(sample))))
        }
        let commented = try #require(parseScript("a && b # why"))
        #expect(commented.comments == [7..<12])
        #expect(commented.body.items.map(\.range) == [0..<6])
    }

    /// A RUN's fields are kept in its parsed script's block, and a script that did not
    /// parse keeps them beside its text: both read back what the RUN says.
    @Test func runFieldsReadBackFromTheScriptOrTheirBox() throws {
        let syntax = DockerfileSyntax.parse("FROM alpine\nRUN apk add curl && echo ok\nRUN if then\nONBUILD RUN make\n")
        let scripts = RunScript.scriptsIncludingTriggers(in: StageGraph(syntax: syntax))
        // The trigger's RUN is the instruction inside the ONBUILD, which has no line of its own.
        #expect(scripts.map(\.instruction.startLine) == [2, 3, 0])
        #expect(scripts.map(\.instruction.kind) == [.run, .run, .run])
        #expect(scripts.map(\.isOnbuildTrigger) == [false, false, true])
        #expect(scripts.map(\.stageIndex) == [0, 0, 0])
        #expect(scripts.map(\.dialect) == [.defaultLinux, .defaultLinux, .defaultLinux])
        #expect(scripts.map(\.origin) == [.shellForm, .shellForm, .shellForm])
        #expect(scripts.map { $0.script != nil } == [true, false, true])
        #expect(scripts.map(\.text.string) == ["apk add curl && echo ok", "if then", "make"])
        #expect(scripts[0] == scripts[0] && scripts[0] != scripts[2] && scripts[1] == scripts[1])
        #expect(try #require(parseScript("make")).run == nil)
    }

    /// The sizes the compaction rests on: a list item of a plain command is the
    /// command in place, and a word is two words of memory.
    @Test func nodeSizes() {
        #expect(MemoryLayout<ShellWord>.size == 16)
        #expect(MemoryLayout<ShellListItem>.stride <= 40)
        #expect(MemoryLayout<LogicalText>.size <= 32)
        #expect(MemoryLayout<ShellRedirect>.stride <= 40)
        // A parsed script keeps its RUN's fields in its own block: they fit the 32 bytes
        // the script's header gives them.
        #expect(MemoryLayout<RunScript.Fields>.size <= 32)
        // A script keeps a view per command after its header: a command is three words of
        // memory, its view nine.
        #expect(MemoryLayout<SimpleCommand>.size == 24)
        #expect(MemoryLayout<CommandView>.stride <= 72)
    }

    @Test func assignmentsAndRedirectionsReadBackInEveryCombination() throws {
        let script = try #require(parseScript("a; A=1 b; c >x; B=2 d 2>&1 <y; C=3"))
        let commands: [SimpleCommand] = script.body.items.compactMap { item in
            guard case .simple(let command) = item.andOr.pipelines[0].commands[0].kind else { return nil }
            return command
        }
        #expect(commands.map { $0.assignments.map(\.name) } == [[], ["A"], [], ["B"], ["C"]])
        #expect(commands.map { $0.redirects.map(\.operatorText) } == [[], [], [">"], [">&", "<"], []])
        #expect(commands.map { $0.words.count } == [1, 1, 1, 1, 0])
        #expect(commands[0] != commands[1] && commands[3] == commands[3])
    }

    @Test func packedRedirectionsReadBackWhatWasWritten() throws {
        let script = try #require(parseScript("cat 7<<-EOF >out 2>&1\n\tbody\nEOF\n"))
        let redirects = try #require(script.simpleCommands.first).redirects
        #expect(redirects.map(\.operatorText) == ["<<-", ">", ">&"])
        #expect(redirects.map(\.fileDescriptor) == [7, nil, 2])
        #expect(redirects.map(\.heredocBody) == [22..<28, nil, nil])
        #expect(redirects.map(\.range) == [4..<11, 12..<16, 17..<21])
        #expect(redirects.map { $0.target.literalValue } == ["EOF", "out", "1"])
    }

    @Test func oneSegmentTextMapsLikeManySegments() {
        let one = LogicalText(bytes: Array("abcdef".utf8), segments: [.init(logicalStart: 0, sourceStart: 10, length: 6)])
        #expect(one.segments == [.init(logicalStart: 0, sourceStart: 10, length: 6)])
        #expect(one.segmentCount == 1)
        #expect(one.sourceOffset(of: 3) == 13)
        #expect(one.logicalOffset(ofSource: 12) == 2)
        let two = one.slice(0..<3).appending(one.slice(3..<6))
        #expect(two.segmentCount == 2)
        #expect(two.sourceOffset(of: 4) == 14)
        #expect(two.sourceRange(of: 1..<5) == TextRange(start: 11, end: 15))
        let none = LogicalText(bytes: [], segments: [])
        #expect(none.segments.isEmpty && none.sourceOffset(of: 0) == 0 && none.logicalOffset(ofSource: 0) == nil)
    }
}
