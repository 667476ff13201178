/// The values ARG and ENV give to variables at each point of a Dockerfile, resolved
/// as BuildKit's Dockerfile frontend resolves them.
///
/// - Global ARGs (before the first FROM) start from the predefined platform ARGs; each
///   takes its `--build-arg` value, else its default expanded against the ARGs before
///   it, else stays unset. FROM lines, image and `--platform`, see only these.
/// - A stage starts from the environment of its base stage, or from `PATH` alone for
///   an image (whose own ENV we cannot know; see ``inheritsImageEnvironment(stageIndex:)``).
/// - In a stage, `ARG name=default` takes the `--build-arg` value, else the default
///   expanded against the stage so far; `ARG name` takes the `--build-arg` value, else
///   the global value (which includes the predefined ARGs), else stays unset.
/// - ARG and ENV write the same environment, so the later of the two wins for a name:
///   an ENV after an ARG overrides it, as Docker documents, and BuildKit also lets an
///   ARG after an ENV override it.
/// - One instruction's words all see the environment before it (`ENV a=1 b=$a` sees
///   the old `a`), except ARG, whose names are set one after the other.
/// - ONBUILD is not applied where it is written; a stage based on that stage runs the
///   trigger's ARG or ENV before its own instructions.
public struct ArgScope: Sendable {
    /// One name declared by an ARG instruction.
    ///
    /// Only the word and the stage are stored, the name and default read from the word
    /// when asked: a file of ARG lines keeps one of these per line, and the two strings
    /// and an optional `Int` beside the word made each 72 bytes instead of 32.
    public struct Declaration: Hashable, Sendable {
        /// The name, e.g. `VERSION`.
        public var name: String {
            guard let equals = token.text.firstIndex(of: "=") else { return token.text }
            return String(token.text[..<equals])
        }
        /// The default as written after `=` (quotes kept), or nil for `ARG name`.
        public var defaultValue: String? {
            guard let equals = token.text.firstIndex(of: "=") else { return nil }
            return String(token.text[token.text.index(after: equals)...])
        }
        /// The `name[=default]` word.
        public let token: Token
        /// The stage the ARG is in, or nil for a global ARG.
        public var stageIndex: Int? { storedStageIndex < 0 ? nil : Int(storedStageIndex) }
        /// ``stageIndex`` in 32 bits, -1 for a global ARG.
        private let storedStageIndex: Int32

        /// Creates the declaration of the `name[=default]` word `token`.
        public init(token: Token, stageIndex: Int?) {
            self.token = token
            storedStageIndex = stageIndex.map { Int32(clamping: $0) } ?? -1
        }

        /// Whether the ARG comes before the first FROM.
        public var isGlobal: Bool { stageIndex == nil }
    }

    /// A word whose expansion failed, where BuildKit would stop the build.
    public struct ExpansionFailure: Hashable, Sendable {
        /// Where the word is written.
        public let range: TextRange
        /// Why it failed.
        public let error: VariableExpansionError

        /// Creates a failure.
        public init(range: TextRange, error: VariableExpansionError) {
            self.range = range
            self.error = error
        }
    }

    /// The ARGs BuildKit defines in global scope without any ARG instruction.
    public static let platformArgumentNames = [
        "BUILDPLATFORM", "BUILDOS", "BUILDOSVERSION", "BUILDARCH", "BUILDVARIANT",
        "TARGETPLATFORM", "TARGETOS", "TARGETOSVERSION", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE",
    ]

