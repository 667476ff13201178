import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags an EXPOSE port above 65535.
public struct ExposePortRangeRule: Rule {
    public static let description = RuleDescription(
        code: "DL3011", name: "expose-port-range", category: .correctness,
        summary: "Expose ports between 0 and 65535", severity: .error, fix: .none,
        rationale: """
            ## Why
            TCP and UDP ports are 16-bit numbers: nothing can listen on port 70000, so an \
            `EXPOSE` above 65535 is a typo (often a digit too many) that documents a port the \
            container never uses. Both ends of a range (`8000-9000`) are checked.

            Deliberate difference from hadolint: ports held in ARG or ENV values are \
            resolved and checked too (`ARG PORT=80800` then `EXPOSE $PORT`); a variable \
            without a value is not judged.

            ## References
            hadolint DL3011.
            """,
        triggering: [
            Example("FROM nginx:1.27\nEXPOSE 80 ↓80800\n"),
            Example("FROM nginx:1.27\nEXPOSE ↓8000-90000/tcp\n"),
            Example("FROM nginx:1.27\nARG PORT=80800\nEXPOSE ↓$PORT\n"),
        ],
        nonTriggering: [
            Example("FROM nginx:1.27\nEXPOSE 80 443/tcp 53/udp 8000-9000\n"),
            Example("FROM nginx:1.27\nEXPOSE $PORT\n"),
            Example("FROM nginx:1.27\nEXPOSE 65535\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.syntax.instructions.flatMap { instruction -> [Violation] in
            guard instruction.kind == .expose, case .words(let tokens) = instruction.arguments else { return [] }
            return tokens.compactMap { token -> Violation? in
                guard let expansion = context.model.expansion(of: token.text, before: instruction),
                      expansion.undefinedNames.isEmpty,
                      let bad = context.model.expandedWords(of: token.text, before: instruction)?.first(where: Self.isOutOfRange)
                else { return nil }
                let subject = expansion.referencedNames.isEmpty ? "`\(bad)`" : "`\(token.text)` resolves to `\(bad)`, which"
                return Violation(range: token.range, message: "\(subject) is not a port; ports go from 0 to 65535")
            }
        }
    }

    /// Whether `port[-port][/protocol]` names a port above 65535.
    static func isOutOfRange(_ word: String) -> Bool {
        let ports = word.split(separator: "/", maxSplits: 1).first ?? ""
        return ports.split(separator: "-").contains { part in
            guard !part.isEmpty, part.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                return false
            }
            // Many digits overflow Int: anything longer than 5 digits without leading zeros is too big.
            let digits = part.drop { $0 == "0" }
            return digits.count > 5 || (Int(digits) ?? 0) > 65535
        }
    }
}
