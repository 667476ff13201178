import DockwrightSyntax

extension ShellParameterExpansion {
    /// The value of `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME-word}`, `${NAME:+word}`,
    /// `${NAME+word}`, `${NAME/pattern/text}` and `${NAME//pattern/text}` for variables
    /// known from `environment`; nil when the value depends on what only the running
    /// shell knows (another operator, a glob pattern, an operand `operandValue` cannot read).
    ///
    /// The one reading of shell parameters every rule uses. A name missing from
    /// `environment` is taken as unset: `${VERSION:-1.0}` is `1.0`.
    public func value(in environment: some VariableValues, operandValue: (ShellWord) -> String?) -> String? {
        let current = environment.value(of: name)
        switch operatorText {
        case "":
            return current
        case ":-", "-":
            if let current, !(operatorText == ":-" && current.isEmpty) { return current }
            guard let operand else { return "" }
            return operandValue(operand)
        case ":+", "+":
            let isSet = operatorText == ":+" ? !(current ?? "").isEmpty : current != nil
            guard isSet else { return "" }
            guard let operand else { return "" }
            return operandValue(operand)
        case "/", "//":
            // `${PACKAGES//,/ }`: a literal pattern (no glob) replaced in a known value.
            guard let current, let operand = operand?.literalValue else { return nil }
            let pieces = operand.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            let pattern = String(pieces[0])
            let replacement = pieces.count > 1 ? String(pieces[1]) : ""
            guard !pattern.isEmpty, !pattern.contains(where: { "*?[\\".contains($0) }) else { return nil }
            return current.replacing(pattern, with: replacement, maxReplacements: operatorText == "//" ? .max : 1)
        default:
            return nil
        }
    }
}
