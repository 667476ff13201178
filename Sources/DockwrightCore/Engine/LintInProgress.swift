import DockwrightSyntax

/// A lint of one file between its two steps (``Linter/start(_:applyingFixesFrom:deferringRulesWithoutFixesToApply:)``
/// and ``Linter/finish(_:)``): the findings so far and, when rules were deferred, the
/// file's rule context they are to run on.
struct LintInProgress: Sendable {
    /// What the deferred rules run with: the file's context, its `# check=` options and
    /// its pragmas, made once for both steps.
    struct Rules: Sendable {
        let context: RuleContext
        let checks: CheckDirective
        let suppressions: Suppressions
    }

    /// The parsed file.
    let syntax: DockerfileSyntax
    /// The level of the fixes applied from this lint, as ``Linter/lint(_:applyingFixesFrom:)`` takes it.
    let level: Applicability?
    /// The syntax errors and the `# check=` directive's.
    var diagnostics: [Diagnostic]
    /// The findings of each rule run so far that found something.
    var findingsByRule: [[Diagnostic]]
    /// The context of the rules still to run; nil when none is left.
    var rules: Rules?

    /// Whether the rules of this lint have all run or can still run: false once
    /// ``takeFindings()`` let their context go before the rules it deferred ran.
    private(set) var canFinish = true

    /// Whether a finding so far has a fix the fix loop applies at `level`.
    func hasFix(appliedAt level: Applicability) -> Bool {
        findingsByRule.contains { findings in
            findings.contains { ($0.fix?.applicability).map { $0 >= level && $0 != .displayOnly } ?? false }
        }
    }

    /// Takes every finding so far out, in report order, and lets the rules' context go:
    /// what the fix loop takes its fixes from. The deferred rules have no fixes, so the
    /// fixes come in the order a whole lint gives them. Each rule's findings are freed as
    /// they are copied, so a large file's are not held twice.
    mutating func takeFindings() -> [Diagnostic] {
        if rules != nil { canFinish = false }
        rules = nil
        var all = takeGathered()
        Linter.order(&all)
        return all
    }

    /// The findings so far in one array of exactly their number, each rule's freed as
    /// soon as it is copied (appending tens of thousands of findings to one growing array
    /// held up to three times their size); this lint keeps none of them.
    mutating func takeGathered() -> [Diagnostic] {
        var all = diagnostics
        diagnostics = []
        all.reserveCapacity(all.count + findingsByRule.reduce(0) { $0 + $1.count })
        for index in findingsByRule.indices {
            all.append(contentsOf: findingsByRule[index])
            findingsByRule[index] = []
        }
        findingsByRule = []
        return all
    }
}
