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
    /// Where each RUN's script sits in ``runScripts``: rules look one up per RUN,
    /// and a linear search made a file of many RUNs quadratic.
    private let runScriptIndices: [TextRange: Int]

    /// Builds the context of a parsed file.
    public init(syntax: DockerfileSyntax, buildContext: BuildContextListing? = nil) {
        self.syntax = syntax
        self.buildContext = buildContext
        let stages = StageGraph(syntax: syntax)
        self.stages = stages
        let runScripts = RunScript.scripts(in: syntax, stages: stages)
        self.runScripts = runScripts
        self.runScriptIndices = Dictionary(
            runScripts.indices.map { (runScripts[$0].instruction.range, $0) }, uniquingKeysWith: { first, _ in first })
        self.style = DockerfileStyle(syntax)
    }

    /// The file's bytes.
    public var bytes: [UInt8] { syntax.source.bytes }

    /// The parsed script of a RUN instruction, if it has one.
    public func runScript(of instruction: InstructionSyntax) -> RunScript? {
        runScriptIndices[instruction.range].map { runScripts[$0] }
    }
}
