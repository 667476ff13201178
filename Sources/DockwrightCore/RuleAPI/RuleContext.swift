import DockwrightShell
import DockwrightSyntax

/// Everything a rule may look at, computed once per file.
///
/// A class, immutable and so `Sendable`: every rule receives the same instance
/// instead of a copy of a large value.
public final class RuleContext: Sendable {
    /// The parsed file.
    public let syntax: DockerfileSyntax
    /// Stages, ARG scope and dependencies.
    public let stages: StageGraph
    /// The shell scripts of the RUN instructions, parsed once.
    public let runScripts: [RunScript]
    /// The scripts of the RUN instructions and of the `ONBUILD RUN` triggers, in
    /// source order: what shell rules check (hadolint's `onbuild` combinator).
    public let runAndTriggerScripts: [RunScript]
    /// Script lookup by the RUN's start offset, so rules asking per instruction stay
    /// linear; an index into ``runAndTriggerScripts`` rather than a third copy of each script.
    private let scriptIndexByStart: [Int: Int]
    /// The file's conventions, for generating text that matches it.
    public let style: DockerfileStyle
    /// The files of the build context, when the caller could list them.
    public let buildContext: BuildContextListing?
    /// Settings from the configuration that rules read (e.g. trusted registries).
    public let options: RuleOptions

    /// Builds the context of a parsed file.
    public init(syntax: DockerfileSyntax, buildContext: BuildContextListing? = nil, options: RuleOptions = RuleOptions()) {
        self.syntax = syntax
        self.buildContext = buildContext
        self.options = options
        let stages = StageGraph(syntax: syntax)
        self.stages = stages
        let allScripts = RunScript.scriptsIncludingTriggers(in: stages)
        self.runAndTriggerScripts = allScripts
        self.runScripts = allScripts.filter { !$0.isOnbuildTrigger }
        self.scriptIndexByStart = Dictionary(
            allScripts.indices.map { (allScripts[$0].instruction.range.start, $0) }) { first, _ in first }
        self.style = DockerfileStyle(syntax)
    }

    /// The file's bytes.
    public var bytes: [UInt8] { syntax.source.bytes }

    /// The parsed script of a RUN instruction (or of the RUN inside an ONBUILD), if it has one.
    public func runScript(of instruction: InstructionSyntax) -> RunScript? {
        guard let index = scriptIndexByStart[instruction.range.start],
              runAndTriggerScripts[index].instruction.range == instruction.range else { return nil }
        return runAndTriggerScripts[index]
    }
}
