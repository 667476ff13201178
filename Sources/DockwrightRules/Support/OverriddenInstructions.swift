import DockwrightCore
import DockwrightSyntax

/// Instructions of which only the last one in a stage counts (CMD, ENTRYPOINT,
/// HEALTHCHECK): each earlier one is replaced in the image config before the stage ends.
enum OverriddenInstructions {
    /// A finding on every `kind` instruction of a stage that a later one of the same
    /// stage replaces, with a safe fix that deletes it.
    ///
    /// hadolint reports the later instructions; BuildKit's `MultipleInstructionsDisallowed`
    /// reports the earlier ones. The earlier one is the instruction that does nothing,
    /// so it is the one to point at and to remove.
    static func violations(of kind: InstructionKind, in context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for stage in context.stages.stages {
            let matching = stage.instructions.filter { $0.kind == kind }
            guard let last = matching.last else { continue }
            let lastLine = context.syntax.source.location(of: last.keyword.range.start).line
            // The same title and message for every finding of the stage: built once and
            // shared, not a copy per finding (a stage of thousands of CMDs has as many).
            let keyword = kind.keyword
            let title = "Remove the `\(keyword)` that line \(lastLine) replaces"
            let message = "This `\(keyword)` has no effect: the `\(keyword)` on line \(lastLine) replaces it; remove it"
            for instruction in matching.dropLast() {
                violations.append(Violation(
                    range: instruction.keyword.range, message: message,
                    fix: Fix(title: title, applicability: .safe, edits: [Edit.delete(instruction.range)])))
            }
        }
        return violations
    }

    /// The shared `## Fix safety` text.
    static let fixSafety = """
        ## Fix safety
        The fix deletes the earlier instruction, lines and all. It is safe: the later \
        instruction of the stage replaces the image setting entirely, so the image is the \
        same with or without it. Comments above it are kept.
        """
}
