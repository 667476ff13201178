import DockwrightShell
import Testing

@Suite struct ShellParserTests {
    @Test func wordsWithQuotesAndEscapes() {
        #expect(commandLines(#"echo 'single $x' "double \"q\" \$y" back\ slash"#)
            == [#"echo single $x double "q" $y back slash"#])
        #expect(commandLines(#"printf $'a\tb' "$HOME" ${X:-y}"#) == ["printf a\tb ? ?"])
    }

    @Test func listsAndOrsAndPipelines() throws {
        let script = try #require(parseScript("a && b || c; d | e |& f & g\nh"))
        #expect(script.body.items.count == 4)
        #expect(script.body.items[0].andOr.operators == [.and, .or])
        #expect(script.body.items[1].andOr.pipelines[0].commands.count == 3)
        #expect(script.body.items[1].isBackground)
        #expect(commandLines("a && b || c; d | e |& f & g\nh") == ["a", "b", "c", "d", "e", "f", "g", "h"])
    }

    @Test func newlinesAfterOperatorsContinueTheList() {
        #expect(commandLines("a &&\n  b ||\n\n c |\n d") == ["a", "b", "c", "d"])
    }

    @Test func redirections() throws {
        let script = try #require(parseScript("cmd >out 2>&1 <in >>log 3<>file &>all <<<word"))
        let command = try #require(script.simpleCommands.first)
        #expect(command.redirects.map(\.operatorText) == [">", ">&", "<", ">>", "<>", "&>", "<<<"])
        #expect(command.redirects[1].fileDescriptor == 2)
        #expect(command.redirects[1].target.literalValue == "1")
        #expect(command.words.map { $0.literalValue } == ["cmd"])
    }

    @Test func heredocBodiesAreSkipped() throws {
        let script = try #require(parseScript("cat <<EOF >/etc/x; echo after\nline 1\n$notparsed (\nEOF\necho next"))
        #expect(commandLines("cat <<EOF >/etc/x; echo after\nline 1\n$notparsed (\nEOF\necho next")
            == ["cat", "echo after", "echo next"])
        let body = try #require(script.simpleCommands[0].redirects[0].heredocBody)
        #expect(script.text(body) == "line 1\n$notparsed (\n")
    }

    @Test func twoHeredocsOnOneLineAndTabStripping() {
        #expect(commandLines("cat <<A <<-'B'\na\nA\n\tb\n\tB\nend") == ["cat", "end"])
    }

    @Test func subshellsAndBraceGroups() {
        #expect(commandLines("(cd /tmp && make) ; { echo a; echo b; }") == ["cd /tmp", "make", "echo a", "echo b"])
    }

