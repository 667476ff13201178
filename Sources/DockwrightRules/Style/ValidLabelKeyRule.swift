import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags LABEL keys that break Docker's key format recommendations.
public struct ValidLabelKeyRule: Rule {
    public static let description = RuleDescription(
        code: "DL3048", name: "valid-label-key", category: .style,
        summary: "Write label keys in lower case, as reverse-DNS names", severity: .style, fix: .none,
        rationale: """
            ## Why
            Docker's guidelines for label keys: start with a lower-case letter and end with \
            a letter or digit; use only lower-case letters, digits, `.`, `-`, `_` and `/`; \
            no `..` or `--`; and leave the `com.docker.`, `io.docker.` and \
            `org.dockerproject.` namespaces to Docker. Tools that read labels \
            (`org.opencontainers.image.*`) expect this shape, and keys that differ only in \
            case are easy to get wrong.

            The key is read with its quotes removed and ARG and ENV values substituted; a \
            key using a variable without a value is not judged (hadolint reports it). Each \
            bad key is reported, where hadolint reports the instruction once.

            ## References
            hadolint DL3048; Docker documentation "Docker object labels".
            """,
        triggering: [
            Example("FROM alpine:3.20\nLABEL ↓Version=1.0\n"),
            Example("FROM alpine:3.20\nLABEL maintainer=\"me\" ↓com.docker.extension=1 ↓a..b=2\n"),
            Example("FROM alpine:3.20\nLABEL ↓\"App\"=x ↓app-=y ↓1app=z ↓app:name=w\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nLABEL org.opencontainers.image.title=\"app\" maintainer=me\n"),
            Example("FROM alpine:3.20\nLABEL \"com.example.vendor\"=\"ACME\" a_b/c-d.e=1\n"),
            Example("FROM alpine:3.20\nLABEL ${KEY}=1\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        context.syntax.instructions.flatMap { instruction -> [Violation] in
            guard instruction.kind == .label, case .keyValuePairs(let pairs, _) = instruction.arguments else { return [] }
            return pairs.compactMap { pair -> Violation? in
                guard let key = context.model.resolvedValue(of: pair.key.text, before: instruction),
                      let problem = Self.problem(with: key)
                else { return nil }
                return Violation(range: pair.key.range, message: "Label key `\(key)` \(problem)")
            }
        }
    }

    /// What is wrong with a key, or nil when it is fine (hadolint's DL3048 checks).
    static func problem(with key: String) -> String? {
        let scalars = Array(key.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last else { return "is empty" }
        let isLower: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) }
        let isDigit: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
        if let bad = scalars.first(where: { !isLower($0) && !isDigit($0) && !"._-/".unicodeScalars.contains($0) }) {
            return "contains `\(bad)`; use lower-case letters, digits, `.`, `-`, `_` and `/`"
        }
        if !isLower(first) { return "must start with a lower-case letter" }
        if !isLower(last) && !isDigit(last) { return "must end with a letter or a digit" }
        if key.containsBytes(of: "..") || key.containsBytes(of: "--") { return "must not repeat `.` or `-`" }
        for namespace in ["com.docker.", "io.docker.", "org.dockerproject."] where key.hasPrefix(namespace) {
            return "uses the `\(namespace)` namespace, which is reserved for Docker"
        }
        return nil
    }
}
