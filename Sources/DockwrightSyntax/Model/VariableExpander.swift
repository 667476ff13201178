/// Docker's variable substitution, as BuildKit's shell lexer (`shell.Lex`) performs it
/// on the words of ADD, COPY, ENV, EXPOSE, FROM, LABEL, STOPSIGNAL, USER, VOLUME,
/// WORKDIR and ARG defaults.
///
/// It mirrors `ProcessWord` and `ProcessWords`:
/// - `$name`, `${name}`, and `${name:-w}`, `${name-w}`, `${name:+w}`, `${name+w}`,
///   `${name:?w}`, `${name?w}`, `${name#p}`, `${name##p}`, `${name%p}`, `${name%%p}`,
///   `${name/p/r}`, `${name//p/r}`, nested to any depth inside the word;
/// - a name is letters, digits and `_`, or a run of digits, or one special parameter
///   (`@ * # ? - $ !`); a `$` before anything else stays a `$`;
/// - the escape character (`\`, or `` ` `` under `# escape=``) makes the next
///   character literal and is dropped; single quotes are literal; inside double
///   quotes it escapes only `"`, `$` and itself;
/// - quotes are removed.
///
/// Every call reads the word once, so time is linear in its length (pattern
/// operators add a factor of the pattern's length).
public struct VariableExpander: Hashable, Sendable {
    /// The escape character: `\`, or `` ` `` under `# escape=``.
    public let escape: Character

    /// How deeply `${…}` may nest before expansion stops with an error.
    public static let maximumNestingDepth = 200

    /// How many bytes the substitutions of one word may produce before expansion stops
    /// with an error. BuildKit has no limit, but a value can double on every line
    /// (`ENV A=${A}${A}`: 30 lines would need gigabytes) or grow by a byte per line
    /// (`ENV A=${A}b`: the values' total is quadratic in the file); past this, the word
    /// does not expand, as a malformed word does not, and its value is unknown.
    public static let maximumSubstitutionLength = 16_384

    /// Creates an expander that uses `escape` as the escape character.
    public init(escape: Character = "\\") {
        self.escape = escape
    }

    /// Creates an expander that uses the escape character of `syntax`.
    public init(syntax: DockerfileSyntax) {
        self.init(escape: syntax.escapeCharacter)
    }

    /// Expands `word` against `environment` and removes quotes (BuildKit's `ProcessWord`).
    public func expand(_ word: String, environment: [String: String]) -> Result<String, VariableExpansionError> {
        evaluate(word, in: environment).result
    }

    /// Expands `word` against `environment` (for example ``ArgScope/variables(before:)``)
    /// and removes quotes.
    public func expand(
        _ word: String, environment: some VariableValues
    ) -> Result<String, VariableExpansionError> {
        evaluate(word, in: environment).result
    }

    /// Expands `word`, then splits it into words on unquoted, unescaped whitespace,
    /// removing quotes (BuildKit's `ProcessWords`, as EXPOSE uses it).
    public func expandWords(_ word: String, environment: [String: String]) -> Result<[String], VariableExpansionError> {
        let (expansion, words) = evaluate(word, in: environment, splitsWords: true)
        return expansion.result.map { _ in words }
    }

    /// Expands and splits `word` as ``expandWords(_:environment:)`` does, against any
    /// environment.
    public func expandWords(
        _ word: String, environment: some VariableValues
    ) -> Result<[String], VariableExpansionError> {
        let (expansion, words) = evaluate(word, in: environment, splitsWords: true)
        return expansion.result.map { _ in words }
    }

    /// Expands `word` and reports the value and the variables it looked up.
    public func evaluate(_ word: String, environment: [String: String]) -> VariableExpansion {
        evaluate(word, in: environment)
    }

    /// Expands `word` as ``evaluate(_:environment:)`` does, against any environment,
    /// for example ``ArgScope/variables(before:)``.
    public func evaluate(_ word: String, environment: some VariableValues) -> VariableExpansion {
        evaluate(word, in: environment)
    }

    /// Expands `word` as ``evaluate(_:environment:)`` does, with its substitutions allowed
    /// at most `substitutionLimit` bytes (fewer than ``maximumSubstitutionLength``): what
    /// ``ArgScope`` uses to keep the values of a whole file within a budget.
    public func evaluate(
        _ word: String, environment: some VariableValues, substitutionLimit: Int
    ) -> VariableExpansion {
        evaluate(word, in: environment, substitutionLimit: min(substitutionLimit, Self.maximumSubstitutionLength))
    }

