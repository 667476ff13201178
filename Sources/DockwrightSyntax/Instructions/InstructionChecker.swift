/// Finds what BuildKit's instruction stage (`instructions.Parse`) rejects in a file
/// its parser accepted: unknown instructions, wrong argument counts, unknown or
/// malformed flags, instructions before the first FROM.
struct InstructionChecker {
    let items: [SyntaxItem]

    /// The kind of value a flag takes, as BuildKit's `BFlags` declares it.
    private enum FlagType { case string, strings, bool }

    /// The flags each instruction accepts (BuildKit's `parse*` functions).
    private static let acceptedFlags: [InstructionKind: [String: FlagType]] = [
        .add: ["chown": .string, "chmod": .string, "link": .bool, "keep-git-dir": .bool, "checksum": .string,
               "exclude": .strings, "unpack": .bool],
        .copy: ["from": .string, "chown": .string, "chmod": .string, "link": .bool, "parents": .bool,
                "exclude": .strings],
        .from: ["platform": .string],
        .run: ["mount": .strings, "network": .string, "security": .string, "device": .strings],
        .healthcheck: ["interval": .string, "timeout": .string, "start-period": .string,
                       "start-interval": .string, "retries": .string],
    ]

    func check() -> [SyntaxError] {
        var errors: [SyntaxError] = []
        var sawFrom = false
        var reportedMissingStage = false
        // An unknown instruction where FROM belongs (`FORM alpine`) is the cause of the
        // missing stage; its "did you mean" says so, and the stage errors would only
        // repeat it (one error per cause).
        var unknownBeforeFrom = false
        for item in items {
            guard case .instruction(let instruction) = item else { continue }
            if instruction.kind == .from { sawFrom = true }
            if instruction.kind == nil && !sawFrom { unknownBeforeFrom = true }
            if let kind = instruction.kind, kind != .arg, !sawFrom, !reportedMissingStage, !unknownBeforeFrom {
                // BuildKit stops at the first such instruction; one report says it all.
                errors.append(error("no build stage in current context", instruction.keyword.range))
                reportedMissingStage = true
            }
            check(instruction, isTrigger: false, into: &errors)
        }
        let instructions = items.compactMap { item -> InstructionSyntax? in
            if case .instruction(let instruction) = item { return instruction }
            return nil
        }
        if !instructions.isEmpty && !sawFrom && !unknownBeforeFrom, let last = instructions.last {
            errors.append(error("dockerfile contains no stages to build", .empty(at: last.range.end)))
        }
        return errors
    }

    private func check(_ instruction: InstructionSyntax, isTrigger: Bool, into errors: inout [SyntaxError]) {
        guard let kind = instruction.kind else {
            errors.append(error(unknownInstructionMessage(instruction.keyword.text), instruction.keyword.range))
            return
        }
        checkFlags(instruction, kind: kind, into: &errors)
        let keyword = kind.keyword
        let range = instruction.keyword.range
        let values = instruction.values
        switch kind {
        case .from:
            if values.count != 1 && values.count != 3 {
                errors.append(error("FROM requires either one or three arguments", range))
            } else if values.count == 3 {
                if values[1].lowercased() != "as" {
                    errors.append(error("When using FROM with AS, the second argument must be 'AS'",
                                        argumentRange(instruction, 1) ?? range))
                } else if !isValidStageName(values[2]) {
                    // BuildKit never expands stage names, so `AS $NAME` is invalid too.
                    errors.append(error(
                        "invalid name for build stage: \(GoQuote.quote(values[2])), name can't start with a number or contain symbols",
                        argumentRange(instruction, 2) ?? range))
                }
            }
        case .env, .label:
            guard case .keyValuePairs(let pairs, _) = instruction.arguments, !pairs.isEmpty else {
                if case .none = instruction.arguments {
                    errors.append(error("\(keyword) requires at least one argument", range))
                }
                return
            }
            for pair in pairs where pair.key.text.isEmpty {
                errors.append(error("\(keyword) names can not be blank", pair.key.range.isEmpty ? pair.value.range : pair.key.range))
            }
        case .arg:
            guard case .words(let words) = instruction.arguments else {
                errors.append(error("ARG requires at least one argument", range))
                return
            }
            for word in words where word.text.hasPrefix("=") || word.text.isEmpty {
                errors.append(error("ARG names can not be blank", word.range))
            }
        case .copy, .add:
            if values.count < 2 {
                errors.append(error(
                    "\(keyword) requires at least two arguments, but only one was provided. Destination could not be determined.",
                    range))
            }
        case .workdir, .user, .stopsignal, .maintainer:
            if values.count != 1 {
                errors.append(error("\(keyword) requires exactly one argument", range))
            }
        case .expose:
            if values.isEmpty { errors.append(error("EXPOSE requires at least one argument", range)) }
        case .volume:
            if values.isEmpty {
                errors.append(error("VOLUME requires at least one argument", range))
            } else if case .execForm(let tokens) = instruction.arguments {
                for token in tokens where token.text.trimmingGoSpace().isEmpty {
                    errors.append(error("VOLUME specified can not be an empty string", token.range))
                }
            }
        case .shell:
            switch instruction.arguments {
            case .execForm(let tokens) where tokens.isEmpty:
                errors.append(error("SHELL requires at least one argument", range))
            case .execForm:
                break
            default:
                errors.append(error("SHELL requires the arguments to be in JSON form", range))
            }
        case .healthcheck:
            checkHealthcheck(instruction, into: &errors)
        case .onbuild:
            guard let trigger = instruction.trigger else {
                errors.append(error("ONBUILD requires at least one argument", range))
                return
            }
            switch trigger.kind {
            case .onbuild:
                errors.append(error("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", trigger.keyword.range))
            case .from, .maintainer:
                errors.append(error("\(trigger.keyword.text.uppercased()) isn't allowed as an ONBUILD trigger",
                                    trigger.keyword.range))
            default:
                check(trigger, isTrigger: true, into: &errors)
            }
        case .run, .cmd, .entrypoint:
            break
        }
    }