    /// The proxy build args, which reach every RUN without an ARG instruction.
    public static let proxyArgumentNames = [
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
        "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    ]

    /// The `PATH` BuildKit gives a Linux stage whose base image defines none.
    public static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// Whether Docker defines `name` without an ARG instruction (platform or proxy ARGs).
    public static func isPredefinedArgument(_ name: String) -> Bool {
        platformArgumentNames.contains(name) || proxyArgumentNames.contains(name)
    }

    /// The predefined platform ARGs for the given platforms (`os/arch[/variant]`) and target stage.
    public static func predefinedValues(
        targetPlatform: String, buildPlatform: String, targetStage: String
    ) -> [String: String] {
        func parts(_ platform: String) -> (os: String, architecture: String, variant: String) {
            let pieces = platform.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            return (pieces.first ?? "", pieces.count > 1 ? pieces[1] : "", pieces.count > 2 ? pieces[2] : "")
        }
        let build = parts(buildPlatform)
        let target = parts(targetPlatform)
        return [
            "BUILDPLATFORM": buildPlatform, "BUILDOS": build.os, "BUILDOSVERSION": "",
            "BUILDARCH": build.architecture, "BUILDVARIANT": build.variant,
            "TARGETPLATFORM": targetPlatform, "TARGETOS": target.os, "TARGETOSVERSION": "",
            "TARGETARCH": target.architecture, "TARGETVARIANT": target.variant, "TARGETSTAGE": targetStage,
        ]
    }

    /// The expander, with the file's escape character.
    public let expander: VariableExpander
    /// The `--build-arg` values the scope was resolved with.
    public let buildArguments: [String: String]
    /// The predefined platform ARGs, after `--build-arg` overrides.
    public let predefinedValues: [String: String]
    /// The ARGs before the first FROM, in order.
    public let globalDeclarations: [Declaration]
    /// The ARGs inside stages, in order.
    public let stageDeclarations: [Declaration]
    /// What FROM lines see: the predefined ARGs and the resolved global ARGs.
    public let globalEnvironment: [String: String]
    /// Words whose expansion failed (global ARG defaults, stage ARG defaults, ENV).
    public let expansionFailures: [ExpansionFailure]

    /// The file's instructions, in order.
    let instructions: [InstructionSyntax]
    /// For each stage, the index in ``instructions`` of its FROM.
    let stageStarts: [Int]
    /// For each stage, its `AS` name in lower case.
    let stageNames: [String?]
    /// A stage's image word expanded, or why it failed; the error boxed, as it is three
    /// times the size of a value and few stages fail: the list holds one per stage.
    enum BaseExpansion: Sendable {
        /// The FROM has no image word.
        case missing
        /// The word's value.
        case value(String)
        /// Why the word does not expand.
        indirect case failure(VariableExpansionError)

        init(_ result: Result<String, VariableExpansionError>?) {
            switch result {
            case .success(let value)?: self = .value(value)
            case .failure(let error)?: self = .failure(error)
            case nil: self = .missing
            }
        }

        /// The value, or why there is none; nil when there is no word.
        var result: Result<String, VariableExpansionError>? {
            switch self {
            case .missing: nil
            case .value(let value): .success(value)
            case .failure(let error): .failure(error)
            }
        }
    }

    /// For each stage, its image word expanded, or why it failed. The value only: a whole
    /// ``VariableExpansion`` per stage also kept the word's split words, which nothing reads.
    let baseExpansions: [BaseExpansion]
    /// For each stage, the earlier stage it is based on.
    let baseStageIndices: [Int?]

    /// Every assignment of the file, kept once; the views read it at a point in time.
    let history: VariableHistory
    /// For each instruction of ``instructions``, the time its words are expanded at.
    /// 32-bit, as the history's times are: one per instruction of a large file.
    private let instructionTimes: [Int32]
    /// The time the global ARGs end, which every FROM sees.
    private let globalEndTime: Int

    /// Resolves the variables of `syntax`.
    ///
    /// - Parameters:
    ///   - buildArguments: `--build-arg` values; they win over ARG defaults.
    ///   - targetPlatform: the platform the predefined `TARGET*` ARGs describe.
    ///   - buildPlatform: the platform of `BUILD*`; the target platform when nil.
    ///   - target: the `--target` stage, for `TARGETSTAGE`; the last stage when nil.
    public init(
        syntax: DockerfileSyntax, buildArguments: [String: String] = [:], targetPlatform: String = "linux/amd64",
        buildPlatform: String? = nil, target: String? = nil
    ) {
        var builder = Builder(syntax: syntax, buildArguments: buildArguments)
        let lastStageName = builder.stageNames.last ?? nil
        let buildPlatform = buildPlatform ?? targetPlatform
        let targetStage = target ?? lastStageName ?? "default"
        var predefined: [String: String]
        let predefinedMap: PersistentMap<String, VariableHistory.Inherited>
        let standard = StandardPredefinedValues.shared
        if targetPlatform == standard.platform, buildPlatform == standard.platform,
           buildArguments.isEmpty || !Self.platformArgumentNames.contains(where: { buildArguments[$0] != nil }) {
            // Only the stage differs from file to file: one insertion each, where
            // building the table and the trie cost about 60,000 instructions a file.
            predefined = standard.values
            predefined["TARGETSTAGE"] = targetStage
            predefinedMap = standard.map.inserting(
                VariableHistory.Inherited(value: targetStage, isDeclared: false), for: "TARGETSTAGE")
        } else {
            predefined = Self.predefinedValues(
                targetPlatform: targetPlatform, buildPlatform: buildPlatform, targetStage: targetStage)
            for name in Self.platformArgumentNames {
                if let value = buildArguments[name] { predefined[name] = value }
            }
            predefinedMap = StandardPredefinedValues.inheritedMap(predefined)
        }
        builder.resolve(predefined: predefined, inherited: predefinedMap)

        expander = builder.expander
        self.buildArguments = buildArguments
        predefinedValues = predefined
        globalDeclarations = builder.globalDeclarations
        stageDeclarations = builder.stageDeclarations
        globalEnvironment = builder.globalEnvironment
        expansionFailures = builder.failures
        instructions = builder.instructions
        stageStarts = builder.stageStarts
        stageNames = builder.stageNames
        baseExpansions = builder.baseExpansions
        baseStageIndices = builder.baseStageIndices
        history = builder.recorder.history(scopes: builder.scopes)
        instructionTimes = builder.instructionTimes
        globalEndTime = builder.globalEndTime
    }

    // MARK: - Lookups

    /// The variables an instruction's words are expanded against: for a FROM, the
    /// global environment; in a stage, its environment just before the instruction.
    /// Nil for an instruction that is not a top-level instruction of this file.
    ///
    /// A view, not a copy: cheap to ask for at every instruction. The view also knows
    /// the ARG names declared at that point (``VariableEnvironment/isDeclaredArgument(_:)``).
    public func variables(before instruction: InstructionSyntax) -> VariableEnvironment? {
        guard let index = instructionIndex(startingAt: instruction.range.start) else { return nil }
        guard let stage = VariableHistory.lastIndex(in: stageStarts, before: index + 1, time: { $0 }) else {
            // Before the first FROM: the global ARGs so far.
            return VariableEnvironment(history: history, scope: 0, time: Int(instructionTimes[index]))
        }
        // A FROM sees the global ARGs only.
        if stageStarts[stage] == index { return VariableEnvironment(history: history, scope: 0, time: globalEndTime) }
        return VariableEnvironment(history: history, scope: stage + 1, time: Int(instructionTimes[index]))
    }

    /// The environment at the end of a stage, which stages based on it start from.
    public func variables(atEndOfStage stageIndex: Int) -> VariableEnvironment? {
        guard stageStarts.indices.contains(stageIndex) else { return nil }
        return VariableEnvironment(history: history, scope: stageIndex + 1, time: Int.max)
    }

    /// ``variables(before:)`` as a dictionary. It costs time and memory in proportion
    /// to every variable of the file, so asking at every instruction is quadratic:
    /// prefer ``variables(before:)``.
    public func environment(before instruction: InstructionSyntax) -> [String: String]? {
        variables(before: instruction)?.dictionary
    }

    /// The ARG names declared (with or without a value) before `instruction` in its
    /// scope: the global ARGs for a FROM or a global ARG, otherwise the stage's ARGs
    /// and those of the stages it is based on. BuildKit's `UndefinedVar` check does
    /// not report these names. Costs time in proportion to every ARG of the file:
    /// prefer ``VariableEnvironment/isDeclaredArgument(_:)``.
    public func declaredArgumentNames(before instruction: InstructionSyntax) -> Set<String>? {
        variables(before: instruction)?.declaredArgumentNames
    }

    /// ``variables(atEndOfStage:)`` as a dictionary; see ``environment(before:)`` for the cost.
    public func environment(atEndOfStage stageIndex: Int) -> [String: String]? {
        variables(atEndOfStage: stageIndex)?.dictionary
    }

    /// The index in ``instructions`` of the instruction that starts at `offset`.
    func instructionIndex(startingAt offset: Int) -> Int? {
        let low = instructions.partitioningIndex { $0.range.start >= offset }
        return low < instructions.count && instructions[low].range.start == offset ? low : nil
    }

    /// The names of the global ARGs.
    public var globalArgumentNames: Set<String> { Set(globalDeclarations.map(\.name)) }

    /// Expands `word` against the global environment, as BuildKit expands a FROM line.
    public func expandInGlobalScope(_ word: String) -> VariableExpansion {
        expander.evaluate(word, environment: globalEnvironment)
    }

    /// Whether the stage's environment starts from an image's ENV, which we cannot see,
    /// rather than from `scratch`; variables that look undefined may then be defined.
    public func inheritsImageEnvironment(stageIndex: Int) -> Bool {
        var index = stageIndex
        while baseStageIndices.indices.contains(index), let base = baseStageIndices[index] {
            index = base
        }
        guard baseExpansions.indices.contains(index), case .value(let value) = baseExpansions[index] else {
            return true
        }
        return value != "scratch"
    }
}

// MARK: - Resolution

/// The predefined ARGs of the default platform, and the environment a stage starts
/// from, built once per process: every file of a lint starts from them, and only
/// `TARGETSTAGE` (the file's last stage) differs between files.
private struct StandardPredefinedValues: Sendable {
    static let shared = StandardPredefinedValues()

