import DockwrightSyntax

/// Text helpers shared by the rules that implement BuildKit's checks.
enum BuildKitCheckText {
    /// `value` as a double-quoted word that BuildKit's shell lexer reads back as exactly
    /// `value`, with no variable expansion: inside double quotes only `"`, `$` and the
    /// escape character are special, and the escape character before one of them
    /// yields it literally (shell/lex.go `processDoubleQuote`).
    static func doubleQuoted(_ value: String, escape: Character) -> String {
        var result = "\""
        for character in value {
            if character == "\"" || character == "$" || character == escape { result.append(escape) }
            result.append(character)
        }
        return result + "\""
    }

    /// `keyword` (an upper-case instruction keyword) in the casing of `model`, another
    /// keyword as written: lower case for `from`, upper case for `FROM`, and the file's
    /// majority for mixed spellings like `From`.
    static func keyword(_ keyword: String, like model: String, style: DockerfileStyle) -> String {
        if model == model.lowercased() && model != model.uppercased() { return keyword.lowercased() }
        if model == model.uppercased() && model != model.lowercased() { return keyword.uppercased() }
        return style.usesUppercaseKeywords ? keyword.uppercased() : keyword.lowercased()
    }
}