    private func checkHealthcheck(_ instruction: InstructionSyntax, into errors: inout [SyntaxError]) {
        guard case .healthcheck(let type, let command) = instruction.arguments else {
            errors.append(error("HEALTHCHECK requires at least one argument", instruction.keyword.range))
            return
        }
        switch type.text.uppercased() {
        case "NONE":
            if case .none = command {} else {
                errors.append(error("HEALTHCHECK NONE takes no arguments", type.range))
            }
        case "CMD":
            if case .none = command {
                errors.append(error("Missing command after HEALTHCHECK CMD", type.range))
            }
        default:
            errors.append(error("Unknown type \(GoQuote.quote(type.text)) in HEALTHCHECK (try CMD)", type.range))
        }
    }

    /// Mirrors `BFlags.Parse`: every flag must be declared by the instruction,
    /// non-repeatable flags appear once, and values match the flag's type.
    private func checkFlags(_ instruction: InstructionSyntax, kind: InstructionKind, into errors: inout [SyntaxError]) {
        let accepted = Self.acceptedFlags[kind] ?? [:]
        var used: Set<String> = []
        for flag in instruction.flags {
            guard flag.text.hasPrefix("--") else {
                errors.append(error("arg should start with -- : \(flag.text)", flag.range))
                continue
            }
            let name = flag.name
            guard let type = accepted[name] else {
                errors.append(error("unknown flag: \(name)", flag.range))
                continue
            }
            if used.contains(name) && type != .strings {
                errors.append(error("duplicate flag specified: \(name)", flag.range))
                continue
            }
            used.insert(name)
            switch type {
            case .bool:
                if let value = flag.value {
                    let lowered = value.lowercased()
                    if value.isEmpty {
                        errors.append(error("missing a value on flag: \(name)", flag.range))
                    } else if lowered != "true" && lowered != "false" {
                        errors.append(error("expecting boolean value for flag \(name), not: \(value)", flag.range))
                    }
                }
            case .string, .strings:
                if flag.value == nil {
                    errors.append(error("missing a value on flag: \(name)", flag.range))
                }
            }
        }
    }

    // MARK: - Helpers

    private func error(_ message: String, _ range: TextRange) -> SyntaxError {
        SyntaxError(message, range: range, stage: .instruction)
    }

    private func argumentRange(_ instruction: InstructionSyntax, _ index: Int) -> TextRange? {
        guard case .words(let words) = instruction.arguments, index < words.count else { return nil }
        return words[index].range
    }

    /// BuildKit's stage-name pattern `^[a-z][a-z0-9-_.]*$`, checked on the lowered name.
    private func isValidStageName(_ name: String) -> Bool {
        let bytes = Array(name.lowercased().utf8)
        guard let first = bytes.first, first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z") else { return false }
        return bytes.dropFirst().allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || GoText.isASCIIDigit(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
    }

    /// `unknown instruction: X`, with BuildKit's "did you mean" hint for near misses.
    private func unknownInstructionMessage(_ keyword: String) -> String {
        let lowered = keyword.lowercased()
        let suggestion = InstructionKind.allCases
            .map { ($0, editDistance(Array(lowered.utf8), Array($0.rawValue.utf8))) }
            .filter { $0.1 <= Swift.max(1, $0.0.rawValue.count / 3) }
            .min { $0.1 < $1.1 }
        var message = "unknown instruction: \(keyword)"
        if let suggestion, !lowered.isEmpty { message += " (did you mean \(suggestion.0.rawValue)?)" }
        return message
    }

    /// Levenshtein distance counting a swap of neighbours as one edit, the commonest
    /// typo (`FORM` for `FROM`).
    private func editDistance(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        guard lhs.count < 64 else { return Int.max }
        var beforePrevious = Array(0...rhs.count)
        var previous = Array(0...rhs.count)
        for (i, left) in lhs.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: rhs.count)
            for (j, right) in rhs.enumerated() {
                current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (left == right ? 0 : 1))
                if i > 0, j > 0, left == rhs[j - 1], lhs[i - 1] == right {
                    current[j + 1] = Swift.min(current[j + 1], beforePrevious[j - 1] + 1)
                }
            }
            beforePrevious = previous
            previous = current
        }
        return previous[rhs.count]
    }
}
