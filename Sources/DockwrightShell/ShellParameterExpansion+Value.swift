import DockwrightSyntax

extension ShellParameterExpansion {
    /// The value of `$NAME`, `${NAME}` and `${NAME<op>word}` for the operators Dockerfile
    /// words share with sh (``ParameterOperator``: `:-`, `-`, `:+`, `+`, `#`, `##`, `%`,
    /// `%%`, `/`, `//`) for variables known from `environment`; nil when the value
    /// depends on what only the running shell knows (another operator, an operand
    /// `operandValue` cannot read, a `?` check that would fail).
    ///
    /// The one reading of shell parameters every rule uses, with the Dockerfile's: a
    /// name missing from `environment` is unset for `${VERSION:-1.0}` (`1.0`), and
    /// unknown for a bare `$NAME` and for the patterns (it may be a variable the script
    /// sets, which the environment does not show).
    ///
    /// A value longer than ``VariableExpander/maximumSubstitutionLength`` is unknown too,
    /// as in Dockerfile words: copying a long ENV value at every reference in every RUN
    /// would cost its length each time.
    public func value(in environment: some VariableValues, operandValue: (ShellWord) -> String?) -> String? {
        let current = environment.value(of: name)
        if let current, current.utf8.count > VariableExpander.maximumSubstitutionLength { return nil }
        guard !operatorText.isEmpty else { return current }
        guard let parameterOperator = ParameterOperator(rawValue: operatorText) else { return nil }
        var pattern: String?
        var replacement = ""
        if parameterOperator.takesPattern {
            // sh's globs have bracket expressions and quoting that BuildKit's patterns
            // lack: a pattern reads alike when it has neither and its `*` and `?` are
            // unquoted.
            let parts = operand?.parts ?? []
            guard current != nil, var text = operand?.literalValue ?? (operand == nil ? "" : nil),
                  !text.contains(where: { "[]\\".contains($0) }),
                  !text.contains(where: { "*?".contains($0) }) || parts.allSatisfy({ if case .literal = $0 { true } else { false } })
            else { return nil }
            if parameterOperator == .replaceFirst || parameterOperator == .replaceAll {
                let pieces = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
                replacement = pieces.count > 1 ? String(pieces[1]) : ""
                text = String(pieces[0])
                // BuildKit reads `$1` in a replacement as a match group; sh does not.
                guard !replacement.contains("$") else { return nil }
            }
            pattern = text
        }
        let outcome = parameterOperator.apply(to: current, operand: {
            if let pattern { return pattern }
            guard let operand else { return "" }
            return operandValue(operand)
        }, replacement: replacement)
        if case .value(let value) = outcome { return value }
        return nil
    }
}
