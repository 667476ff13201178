import DockwrightSyntax

/// What fixing one file produced.
public struct FixResult: Sendable {
    /// The fixed bytes.
    public let output: [UInt8]
    /// The fixes applied, in order, with the code of the rule that proposed each. Each
    /// keeps its title and applicability only (one shared edit-less fix per rule and title): its
    /// edits are in ``output`` already, and a file with a fix on every line would hold
    /// all of them through every later pass.
    public var applied: [(code: String, fix: Fix)] {
        appliedFixes.order.map { appliedFixes.kinds[Int($0)] }
    }
    /// How many fixes were applied, without listing them.
    public var appliedCount: Int { appliedFixes.order.count }
    /// ``applied``, each distinct code and stand-in kept once.
    let appliedFixes: AppliedFixes
    /// The findings left in the output. Their fixes below the loop's level, which it
    /// never applies, keep only their title and applicability, not their edits.
    public let remaining: LintResult
    /// Fixes dropped because the file would no longer parse, and why.
    public let rejected: [(code: String, title: String)]
    /// Whether the loop stopped at its pass limit with fixes still pending.
    public let didNotConverge: Bool
    /// The changes to files beside the Dockerfile that the fixes at the level ask for,
    /// with the code of the rule that asked; the caller decides whether to write them.
    public var fileEdits: [(code: String, edit: FileEdit)] = []
}

/// The fixes a loop applied, in order: each distinct code and stand-in once, and a
/// 32-bit index into them per application. A pass that merges thousands of RUNs
/// applies a fix per pair, and a code and a fix per application were kept through
/// every later pass (issue 13).
struct AppliedFixes: Sendable {
    private(set) var kinds: [(code: String, fix: Fix)] = []
    private(set) var order: [UInt32] = []
    /// The position in ``kinds`` of each code, title and applicability (a stand-in has no edits).
    private var kindIndices: [Kind: UInt32] = [:]

    private struct Kind: Hashable {
        let code: String
        let title: String
        let applicability: Applicability
    }

    /// Records one more application of `fix`, proposed by rule `code`. A kind's first
    /// application keeps an edit-less stand-in of it: the edits are in the output already.
    mutating func append(code: String, fix: Fix) {
        let kind = Kind(code: code, title: fix.title, applicability: fix.applicability)
        if let index = kindIndices[kind] {
            order.append(index)
        } else {
            let index = UInt32(kinds.count)
            kinds.append((code, Fix(title: fix.title, applicability: fix.applicability, edits: [])))
            kindIndices[kind] = index
            order.append(index)
        }
    }

    /// These applications, then those of `later`.
    static func + (earlier: AppliedFixes, later: AppliedFixes) -> AppliedFixes {
        var both = earlier
        for index in later.order {
            let (code, fix) = later.kinds[Int(index)]
            both.append(code: code, fix: fix)
        }
        return both
    }
}

extension Linter {
    /// Lint, apply the fixes allowed at `level`, re-parse and repeat until nothing
    /// changes. A pass that would make BuildKit's parser reject the file is retried
    /// one fix at a time, and fixes that break the file are dropped and reported.
    ///
    /// At `.unsafe`, safe fixes first run to their fixed point on their own, so that
    /// structural unsafe fixes (moving a RUN, splitting a COPY) see the merged,
    /// cleaned-up file instead of racing the safe fixes for the same lines.
    public func fix(_ source: SourceFile, level: Applicability, maximumPasses: Int = 10) -> FixResult {
        guard level == .unsafe else { return fixPasses(source, level: level, maximumPasses: maximumPasses) }
        let safe = fixPasses(source, level: .safe, maximumPasses: maximumPasses)
        guard !safe.didNotConverge, !safe.remaining.syntax.hasParserErrors else { return safe }
        let unsafe = fixPasses(SourceFile(path: source.path, bytes: safe.output), level: .unsafe, maximumPasses: maximumPasses)
        var result = FixResult(
            output: unsafe.output, appliedFixes: safe.appliedFixes + unsafe.appliedFixes, remaining: unsafe.remaining,
            rejected: safe.rejected + unsafe.rejected, didNotConverge: unsafe.didNotConverge)
        result.fileEdits = safe.fileEdits + unsafe.fileEdits.filter { edit in
            !safe.fileEdits.contains { $0.code == edit.code && $0.edit == edit.edit }
        }
        return result
    }

    /// The file edits of the fixes `findings` offer at `level`, once each. The build
    /// context does not change while the loop runs, so the first pass finds them all.
    private func fileEdits(in findings: [Diagnostic], level: Applicability) -> [(code: String, edit: FileEdit)] {
        var found: [(code: String, edit: FileEdit)] = []
        for diagnostic in findings {
            guard let fix = diagnostic.fix, fix.applicability >= level, fix.applicability != .displayOnly else { continue }
            for edit in fix.fileEdits where !found.contains(where: { $0.code == diagnostic.code && $0.edit == edit }) {
                found.append((diagnostic.code, edit))
            }
        }
        return found
    }

