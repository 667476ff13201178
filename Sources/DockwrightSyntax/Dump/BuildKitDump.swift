/// Renders a parsed Dockerfile in the two shapes BuildKit's parser is checked against.
public enum BuildKitDump {
    /// The `dockerfile` Python package's fields for one instruction, as a JSON object.
    ///
    /// `cmd` and `sub_cmd` are the keywords as written; `flags` are the outer
    /// instruction's (BuildKit keeps an ONBUILD trigger's flags on the inner node,
    /// which the package does not report); `value` gives ENV and LABEL as
    /// alternating keys and values; `original` is the joined line, followed for
    /// heredocs by a line end and, for each, its body and delimiter line. Like the
    /// package, an empty `cmd`, `sub_cmd` or `original` is null.
    public static func jsonObject(_ instruction: InstructionSyntax) -> String {
        func stringOrNull(_ text: String?) -> String {
            guard let text, !text.isEmpty else { return "null" }
            return jsonString(text)
        }
        let subcommand = instruction.trigger?.keyword.text
        let isJSON = instruction.trigger?.isExecForm ?? instruction.isExecForm
        var original = instruction.logicalText.string
        if !instruction.heredocs.isEmpty {
            original += "\n"
            for heredoc in instruction.heredocs { original += heredoc.content + heredoc.name + "\n" }
        }
        let heredocs = instruction.heredocs.map { heredoc in
            "{\"name\": \(jsonString(heredoc.name)), \"file_descriptor\": \(heredoc.fileDescriptor), "
                + "\"content\": \(jsonString(heredoc.content))}"
        }
        let fields = [
            "\"cmd\": \(stringOrNull(instruction.keyword.text))",
            "\"sub_cmd\": \(stringOrNull(subcommand))",
            "\"json\": \(isJSON)",
            "\"original\": \(stringOrNull(original))",
            "\"start_line\": \(instruction.startLine)",
            "\"end_line\": \(instruction.endLine)",
            "\"flags\": [\(instruction.flags.map { jsonString($0.text) }.joined(separator: ", "))]",
            "\"value\": [\(instruction.values.map(jsonString).joined(separator: ", "))]",
            "\"heredocs\": [\(heredocs.joined(separator: ", "))]",
        ]
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// The instructions as a JSON array, one object per line.
    public static func json(_ syntax: DockerfileSyntax) -> String {
        let objects = syntax.instructions.map(jsonObject)
        if objects.isEmpty { return "[]" }
        return "[\n  " + objects.joined(separator: ",\n  ") + "\n]"
    }

    /// BuildKit's `Node.Dump()` of the whole file: one s-expression per instruction,
    /// as in the `result` files of BuildKit's parser tests.
    ///
    /// This follows current BuildKit, where ENV and LABEL pairs carry a third value,
    /// the separator (`=` or empty for the legacy form).
    public static func sExpressions(_ syntax: DockerfileSyntax) -> String {
        syntax.instructions.map { "(" + sExpression($0) + ")\n" }.joined()
    }

    private static func sExpression(_ instruction: InstructionSyntax) -> String {
        var text = instruction.keyword.text.lowercased()
        if !instruction.flags.isEmpty {
            text += " [" + instruction.flags.map { GoQuote.quote($0.text) }.joined(separator: " ") + "]"
        }
        for part in sExpressionParts(instruction.arguments) { text += " " + part }
        return text.trimmingGoSpace()
    }

    private static func sExpressionParts(_ arguments: InstructionArguments) -> [String] {
        switch arguments {
        case .none: return []
        case .ignored: return [GoQuote.quote("")]
        case .execForm(let tokens), .words(let tokens): return tokens.map { GoQuote.quote($0.text) }
        case .shellForm(let token), .text(let token): return [GoQuote.quote(token.text)]
        case .keyValuePairs(let pairs, _):
            return pairs.flatMap { [GoQuote.quote($0.key.text), GoQuote.quote($0.value.text), GoQuote.quote($0.separator)] }
        case .healthcheck(let type, let command): return [GoQuote.quote(type.text)] + sExpressionParts(command)
        case .trigger(let inner): return ["(" + sExpression(inner) + ")"]
        }
    }

    /// A JSON string literal with the escapes every JSON reader accepts; built on
    /// UTF-8 bytes, since reports can hold many thousands of them.
    public static func jsonString(_ text: String) -> String {
        // Most strings need no escape: quote them without a byte buffer (reports write
        // several strings per finding).
        if !text.utf8.contains(where: needsEscape) { return "\"" + text + "\"" }
        var output: [UInt8] = [UInt8(ascii: "\"")]
        output.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "\\"))
            case 0x0A: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "n"))
            case 0x0D: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "r"))
            case 0x09: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "t"))
            case 0x08: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "b"))
            case 0x0C: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "f"))
            case 0x00..<0x20, 0x7F:
                output.append(contentsOf: "\\u00".utf8)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
        return String(decoding: output, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }
}

extension String {
    /// `strings.TrimSpace` on a Swift string.
    func trimmingGoSpace() -> String {
        let bytes = Array(utf8)
        let range = GoText.trimSpace(bytes, 0..<bytes.count)
        return String(decoding: bytes[range], as: UTF8.self)
    }
}
