import Testing
@testable import DockwrightSyntax

/// One word, the environment it is expanded in, and what BuildKit's `ProcessWord` makes of it.
struct ExpansionCase: Sendable, CustomTestStringConvertible {
    let word: String
    let expected: String?
    let environment: [String: String]

    init(_ word: String, _ expected: String?, _ environment: [String: String] = ExpansionCase.home) {
        self.word = word
        self.expected = expected
        self.environment = environment
    }

    static let home = ["HOME": "/root", "APP": "web", "EMPTY": "", "GREETING": "안녕"]

    var testDescription: String { word }
}

@Suite("VariableExpander")
struct VariableExpanderTests {
    let expander = VariableExpander()

    // MARK: - Plain words, quotes and escapes

    static let quoting: [ExpansionCase] = [
        ExpansionCase("plain", "plain"),
        ExpansionCase("mid'dl'e", "middle"),
        ExpansionCase("open'quote", nil),
        ExpansionCase(#"it\'s"#, "it's"),
        ExpansionCase(#"back\\'slash"#, nil),
        ExpansionCase(#"a\tb"#, "atb"),
        ExpansionCase(#""a\tb""#, #"a\tb"#),
        ExpansionCase(#""a\\tb""#, #"a\tb"#),
        ExpansionCase(#"'a\tb'"#, #"a\tb"#),
        ExpansionCase(#"trailing\"#, "trailing"),
        ExpansionCase(#"trailing\\"#, #"trailing\"#),
        ExpansionCase(#""unclosed"#, nil),
        ExpansionCase(#""escaped quote\""#, nil),
        ExpansionCase(#""it's""#, "it's"),
        ExpansionCase(#"'kept\'"#, #"kept\"#),
        ExpansionCase(#"'"double"'"#, #""double""#),
        ExpansionCase(#""''""#, "''"),
        ExpansionCase("안'녕'", "안녕"),
        ExpansionCase(#""안\녕""#, #"안\녕"#),
    ]

    @Test("Quotes and the escape character", arguments: quoting)
    func quotesAndEscapes(_ testCase: ExpansionCase) {
        check(testCase)
    }

    // MARK: - Variables

    static let variables: [ExpansionCase] = [
        ExpansionCase("$HOME", "/root"),
        ExpansionCase("x$HOME/y", "x/root/y"),
        ExpansionCase("${HOME}", "/root"),
        ExpansionCase("${HOME}z", "/rootz"),
        ExpansionCase("$UNSET-", "-"),
        ExpansionCase("${UNSET}z", "z"),
        ExpansionCase("$GREETING!", "안녕!"),
        ExpansionCase("a$1b", "ab"),
        ExpansionCase("a$12b", "ab"),
        ExpansionCase("a$.b", "a$.b"),
        ExpansionCase("$", "$"),
        ExpansionCase("cost: $ 5", "cost: $ 5"),
        ExpansionCase("$$", ""),
        ExpansionCase("$@$*$#$?$-$!", ""),
        ExpansionCase("${#}", ""),
        ExpansionCase(#"\$HOME"#, "$HOME"),
        ExpansionCase(#"\\$HOME"#, #"\/root"#),
        ExpansionCase(#""\$HOME""#, "$HOME"),
        ExpansionCase(#""\\$HOME""#, #"\/root"#),
        ExpansionCase(#"'$HOME'"#, "$HOME"),
        ExpansionCase(#""x'$HOME'""#, "x'/root'"),
        ExpansionCase(#"\${}"#, "${}"),
        ExpansionCase("$HOME_DIR", ""),
        ExpansionCase("${APP}_dir", "web_dir"),
        ExpansionCase("${aaa}}", "}"),
    ]

    @Test("Plain references", arguments: variables)
    func references(_ testCase: ExpansionCase) {
        check(testCase)
    }

    // MARK: - Operators

    static let operators: [ExpansionCase] = [
        ExpansionCase("${UNSET:-fallback}", "fallback"),
        ExpansionCase("${EMPTY:-fallback}", "fallback"),
        ExpansionCase("${EMPTY-fallback}", ""),
        ExpansionCase("${UNSET-fallback}", "fallback"),
        ExpansionCase("${APP:-fallback}", "web"),
        ExpansionCase("${UNSET:-$HOME}", "/root"),
        ExpansionCase("${UNSET:-${ALSO_UNSET:-${APP}}}", "web"),
        ExpansionCase("${UNSET:-${ALSO_UNSET:-deep}}-end", "deep-end"),
        ExpansionCase("${UNSET:-'quoted }'}", "quoted }"),
        ExpansionCase("${UNSET:-{x}", "{x"),
        ExpansionCase("${UNSET:-{x}}", "{x}"),
        ExpansionCase(#"${UNSET:-\}}"#, "}"),
        ExpansionCase(#"${UNSET:-\${HOME}z}"#, "${HOMEz}"),
        ExpansionCase("${APP:+set}", "set"),
        ExpansionCase("${EMPTY:+set}", ""),
        ExpansionCase("${EMPTY+set}", "set"),
        ExpansionCase("${UNSET+set}", ""),
        ExpansionCase("${APP:+${HOME}:}", "/root:"),
        ExpansionCase("${APP?}", "web"),
        ExpansionCase("${EMPTY?}", ""),
        ExpansionCase("${APP:?}", "web"),
        ExpansionCase(
            "v${VERSION}${VARIANT:+-${VARIANT}}.tgz", "v1.2.tgz", ["VERSION": "1.2", "VARIANT": ""]),
        ExpansionCase(
            "v${VERSION}${VARIANT:+-${VARIANT}}.tgz", "v1.2-slim.tgz", ["VERSION": "1.2", "VARIANT": "slim"]),
    ]

    @Test("Default, alternative and required operators", arguments: operators)
    func operatorsExpand(_ testCase: ExpansionCase) {
        check(testCase)
    }

    static let patterns: [ExpansionCase] = [
        ExpansionCase("${FILE#*.}", "tar.gz", ["FILE": "app.tar.gz"]),
        ExpansionCase("${FILE##*.}", "gz", ["FILE": "app.tar.gz"]),
        ExpansionCase("${FILE%.*}", "app.tar", ["FILE": "app.tar.gz"]),
        ExpansionCase("${FILE%%.*}", "app", ["FILE": "app.tar.gz"]),
        ExpansionCase("${FILE#}", "app.tar.gz", ["FILE": "app.tar.gz"]),
        ExpansionCase("${FILE%%}", "app.tar.gz", ["FILE": "app.tar.gz"]),
        ExpansionCase("${FILE#*}", "app.tar.gz", ["FILE": "app.tar.gz"]),
        ExpansionCase("${FILE##*}", "", ["FILE": "app.tar.gz"]),
        ExpansionCase("${FILE#a?p}", ".tar.gz", ["FILE": "app.tar.gz"]),
        ExpansionCase("${FILE#nomatch}", "app.tar.gz", ["FILE": "app.tar.gz"]),
        ExpansionCase(#"${STARS%%\**}"#, "ab", ["STARS": "ab**"]),
        ExpansionCase(#"${STARS#?\?}"#, "?z", ["STARS": "???z"]),
        ExpansionCase("${FILE#$PREFIX}", ".tar.gz", ["FILE": "app.tar.gz", "PREFIX": "app"]),
        // A pattern from a variable counts: its leading `#` makes the removal greedy.
        ExpansionCase("${FILE#$HASHES}", "gz", ["FILE": "app.tar.gz", "HASHES": "#*."]),
        ExpansionCase("${FILE#*.}", "a\nb.c", ["FILE": "a\nb.c"]),
        ExpansionCase("${PATH_LIKE/:/;}", "a;b:c", ["PATH_LIKE": "a:b:c"]),
        ExpansionCase("${PATH_LIKE//:/;}", "a;b;c", ["PATH_LIKE": "a:b:c"]),
        ExpansionCase("${URL/http:\\/\\//https://}", "https://x.io", ["URL": "http://x.io"]),
        ExpansionCase(#"${P//\//\/}"#, #"\/a\/b"#, ["P": "/a/b"]),
        ExpansionCase("${P/*\\//}", "c", ["P": "a/b/c"]),
        ExpansionCase("${P//?\\//-}", "--c", ["P": "a/b/c"]),
        ExpansionCase("${P/$EMPTY/>}", ">abc", ["P": "abc", "EMPTY": ""]),
        ExpansionCase("${P///}", "abc", ["P": "abc"]),
        ExpansionCase("${UNSET///}", "", [:]),
        // `$0` is a variable first; only a quoted `$0` reaches Go's replacement template.
        ExpansionCase("${P//b/[$0]}", "a[]c", ["P": "abc", "0": ""]),
        ExpansionCase("${P//b/'[$0]'}", "a[b]c", ["P": "abc"]),
        ExpansionCase("${P//b/'${0}x'}", "abxc", ["P": "abc"]),
        ExpansionCase("${P//b/'$1'}", "ac", ["P": "abc"]),
        ExpansionCase("${P//b/'$$'}", "a$c", ["P": "abc"]),
        ExpansionCase("${P//b/'$'}", "a$c", ["P": "abc"]),
        ExpansionCase("${P/b/'$0'}", "a$0c", ["P": "abc"]),
        ExpansionCase("${P//}", nil, ["P": "abc"]),
        ExpansionCase("${P//b}", nil, ["P": "abc"]),
        ExpansionCase(#"${P#\x}"#, nil, ["P": "abc"]),
    ]

    @Test("Pattern removal and replacement", arguments: patterns)
    func patternOperators(_ testCase: ExpansionCase) {
        check(testCase)
    }

    // MARK: - Errors

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        let word: String
        let message: String
        var testDescription: String { word }
    }

    static let errors: [ErrorCase] = [
        ErrorCase(word: "${", message: "syntax error: missing '}'"),
        ErrorCase(word: "x${HOME", message: "syntax error: missing '}'"),
        ErrorCase(word: "${HOME:-abc", message: "syntax error: missing '}'"),
        ErrorCase(word: "${HOME:", message: "syntax error: missing '}'"),
        ErrorCase(word: "${HOME:-${APP}", message: "syntax error: missing '}'"),
        ErrorCase(word: "${UNSET:-'abc}", message: "syntax error: missing '}'"),
        ErrorCase(word: "${}", message: "syntax error: bad substitution"),
        ErrorCase(word: "${{HOME}", message: "syntax error: bad substitution"),
        ErrorCase(word: "${:-x}", message: "syntax error: bad substitution"),
        ErrorCase(word: "${HOME:=x}", message: "unsupported modifier (:=) in substitution"),
        ErrorCase(word: "${HOME=x}", message: "unsupported modifier (=) in substitution"),
        ErrorCase(word: "${HOME!x}", message: "unsupported modifier (!) in substitution"),
        ErrorCase(word: "${.}", message: "unsupported modifier (.) in substitution"),
        ErrorCase(word: "${HOME:x}", message: "unsupported modifier (:x) in substitution"),
        ErrorCase(word: "${HOME:}x}", message: "unsupported modifier (:}) in substitution"),
        ErrorCase(word: "${HOME:}", message: "syntax error: missing '}'"),
        ErrorCase(word: "${HOME/x", message: "syntax error: missing '/' in ${}"),
        ErrorCase(word: "${HOME/x}", message: "syntax error: missing '/' in ${}"),
        ErrorCase(word: "${HOME/x/y", message: "syntax error: missing '}'"),
        ErrorCase(word: "${UNSET?}", message: "UNSET: is not allowed to be unset"),
        ErrorCase(word: "${UNSET:?}", message: "UNSET: is not allowed to be unset"),
        ErrorCase(word: "${EMPTY:?}", message: "EMPTY: is not allowed to be empty"),
        ErrorCase(word: "${UNSET:?set it to $APP}", message: "UNSET: set it to web"),
        ErrorCase(word: "'open", message: "unexpected end of statement while looking for matching single-quote"),
        ErrorCase(word: "\"open", message: "unexpected end of statement while looking for matching double-quote"),
        ErrorCase(word: #"${HOME#\x}"#, message: #"invalid pattern (\x) in substitution: invalid escape '\x'"#),
        // BuildKit matches suffixes on the reversed pattern, and says so.
        ErrorCase(word: #"${HOME%a\x}"#, message: #"invalid pattern (\xa) in substitution: invalid escape '\x'"#),
        ErrorCase(word: #"${HOME/"\""/y}"#, message: #"invalid pattern (\") in substitution: invalid escape '\"'"#),
    ]

    @Test("Errors are worded like BuildKit's", arguments: errors)
    func errorMessages(_ testCase: ErrorCase) {
        let result = expander.expand(testCase.word, environment: ExpansionCase.home)
        guard case .failure(let error) = result else {
            Issue.record("expected an error for \(testCase.word), got \(result)")
            return
        }
        #expect(error.message == testCase.message)
        #expect(error.word == testCase.word)
    }

    @Test("The full message carries BuildKit's prefix with the word quoted as Go quotes it")
    func fullMessage() {
        let result = expander.expand("a\"b", environment: [:])
        guard case .failure(let error) = result else {
            Issue.record("expected an error")
            return
        }
        #expect(error.description == #"failed to process "a\"b": "#
            + "unexpected end of statement while looking for matching double-quote")
        #expect("\(error)" == error.description)
    }

    @Test("Substitutions longer than the limit stop with an error")
    func substitutionLimit() {
        let limit = VariableExpander.maximumSubstitutionLength
        let half = String(repeating: "a", count: limit / 2)
        let environment = ["HALF": half, "LONG": half + half + "a", "B": "bb"]
        func kind(_ word: String) -> VariableExpansionError.Kind? {
            guard case .failure(let error) = expander.expand(word, environment: environment) else { return nil }
            return error.kind
        }
        // Two halves fill the limit exactly; a third byte of substitution passes it.
        #expect(expander.expand("${HALF}${HALF}", environment: environment) == .success(half + half))
        #expect(expander.expand("x${HALF}${HALF}y", environment: environment) == .success("x" + half + half + "y"))
        #expect(kind("${HALF}${HALF}$B") == .substitutionTooLong)
        // A value longer than the limit fails as soon as it is read, whatever the operator.
        #expect(kind("$LONG") == .substitutionTooLong)
        #expect(kind("${LONG#a}") == .substitutionTooLong)
        // Replacing every match multiplies the length: refused before it is built.
        #expect(kind("${HALF//a/bbb}") == .substitutionTooLong)
        #expect(expander.expand("${HALF/a/bbb}", environment: environment) == .success("bbb" + half.dropFirst()))
        #expect(expander.expand("${B//b/ccc}", environment: environment) == .success("cccccc"))
    }

    @Test("Absurdly deep nesting stops with an error instead of exhausting the stack")
    func deepNesting() {
        let depth = VariableExpander.maximumNestingDepth + 5
        let word = String(repeating: "${A:-", count: depth) + "x" + String(repeating: "}", count: depth)
        let result = expander.expand(word, environment: [:])
        guard case .failure(let error) = result else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .nestingTooDeep)

        let shallow = String(repeating: "${A:-", count: 50) + "x" + String(repeating: "}", count: 50)
        #expect(expander.expand(shallow, environment: [:]) == .success("x"))
    }

    // MARK: - Backtick escape

    @Test("Under `# escape=`` the backtick escapes and the backslash is a plain character")
    func backtickEscape() {
        let backtick = VariableExpander(escape: "`")
        let environment = ["HOME": "C:\\Users"]
        #expect(backtick.expand("`$HOME", environment: environment) == .success("$HOME"))
        #expect(backtick.expand(#"\$HOME"#, environment: environment) == .success(#"\C:\Users"#))
        #expect(backtick.expand(#"C:\Program` Files"#, environment: [:]) == .success(#"C:\Program Files"#))
        #expect(backtick.expand("\"a`\"b\"", environment: [:]) == .success("a\"b"))
        #expect(backtick.expand("\"`$HOME\"", environment: environment) == .success("$HOME"))
        #expect(backtick.expand("``", environment: [:]) == .success("`"))
        #expect(backtick.expandWords("a` b c", environment: [:]) == .success(["a b", "c"]))
    }

    @Test("The expander takes the escape character of a parsed file")
    func escapeFromSyntax() {
        let syntax = DockerfileSyntax.parse("# escape=`\nFROM scratch\n")
        #expect(VariableExpander(syntax: syntax).escape == "`")
        #expect(VariableExpander(syntax: DockerfileSyntax.parse("FROM scratch\n")).escape == "\\")
    }

    // MARK: - Words

    struct WordsCase: Sendable, CustomTestStringConvertible {
        let word: String
        let expected: [String]?
        var testDescription: String { word }
    }

    static let wordEnvironment = ["SPACED": "one  two", "LEADING": "  lead in", "TRAILING": "tail end   ", "W": "w"]

    static let words: [WordsCase] = [
        WordsCase(word: "single", expected: ["single"]),
        WordsCase(word: "one two   three", expected: ["one", "two", "three"]),
        WordsCase(word: "a${SPACED}b", expected: ["aone", "twob"]),
        WordsCase(word: "a\"${SPACED}\"b", expected: ["aone  twob"]),
        WordsCase(word: "a \"${SPACED}\"b", expected: ["a", "one  twob"]),
        WordsCase(word: "x${LEADING}y", expected: ["x", "lead", "iny"]),
        WordsCase(word: "x${TRAILING}", expected: ["xtail", "end"]),
        WordsCase(word: "x\"${TRAILING}\"y", expected: ["xtail end   y"]),
        WordsCase(word: #"one\ word"#, expected: ["one word"]),
        WordsCase(word: #"say\" hi"#, expected: ["say\"", "hi"]),
        WordsCase(word: "'$W x'", expected: ["$W x"]),
        WordsCase(word: "\"\"", expected: []),
        WordsCase(word: "80/tcp ${UNSET} 443", expected: ["80/tcp", "443"]),
        WordsCase(word: "say\" hi", expected: nil),
    ]

    @Test("Words are split after expansion, as ProcessWords splits them", arguments: words)
    func wordSplitting(_ testCase: WordsCase) {
        let result = expander.expandWords(testCase.word, environment: Self.wordEnvironment)
        switch (result, testCase.expected) {
        case (.success(let words), .some(let expected)):
            #expect(words == expected)
        case (.failure, .none):
            break
        default:
            Issue.record("\(testCase.word): expected \(String(describing: testCase.expected)), got \(result)")
        }
    }

    // MARK: - Referenced names

    @Test("Evaluation records the names looked up, in order, defined or not")
    func recordedNames() throws {
        let expansion = expander.evaluate("${A:-$B} $C ${A}", environment: ["A": "1", "C": "3"])
        #expect(expansion.value == "1 3 1")
        #expect(expansion.referencedNames == ["B", "A", "C"])
        #expect(expansion.undefinedNames == ["B"])
        #expect(expansion.definedNames == ["A", "C"])
        #expect(try expander.expandWords("${A:-$B} $C ${A}", environment: ["A": "1", "C": "3"]).get() == ["1", "3", "1"])
    }

    @Test("Referenced names ignore values and required checks, and skip quoted and escaped text")
    func referencedNames() {
        #expect(expander.referencedNames(in: "${REQUIRED:?must be set}/${X:-$Y}") == ["REQUIRED", "Y", "X"])
        #expect(expander.referencedNames(in: #"'$QUOTED' \$ESCAPED "$DOUBLE""#) == ["DOUBLE"])
        #expect(expander.referencedNames(in: "$1 $@ ${#}") == ["1", "@", "#"])
        #expect(expander.referencedNames(in: "$GOOD ${") == ["GOOD"])
        #expect(expander.referencedNames(in: "no variables") == [])
    }

    @Test("A byte-order mark opening the word is skipped, as Go's scanner skips it")
    func leadingByteOrderMark() {
        #expect(expander.expand("\u{FEFF}$APP", environment: ["APP": "x"]) == .success("x"))
        #expect(expander.expand("a\u{FEFF}", environment: [:]) == .success("a\u{FEFF}"))
    }

    @Test("Variable substitution applies to the instructions Docker substitutes in")
    func substitutingInstructions() {
        let substituting = InstructionKind.allCases.filter(\.substitutesVariables).map(\.keyword)
        #expect(substituting == [
            "ADD", "ARG", "COPY", "ENV", "EXPOSE", "FROM", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
        ])
    }

    // MARK: - Helpers

    private func check(_ testCase: ExpansionCase, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let result = expander.expand(testCase.word, environment: testCase.environment)
        switch (result, testCase.expected) {
        case (.success(let value), .some(let expected)):
            #expect(value == expected, sourceLocation: sourceLocation)
        case (.failure, .none):
            break
        default:
            Issue.record(
                "\(testCase.word): expected \(String(describing: testCase.expected)), got \(result)",
                sourceLocation: sourceLocation)
        }
    }
}
