import DockwrightCore
import DockwrightSyntax

/// Flags `ENV key value` and `LABEL key value`, the legacy whitespace-separated form.
public struct LegacyKeyValueFormatRule: Rule {
    public static let description = RuleDescription(
        code: "DW104", name: "legacy-key-value-format", category: .style,
        summary: "Use `key=value` instead of the legacy `key value` form", severity: .warning, fix: .sometimes,
        rationale: """
            ## Why
            `ENV key value` sets one variable to the whole rest of the instruction, spaces \
            included, while `ENV key=value` sets several variables, each value one word. The \
            two forms look alike and read differently: `ENV A b C=d` sets `A` to `b C=d`. \
            The Dockerfile reference marks the legacy form as discouraged and may drop it.

            Like BuildKit, each `ENV` and `LABEL` of the stages is checked; the one inside an \
            `ONBUILD` is not, as it runs in another build.

            ## Fix safety
            The legacy value is the rest of the instruction, with its lines joined, read as a \
            single word (quotes and variables processed, spaces kept). The fix writes \
            `key=value` only when that is provably the same value:
            - when the value is already a single word (no blank outside quotes), the blanks \
            after the key become `=`: `ENV PATH $PATH:/opt/bin` becomes `ENV PATH=$PATH:/opt/bin`;
            - when the value has blanks but no quote, `$` or escape character, it is also \
            wrapped in double quotes, which keep the blanks and have nothing else to process: \
            `LABEL description My app` becomes `LABEL description="My app"`.

            A value continued over several lines keeps its lines; BuildKit joins them \
            before reading the value, and the continuation lines' leading blanks stay part of \
            it either way (the Dockerfile reference warns about them). The key's lines are \
            joined to it, but a comment between the key and the value, a key with quotes, \
            `$` or the escape character, and any other value are reported without a fix.

            ## References
            BuildKit check `LegacyKeyValueFormat`.
            """,
        triggering: [
            Example("FROM alpine:3.20\nENV ↓PATH /opt/bin:$PATH\n"),
            Example("FROM alpine:3.20\nLABEL ↓description My app\n"),
            Example("FROM alpine:3.20\nenv ↓A b C=d\n"),
            Example("FROM alpine:3.20\nENV ↓GREETING \"hello world\" again\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nENV PATH=/opt/bin:$PATH\n"),
            Example("FROM alpine:3.20\nLABEL description=\"My app\" version=1.0\n"),
            Example("FROM alpine:3.20\nONBUILD ENV A b\n"),
        ],
        fixes: [
            FixExample("FROM alpine:3.20\nENV PATH /opt/bin:$PATH\n", "FROM alpine:3.20\nENV PATH=/opt/bin:$PATH\n", .safe),
            FixExample(
                "FROM alpine:3.20\nLABEL description   My   app\n", "FROM alpine:3.20\nLABEL description=\"My   app\"\n",
                .safe),
            FixExample(
                "FROM alpine:3.20\nENV MSG \"a  b\"'c d'\n", "FROM alpine:3.20\nENV MSG=\"a  b\"'c d'\n", .safe),
            FixExample(
                "FROM alpine:3.20\nENV DEPS \\\n    curl \\\n    # vcs\n    git\n",
                "FROM alpine:3.20\nENV DEPS=\"curl \\\n    # vcs\n    git\"\n", .safe),
        ],
        buildKitCheckName: "LegacyKeyValueFormat"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.stages.stages.flatMap(\.instructions).compactMap { instruction in
            guard instruction.kind == .env || instruction.kind == .label,
                  case .keyValuePairs(let pairs, let isLegacyForm) = instruction.arguments, isLegacyForm,
                  let pair = pairs.first else { return nil }
            let keyword = instruction.keyword.text
            return Violation(
                range: TextRange(start: pair.key.range.start, end: pair.value.range.start),
                message: "`\(keyword) \(pair.key.text) …` uses the legacy whitespace form; "
                    + "write `\(keyword) \(pair.key.text)=…`",
                fix: fix(pair, context))
        }
    }
}

// MARK: - Fix

private extension LegacyKeyValueFormatRule {
    func fix(_ pair: KeyValuePair, _ context: RuleContext) -> Fix? {
        let source = context.syntax.source
        let escape = context.syntax.escapeCharacter
        let key = pair.key.text
        guard source.text(in: pair.key.range) == key,
              !key.contains(where: { $0 == "\"" || $0 == "'" || $0 == "$" || $0 == "=" || $0 == escape })
        else { return nil }
        // Between key and value only blanks, line ends and continuations: no comment to lose.
        let separator = TextRange(start: pair.key.range.end, end: pair.value.range.start)
        guard source.text(in: separator).allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r\n" || $0 == "\n" || $0 == escape })
        else { return nil }
        let value = pair.value.text
        let title = "Write `\(key)=…`"
        if Self.isBareWord(value, escape: escape) || Self.buildKitWords(value, escape: escape) == [value] {
            return Fix(title: title, applicability: .safe, edits: [Edit(range: separator, replacement: "=")])
        }
        guard !value.contains(where: { $0 == "\"" || $0 == "'" || $0 == "$" || $0 == escape }) else { return nil }
        return Fix(title: title, applicability: .safe, edits: [
            Edit(range: separator, replacement: "=\""), Edit.insert("\"", at: pair.value.range.end),
        ])
    }

    /// Whether `text` is ASCII without blanks, quotes or the escape character: one word
    /// of ``buildKitWords(_:escape:)``, told from its bytes (most values are).
    static func isBareWord(_ text: String, escape: Character) -> Bool {
        guard let escapeByte = escape.asciiValue, !text.isEmpty else { return false }
        return text.utf8.allSatisfy { byte in
            byte < 0x80 && byte != 0x20 && !(0x09...0x0D).contains(byte) && byte != UInt8(ascii: "\"")
                && byte != UInt8(ascii: "'") && byte != escapeByte
        }
    }

    /// BuildKit's `parseWords` (parser/line_parsers.go): how `ENV`/`LABEL` split their
    /// `key=value` words, quotes and escapes kept in the words.
    static func buildKitWords(_ text: String, escape: Character) -> [String] {
        let characters = Array(text)
        var words: [String] = []
        var word = ""
        var isInWord = false
        var quote: Character?
        var blankOK = false
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                if character == open {
                    quote = nil
                } else if character == escape && open != "'" {
                    // The escape character keeps the next one inside double quotes; at the end it is dropped.
                    guard index + 1 < characters.count else { quote = nil; index += 1; continue }
                    word.append(character)
                    index += 1
                    word.append(characters[index])
                    index += 1
                    continue
                }
                word.append(character)
                index += 1
                continue
            }
            if character.isWhitespace {
                if isInWord && (blankOK || !word.isEmpty) { words.append(word) }
                if isInWord { word = ""; blankOK = false }
                isInWord = false
                index += 1
                continue
            }
            isInWord = true
            if character == "'" || character == "\"" {
                quote = character
                blankOK = true
            }
            if character == escape {
                guard index + 1 < characters.count else { index += 1; continue }
                word.append(character)
                index += 1
            }
            word.append(characters[index])
            index += 1
        }
        if isInWord && (blankOK || !word.isEmpty) { words.append(word) }
        return words
    }
}
