import DockwrightShell
import DockwrightSyntax
import Synchronization

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
    private let scriptsFact = LazyFact<[RunScript]>()
    private let runScriptsFact = LazyFact<[RunScript]>()
    private let scriptStartsFact = LazyFact<[Int]>()
    private let leadingCommentsFact = LazyFact<[Int: LeadingComments]>()
    private let workingDirectoriesFact = LazyFact<WorkingDirectoryTable>()
    /// ``effects(of:)`` of each script of ``runAndTriggerScripts``, by index, as computed:
    /// one table for the file rather than a lazy box per script, alike scripts sharing a value.
    private let effectsByScript = Mutex(ScriptEffectsTable(scriptCount: 0))
    private let baseImagesFact = LazyFact<[BaseImage]>()
    private let stagesReachingAnImageFact = LazyFact<Set<Int>>()
    private let stageUsersFact = LazyFact<StageUsers>()
    private let scriptCommandsFact = LazyFact<ScriptCommands>()
    private let commandPositionsByNameFact = LazyFact<[String: [Int]]>()
    private let packageManagerCommandsFact = LazyFact<[PackageManagerCommand]>()
    private let downloadingRunsFact = LazyFact<Set<Int>>()
    private let deletingRunsFact = LazyFact<Set<Int>>()

    /// The model of a parsed file; nothing is computed until asked for.
    public init(syntax: DockerfileSyntax, stages: StageGraph? = nil) {
        self.syntax = syntax
        self.stages = stages ?? StageGraph(syntax: syntax)
    }

    /// Which shell runs each instruction, and which stages are Windows.
    public var shells: StageShells { shellsFact.value { StageShells(stages) } }

    /// The facts of every stage, in order, made on each read (see ``stage(_:)``).
    public var stageFacts: [StageFacts] { stages.stages.indices.map(stage) }

    /// The facts of stage `index`, made from the stage graph and ``shells`` on each read
    /// rather than kept: both are kept already, and a file of thousands of stages held
    /// a copy of each stage's shells for the whole lint (issue 13).
    public func stage(_ index: Int) -> StageFacts {
        StageFacts(index: index, in: stages, shell: shells.stages[index])
    }

    /// The scripts of the RUN instructions and of the `ONBUILD RUN` triggers, in
    /// source order (hadolint's `onbuild` combinator): parsed on first use only.
    public var runAndTriggerScripts: [RunScript] {
        scriptsFact.value { RunScript.scripts(in: stages, shells: shells, includingTriggers: true) }
    }

    /// The scripts of the RUN instructions, ONBUILD triggers aside: the same list as
    /// ``runAndTriggerScripts`` when the file has no trigger (most files), rather than a
    /// second copy of it kept for the whole lint.
    public var runScripts: [RunScript] {
        runScriptsFact.value {
            let scripts = runAndTriggerScripts
            return scripts.contains(where: \.isOnbuildTrigger) ? scripts.filter { !$0.isOnbuildTrigger } : scripts
        }
    }

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

    /// The index in ``runAndTriggerScripts`` of the script of `instruction`: a binary
    /// search of the scripts' start offsets, which increase as the scripts are in source
    /// order (a list of offsets is a third of a dictionary by offset, kept for the whole lint).
    private func scriptIndex(of instruction: InstructionSyntax) -> Int? {
        let scripts = runAndTriggerScripts
        let starts = scriptStartsFact.value { scripts.map(\.instruction.range.start) }
        let start = instruction.range.start
        let index = starts.partitioningIndex { $0 >= start }
        guard index < starts.count, starts[index] == start, scripts[index].instruction.range == instruction.range
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
        guard let index = scriptIndex(of: script.instruction) else { return Self.computeEffects(of: script, in: self).effects }
        if let known = effectsByScript.withLock({ $0[index] }) { return known }
        // Computed outside the lock, which guards only the table; when two threads race,
        // the first value stored is the one every caller gets.
        let (computed, anchor) = Self.computeEffects(of: script, in: self)
        let scriptCount = runAndTriggerScripts.count
        return effectsByScript.withLock { table in
            if table.scriptCount == 0 { table = ScriptEffectsTable(scriptCount: scriptCount) }
            if let known = table[index] { return known }
            return table.keep(computed, anchoredAt: anchor, forScript: index)
        }
    }

    /// How many distinct ``effects(of:)`` values the model keeps for the scripts asked so far.
    var keptEffectsValueCount: Int { effectsByScript.withLock { $0.keptValueCount } }

    /// The effects of `script`, and the anchor of the unknown folder it starts in when
    /// it starts in one (what ``ScriptEffectsTable`` moves between alike stages).
    private static func computeEffects(of script: RunScript, in model: DockerfileModel) -> (effects: ScriptEffects, anchor: Int?) {
        guard let parsed = script.script else { return (.unknown, nil) }
        let instruction = script.instruction
        if script.isOnbuildTrigger {
            let anchor = instruction.range.start
            return (parsed.effects(workingDirectory: .relative(anchor: anchor, path: "")), anchor)
        }
        let variables = model.variables(before: instruction) ?? [:]
        let folder = model.workingDirectory(before: instruction)
        let anchor: Int?
        if case .relative(let folderAnchor, _) = folder { anchor = folderAnchor } else { anchor = nil }
        return (parsed.effects(workingDirectory: folder, variables: variables), anchor)
    }

    /// Whether the script of `run` calls a program of ``ScriptEffects/programsThatMayDownload``:
    /// when it does not, its ``effects(of:)`` hold no download.
    ///
    /// This and ``mayDelete(_:)`` let a rule that reads only downloads and deletions pass
    /// a RUN of this file by without walking it: the effects of nearly every RUN, computed
    /// for those alone, were an eighth of a corpus lint, most of it for RUNs that only
    /// install packages (issue 13). One look-up per program name for the whole file.
    public func mayDownload(_ run: RunScript) -> Bool {
        runStarts(calling: ScriptEffects.programsThatMayDownload, in: downloadingRunsFact)
            .contains(run.instruction.range.start)
    }

    /// Whether the script of `run` calls a program of ``ScriptEffects/programsThatMayDelete``:
    /// when it does not, its ``effects(of:)`` hold no deletion.
    public func mayDelete(_ run: RunScript) -> Bool {
        runStarts(calling: ScriptEffects.programsThatMayDelete, in: deletingRunsFact)
            .contains(run.instruction.range.start)
    }

    /// The start offsets of the RUNs (and ONBUILD triggers) whose scripts call one of `programs`.
    private func runStarts(calling programs: [String], in fact: LazyFact<Set<Int>>) -> Set<Int> {
        fact.value {
            let commands = scriptCommands
            return Set(scriptCommandPositions(named: programs).map { commands[$0].run.instruction.range.start })
        }
    }

    /// The WORKDIR in effect just before a top-level instruction. A stage built on another
    /// starts from that stage's last WORKDIR; one built on an image starts from the image's
    /// own, which the Dockerfile does not show (`.relative` anchored at its FROM), as does a
    /// WORKDIR naming a variable the file does not define (anchored at that WORKDIR).
    public func workingDirectory(before instruction: InstructionSyntax) -> ImagePath {
        workingDirectories[instruction.range.start] ?? .relative(anchor: instruction.range.start, path: "")
    }

    /// ``workingDirectory(before:)`` of every top-level instruction, by start offset.
    public var workingDirectories: WorkingDirectoryTable {
        workingDirectoriesFact.value { WorkingDirectories.compute(stages) }
    }

    /// The comment lines right above an instruction, with their pragmas.
    public func leadingComments(of instruction: InstructionSyntax) -> LeadingComments {
        leadingCommentsFact.value { LeadingComments.all(in: syntax) }[instruction.range.start] ?? .none
    }

    /// The ARG and ENV values the words of `instruction` see (BuildKit's expansion
    /// environment): the global ARGs for a FROM, the stage's values just before it
    /// otherwise, and for an ONBUILD trigger those at its ONBUILD. Nil for an
    /// instruction that is not in this file.
    public func variables(before instruction: InstructionSyntax) -> VariableEnvironment? {
        let scope = stages.argScope
        if let environment = scope.variables(before: instruction) { return environment }
        guard let stage = stages.stages.last(where: { $0.from.range.start <= instruction.range.start }),
              let holder = stage.instructions.first(where: {
                  $0.kind == .onbuild && $0.range.contains(instruction.range.start)
              }) else { return nil }
        return scope.variables(before: holder)
    }

    /// Whether `instruction` of stage `index` runs in the base image's own folder: no
    /// WORKDIR of the file, nor an `ONBUILD WORKDIR` of a base stage, set it, and the
    /// stage is not built on `scratch` (which runs in `/`).
    public func runsInImageWorkingDirectory(_ instruction: InstructionSyntax, inStage index: Int) -> Bool {
        let root = stages.stages[stage(index).rootIndex]
        return workingDirectory(before: instruction) == .relative(anchor: root.from.range.start, path: "")
    }

    /// The typed view of `instruction` (``InstructionView``), computed from the syntax.
    public func view(of instruction: InstructionSyntax) -> InstructionView { InstructionView(instruction) }

    /// `word` expanded as BuildKit expands the words of `instruction`, against
    /// ``variables(before:)``; nil for an instruction not in this file.
    public func expansion(of word: String, before instruction: InstructionSyntax) -> VariableExpansion? {
        guard let environment = variables(before: instruction) else { return nil }
        return stages.argScope.expander.evaluate(word, environment: environment)
    }

    /// `word` expanded and split into words as BuildKit's `ProcessWords` splits EXPOSE's,
    /// against ``variables(before:)``; nil for an instruction not in this file or a word
    /// that does not expand.
    public func expandedWords(of word: String, before instruction: InstructionSyntax) -> [String]? {
        guard let environment = variables(before: instruction) else { return nil }
        return try? stages.argScope.expander.expandWords(word, environment: environment).get()
    }

    /// The value of `word` at `instruction` when every variable it uses has a value
    /// there; nil when one has none (a `--build-arg` or the base image decides) or it fails.
    public func resolvedValue(of word: String, before instruction: InstructionSyntax) -> String? {
        guard let expansion = expansion(of: word, before: instruction), expansion.undefinedNames.isEmpty else {
            return nil
        }
        return expansion.value
    }

    /// Whether the source bytes of `token` spell its text exactly (no continuation,
    /// escape or quote processing), so offsets inside the text are source offsets.
    public func isWrittenPlainly(_ token: Token) -> Bool {
        syntax.source.text(in: token.range) == token.text
    }

    /// The user the instruction starting at `offset` in stage `index` runs as: the stage's
    /// last USER before it, else the user the stage's base stage ends with.
    public func userInEffect(at offset: Int, inStage index: Int) -> StageUser? {
        StageUser.inEffect(at: offset, inStage: index, of: stages, users: stageUsersFact.value { StageUsers(stages) })
    }

    /// The stages whose layers end up in an image: the final stage and every stage
    /// another one is built on (`FROM <stage>`). hadolint's DL3009 fold reports only
    /// these, and the layer-waste rules follow it: a builder stage's layers are thrown away.
    public var stagesReachingAnImage: Set<Int> {
        stagesReachingAnImageFact.value {
            Set(stages.stages.compactMap(\.baseStageIndex) + [stages.finalStageIndex ?? stages.stages.count - 1])
        }
    }

    /// The base images of every stage that names one, in order, after ARG substitution.
    public var baseImages: [BaseImage] { baseImagesFact.value { BaseImage.all(in: stages) } }

    /// The family of the image stage `index` is built from, through its base stages;
    /// nil when unknown.
    public func imageFamily(ofStage index: Int) -> ImageFamily? { ImageFamily.of(stageIndex: index, in: stages) }

    /// Every simple command of every parsed POSIX script (RUN and `ONBUILD RUN`,
    /// heredoc bodies included), in source order, with the variables its RUN sees.
    /// PowerShell and cmd scripts and scripts that do not parse have none.
    public var scriptCommands: ScriptCommands { scriptCommandsFact.value { ScriptCommands(self) } }

    /// The positions in ``scriptCommands`` of the commands whose program name
    /// (``ScriptCommand/name``) passes `isWanted`, in source order.
    ///
    /// A rule about a few programs reads their commands here: a dozen rules walked every
    /// command of the file, each building every ``ScriptCommand`` to read its name, and
    /// together that was a twentieth of a corpus run. The names are indexed once per file.
    public func scriptCommandPositions(named isWanted: (String) -> Bool) -> [Int] {
        var lists: [[Int]] = []
        for (name, positions) in commandPositionsByName where isWanted(name) { lists.append(positions) }
        return merged(lists)
    }

    /// The positions in ``scriptCommands`` of the commands of the programs `names`, in
    /// source order: one look-up per name.
    public func scriptCommandPositions(named names: [String]) -> [Int] {
        let byName = commandPositionsByName
        return merged(names.compactMap { byName[$0] })
    }

    /// The commands of ``scriptCommands`` whose program name passes `isWanted`, in
    /// source order (see ``scriptCommandPositions(named:)``).
    public func scriptCommands(named isWanted: (String) -> Bool) -> [ScriptCommand] {
        let all = scriptCommands
        return scriptCommandPositions(named: isWanted).map { all[$0] }
    }

    /// The commands of ``scriptCommands`` of the programs `names`, in source order.
    public func scriptCommands(named names: [String]) -> [ScriptCommand] {
        let all = scriptCommands
        return scriptCommandPositions(named: names).map { all[$0] }
    }

    private var commandPositionsByName: [String: [Int]] {
        commandPositionsByNameFact.value { scriptCommands.positionsByName() }
    }

    /// Several names' positions, each list in order, as one list in order.
    private func merged(_ lists: [[Int]]) -> [Int] {
        let positions = Array(lists.joined())
        return lists.count > 1 ? positions.sorted() : positions
    }

    /// The commands of one RUN's script.
    public func scriptCommands(of run: RunScript) -> ScriptCommands.SubSequence {
        let all = scriptCommands
        return all[all.positions(ofRunAt: run.instruction.range.start)]
    }

    /// Where to insert a new instruction that must run just before `instruction`: the
    /// start of its line, or of the comment lines right above it, so those comments
    /// (and suppressions) stay with the instruction they describe.
    public func insertionOffset(before instruction: InstructionSyntax) -> Int {
        leadingComments(of: instruction).start ?? lineStart(of: instruction.range.start)
    }

    /// The offset of the start of the line holding `offset`.
    public func lineStart(of offset: Int) -> Int {
        let bytes = syntax.source.bytes
        var start = min(offset, bytes.count)
        while start > 0 && bytes[start - 1] != UInt8(ascii: "\n") && bytes[start - 1] != UInt8(ascii: "\r") { start -= 1 }
        return start
    }

    /// Every OS package manager call (apt-get, apk, dnf, zypper, …) of every parsed POSIX
    /// script, in source order, each with the variables it sees.
    public var packageManagerCommands: [PackageManagerCommand] {
        packageManagerCommandsFact.value { PackageManagerCommands.all(in: self) }
    }

    /// The package manager commands of one script, in order: those of
    /// ``packageManagerCommands`` when `run` is one of this file's scripts (found by a
    /// binary search, as they are in source order), so rules that read them per RUN
    /// share the one copy instead of building their own.
    public func packageManagerCommands(of run: RunScript) -> ArraySlice<PackageManagerCommand> {
        guard let index = scriptIndex(of: run.instruction), runAndTriggerScripts[index] == run else {
            return run.script.map { PackageManagerCommands.commands(in: $0, of: run)[...] } ?? []
        }
        let all = packageManagerCommands
        let start = run.instruction.range.start
        let low = all.partitioningIndex { $0.run.instruction.range.start >= start }
        let end = all[low...].partitioningIndex { $0.run.instruction.range.start > start }
        return all[low..<end]
    }
}
