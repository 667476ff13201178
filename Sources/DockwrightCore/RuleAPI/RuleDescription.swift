/// Whether a rule's findings come with fixes.
public enum FixAvailability: String, Hashable, Sendable {
    case none, sometimes, always
}

/// Everything about a rule in one value: identity, documentation and examples.
/// It feeds the engine, `dockwright rules`, Rules.md and the example tests.
public struct RuleDescription: Hashable, Sendable {
    public let code: String
    public let name: String
    public let category: RuleCategory
    /// One line, sentence case, no trailing period; also the default message.
    public let summary: String
    /// Markdown with the headings `## Why` and `## Fix safety` (and `## References`).
    public let rationale: String
    public let severity: Severity
    public let isEnabledByDefault: Bool
    public let fixAvailability: FixAvailability
    public let triggering: [Example]
    public let nonTriggering: [Example]
    public let fixes: [FixExample]
    /// The name of the `docker build --check` rule this rule is (`DuplicateStageName`),
    /// accepted wherever a code is; several rules may share one when BuildKit's check
    /// covers what they split (`MultipleInstructionsDisallowed`).
    public let buildKitCheckName: String?
    /// The options the examples run with, for a rule that does nothing without
    /// configuration (`trusted-registries`); the docs and example tests use them.
    public let exampleOptions: RuleOptions
    public let file: String
    public let line: Int

    /// Creates a description.
    public init(
        code: String, name: String, category: RuleCategory, summary: String, severity: Severity,
        isEnabledByDefault: Bool = true, fix: FixAvailability, rationale: String, triggering: [Example],
        nonTriggering: [Example], fixes: [FixExample] = [], buildKitCheckName: String? = nil,
        exampleOptions: RuleOptions = RuleOptions(), file: String = #filePath, line: Int = #line
    ) {
        self.code = code
        self.name = name
        self.category = category
        self.summary = summary
        self.severity = severity
        self.isEnabledByDefault = isEnabledByDefault
        self.fixAvailability = fix
        self.rationale = rationale
        self.triggering = triggering
        self.nonTriggering = nonTriggering
        self.fixes = fixes
        self.buildKitCheckName = buildKitCheckName
        self.exampleOptions = exampleOptions
        self.file = file
        self.line = line
    }

    /// Where the rule is documented.
    public var url: String {
        "https://github.com/dockwright/dockwright/blob/main/Rules.md#\(code.lowercased())-\(name)"
    }
}
