import DockwrightCore
import DockwrightRules
import DockwrightSyntax

extension LanguageServer {
    /// `textDocument/hover`: on a rule code or name in a `# dockwright`/`# hadolint`
    /// pragma or a `# check=` directive, the rule's documentation; on an instruction
    /// keyword, what it does and the rules that check it; on a finding, the finding and
    /// its fix. Several apply at once when the position is on several.
    func hover(_ params: JSONValue) throws(RequestError) -> JSONValue {
        let uri = try documentURI(params)
        guard let position = LSPPosition(params["position"]) else { throw .invalidParams("position must be an LSP position") }
        guard let (document, analysis) = analysis(of: uri) else { return .null }
        let encoding = state.withLock { self.encoding }
        let offset = document.offset(of: position, encoding)
        let syntax = analysis.result.syntax
        var sections: [String] = []
        var hoverRange: TextRange?

        if let (range, rule) = ruleInPragma(at: offset, in: syntax) {
            sections.append(Self.documentation(of: rule))
            hoverRange = range
        }
        if let instruction = keywordInstruction(at: offset, in: syntax), let kind = instruction.kind {
            sections.append(Self.documentation(of: kind))
            hoverRange = hoverRange ?? instruction.keyword.range
        }
        let findings = analysis.result.diagnostics.filter {
            $0.range.start <= offset && (offset < $0.range.end || ($0.range.isEmpty && offset == $0.range.start))
        }
        for finding in findings {
            var text = "**\(finding.code)** `\(finding.name)` (\(finding.severity.rawValue)): \(finding.message)"
            if let fix = finding.fix {
                let safety = switch fix.applicability {
                case .safe: "safe fix"
                case .unsafe: "unsafe fix: review what it changes"
                case .displayOnly: "suggestion, not applied automatically"
                }
                text += "\n\nFix: \(fix.title) (\(safety))"
            }
            if !finding.url.isEmpty { text += "\n\n[\(finding.code) in Rules.md](\(finding.url))" }
            sections.append(text)
            hoverRange = hoverRange ?? finding.range
        }
        guard !sections.isEmpty else { return .null }
        let formats = clientCapabilities["textDocument"]?["hover"]?["contentFormat"]?.arrayValue?.compactMap(\.stringValue)
        let kind = formats.map { $0.isEmpty || $0.contains("markdown") ? "markdown" : "plaintext" } ?? "markdown"
        var result: [String: JSONValue] = [
            "contents": ["kind": .string(kind), "value": .string(sections.joined(separator: "\n\n---\n\n"))],
        ]
        if let hoverRange { result["range"] = document.json(hoverRange, encoding) }
        return .object(result)
    }

    /// The rule named by the word at `offset`, when it sits in a suppression pragma or a
    /// `# check=` directive.
    private func ruleInPragma(at offset: Int, in syntax: DockerfileSyntax) -> (TextRange, RuleDescription)? {
        guard let item = syntax.items.first(where: { $0.range.start <= offset && offset < $0.range.end }),
              case .trivia(let line) = item, line.kind == .comment || line.kind == .directive else { return nil }
        let text = syntax.source.text(in: line.range)
        let isCheckDirective = syntax.directives.contains { $0.name == "check" && $0.range.start == line.range.start }
        guard isCheckDirective || IgnorePragma(comment: text) != nil else { return nil }
        let bytes = syntax.source.bytes
        func isWordByte(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        var start = offset
        while start > line.range.start, isWordByte(bytes[start - 1]) { start -= 1 }
        var end = offset
        while end < line.range.end, isWordByte(bytes[end]) { end += 1 }
        guard start < end else { return nil }
        let word = String(decoding: bytes[start..<end], as: UTF8.self)
        let lowered = word.lowercased()
        for rule in BuiltinRules.all {
            let description = rule.description
            if description.code == word.uppercased() || description.name == lowered
                || description.buildKitCheckName?.lowercased() == lowered {
                return (TextRange(start: start, end: end), description)
            }
        }
        return nil
    }

    /// The instruction (or ONBUILD trigger) whose keyword is at `offset`.
    private func keywordInstruction(at offset: Int, in syntax: DockerfileSyntax) -> InstructionSyntax? {
        for instruction in syntax.instructions where instruction.range.start <= offset && offset <= instruction.range.end {
            if instruction.keyword.range.start <= offset && offset <= instruction.keyword.range.end { return instruction }
            if let trigger = instruction.trigger,
               trigger.keyword.range.start <= offset && offset <= trigger.keyword.range.end { return trigger }
        }
        return nil
    }

    /// A rule's hover text: identity, summary, rationale and link.
    static func documentation(of rule: RuleDescription) -> String {
        let fix = switch rule.fixAvailability {
        case .none: "no automatic fix"
        case .sometimes: "fixable in some cases"
        case .always: "fixable"
        }
        return "### \(rule.code) `\(rule.name)`\n\n\(rule.summary)\n\n"
            + "*\(rule.category.title), \(rule.severity.rawValue), \(fix)*\n\n\(rule.rationale)\n\n[\(rule.code) in Rules.md](\(rule.url))"
    }

    /// An instruction's hover text: what it does and the rules that check it.
    static func documentation(of kind: InstructionKind) -> String {
        var text = "### \(kind.keyword)\n\n\(InstructionDocumentation.summary(of: kind))"
        let rules = InstructionDocumentation.rules(for: kind)
        if !rules.isEmpty {
            text += "\n\nRules that check it:\n"
            for rule in rules { text += "\n- [\(rule.code)](\(rule.url)) `\(rule.name)`: \(rule.summary)" }
        }
        return text
    }
}