    /// The platform `ArgScope`'s initializer defaults to, for both target and build.
    let platform = "linux/amd64"
    /// The predefined ARGs, `TARGETSTAGE` still the placeholder `default`.
    let values: [String: String]
    /// ``values`` as the global scope inherits them.
    let map: PersistentMap<String, VariableHistory.Inherited>
    /// What a stage not based on another starts with: BuildKit's default `PATH`.
    let imageStart = PersistentMap<String, VariableHistory.Inherited>(
        ["PATH": VariableHistory.Inherited(value: ArgScope.defaultPath, isDeclared: false)])

    private init() {
        values = ArgScope.predefinedValues(targetPlatform: platform, buildPlatform: platform, targetStage: "default")
        map = Self.inheritedMap(values)
    }

    /// The predefined ARGs as inherited, undeclared variables.
    static func inheritedMap(_ values: [String: String]) -> PersistentMap<String, VariableHistory.Inherited> {
        PersistentMap(values.mapValues { VariableHistory.Inherited(value: $0, isDeclared: false) })
    }
}

/// Walks the instructions once, recording every assignment with its time.
///
/// Nothing is copied per instruction: each scope keeps only what it inherits (a
/// ``PersistentMap`` shared with its base stage), and its own assignments are read from
/// the recorder, which keeps each assignment once. (A dictionary of the scope's own
/// names beside the recorder cost a file of one-name ENV lines a sixth of its memory.)
private struct Builder {
    /// A scope being walked: what it inherits, and where its own records start.
    struct Running {
        let inherited: PersistentMap<String, VariableHistory.Inherited>
        /// The scope's first time: the records from then on are its own.
        let startTime: Int
        let firstAssignment: Int
        let firstDeclaration: Int