    private func evaluate<Environment: VariableValues>(
        _ word: String, in environment: Environment, substitutionLimit: Int = maximumSubstitutionLength
    ) -> VariableExpansion {
        evaluate(word, in: environment, substitutionLimit: substitutionLimit, splitsWords: false).expansion
    }

    private func evaluate<Environment: VariableValues>(
        _ word: String, in environment: Environment, substitutionLimit: Int = maximumSubstitutionLength,
        splitsWords: Bool
    ) -> (expansion: VariableExpansion, words: [String]) {
        // The lexer treats only `$`, quotes and the escape character specially; a word
        // without them is its own value (most ARG defaults and image names).
        if !hasSpecialCharacters(word) {
            let words = !splitsWords ? [] : word.unicodeScalars
                .split(whereSeparator: { GoText.isSpace($0.value) })
                .map { String(String.UnicodeScalarView($0)) }
            return (VariableExpansion(result: .success(word), referencedNames: [], undefinedNames: []), words)
        }
        var evaluator = Evaluator(
            word: word, escape: escapeScalar, environment: environment, raisesRequiredErrors: true,
            splitsWords: splitsWords, substitutionAllowance: substitutionLimit)
        return evaluator.run()
    }

    /// Whether `word` holds a `$`, a quote or the escape character, searched byte by byte.
    private func hasSpecialCharacters(_ word: String) -> Bool {
        let escape = escapeScalar
        guard escape.isASCII else {
            return word.unicodeScalars.contains { $0 == "$" || $0 == "'" || $0 == "\"" || $0 == escape }
        }
        let escapeByte = UInt8(truncatingIfNeeded: escape.value)
        return word.utf8.contains { byte in
            byte == UInt8(ascii: "$") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") || byte == escapeByte
        }
    }

    /// The variable names `word` refers to, in the order first used, whatever their
    /// values; `${name:?…}` checks are not applied. A malformed word yields the names
    /// before the error.
    public func referencedNames(in word: String) -> [String] {
        // Only a `$` refers to a variable: a word without one names none, whatever else
        // it holds (rules ask this of every ENV and ARG value).
        guard word.utf8.contains(UInt8(ascii: "$")) else { return [] }
        var evaluator = Evaluator(
            word: word, escape: escapeScalar, environment: [String: String](), raisesRequiredErrors: false,
            splitsWords: false, substitutionAllowance: Self.maximumSubstitutionLength)
        return evaluator.run().0.referencedNames
    }

    private var escapeScalar: Unicode.Scalar {
        escape.unicodeScalars.first ?? "\\"
    }

    // MARK: - Character classes

    /// Go's `unicode.IsLetter`: the letter categories. ASCII, nearly every name, is
    /// answered without the Unicode property tables, as Go's own fast path does.
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// Go's `unicode.IsDigit`: decimal digits in any script (in ASCII, `0`–`9`).
    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar >= "0" && scalar <= "9" }
        return scalar.properties.generalCategory == .decimalNumber
    }

    /// BuildKit's `isSpecialParam`: POSIX special parameters, read as one-character names.
    static func isSpecialParameter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "@", "*", "#", "?", "-", "$", "!", "0": return true
        default: return false
        }
    }
}

// MARK: - Evaluation

/// One run of BuildKit's `shellWord` over a word.
///
/// It reads the word's UTF-8 bytes: every character the lexer treats specially is
/// ASCII, so plain text is copied in runs of bytes and a scalar is decoded only where
/// a non-ASCII one could matter (a name, a split, an escaped character). Building the
/// value a scalar at a time cost about 15,000 instructions a word, and ARG, ENV and
/// path words are expanded for every file.
private struct Evaluator<Environment: VariableValues> {
    typealias Failure = VariableExpansionError

    let bytes: [UInt8]
    let word: String
    let escape: Unicode.Scalar
    let environment: Environment
    /// False when only collecting names: `${name?…}` then never fails.
    let raisesRequiredErrors: Bool
    /// Whether the top level splits the value into words (only EXPOSE asks).
    let splitsWords: Bool
    var position = 0
    var depth = 0
    var referencedNames: [String] = []
    var undefinedNames: [String] = []
    var seenNames: Set<String> = []
    /// The bytes substitutions may still produce (``VariableExpander/maximumSubstitutionLength``).
    var substitutionAllowance: Int

