import DockwrightShell
import DockwrightSyntax

/// What is known about one stage once inheritance through `FROM <stage>` is resolved.
public struct StageFacts: Sendable {
    /// The stage's index.
    public let index: Int
    /// ``baseChain`` when the stage is built on another; nil for the usual stage built on
    /// an image, whose chain is the stage alone: a file of thousands of stages kept a
    /// one-element array for each (issue 13).
    private let longerChain: [Int]?
    /// The shells its instructions run under.
    public let shell: StageShells.StageShell

    /// The facts of stage `index` of `graph`, whose instructions run under `shell`.
    init(index: Int, in graph: StageGraph, shell: StageShells.StageShell) {
        self.index = index
        // Only a stage built on another has a longer chain than itself; no list is made
        // for the others, as the facts are made on each read.
        if graph.stages[index].baseStageIndex == nil {
            longerChain = nil
        } else {
            let chain = graph.baseChain(ofStage: index)
            longerChain = chain.count > 1 ? chain : nil
        }
        self.shell = shell
    }

    /// The stage and the stages it is built on, nearest first (``StageGraph/baseChain(ofStage:)``).
    public var baseChain: [Int] { longerChain ?? [index] }

    /// The stage at the bottom of the chain: the one whose FROM names an image (or does not resolve).
    public var rootIndex: Int { longerChain?.last ?? index }

    /// Whether the stage builds a Windows image (users, paths and shells differ there).
    public var isWindows: Bool { shell.isWindows }

    /// The shell that runs the instruction starting at `offset` (RUN, CMD, ENTRYPOINT,
    /// HEALTHCHECK CMD, ONBUILD RUN).
    public func dialect(at offset: Int) -> ShellDialect { shell.dialect(at: offset) }
}