    @Test func ifElifElse() {
        #expect(commandLines("if [ -f a ]; then echo a; elif test -d b\nthen echo b; else echo c; fi")
            == ["[ -f a ]", "echo a", "test -d b", "echo b", "echo c"])
    }

    @Test func loops() {
        #expect(commandLines("for f in a b; do rm $f; done; while read l; do echo x; done <file; until false; do :; done")
            == ["rm ?", "read l", "echo x", "false", ":"])
        #expect(commandLines("for ((i=0; i<3; i++)); do echo $i; done") == ["echo ?"])
        #expect(commandLines("for x; do echo; done") == ["echo"])
    }

    @Test func caseClauses() {
        #expect(commandLines("case \"$(uname -m)\" in\n  x86_64|amd64) arch=amd64 ;;\n  (arm64) echo arm ;;\n  *) exit 1;;\nesac")
            == ["uname -m", "echo arm", "exit 1"])
    }

    @Test func functionDefinitions() {
        #expect(commandLines("f() { echo in f; }; function g { echo g; }; function h() ( echo h ); f")
            == ["echo in f", "echo g", "echo h", "f"])
    }

    @Test func assignmentsPrefixAndBare() throws {
        let script = try #require(parseScript("A=1 B+=\"two\" C= make install; D=(x y) E=$(date)"))
        let first = script.simpleCommands[0]
        #expect(first.assignments.map(\.name) == ["A", "B", "C"])
        #expect(first.assignments[1].isAppend)
        #expect(first.assignments[2].value == nil)
        #expect(first.words.map { $0.literalValue } == ["make", "install"])
        guard case .simple(let second) = script.body.items[1].andOr.pipelines[0].commands[0].kind else {
            Issue.record("expected a simple command")
            return
        }
        #expect(second.words.isEmpty)
        #expect(second.assignments[0].arrayElements?.count == 2)
        #expect(commandLines("A=1 B+=\"two\" C= make install; D=(x y) E=$(date)") == ["make install", "date"])
    }

    @Test func substitutionsAreParsedAsCommands() {
        #expect(commandLines("echo $(dirname $(which go)) `date +%s` <(sort a) ${X:-$(pwd)} \"$(id -u)\"")
            == ["echo ? ? ? ? ?", "dirname ?", "which go", "date +%s", "sort a", "pwd", "id -u"])
    }

    @Test func arithmeticAndTestClauses() {
        #expect(commandLines("(( n = 1 + 2 )) && [[ -n $x && $y =~ ^(a|b)$ ]] && echo $((n * 2))") == ["echo ?"])
    }

    @Test func negationAndTime() {
        #expect(commandLines("! grep -q x f && time -p make") == ["grep -q x f", "make"])
    }

    @Test func commentsAreRecorded() throws {
        let script = try #require(parseScript("echo a # trailing\n# full line\necho b#notcomment"))
        #expect(script.comments.count == 2)
        #expect(commandLines("echo a # trailing\n# full line\necho b#notcomment") == ["echo a", "echo b#notcomment"])
    }

    @Test func lineContinuationsInsideTheScript() {
        #expect(commandLines("apt-get install \\\n  -y \\\n  curl") == ["apt-get install -y curl"])
    }

    @Test func emptyGroupsAndConditionsAreAcceptedAsShfmtAccepts() {
        #expect(parseScript("( ); { }; if; then :; fi; while; do :; done") != nil)
        #expect(commandLines("ls !(*.c) @(a|b).txt") == ["ls !(*.c) @(a|b).txt"])
    }

    @Test func reservedWordsAsArguments() {
        #expect(commandLines("echo if then fi done { } !") == ["echo if then fi done { } !"])
    }

    @Test func syntaxErrorsAreValuesNotCrashes() {
        for script in ["echo 'open", "echo \"open", "if true; then echo", "(echo", "echo $(", "a && ", "| b",
                       "case x in a) echo", "fi", "echo ${}", "for 1 in a; do :; done", "cat <<EOF\nno end", "if true; then fi",
                       "a ;; b", "echo )", "f() ", "while true; do done"] {
            #expect(parseError(script) != nil, "\(script)")
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "( ", count: 10_000) + "true" + String(repeating: " )", count: 10_000)
        #expect(parseError(deep)?.message == "nesting is too deep")
        let substitutions = String(repeating: "$(", count: 10_000) + "x" + String(repeating: ")", count: 10_000)
        #expect(parseError("echo " + substitutions)?.message == "nesting is too deep")
        let shallow = String(repeating: "( ", count: 50) + "true" + String(repeating: " )", count: 50)
        #expect(commandLines(shallow) == ["true"])
    }

    @Test func aOneMegabyteCommandParses() {
        let script = "echo " + String(repeating: "word ", count: 200_000)
        #expect(parseScript(script)?.simpleCommands.first?.words.count == 200_001)
    }
}

@Suite struct ArithmeticTests {
    @Test func commandSubstitutionsInsideArithmeticAreCommands() {
        #expect(commandLines("make -j $(($(nproc) - 1)) && (( n = $(id -u) ))") == ["make -j ?", "nproc", "id -u"])
    }
}