    init(
        word: String, escape: Unicode.Scalar, environment: Environment, raisesRequiredErrors: Bool,
        splitsWords: Bool, substitutionAllowance: Int
    ) {
        self.word = word
        self.bytes = Array(word.utf8)
        self.escape = escape
        self.environment = environment
        self.raisesRequiredErrors = raisesRequiredErrors
        self.splitsWords = splitsWords
        self.substitutionAllowance = substitutionAllowance
        // Go's text/scanner skips a byte-order mark at the start of its input.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    mutating func run() -> (VariableExpansion, words: [String]) {
        let result: Result<String, VariableExpansionError>
        var words: [String] = []
        do {
            let (value, splitWords) = try processStopOn(nil, rawEscapes: false, collectsWords: splitsWords)
            result = .success(value)
            words = splitWords
        } catch {
            result = .failure(error)
        }
        let expansion = VariableExpansion(
            result: result, referencedNames: referencedNames, undefinedNames: undefinedNames)
        return (expansion, words)
    }

    // MARK: Scanner

    private func failure(_ kind: VariableExpansionError.Kind) -> VariableExpansionError {
        VariableExpansionError(kind, word: word)
    }

    /// The scalar at `position` and its length in bytes; the word is a Swift string, so
    /// its bytes are valid UTF-8.
    private func scalar(at offset: Int) -> (Unicode.Scalar, width: Int) {
        let byte = bytes[offset]
        if byte < 0x80 { return (Unicode.Scalar(byte), 1) }
        let (value, width) = GoText.decodeRune(bytes, at: offset, end: bytes.count)
        return (Unicode.Scalar(value) ?? "\u{FFFD}", width)
    }

    private func peek() -> Unicode.Scalar? {
        position < bytes.count ? scalar(at: position).0 : nil
    }

    private mutating func next() -> Unicode.Scalar? {
        guard position < bytes.count else { return nil }
        let (next, width) = scalar(at: position)
        position += width
        return next
    }

    private var isAtEnd: Bool { position >= bytes.count }

    /// Whether `byte` may be copied as plain text: ASCII and none of the characters
    /// that start a quote, a substitution or an escape, nor the stop character. With
    /// `keepsSpaces` false, spaces end a run too (they split words).
    private func isPlain(_ byte: UInt8, stop: UInt8?, keepsSpaces: Bool) -> Bool {
        guard byte < 0x80, byte != UInt8(ascii: "$"), byte != UInt8(ascii: "'"), byte != UInt8(ascii: "\""),
              byte != stop, UInt32(byte) != escape.value else { return false }
        return keepsSpaces || !GoText.isSpaceByte(byte)
    }

    /// The end of the run of plain bytes starting at `position`.
    private func plainRunEnd(stop: UInt8?, keepsSpaces: Bool) -> Int {
        var end = position
        while end < bytes.count, isPlain(bytes[end], stop: stop, keepsSpaces: keepsSpaces) { end += 1 }
        return end
    }

    private static func appendScalar(_ scalar: Unicode.Scalar, to result: inout [UInt8]) {
        if scalar.isASCII {
            result.append(UInt8(truncatingIfNeeded: scalar.value))
        } else {
            result.append(contentsOf: String(scalar).utf8)
        }
    }

    // MARK: Words