        init(
            inherited: PersistentMap<String, VariableHistory.Inherited>, startTime: Int,
            recorder: VariableHistory.Recorder
        ) {
            self.inherited = inherited
            self.startTime = startTime
            firstAssignment = recorder.assignmentCount
            firstDeclaration = recorder.declarationCount
        }

        func value(of name: String, in recorder: VariableHistory.Recorder) -> String? {
            recorder.latestValue(of: name, since: startTime) ?? inherited[name]?.value
        }

        /// Calls `body` with every name the scope set or declared itself, its value and
        /// whether it is declared.
        func forEachOwn(
            in recorder: VariableHistory.Recorder, _ body: (String, VariableHistory.Inherited) -> Void
        ) {
            recorder.forEachName(assignedFrom: firstAssignment, declaredFrom: firstDeclaration) { name in
                body(name, VariableHistory.Inherited(
                    value: value(of: name, in: recorder),
                    isDeclared: recorder.isDeclared(name, since: startTime) || inherited[name]?.isDeclared == true))
            }
        }

        /// How many assignments the scope made, at least as many as the names it gave a value.
        func assignmentCount(in recorder: VariableHistory.Recorder) -> Int {
            recorder.assignmentCount - firstAssignment
        }

        /// The environment the scope ends with, sharing what it inherited.
        func ended(in recorder: VariableHistory.Recorder) -> PersistentMap<String, VariableHistory.Inherited> {
            var map = inherited
            forEachOwn(in: recorder) { name, binding in map = map.inserting(binding, for: name) }
            return map
        }
    }

