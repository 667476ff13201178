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
    /// The file's conventions, for generating text that matches it.
    public let style: DockerfileStyle
    /// The files of the build context, when the caller could list them.
    public let buildContext: BuildContextListing?

    /// Builds the context of a parsed file.
    public init(syntax: DockerfileSyntax, buildContext: BuildContextListing? = nil) {
        self.syntax = syntax
        self.buildContext = buildContext
        let stages = StageGraph(syntax: syntax)
        self.stages = stages
        self.runScripts = RunScript.scripts(in: syntax, stages: stages)
        self.style = DockerfileStyle(syntax)
    }

    /// The file's bytes.
    public var bytes: [UInt8] { syntax.source.bytes }

    /// The parsed script of a RUN instruction, if it has one.
    public func runScript(of instruction: InstructionSyntax) -> RunScript? {
        runScripts.first { $0.instruction.range == instruction.range }
    }
}