    /// `processStopOn`: reads up to `stop` (consumed) or the end of the word.
    ///
    /// With `rawEscapes` the escape character is kept in the output, as BuildKit keeps
    /// it for patterns so that `\*` still means a literal star.
    private mutating func processStopOn(
        _ stop: Unicode.Scalar?, rawEscapes: Bool, collectsWords: Bool
    ) throws(Failure) -> (String, [String]) {
        var result: [UInt8] = []
        var words = WordSplitter(isEnabled: collectsWords)
        // Every stop character is ASCII (`}` and `/`).
        let stopByte = stop.flatMap { $0.isASCII ? UInt8(truncatingIfNeeded: $0.value) : nil }
        scanning: while position < bytes.count {
            let runEnd = plainRunEnd(stop: stopByte, keepsSpaces: !collectsWords)
            if runEnd > position {
                words.append(plain: bytes[position..<runEnd])
                result.append(contentsOf: bytes[position..<runEnd])
                position = runEnd
                continue
            }
            let (scalar, width) = self.scalar(at: position)
            if let stop, scalar == stop {
                position += width
                return (String(decoding: result, as: UTF8.self), words.finish())
            }
            switch scalar {
            case "$":
                let value = try processDollar()
                result.append(contentsOf: value.utf8)
                words.append(splitting: value)
            case "'":
                let value = try processSingleQuote()
                result.append(contentsOf: value.utf8)
                words.append(quoted: value)
            case "\"":
                let value = try processDoubleQuote(rawEscapes: rawEscapes)
                result.append(contentsOf: value.utf8)
                words.append(quoted: value)
            default:
                position += width
                if scalar == escape {
                    if rawEscapes {
                        words.append(literal: scalar)
                        Self.appendScalar(scalar, to: &result)
                    }
                    // The escape character makes the next character literal; at the
                    // very end of the word it is dropped.
                    guard let escaped = next() else { break scanning }
                    words.append(literal: escaped)
                    Self.appendScalar(escaped, to: &result)
                } else {
                    words.append(scalar)
                    Self.appendScalar(scalar, to: &result)
                }
            }
        }
        // Callers turn this into their own message (`missing '}'`, `missing '/'`).
        if stop != nil { throw failure(.missingClosingBrace) }
        return (String(decoding: result, as: UTF8.self), words.finish())
    }

    /// Everything up to the next `'` is literal; nothing escapes inside.
    private mutating func processSingleQuote() throws(Failure) -> String {
        position += 1
        guard let end = bytes[position...].firstIndex(of: UInt8(ascii: "'")) else {
            position = bytes.count
            throw failure(.unterminatedSingleQuote)
        }
        defer { position = end + 1 }
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }

    /// Up to the next unescaped `"`; `$` expands, and the escape character escapes
    /// only `"`, `$` and itself (it stays before anything else).
    private mutating func processDoubleQuote(rawEscapes: Bool) throws(Failure) -> String {
        position += 1
        var result: [UInt8] = []
        while true {
            // Quoted text is kept whole, spaces and non-ASCII characters alike.
            var runEnd = position
            while runEnd < bytes.count,
                  (bytes[runEnd] >= 0x80 && escape.isASCII) || isPlain(bytes[runEnd], stop: nil, keepsSpaces: true) {
                runEnd += 1
            }
            if runEnd > position {
                result.append(contentsOf: bytes[position..<runEnd])
                position = runEnd
            }
            guard let scalar = peek() else { throw failure(.unterminatedDoubleQuote) }
            if scalar == "\"" {
                position += 1
                return String(decoding: result, as: UTF8.self)
            }
            if scalar == "$" {
                result.append(contentsOf: try processDollar().utf8)
                continue
            }
            // `'`, the escape character, or a non-ASCII scalar under a non-ASCII escape.
            position += self.scalar(at: position).width
            var output = scalar
            if scalar == escape {
                if rawEscapes { Self.appendScalar(scalar, to: &result) }
                guard let following = peek() else { continue }
                if following == "\"" || following == "$" || following == escape {
                    output = following
                    position += self.scalar(at: position).width
                }
            }
            Self.appendScalar(output, to: &result)
        }
    }

    // MARK: Substitutions

    /// `processDollar`: a `$` and what follows it, charged to the substitution allowance.
    private mutating func processDollar() throws(Failure) -> String {
        let value = try substitution()
        try charge(value.utf8.count)
        return value
    }

    /// Takes `length` bytes from the substitution allowance, or fails when it has fewer.
    private mutating func charge(_ length: Int) throws(Failure) {
        guard length <= substitutionAllowance else { throw failure(.substitutionTooLong) }
        substitutionAllowance -= length
    }