    /// The values a running scope gives, for the expander.
    struct RunningValues: VariableValues {
        let scope: Running
        let recorder: VariableHistory.Recorder

        func value(of name: String) -> String? { scope.value(of: name, in: recorder) }
    }

    let instructions: [InstructionSyntax]
    let expander: VariableExpander
    let buildArguments: [String: String]
    let stageStarts: [Int]
    let stageNames: [String?]
    var globalDeclarations: [ArgScope.Declaration] = []
    var stageDeclarations: [ArgScope.Declaration] = []
    var globalEnvironment: [String: String] = [:]
    var failures: [ArgScope.ExpansionFailure] = []
    var baseExpansions: [ArgScope.BaseExpansion] = []
    var baseStageIndices: [Int?] = []
    var recorder = VariableHistory.Recorder()
    var scopes: [VariableHistory.Scope] = []
    var instructionTimes: [Int32]
    var globalEndTime = 0
    /// The next time to hand out.
    private var clock = 0
    /// The bytes substitutions may still add to the file's values: twice the file, plus
    /// one maximal value. Each value is bounded on its own
    /// (``VariableExpander/maximumSubstitutionLength``), but values growing by a byte per
    /// line (`ENV A=${A}b`) make the values' total quadratic in the file; past the budget
    /// a word does not expand (the name keeps its last value), so memory stays linear.
    private var substitutionBudget: Int
    /// The bytes substitutions have given each name in the current scope. A name may get
    /// at most ``nameSubstitutionBudget`` of them, so the value a name keeps when its
    /// budget runs out is short, and reading it at every later line, as rules do, costs
    /// a constant per line, not one growing with the file.
    private var substitutedBytesByName: [String: Int] = [:]
    /// What one scope's assignments to one name may substitute in all: a stage setting
    /// `PATH` a hundred times over stays far below it.
    static let nameSubstitutionBudget = 65_536
    /// The environment each stage ends with, kept only for stages another stage is based on.
    private var stageEnds: [Int: PersistentMap<String, VariableHistory.Inherited>] = [:]

    init(syntax: DockerfileSyntax, buildArguments: [String: String]) {
        let all = syntax.instructions
        let starts = all.indices.filter { all[$0].kind == .from }
        instructions = all
        expander = VariableExpander(syntax: syntax)
        self.buildArguments = buildArguments
        stageStarts = starts
        stageNames = starts.map { Builder.stageName(of: all[$0]) }
        instructionTimes = Array(repeating: 0, count: all.count)
        substitutionBudget = 2 * syntax.source.bytes.count + VariableExpander.maximumSubstitutionLength
    }

    /// BuildKit's `parseBuildStageName`: the third word, lowered, after `AS` in any case.
    static func stageName(of from: InstructionSyntax) -> String? {
        let values = from.values
        guard values.count == 3, values[1].lowercased() == "as" else { return nil }
        return values[2].lowercased()
    }

