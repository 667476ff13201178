import DockwrightModel
import DockwrightShell
import DockwrightSyntax
import Synchronization

/// Everything a rule may look at: the file's model, its style, the build context and
/// the configuration's options.
///
/// A class, immutable and so `Sendable`: every rule receives the same instance
/// instead of a copy of a large value. Facts come from ``model``, computed once per
/// file and only when a rule first asks for them.
public final class RuleContext: Sendable {
    /// The semantic model: stage facts, scripts, leading comments and pragmas.
    public let model: DockerfileModel
    /// The file's conventions, for generating text that matches it.
    public let style: DockerfileStyle
    /// The files of the build context, when the caller could list them.
    public let buildContext: BuildContextListing?
    /// Settings from the configuration that rules read (e.g. trusted registries).
    public let options: RuleOptions
    /// Whether the caller keeps fixes (``Linter/keepsFixes``). A rule whose fixes are
    /// large (moved instructions, merged RUNs) and many on a big file builds them only
    /// then, through ``fix(_:)``: a report that never shows them would otherwise hold
    /// every fix of the rule until the rule is done.
    public let buildsFixes: Bool
    /// The lowest applicability the caller applies (the fix loop's level), nil for all;
    /// see ``fix(_:title:_:)``.
    public let appliedFixLevel: Applicability?
    /// Facts rules derive alike, computed once (see ``DerivedFact``).
    private let derivedFacts = FactStore()
    /// The edit-less fixes ``fix(_:title:edits:)`` gives below ``appliedFixLevel``, one per
    /// title and applicability: a rule with a finding on every install of a big file held
    /// one such fix per finding until the engine swapped in its own shared stand-in.
    private let unappliedFixes = Mutex<[UnappliedFixKey: Fix]>([:])

    private struct UnappliedFixKey: Hashable {
        let title: String
        let applicability: Applicability
    }

    /// Builds the context of a parsed file.
    public init(
        syntax: DockerfileSyntax, buildContext: BuildContextListing? = nil, options: RuleOptions = RuleOptions(),
        buildsFixes: Bool = true, appliedFixLevel: Applicability? = nil
    ) {
        self.model = DockerfileModel(syntax: syntax)
        self.buildsFixes = buildsFixes
        self.appliedFixLevel = appliedFixLevel
        self.buildContext = buildContext
        self.options = options
        self.style = DockerfileStyle(syntax)
    }

    /// The parsed file.
    public var syntax: DockerfileSyntax { model.syntax }
    /// Stages, ARG scope and dependencies.
    public var stages: StageGraph { model.stages }
    /// The shell scripts of the RUN instructions, parsed on first use.
    public var runScripts: [RunScript] { model.runScripts }
    /// The scripts of the RUN instructions and of the `ONBUILD RUN` triggers, in
    /// source order: what shell rules check (hadolint's `onbuild` combinator).
    public var runAndTriggerScripts: [RunScript] { model.runAndTriggerScripts }

    /// The file's bytes.
    public var bytes: [UInt8] { syntax.source.bytes }

    /// The parsed script of a RUN instruction (or of the RUN inside an ONBUILD), if it has one.
    public func runScript(of instruction: InstructionSyntax) -> RunScript? { model.runScript(of: instruction) }

    /// The fix `make` builds, or nil without building it when the caller drops fixes.
    public func fix(_ make: () -> Fix?) -> Fix? {
        buildsFixes ? make() : nil
    }

    /// The fix of `applicability` titled `title` with the edits `edits` makes; or, when the
    /// caller never applies a fix of that applicability, the same fix with no edits, all
    /// such a caller reads (the fix loop counts them); or nil when the caller drops fixes.
    /// For rules with thousands of large fixes on a big file, which `fix` at the safe
    /// level would otherwise build in full only to drop.
    public func fix(_ applicability: Applicability, title: @autoclosure () -> String, edits: () -> [Edit]) -> Fix? {
        guard buildsFixes else { return nil }
        let isApplied = appliedFixLevel.map { applicability >= $0 } ?? true
        guard !isApplied else { return Fix(title: title(), applicability: applicability, edits: edits()) }
        let key = UnappliedFixKey(title: title(), applicability: applicability)
        return unappliedFixes.withLock { known in
            if let fix = known[key] { return fix }
            let fix = Fix(title: key.title, applicability: applicability, edits: [])
            known[key] = fix
            return fix
        }
    }

    /// A fact derived from the model, computed on first use and shared by every rule.
    public func derived<Key: DerivedFact>(_ key: Key.Type) -> Key.Value {
        derivedFacts.value(for: key) { Key.compute(in: self) }
    }
}
