import DockwrightShell
import DockwrightSyntax

/// The semantic model of one Dockerfile: every fact rules read, each with one home,
/// computed once per file and only when first asked for.
///
/// Layering: Syntax → Shell → Model → Core/Rules; nothing below imports it. A class,
/// so every rule shares the one instance and its cached facts.
public final class DockerfileModel: Sendable {
    /// The parsed file.
    public let syntax: DockerfileSyntax
    /// Stages, ARG scope and dependencies.
    public let stages: StageGraph

    private let shellsFact = LazyFact<StageShells>()
    private let stageFactsFact = LazyFact<[StageFacts]>()
    private let scriptsFact = LazyFact<[RunScript]>()
    private let runScriptsFact = LazyFact<[RunScript]>()
    private let scriptIndexByStartFact = LazyFact<[Int: Int]>()
    private let leadingCommentsFact = LazyFact<[Int: LeadingComments]>()
    private let workingDirectoriesFact = LazyFact<[Int: ImagePath]>()
    private let effectsFact = LazyFact<[LazyFact<ScriptEffects>]>()

    /// The model of a parsed file; nothing is computed until asked for.
    public init(syntax: DockerfileSyntax, stages: StageGraph? = nil) {
        self.syntax = syntax
        self.stages = stages ?? StageGraph(syntax: syntax)
    }

    /// Which shell runs each instruction, and which stages are Windows.
    public var shells: StageShells { shellsFact.value { StageShells(stages) } }

    /// The facts of every stage, in order.
    public var stageFacts: [StageFacts] {
        stageFactsFact.value {
            let shells = self.shells
            return stages.stages.indices.map { index in
                StageFacts(index: index, baseChain: stages.baseChain(ofStage: index), shell: shells.stages[index])
            }
        }
    }

    /// The facts of stage `index`.
    public func stage(_ index: Int) -> StageFacts { stageFacts[index] }

    /// The scripts of the RUN instructions and of the `ONBUILD RUN` triggers, in
    /// source order (hadolint's `onbuild` combinator): parsed on first use only.
    public var runAndTriggerScripts: [RunScript] {
        scriptsFact.value { RunScript.scripts(in: stages, shells: shells, includingTriggers: true) }
    }

    /// The scripts of the RUN instructions, ONBUILD triggers aside.
    public var runScripts: [RunScript] { runScriptsFact.value { runAndTriggerScripts.filter { !$0.isOnbuildTrigger } } }

    /// Whether any RUN script has been parsed yet: rules that never read scripts leave
    /// them unparsed (what `--select` of such rules relies on to stay fast).
    public var hasParsedRunScripts: Bool { scriptsFact.isComputed }

    /// The parsed script of a RUN instruction (or of the RUN inside an ONBUILD), if it has one.
    public func runScript(of instruction: InstructionSyntax) -> RunScript? {
        // An index into the scripts, not a second copy of each: a large file's scripts
        // are most of its memory.
        guard let index = scriptIndex(of: instruction) else { return nil }
        return runAndTriggerScripts[index]
    }

    /// The index in ``runAndTriggerScripts`` of the script of `instruction`.
    private func scriptIndex(of instruction: InstructionSyntax) -> Int? {
        let scripts = runAndTriggerScripts
        let indexByStart = scriptIndexByStartFact.value {
            Dictionary(scripts.indices.map { (scripts[$0].instruction.range.start, $0) }) { first, _ in first }
        }
        guard let index = indexByStart[instruction.range.start], scripts[index].instruction.range == instruction.range
        else { return nil }
        return index
    }

    /// What a RUN script reads, writes, runs and leaks (``ScriptEffects``), computed on
    /// first use for that script only and then kept.
    ///
    /// Paths resolve against the WORKDIR in effect at the RUN (``workingDirectory(before:)``)
    /// and the ENV and ARG values known there. An ONBUILD trigger runs in another build, so
    /// its folder is unknown and no variable is known. A script that did not parse, or is
    /// not a POSIX shell script, gets ``ScriptEffects/unknown``.
    public func effects(of script: RunScript) -> ScriptEffects {
        guard let index = scriptIndex(of: script.instruction) else { return Self.computeEffects(of: script, in: self) }
        let facts = effectsFact.value { runAndTriggerScripts.map { _ in LazyFact<ScriptEffects>() } }
        return facts[index].value { Self.computeEffects(of: script, in: self) }
    }

    private static func computeEffects(of script: RunScript, in model: DockerfileModel) -> ScriptEffects {
        guard let parsed = script.script else { return .unknown }
        let instruction = script.instruction
        if script.isOnbuildTrigger {
            return parsed.effects(workingDirectory: .relative(anchor: instruction.range.start, path: ""))
        }
        let variables = model.stages.argScope.variables(before: instruction) ?? [:]
        return parsed.effects(workingDirectory: model.workingDirectory(before: instruction), variables: variables)
    }

    /// The WORKDIR in effect just before a top-level instruction. A stage built on another
    /// starts from that stage's last WORKDIR; one built on an image starts from the image's
    /// own, which the Dockerfile does not show (`.relative` anchored at its FROM), as does a
    /// WORKDIR naming a variable the file does not define (anchored at that WORKDIR).
    public func workingDirectory(before instruction: InstructionSyntax) -> ImagePath {
        workingDirectories[instruction.range.start] ?? .relative(anchor: instruction.range.start, path: "")
    }

    /// ``workingDirectory(before:)`` of every top-level instruction, by start offset.
    public var workingDirectories: [Int: ImagePath] {
        workingDirectoriesFact.value { WorkingDirectories.compute(stages) }
    }

    /// The comment lines right above an instruction, with their pragmas.
    public func leadingComments(of instruction: InstructionSyntax) -> LeadingComments {
        leadingCommentsFact.value { LeadingComments.all(in: syntax) }[instruction.range.start] ?? .none
    }
}