    /// Resolves every ARG and ENV; `inherited` is `predefined` as the global scope's trie.
    mutating func resolve(
        predefined: [String: String], inherited: PersistentMap<String, VariableHistory.Inherited>
    ) {
        let firstFrom = stageStarts.first ?? instructions.count
        let imageStart = StandardPredefinedValues.shared.imageStart
        let global = Running(inherited: inherited, startTime: clock, recorder: recorder)
        // One entry per stage (and one scope more for the globals), each list sized once:
        // grown by doubling, a file of thousands of stages kept up to half of each unused
        // for the whole lint.
        scopes.reserveCapacity(stageStarts.count + 1)
        baseExpansions.reserveCapacity(stageStarts.count)
        baseStageIndices.reserveCapacity(stageStarts.count)
        scopes.append(VariableHistory.Scope(startTime: clock, inherited: global.inherited))
        // One declaration per ARG line is the usual case: growing by doubling left up to
        // half of a large array unused at a file of global ARGs' peak.
        globalDeclarations.reserveCapacity(instructions[0..<firstFrom].count { $0.kind == .arg })
        for index in 0..<firstFrom {
            let instruction = instructions[index]
            instructionTimes[index] = Int32(truncatingIfNeeded: clock)
            guard instruction.kind == .arg else { continue }
            for (name, value, token) in Self.arguments(of: instruction) {
                globalDeclarations.append(ArgScope.Declaration(token: token, stageIndex: nil))
                var newValue: String?
                if let override = buildArguments[name] {
                    newValue = override
                } else if let value {
                    newValue = expand(value, at: token.range, environment: global, assigning: name)
                }
                record(name, value: newValue, declares: true)
            }
        }
        globalEndTime = clock
        // Sized once: growing it kept the old and the new table at once, a file of
        // global ARGs' peak.
        var environment = predefined
        // Most files have no global ARG: their environment is the predefined table itself,
        // shared, not a copy sized for nothing.
        if global.assignmentCount(in: recorder) > 0 {
            environment.reserveCapacity(predefined.count + global.assignmentCount(in: recorder))
        }
        global.forEachOwn(in: recorder) { name, binding in
            if let value = binding.value { environment[name] = value }
        }
        globalEnvironment = environment

        // Stage names known so far, for FROM lines (BuildKit's `statesByName` while
        // stages are added: only earlier stages, the last of a duplicated name).
        var earlierStages: [String: Int] = [:]
        for (stageIndex, start) in stageStarts.enumerated() {
            let baseWord = Self.firstWord(of: instructions[start])
            let expansion = baseWord.map { expander.evaluate($0.text, environment: globalEnvironment) }
            baseExpansions.append(ArgScope.BaseExpansion(expansion?.result))
            // BuildKit compares the expanded name as written with the lowered stage names.
            baseStageIndices.append(expansion?.value.flatMap { earlierStages[$0] })
            if let name = stageNames[stageIndex] { earlierStages[name] = stageIndex }
        }
        let isBase = Set(baseStageIndices.compactMap { $0 })

        for (stageIndex, start) in stageStarts.enumerated() {
            instructionTimes[start] = Int32(truncatingIfNeeded: clock)
            let baseStage = baseStageIndices[stageIndex]
            // A stage based on another inherits its environment and its ARGs
            // (BuildKit's `dispatchState.init`).
            let stage = Running(
                inherited: baseStage.flatMap { stageEnds[$0] } ?? imageStart, startTime: clock, recorder: recorder)
            substitutedBytesByName = [:]
            scopes.append(VariableHistory.Scope(startTime: clock, inherited: stage.inherited))
            let end = stageIndex + 1 < stageStarts.count ? stageStarts[stageIndex + 1] : instructions.count
            if let baseStage {
                // BuildKit runs the base stage's ONBUILD triggers before the stage's own
                // instructions (`initOnBuildTriggers`).
                let baseEnd = stageStarts[baseStage + 1]
                for trigger in instructions[(stageStarts[baseStage] + 1)..<baseEnd].compactMap(\.trigger) {
                    apply(trigger, stageIndex: stageIndex, in: stage, isTrigger: true)
                }
            }
            for index in (start + 1)..<end {
                instructionTimes[index] = Int32(truncatingIfNeeded: clock)
                apply(instructions[index], stageIndex: stageIndex, in: stage, isTrigger: false)
            }
            if isBase.contains(stageIndex) { stageEnds[stageIndex] = stage.ended(in: recorder) }
        }
    }