    private func fixPasses(_ source: SourceFile, level: Applicability, maximumPasses: Int) -> FixResult {
        var current = source
        // Each pass runs the rules with fixes first (``Linter/start(_:applyingFixesFrom:deferringRulesWithoutFixesToApply:)``).
        // A pass with fixes to apply gives up its tree, model and other findings before
        // the output is parsed, so a large file is held once, not twice, at the peak; the
        // pass that applies nothing is finished on its model and its findings are the result.
        var pass: LintInProgress?
        // The findings of the pass when it has fixes to apply, in report order: the order
        // its fixes are applied in.
        var findings: [Diagnostic] = []
        func startPass(_ syntax: DockerfileSyntax) {
            var started = start(syntax, applyingFixesFrom: level, deferringRulesWithoutFixesToApply: true)
            findings = started.hasFix(appliedAt: level) ? started.takeFindings() : []
            pass = started
        }
        startPass(DockerfileSyntax.parse(source))
        let startedWithErrors = pass?.syntax.hasParserErrors ?? false
        let sideEdits = fileEdits(in: findings, level: level)
        func finished(_ fixed: FixResult) -> FixResult {
            var fixed = fixed
            fixed.fileEdits = sideEdits
            return fixed
        }
        /// The whole lint of the current file: the pass finished on its model, or when it
        /// gave that up, a new lint (only after a pass whose every fix broke the file, or
        /// at the pass limit).
        func remaining() -> LintResult {
            if var started = pass, started.canFinish {
                pass = nil
                return finish(&started)
            }
            pass = nil
            var whole = start(DockerfileSyntax.parse(current), applyingFixesFrom: level, deferringRulesWithoutFixesToApply: false)
            return finish(&whole)
        }
        var applied = AppliedFixes()
        var rejected: [(code: String, title: String)] = []
        // Keyed by identity, not by code and title: titles are often constants, and one
        // broken fix must not disable every other fix of its rule in the file.
        var rejectedFixes: Set<FixIdentity> = []
        /// Applies the fixes of the pass at `level` to `current` and parses the output; nil
        /// when nothing changed. Records what it applied and rejected.
        func applyPass() -> DockerfileSyntax? {
            let bytes = current.bytes
            let candidates = findings.compactMap { diagnostic -> (code: String, fix: Fix)? in
                guard let fix = diagnostic.fix, fix.applicability >= level, fix.applicability != .displayOnly,
                      rejectedFixes.isEmpty || !rejectedFixes.contains(FixIdentity(code: diagnostic.code, fix: fix, in: bytes))
                else { return nil }
                return (diagnostic.code, fix)
            }
            guard !candidates.isEmpty, !startedWithErrors else { return nil }
            findings = []
            pass = nil
            var (output, appliedIndices) = FixApplier.applyIndexed(candidates.map(\.fix), to: bytes)
            var reparsed = DockerfileSyntax.parse(SourceFile(path: source.path, bytes: output))
            if reparsed.hasParserErrors {
                // Find the culprits one by one; keep every fix that parses on its own.
                output = bytes
                appliedIndices = []
                for (index, candidate) in candidates.enumerated() {
                    let attempt = FixApplier.apply([candidate.fix], to: output)
                    let parsed = DockerfileSyntax.parse(SourceFile(path: source.path, bytes: attempt.output))
                    if parsed.hasParserErrors || attempt.applied.isEmpty {
                        if parsed.hasParserErrors {
                            rejected.append((candidate.code, candidate.fix.title))
                            rejectedFixes.insert(FixIdentity(code: candidate.code, fix: candidate.fix, in: bytes))
                        }
                        continue
                    }
                    // Later fixes were computed on the old text; apply them in later passes.
                    output = attempt.output
                    appliedIndices = [index]
                    reparsed = parsed
                    break
                }
            }
            guard output != bytes else { return nil }
            for index in appliedIndices {
                let (code, fix) = candidates[index]
                applied.append(code: code, fix: fix)
            }
            return reparsed
        }

        for _ in 0..<maximumPasses {
            guard let reparsed = applyPass() else {
                return finished(FixResult(
                    output: current.bytes, appliedFixes: applied, remaining: remaining(), rejected: rejected,
                    didNotConverge: false))
            }
            current = reparsed.source
            startPass(reparsed)
        }

        // At the pass limit, fixes still pending.
        let pending = !findings.isEmpty
        findings = []
        return finished(FixResult(
            output: current.bytes, appliedFixes: applied, remaining: remaining(), rejected: rejected, didNotConverge: pending))
    }
}