    /// A `$` and what follows it.
    private mutating func substitution() throws(Failure) -> String {
        position += 1
        guard peek() == "{" else {
            let name = processName()
            if name.isEmpty { return "$" }
            return try lookUp(name).value
        }
        position += 1
        switch peek() {
        case nil: throw failure(.missingClosingBrace)
        case "{", "}", ":": throw failure(.badSubstitution)
        default: break
        }
        let name = processName()
        guard let operatorScalar = next() else {
            // BuildKit reports `unsupported modifier (\u{FFFD})` here, printing its
            // end-of-input marker as a character; we report the missing brace.
            throw failure(.missingClosingBrace)
        }
        depth += 1
        defer { depth -= 1 }
        guard depth <= VariableExpander.maximumNestingDepth else { throw failure(.nestingTooDeep) }
        switch operatorScalar {
        case "}":
            return try lookUp(name).value
        case ":", "+", "-", "?", "#", "%":
            return try processModifier(operatorScalar, name: name)
        case "/":
            return try processReplacement(name: name)
        default:
            throw failure(.unsupportedModifier(String(operatorScalar)))
        }
    }

    /// `${name<op>word}` for `:` followed by an operator, `+`, `-`, `?`, `#` and `%`.
    private mutating func processModifier(_ first: Unicode.Scalar, name: String) throws(Failure) -> String {
        var modifier: Unicode.Scalar? = first
        var modifierText = String(first)
        var nullIsUnset = false
        if first == ":" {
            nullIsUnset = true
            modifier = next()
            modifierText.unicodeScalars.append(modifier ?? "\u{FFFD}")
        }
        let isPattern = modifier == "#" || modifier == "%"
        let operand: String
        do {
            operand = try processStopOn("}", rawEscapes: isPattern, collectsWords: false).0
        } catch {
            if isAtEnd { throw failure(.missingClosingBrace) }
            throw error
        }
        let (value, isSet) = try lookUp(name)
        let colon = nullIsUnset ? ":" : ""
        var pattern = operand
        let parameterOperator: ParameterOperator?
        switch modifier {
        case "-", "+", "?":
            parameterOperator = ParameterOperator(rawValue: colon + String(modifierText.unicodeScalars.last ?? "-"))
        case "#", "%":
            // `#`/`%` remove the shortest match, `##`/`%%` the longest; BuildKit reads
            // `${x:#p}` as `${x#p}`.
            let doubled = pattern.unicodeScalars.first == modifier
            if doubled { pattern.unicodeScalars.removeFirst() }
            let text = String(modifier.map(Character.init) ?? "#")
            parameterOperator = ParameterOperator(rawValue: doubled ? text + text : text)
        default:
            parameterOperator = nil
        }
        guard let parameterOperator else { throw failure(.unsupportedModifier(modifierText)) }
        if !raisesRequiredErrors && (parameterOperator == .requireSet || parameterOperator == .requireNonEmpty) {
            return value
        }
        switch parameterOperator.apply(to: isSet ? value : nil, operand: { pattern }) {
        case .value(let result):
            return result
        case .missingRequired(let isUnset):
            let message = !operand.isEmpty ? operand : isUnset ? "is not allowed to be unset" : "is not allowed to be empty"
            throw failure(.requiredVariable(name: name, message: message))
        case .invalidPattern(let shown, let reason):
            throw failure(.invalidPattern(pattern: shown, reason: reason))
        case .unknownOperand:
            return ""
        }
    }

    /// `${name/pattern/replacement}` and `${name//pattern/replacement}`.
    private mutating func processReplacement(name: String) throws(Failure) -> String {
        let replacesAll = peek() == "/"
        if replacesAll { position += 1 }
        let pattern: String
        do {
            pattern = try processStopOn("/", rawEscapes: true, collectsWords: false).0
        } catch {
            if isAtEnd { throw failure(.missingSlash) }
            throw error
        }
        let replacement: String
        do {
            replacement = try processStopOn("}", rawEscapes: true, collectsWords: false).0
        } catch {
            if isAtEnd { throw failure(.missingClosingBrace) }
            throw error
        }
        let value = try lookUp(name).value
        // Replacing every match can multiply the value's length by the replacement's:
        // refuse before building what the allowance could not hold.
        let replaced = replacesAll
            ? value.utf8.count.multipliedReportingOverflow(by: max(1, replacement.utf8.count))
            : value.utf8.count.addingReportingOverflow(replacement.utf8.count)
        if replaced.overflow || replaced.partialValue > substitutionAllowance {
            throw failure(.substitutionTooLong)
        }
        let parameterOperator: ParameterOperator = replacesAll ? .replaceAll : .replaceFirst
        switch parameterOperator.apply(to: value, operand: { pattern }, replacement: replacement) {
        case .value(let result): return result
        case .invalidPattern(let shown, let reason): throw failure(.invalidPattern(pattern: shown, reason: reason))
        case .missingRequired, .unknownOperand: return ""
        }
    }