    /// Applies an ARG or ENV to the running environment. ARGs of an ONBUILD trigger are
    /// declared in the stage that runs them but not listed in `stageDeclarations`.
    private mutating func apply(
        _ instruction: InstructionSyntax, stageIndex: Int, in stage: Running, isTrigger: Bool
    ) {
        switch instruction.kind {
        case .arg:
            for (name, value, token) in Self.arguments(of: instruction) {
                if !isTrigger {
                    stageDeclarations.append(ArgScope.Declaration(token: token, stageIndex: stageIndex))
                }
                var newValue: String?
                if let override = buildArguments[name] {
                    newValue = override
                } else if let value {
                    // BuildKit fails the build here; we leave the name unset and go on.
                    newValue = expand(value, at: token.range, environment: stage, assigning: name)
                } else {
                    newValue = globalEnvironment[name]
                }
                record(name, value: newValue, declares: true)
            }
        case .env:
            guard case .keyValuePairs(let pairs, _) = instruction.arguments else { return }
            // Every word of the instruction is expanded before any is applied.
            var expanded: [(String, String)] = []
            for pair in pairs {
                guard let key = expand(pair.key.text, at: pair.key.range, environment: stage, assigning: nil),
                    let value = expand(pair.value.text, at: pair.value.range, environment: stage, assigning: key)
                else { continue }
                expanded.append((key, value))
            }
            for (key, value) in expanded {
                record(key, value: value, declares: false, advancesClock: false)
            }
            clock += 1
        default:
            break
        }
    }

    /// Records an assignment (or, with `value` nil, only a declaration) at the current
    /// time, then moves the clock on unless the caller does.
    private mutating func record(_ name: String, value: String?, declares: Bool, advancesClock: Bool = true) {
        if let value { recorder.assign(name, value: value, time: clock) }
        if declares { recorder.declare(name, time: clock) }
        if advancesClock { clock += 1 }
    }

    /// Expands a word of an ARG or ENV; `name` is the variable its value goes to, charged
    /// with the substituted bytes (nil for an ENV key, which names no variable yet).
    private mutating func expand(
        _ word: String, at range: TextRange, environment: Running, assigning name: String?
    ) -> String? {
        let nameAllowance = name.map { Self.nameSubstitutionBudget - substitutedBytesByName[$0, default: 0] }
        let expansion = expander.evaluate(
            word, environment: RunningValues(scope: environment, recorder: recorder),
            substitutionLimit: min(substitutionBudget, nameAllowance ?? .max))
        switch expansion.result {
        case .success(let value):
            // A word without a substitution is its own value; one with substitutions is a
            // new string, charged whole.
            if !expansion.referencedNames.isEmpty {
                let length = value.utf8.count
                substitutionBudget -= min(substitutionBudget, length)
                if let name { substitutedBytesByName[name, default: 0] += length }
            }
            return value
        case .failure(let error):
            failures.append(ArgScope.ExpansionFailure(range: range, error: error))
            return nil
        }
    }

    /// The `name[=default]` words of an ARG, split at the first `=` (BuildKit's `parseArg`);
    /// words with a blank name are skipped, BuildKit rejects them.
    static func arguments(of instruction: InstructionSyntax) -> [(String, String?, Token)] {
        guard case .words(let tokens) = instruction.arguments else { return [] }
        return tokens.compactMap { token in
            guard let equals = token.text.firstIndex(of: "=") else {
                return token.text.isEmpty ? nil : (token.text, nil, token)
            }
            let name = String(token.text[..<equals])
            guard !name.isEmpty else { return nil }
            return (name, String(token.text[token.text.index(after: equals)...]), token)
        }
    }

    /// The image word of a FROM.
    static func firstWord(of from: InstructionSyntax) -> Token? {
        guard case .words(let tokens) = from.arguments else { return nil }
        return tokens.first
    }
}
