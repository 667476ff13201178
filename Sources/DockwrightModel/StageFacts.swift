import DockwrightShell
import DockwrightSyntax

/// What is known about one stage once inheritance through `FROM <stage>` is resolved.
public struct StageFacts: Sendable {
    /// The stage's index.
    public let index: Int
    /// The stage and the stages it is built on, nearest first (``StageGraph/baseChain(ofStage:)``).
    public let baseChain: [Int]
    /// The shells its instructions run under.
    public let shell: StageShells.StageShell

    /// The stage at the bottom of the chain: the one whose FROM names an image (or does not resolve).
    public var rootIndex: Int { baseChain.last ?? index }

    /// Whether the stage builds a Windows image (users, paths and shells differ there).
    public var isWindows: Bool { shell.isWindows }

    /// The shell that runs the instruction starting at `offset` (RUN, CMD, ENTRYPOINT,
    /// HEALTHCHECK CMD, ONBUILD RUN).
    public func dialect(at offset: Int) -> ShellDialect { shell.dialect(at: offset) }
}