    /// `processName`: a run of digits, one special parameter, or letters, digits and `_`.
    private mutating func processName() -> String {
        let start = position
        while position < bytes.count {
            let (scalar, width) = self.scalar(at: position)
            if position == start && VariableExpander.isDigit(scalar) {
                position += width
                while position < bytes.count {
                    let (digit, digitWidth) = self.scalar(at: position)
                    guard VariableExpander.isDigit(digit) else { break }
                    position += digitWidth
                }
                break
            }
            if position == start && VariableExpander.isSpecialParameter(scalar) {
                position += width
                break
            }
            guard VariableExpander.isLetter(scalar) || VariableExpander.isDigit(scalar) || scalar == "_" else { break }
            position += width
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// Looks `name` up and records it, as BuildKit's `getEnv` records matches. A value
    /// longer than the substitution allowance fails here, before an operator works on it:
    /// otherwise every reference to one long value would cost its length.
    private mutating func lookUp(_ name: String) throws(Failure) -> (value: String, isSet: Bool) {
        let value = environment.value(of: name)
        if seenNames.insert(name).inserted {
            referencedNames.append(name)
            if value == nil { undefinedNames.append(name) }
        }
        if let value, value.utf8.count > substitutionAllowance { throw failure(.substitutionTooLong) }
        return (value ?? "", value != nil)
    }
}

// MARK: - Word splitting

/// BuildKit's `wordsStruct`: splits the expanded text on whitespace that came from
/// plain characters or variable values, never on quoted or escaped text.
private struct WordSplitter {
    let isEnabled: Bool
    var words: [String] = []
    /// A String, not a scalar view: values are appended as whole runs, which a scalar
    /// view copies one scalar at a time through a generic iterator (a 16 KB value read
    /// at every line cost 400 instructions a byte).
    var word = ""
    var isInWord = false

    init(isEnabled: Bool) { self.isEnabled = isEnabled }

    /// `addChar`: whitespace ends the current word; other characters extend it.
    mutating func append(_ scalar: Unicode.Scalar) {
        guard isEnabled else { return }
        let isSpace = GoText.isSpace(scalar.value)
        if isSpace && isInWord {
            if !word.isEmpty {
                words.append(word)
                word = ""
                isInWord = false
            }
        } else if !isSpace {
            append(literal: scalar)
        }
    }

    /// Plain ASCII characters, none of them a space: what ``append(_:)`` does to each.
    mutating func append(plain bytes: ArraySlice<UInt8>) {
        guard isEnabled else { return }
        word += String(decoding: bytes, as: UTF8.self)
        isInWord = true
    }

    /// `addRawChar`: an escaped character, kept even when it is whitespace.
    mutating func append(literal scalar: Unicode.Scalar) {
        guard isEnabled else { return }
        word.unicodeScalars.append(scalar)
        isInWord = true
    }

    /// `addString`: a variable's value, split like plain characters. Runs between
    /// spaces are appended whole: a long value costs a copy, not a call per character.
    mutating func append(splitting text: String) {
        guard isEnabled else { return }
        let scalars = text.unicodeScalars
        var runStart = scalars.startIndex
        var index = runStart
        while index != scalars.endIndex {
            let scalar = scalars[index]
            let next = scalars.index(after: index)
            if GoText.isSpace(scalar.value) {
                if runStart != index { append(run: Substring(scalars[runStart..<index])) }
                append(scalar)
                runStart = next
            }
            index = next
        }
        if runStart != scalars.endIndex { append(run: Substring(scalars[runStart...])) }
    }

    /// Characters none of which is a space: what ``append(_:)`` does to each of them.
    private mutating func append(run: Substring) {
        word += run
        isInWord = true
    }

    /// `addRawString`: quoted text, kept whole.
    mutating func append(quoted text: String) {
        guard isEnabled else { return }
        word += text
        isInWord = true
    }

    mutating func finish() -> [String] {
        if !word.isEmpty {
            words.append(word)
            word = ""
            isInWord = false
        }
        return words
    }
}
