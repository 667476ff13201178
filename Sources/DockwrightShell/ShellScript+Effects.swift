import DockwrightSyntax

/// A pipeline that downloads something and feeds it to an interpreter
/// (`curl -fsSL … | sh`).
public struct PipedDownload: Hashable, Sendable {
    /// The downloading command (curl, wget, …).
    public let download: CommandView
    /// The interpreter reading it (sh, bash, python, …).
    public let interpreter: CommandView
}

/// Something a script does that the next command of the same shell would notice,
/// so joining it with `&&` to another RUN's script would change that script.
public struct StateLeak: Hashable, Sendable {
    /// What leaks.
    public enum Kind: Hashable, Sendable {
        /// `cd`, `pushd`, `popd`.
        case changesDirectory
        /// `export`, `unset`, `readonly`, `declare`, `typeset`, or a bare `NAME=value`.
        case changesVariables
        /// `set`, `shopt`, `trap`, `ulimit`, `umask`.
        case changesShellOptions
        /// `source` or `.`.
        case sourcesFile
        /// `alias`, `unalias`, or a function definition.
        case definesCommands
        /// `exit` or `exec`: nothing after it runs.
        case endsShell
        /// A command run in the background with `&`.
        case runsInBackground
        /// A trailing comment, which would swallow whatever is appended to the line.
        case endsWithComment
        /// A builtin that can change any state or the positional parameters (`eval`,
        /// `builtin`, `read`, `let`, `mapfile`, `shift`, `getopts`, `hash`, `enable`) or
        /// control flow after the script (`return`, `break`, `continue`).
        case changesShellState
        /// `printf -v name`.
        case setsVariableWithPrintf
        /// An assignment inside a loop, `if` condition or `case` arm.
        case assignsInCompoundCommand
        /// `for name in …`: the loop variable keeps its last value.
        case setsLoopVariable
        /// `${name:=value}` or `${name=value}`. Boxed, so the other cases (all without
        /// a payload) keep a kind at 8 bytes: every RUN's leaks are kept for the whole lint.
        indirect case assignsInExpansion(name: String, operatorText: String)
        /// An arithmetic expression that may assign (`$((i++))`, `(( n = 1 ))`).
        case assignsInArithmetic
    }

    /// What leaks.
    public let kind: Kind
    /// Where, in 32-bit script offsets: a script of thousands of bare assignments leaks
    /// once per command, and every RUN's leaks are kept for the whole lint.
    private let span: ScriptSpan

    /// Where, in script offsets.
    public var range: Range<Int> { span.range }

    /// A leak of `kind` at `range`.
    public init(kind: Kind, range: Range<Int>) {
        self.kind = kind
        span = ScriptSpan(range)
    }
}

extension ShellScript {
    /// Programs that download from the network.
    static let downloaders: Set<String> = ["curl", "wget", "fetch", "aria2c", "http", "https"]
    /// Programs that run code read from standard input.
    static let interpreters: Set<String> = [
        "sh", "bash", "dash", "ash", "zsh", "ksh", "python", "python2", "python3", "perl", "ruby", "node", "php",
    ]

    /// Pipelines in which a download is piped into an interpreter.
    public var pipedDownloads: [PipedDownload] {
        var found: [PipedDownload] = []
        var byPipeline: [Range<Int>: [CommandView]] = [:]
        var order: [Range<Int>] = []
        for view in commands where view.context.pipelineLength > 1 {
            let key = view.context.pipelineRange
            if byPipeline[key] == nil { order.append(key) }
            byPipeline[key, default: []].append(view)
        }
        for key in order {
            let views = byPipeline[key] ?? []
            guard let download = views.first(where: { Self.downloaders.contains($0.name ?? "") }) else { continue }
            let later = views.filter { $0.context.pipelineIndex > download.context.pipelineIndex }
            if let interpreter = later.first(where: { Self.interpreters.contains($0.name ?? "") }) {
                found.append(PipedDownload(download: download, interpreter: interpreter))
            }
        }
        return found
    }

    /// The builtins whose effect on the shell the next command of the same shell sees.
    public static let stateChangingBuiltins: [String: StateLeak.Kind] = [
        "cd": .changesDirectory, "pushd": .changesDirectory, "popd": .changesDirectory,
        "export": .changesVariables, "unset": .changesVariables, "readonly": .changesVariables,
        "declare": .changesVariables, "typeset": .changesVariables, "local": .changesVariables,
        "set": .changesShellOptions, "shopt": .changesShellOptions, "trap": .changesShellOptions,
        "ulimit": .changesShellOptions, "umask": .changesShellOptions,
        "source": .sourcesFile, ".": .sourcesFile,
        "alias": .definesCommands, "unalias": .definesCommands,
        "exit": .endsShell, "exec": .endsShell,
        "eval": .changesShellState, "builtin": .changesShellState, "read": .changesShellState,
        "let": .changesShellState, "mapfile": .changesShellState, "readarray": .changesShellState,
        "shift": .changesShellState, "getopts": .changesShellState, "hash": .changesShellState,
        "enable": .changesShellState, "return": .changesShellState, "break": .changesShellState,
        "continue": .changesShellState,
    ]

    /// What the script changes in its shell that later commands would see: first what
    /// its main shell does at the top (builtins, bare assignments, functions, background
    /// jobs, a trailing comment), in source order; then the state-changing builtins
    /// elsewhere outside subshells; then what compound commands and expansions change
    /// (assignments in loops and `case` arms, loop variables, `${x:=…}`, arithmetic).
    public var stateLeaks: [StateLeak] {
        let body = self.body
        var leaks: [StateLeak] = []
        // A script of bare assignments leaks once per top-level item: sized for that up
        // front, its list is neither grown by doubling nor copied to drop the spare room.
        leaks.reserveCapacity(body.items.count)
        // The builtins outside subshells, substitutions and functions, which come after
        // the sorted leaks: found in the same pass over the commands, which looks each
        // command's names up once for both.
        var builtinLeaks: [StateLeak] = []
        let commands = self.commands
        for index in commands.indices {
            let context = commands[index].context
            let range = commands[index].command.range
            // `exec` is a wrapper for the view, so look at the first word as written.
            let first = commands[index].command.words.first?.literalValue ?? ""
            let name = commands[index].name ?? ""
            let firstKind = Self.stateChangingBuiltins[first]
            let nameKind = name == first ? firstKind : Self.stateChangingBuiltins[name]
            if context.runsInMainShell, let kind = Self.topLevelBuiltin(firstKind) ?? Self.topLevelBuiltin(nameKind) {
                leaks.append(StateLeak(kind: kind, range: range))
            }
            guard !context.enclosures.contains(where: { $0 == .subshell || $0 == .substitution || $0 == .function })
            else { continue }
            if firstKind == .changesShellState || nameKind == .changesShellState {
                builtinLeaks.append(StateLeak(kind: .changesShellState, range: range))
            }
            if name == "printf" && commands[index].hasFlag("v") {
                builtinLeaks.append(StateLeak(kind: .setsVariableWithPrintf, range: range))
            }
        }
        collectMainShellLeaks(in: body, into: &leaks)
        if let last = comments.last, last.lowerBound >= body.range.upperBound,
           text.bytes[last.upperBound...].allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            leaks.append(StateLeak(kind: .endsWithComment, range: last))
        }
        leaks.sort { $0.range.lowerBound < $1.range.lowerBound }
        leaks.append(contentsOf: builtinLeaks)
        var finder = NestedLeakFinder()
        finder.visit(body, isNested: false)
        leaks.append(contentsOf: finder.found)
        return leaks
    }

    /// The kind of a builtin `stateLeaks` lists at the top of the main shell, from its
    /// ``stateChangingBuiltins`` entry.
    private static func topLevelBuiltin(_ kind: StateLeak.Kind?) -> StateLeak.Kind? {
        guard let kind, kind != .changesShellState else { return nil }
        return kind
    }

    /// Bare assignments, function definitions and background jobs of the main shell.
    private func collectMainShellLeaks(in list: ShellList, into leaks: inout [StateLeak]) {
        for item in list.items {
            if item.isBackground {
                leaks.append(StateLeak(kind: .runsInBackground, range: item.range))
                continue
            }
            for pipeline in item.andOr.pipelines where pipeline.commands.count == 1 {
                let command = pipeline.commands[0]
                switch command.kind {
                case .simple(let simple) where simple.words.isEmpty && !simple.assignments.isEmpty:
                    leaks.append(StateLeak(kind: .changesVariables, range: simple.range))
                case .functionDefinition:
                    leaks.append(StateLeak(kind: .definesCommands, range: command.range))
                case .braceGroup(let inner):
                    collectMainShellLeaks(in: inner, into: &leaks)
                case .ifClause(let branches, let elseBody):
                    for branch in branches { collectMainShellLeaks(in: branch.body, into: &leaks) }
                    if let elseBody { collectMainShellLeaks(in: elseBody, into: &leaks) }
                default:
                    break
                }
            }
        }
    }
}

/// Finds the state changes of compound commands and expansions: assignments inside
/// loops and `case` arms, loop variables, `${name:=value}` and arithmetic assignments.
/// Subshells are skipped, as their changes do not leave them.
private struct NestedLeakFinder {
    var found: [StateLeak] = []

    /// Visits a list; `isNested` is false where `collectMainShellLeaks` already reports
    /// bare assignments and functions (the top of the main shell, brace groups, `if` bodies).
    mutating func visit(_ list: ShellList, isNested: Bool) {
        for item in list.items {
            for pipeline in item.andOr.pipelines {
                let inPipeline = isNested || pipeline.commands.count > 1
                for command in pipeline.commands { visit(command, isNested: inPipeline) }
            }
        }
    }

    mutating func visit(_ command: ShellCommand, isNested: Bool) {
        switch command.kind {
        case .simple(let simple):
            if isNested && simple.words.isEmpty && !simple.assignments.isEmpty {
                found.append(StateLeak(kind: .assignsInCompoundCommand, range: command.range))
            }
            for assignment in simple.assignments { if let value = assignment.value { visit(value, in: command) } }
            for word in simple.words { visit(word, in: command) }
            for redirect in simple.redirects { visit(redirect.target, in: command) }
        case .subshell:
            break
        case .braceGroup(let list):
            visit(list, isNested: isNested)
        case .ifClause(let branches, let elseBody):
            for branch in branches {
                visit(branch.condition, isNested: true)
                visit(branch.body, isNested: isNested)
            }
            if let elseBody { visit(elseBody, isNested: isNested) }
        case .forLoop, .arithmeticForLoop:
            found.append(StateLeak(kind: .setsLoopVariable, range: command.range))
        case .whileLoop(let condition, let body, _):
            visit(condition, isNested: true)
            visit(body, isNested: true)
        case .caseClause(let subject, let arms):
            visit(subject, in: command)
            for arm in arms { visit(arm.body, isNested: true) }
        case .functionDefinition:
            if isNested { found.append(StateLeak(kind: .definesCommands, range: command.range)) }
        case .testClause(let words):
            for word in words { visit(word, in: command) }
        case .arithmeticCommand(let arithmetic):
            visit(arithmetic, in: command)
        }
        for redirect in command.redirects { visit(redirect.target, in: command) }
    }

    mutating func visit(_ word: ShellWord, in command: ShellCommand) {
        guard !word.isStoredAsBytes else { return }
        for part in word.parts { visit(part, in: command) }
    }

    mutating func visit(_ part: ShellWordPart, in command: ShellCommand) {
        switch part {
        case .doubleQuoted(let parts):
            for inner in parts { visit(inner, in: command) }
        case .parameter(let expansion):
            if expansion.operatorText == "=" || expansion.operatorText == ":=" {
                found.append(StateLeak(
                    kind: .assignsInExpansion(name: expansion.name, operatorText: expansion.operatorText),
                    range: expansion.range))
            }
            if let operand = expansion.operand { visit(operand, in: command) }
        case .arithmetic(let arithmetic):
            visit(arithmetic, in: command)
        case .literal, .singleQuoted, .ansiCQuoted, .commandSubstitution, .backquoted, .processSubstitution:
            break
        }
    }

    /// Any `=` (comparisons included, to stay simple), `++` or `--` may assign a variable.
    mutating func visit(_ arithmetic: ShellArithmetic, in command: ShellCommand) {
        let expression = arithmetic.expression
        if expression.contains("=") || expression.contains("++") || expression.contains("--") {
            found.append(StateLeak(kind: .assignsInArithmetic, range: command.range))
        }
    }
}

// MARK: - Paths and programs

extension ShellScript {
    /// Everything the script does that another instruction could notice, in one walk:
    /// the state it leaks, the paths it reads and writes, the programs it runs.
    ///
    /// Paths are resolved against `workingDirectory`, following `cd` in the script;
    /// `variables` are the values known before the script starts (ENV and ARG), updated
    /// by the script's own assignments. Linear in the script's size: each command is
    /// visited once, and each `sh -c` body is parsed once.
    public func effects(workingDirectory: ImagePath, variables: VariableEnvironment = [:]) -> ScriptEffects {
        var walker = EffectsWalker(sourceAnchor: { [text] in text.sourceRange(of: $0).start })
        var state = EffectsWalker.State(workingDirectory: workingDirectory, variables: variables)
        walker.walk(self, state: &state, override: nil, depth: 0)
        // Each list is copied without its spare room and the grown one released before the
        // next is copied, so a long script's peak holds one list twice, not all of them.
        let programs = walker.programs.compacted()
        walker.programs = []
        let reads = walker.reads.compacted()
        walker.reads = []
        let writes = walker.writes.compacted()
        walker.writes = []
        // Sized up front (``stateLeaks``): copied only when the room the allocator rounded
        // up to is not all that is left over, as a script of thousands of assignments
        // otherwise held its leaks twice at its peak.
        return ScriptEffects(
            stateLeaks: stateLeaks.compactedWhenSpareExceedsAnEighth(),
            reads: reads, writes: writes, programs: programs,
            environmentReads: walker.environmentReadsAreShared
                ? walker.environmentReads : walker.environmentReads.compacted(),
            isComplete: walker.isComplete)
    }
}

extension ScriptEffects {
    /// The programs whose commands can give a script's effects a `.download` write: those
    /// ``EffectsWalker`` records one for (`curl`, `wget`, `gpg --output`), and the shells,
    /// whose `-c` bodies it walks. A script that calls none of them downloads nothing,
    /// which lets a rule that reads only downloads pass it by without the walk. A case
    /// added to the walker that records a download belongs here too; a corpus test holds
    /// the two together.
    public static let programsThatMayDownload: [String] = ["curl", "wget", "gpg", "gpg2"] + EffectsWalker.shells.sorted()

    /// The programs whose commands can give a script's effects a `.deletion` write: `rm`
    /// and its kin (also behind `xargs` or `find -exec`), `mv` (its source), `find -delete`,
    /// and the shells, whose `-c` bodies the walk reads. As for ``programsThatMayDownload``,
    /// a corpus test holds the list and the walker together.
    public static let programsThatMayDelete: [String] =
        ["rm", "rmdir", "unlink", "shred", "mv", "find"] + EffectsWalker.shells.sorted()
}

/// The walk behind ``ShellScript/effects(workingDirectory:variables:)``.
struct EffectsWalker {
    /// What the shell knows while it runs: its directory and its variables.
    struct State {
        var workingDirectory: ImagePath
        let variables: VariableEnvironment
        /// Values the script set: nil for a value known only at run time.
        var assigned: [String: String?] = [:]

        init(workingDirectory: ImagePath, variables: VariableEnvironment) {
            self.workingDirectory = workingDirectory
            self.variables = variables
        }

        func value(of name: String) -> String? {
            if let assignedValue = assigned[name] { return assignedValue }
            return variables[name]
        }
    }

    /// Maps a script offset to a Dockerfile offset, to anchor folders a `cd` made unknown.
    let sourceAnchor: (Range<Int>) -> Int
    var reads = PathEffects()
    var writes = PathEffects()
    var programs: [ProgramCall] = []
    var environmentReads: [String] = []
    /// Whether ``environmentReads`` is a package manager table's own list, to be kept as
    /// it is rather than copied without spare room: a release build copied the shared list
    /// of every RUN of a file of installs (80 bytes each).
    var environmentReadsAreShared = false
    var isComplete = true
    /// The names of ``environmentReads``, made only once a second package-manager call
    /// adds to them (empty until then).
    private var seenEnvironment: Set<String> = []
    /// Every name assigned inside the conditional bodies being walked, in order: a body
    /// looks only at its own part of it, which keeps the walk linear however many
    /// variables the script sets. Names set outside any conditional body are not kept, as
    /// no body would look at them (a script of thousands of assignments kept them all).
    private var assignmentJournal: [String] = []
    /// How many conditional bodies enclose the command being walked.
    private var conditionalDepth = 0

    init(sourceAnchor: @escaping (Range<Int>) -> Int) {
        self.sourceAnchor = sourceAnchor
    }

    /// Nested `sh -c` bodies are parsed and walked up to this depth.
    static let maximumDepth = 8

    /// The script being walked, with its command views findable by range.
    private struct Script {
        let script: ShellScript
        /// The positions of the script's command views ordered by range, when their
        /// pre-order is not already that order (a heredoc's substitutions come after the
        /// commands that follow its operator); nil when it is. A sorted list searched in
        /// log time rather than a dictionary by range: a heredoc of thousands of commands
        /// held a 1.5 MB table per half megabyte of script, twice over while it grew.
        let rangeOrder: [Int32]?
        /// The range every effect is reported at inside a `sh -c` body: the body's word.
        let override: Range<Int>?
        let depth: Int

        init(script: ShellScript, override: Range<Int>?, depth: Int) {
            self.script = script
            self.override = override
            self.depth = depth
            let commands = script.commands
            let isOrdered = commands.indices.dropFirst().allSatisfy {
                Self.precedes(commands[$0 - 1].command.range, commands[$0].command.range)
            }
            rangeOrder = isOrdered
                ? nil
                : commands.indices.map { Int32($0) }.sorted {
                    let left = commands[Int($0)].command.range
                    let right = commands[Int($1)].command.range
                    return Self.precedes(left, right) || (left == right && $0 < $1)
                }
        }

        private static func precedes(_ left: Range<Int>, _ right: Range<Int>) -> Bool {
            (left.lowerBound, left.upperBound) < (right.lowerBound, right.upperBound)
        }

        /// The position in `script.commands` of the view of the simple command at `range`
        /// (the last one, should two share it).
        func viewIndex(of range: Range<Int>) -> Int? {
            let commands = script.commands
            let order = rangeOrder
            func position(_ rank: Int) -> Int { order.map { Int($0[rank]) } ?? rank }
            // The first rank past `range`; a match is the rank just before it.
            let after = (0..<(order?.count ?? commands.count)).partitioningIndex {
                let candidate = commands[position($0)].command.range
                return candidate != range && !Self.precedes(candidate, range)
            }
            guard after > 0, commands[position(after - 1)].command.range == range else { return nil }
            return position(after - 1)
        }
    }

    mutating func walk(_ script: ShellScript, state: inout State, override: Range<Int>?, depth: Int) {
        visit(script.body, Script(script: script, override: override, depth: depth), &state)
    }

    // MARK: - Structure

    private mutating func visit(_ list: ShellList, _ script: Script, _ state: inout State) {
        for item in list.items {
            if item.isBackground {
                var copy = state
                visit(item.andOr, script, &copy)
            } else {
                visit(item.andOr, script, &state)
            }
        }
    }

    private mutating func visit(_ andOr: ShellAndOrList, _ script: Script, _ state: inout State) {
        for (index, pipeline) in andOr.pipelines.enumerated() {
            // `a && b` runs `b` after `a` succeeded, so `b` sees what `a` changed, and so
            // does what follows the list (RUN scripts stop at the first failure, `set -e`
            // or not, only when `&&` chains them; the usual shape). `a || b` runs `b` only
            // when `a` failed: afterwards what `b` changed may or may not hold.
            if index == 0 || andOr.operators[index - 1] == .and {
                visit(pipeline, script, &state)
            } else {
                visitConditionally(pipeline.range, script, &state) { walker, state in
                    walker.visit(pipeline, script, &state)
                }
            }
        }
    }

    private mutating func visit(_ pipeline: ShellPipeline, _ script: Script, _ state: inout State) {
        if pipeline.commands.count == 1 {
            visit(pipeline.commands[0], script, &state)
            return
        }
        // bash runs each part of a pipeline in a subshell.
        for command in pipeline.commands {
            var copy = state
            visit(command, script, &copy)
        }
    }

    /// Runs `body` on a copy of the state; afterwards what it changed is unknown.
    private mutating func visitConditionally(
        _ range: Range<Int>, _ script: Script, _ state: inout State, _ body: (inout EffectsWalker, inout State) -> Void
    ) {
        var copy = state
        let journalStart = assignmentJournal.count
        conditionalDepth += 1
        body(&self, &copy)
        conditionalDepth -= 1
        if copy.workingDirectory != state.workingDirectory {
            state.workingDirectory = .relative(anchor: anchor(range, script), path: "")
        }
        for name in assignmentJournal[journalStart...] where copy.assigned[name] != state.assigned[name] {
            state.assigned[name] = .some(nil)
        }
        if conditionalDepth == 0 { assignmentJournal.removeAll(keepingCapacity: true) }
    }

    private mutating func visit(_ command: ShellCommand, _ script: Script, _ state: inout State) {
        switch command.kind {
        case .simple(let simple):
            visit(simple, script, &state)
        case .subshell(let list):
            var copy = state
            visit(list, script, &copy)
        case .braceGroup(let list):
            visit(list, script, &state)
        case .ifClause(let branches, let elseBody):
            for branch in branches {
                visitConditionally(command.range, script, &state) { walker, state in
                    walker.visit(branch.condition, script, &state)
                    walker.visit(branch.body, script, &state)
                }
            }
            if let elseBody {
                visitConditionally(command.range, script, &state) { walker, state in walker.visit(elseBody, script, &state) }
            }
        case .forLoop(let variable, let words, let body):
            for word in words ?? [] { visitSubstitutions(in: word, script, state) }
            set(variable, nil, &state)
            visitConditionally(command.range, script, &state) { walker, state in walker.visit(body, script, &state) }
        case .arithmeticForLoop(let header, let body):
            for list in header.substitutions { visitSubstitution(list, script, state) }
            visitConditionally(command.range, script, &state) { walker, state in walker.visit(body, script, &state) }
        case .whileLoop(let condition, let body, _):
            visitConditionally(command.range, script, &state) { walker, state in
                walker.visit(condition, script, &state)
                walker.visit(body, script, &state)
            }
        case .caseClause(let subject, let arms):
            visitSubstitutions(in: subject, script, state)
            for arm in arms {
                visitConditionally(command.range, script, &state) { walker, state in walker.visit(arm.body, script, &state) }
            }
        case .functionDefinition(_, let body):
            // The body runs when called, in the shell of the caller: its effects count, its
            // changes to the state are unknown where it is called.
            var copy = state
            visit(body, script, &copy)
        case .testClause(let words):
            for word in words { visitSubstitutions(in: word, script, state) }
        case .arithmeticCommand(let arithmetic):
            for list in arithmetic.substitutions { visitSubstitution(list, script, state) }
        }
        for redirect in command.redirects { visit(redirect, script, state) }
    }

    /// Walks the command substitutions inside a word: each runs in a subshell.
    private mutating func visitSubstitutions(in word: ShellWord, _ script: Script, _ state: State) {
        guard !word.isStoredAsBytes else { return }
        for part in word.parts { visitSubstitutions(in: part, script, state) }
    }

    private mutating func visitSubstitutions(in part: ShellWordPart, _ script: Script, _ state: State) {
        switch part {
        case .doubleQuoted(let parts):
            for inner in parts { visitSubstitutions(in: inner, script, state) }
        case .parameter(let expansion):
            if let operand = expansion.operand { visitSubstitutions(in: operand, script, state) }
        case .commandSubstitution(let list), .backquoted(let list), .processSubstitution(let list):
            visitSubstitution(list, script, state)
        case .arithmetic(let arithmetic):
            for list in arithmetic.substitutions { visitSubstitution(list, script, state) }
        case .literal, .singleQuoted, .ansiCQuoted:
            break
        }
    }

    private mutating func visitSubstitution(_ list: ShellList, _ script: Script, _ state: State) {
        var copy = state
        visit(list, script, &copy)
    }

    // MARK: - Simple commands

    private mutating func visit(_ simple: SimpleCommand, _ script: Script, _ state: inout State) {
        for assignment in simple.assignments {
            if let value = assignment.value { visitSubstitutions(in: value, script, state) }
            for element in assignment.arrayElements ?? [] { visitSubstitutions(in: element, script, state) }
        }
        for word in simple.words { visitSubstitutions(in: word, script, state) }
        for redirect in simple.redirects { visit(redirect, script, state) }
        guard let index = script.viewIndex(of: simple.range) else {
            // `NAME=value` alone sets a shell variable.
            for assignment in simple.assignments { assign(assignment, &state) }
            return
        }
        let view = script.script.commands[index]
        let first = view.command.words.first?.literalValue ?? ""
        if view.wrappers.isEmpty, Self.builtins.contains(first) {
            visitBuiltin(first, view, script, &state)
            return
        }
        visitProgram(view, script, state)
    }

    private mutating func visit(_ redirect: ShellRedirect, _ script: Script, _ state: State) {
        let operatorText = redirect.operatorText
        // Heredocs and here-strings are inline text; `>&2` and `<&0` name descriptors.
        guard !operatorText.hasPrefix("<<"), !operatorText.hasSuffix("&") else { return }
        if operatorText == "<" {
            record(.inputRedirection, redirect.target, script, state, isWrite: false)
        } else if operatorText == "<>" {
            record(.inputRedirection, redirect.target, script, state, isWrite: false)
            record(.outputRedirection, redirect.target, script, state, isWrite: true)
        } else {
            record(.outputRedirection, redirect.target, script, state, isWrite: true)
        }
    }

    /// Builtins whose arguments are not paths the shell opens, and which start no program.
    static let builtins: Set<String> = [
        "cd", "pushd", "popd", "export", "unset", "readonly", "declare", "typeset", "local", "set", "shopt", "trap",
        "ulimit", "umask", "source", ".", "alias", "unalias", "exit", "eval", "builtin", "read", "let", "mapfile",
        "readarray", "shift", "getopts", "hash", "enable", "return", "break", "continue", "echo", "printf", "test",
        "[", "true", "false", ":", "wait", "type", "command", "jobs", "fg", "bg", "kill", "times", "dirs",
    ]

    private mutating func visitBuiltin(_ name: String, _ view: CommandView, _ script: Script, _ state: inout State) {
        let arguments = Array(view.command.words.dropFirst())
        switch name {
        case "cd", "pushd":
            let targets = arguments.filter { !($0.literalValue.map(CommandView.isFlag) ?? false) }
            if targets.count == 1, case let (text, true) = evaluate(targets[0], state), text != "-",
               !ImagePath.hasGlob(text), let folder = resolve(text, state) {
                state.workingDirectory = folder
            } else if targets.isEmpty && name == "cd" {
                state.workingDirectory = homeFolder(state)
            } else {
                state.workingDirectory = .relative(anchor: anchor(view.command.range, script), path: "")
            }
        case "popd":
            state.workingDirectory = .relative(anchor: anchor(view.command.range, script), path: "")
        case "export", "readonly", "declare", "typeset", "local":
            for word in arguments {
                guard let literal = word.literalValue, !literal.hasPrefix("-") else { continue }
                let parts = literal.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2 { set(String(parts[0]), String(parts[1]), &state) }
            }
            // `export NAME=$(…)`: the value is known only at run time.
            for word in arguments where word.literalValue == nil {
                if case .literal(let head) = word.parts.first, let equals = head.firstIndex(of: "=") {
                    set(String(head[..<equals]), nil, &state)
                }
            }
            for assignment in view.command.assignments { assign(assignment, &state) }
        case "unset":
            for word in arguments { if let literal = word.literalValue { set(literal, nil, &state) } }
        case "source", ".":
            if let target = arguments.first {
                record(.script, target, script, state, isWrite: false)
                if target.literalValue == nil { isComplete = false }
            }
        case "eval":
            isComplete = false
        case "read", "mapfile", "readarray", "getopts", "let":
            for word in arguments {
                if let literal = word.literalValue, !literal.hasPrefix("-") { set(literal, nil, &state) }
            }
        case "echo", "printf":
            // Their arguments are text, but an apt source line names its keyring.
            for word in arguments { recordKeyrings(in: word, script, state) }
        default:
            break
        }
    }

    /// Sets a variable's value (nil: known only at run time).
    private mutating func set(_ name: String, _ value: String?, _ state: inout State) {
        state.assigned[name] = .some(value)
        if conditionalDepth > 0 { assignmentJournal.append(name) }
    }

    private mutating func assign(_ assignment: ShellAssignment, _ state: inout State) {
        guard assignment.arrayElements == nil, !assignment.isAppend else {
            set(assignment.name, nil, &state)
            return
        }
        guard let value = assignment.value else {
            set(assignment.name, "", &state)
            return
        }
        // A value past the expander's substitution limit is unknown, as in Dockerfile
        // words: `A=$A$A` repeated doubles it on every command.
        if case let (text, true) = evaluate(value, state), text.utf8.count <= VariableExpander.maximumSubstitutionLength {
            set(assignment.name, text, &state)
        } else {
            set(assignment.name, nil, &state)
        }
    }

    // MARK: - Programs

    /// Interpreters that run a script file named as their first operand.
    static let interpreters: Set<String> = [
        "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox", "python", "python2", "python3", "perl", "ruby",
        "node", "php", "Rscript", "lua", "tclsh",
    ]
    static let shells: Set<String> = ["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"]

    private mutating func visitProgram(_ view: CommandView, _ script: Script, _ state: State) {
        let nameWord = view.nameWord
        let (nameText, nameIsLiteral) = evaluate(nameWord, state)
        programs.append(ProgramCall(
            name: nameText, isResolved: nameIsLiteral, wrappers: view.wrappers, workingDirectory: state.workingDirectory,
            range: script.override ?? view.command.range))
        // A program named by path is a file it reads (`./build.sh`, `/opt/tool/bin/run`).
        if nameText.containsByte(UInt8(ascii: "/")), nameText.contains("/") { record(.script, nameWord, script, state, isWrite: false) }
        // `xargs rm` gets its operands from standard input: any path.
        if view.wrappers.contains("xargs"), let name = view.name, Self.fileWriters[name] != nil {
            appendUnknown(Self.fileWriters[name] ?? .modification, view, script, isWrite: true)
        }
        let name = view.name ?? ""
        let arguments = Array(view.arguments)
        for word in arguments { recordKeyrings(in: word, script, state) }
        if let files = packageManagerFiles(of: view) {
            visitPackageManager(view, files: files, script, state)
            return
        }
        if Self.shells.contains(name), let bodyIndex = arguments.firstIndex(where: { $0.literalValue == "-c" }) {
            visitShellBody(arguments, after: bodyIndex, script, state)
            return
        }
        if Self.interpreters.contains(name) || name.hasPrefix("python") {
            visitInterpreter(arguments, script, state)
            return
        }
        switch name {
        case "cp", "mv", "install", "rsync", "ln", "scp":
            visitCopy(name, arguments, script, state)
        case "mkdir", "touch", "mkfifo", "mknod":
            for word in operands(arguments) { record(.creation, word, script, state, isWrite: true) }
        case "rm", "rmdir", "unlink", "shred":
            for word in operands(arguments) { record(.deletion, word, script, state, isWrite: true) }
        case "chmod", "chown", "chgrp":
            let targets = operands(arguments)
            let hasReference = arguments.contains { $0.literalValue?.hasPrefix("--reference") == true }
            for word in targets.dropFirst(hasReference ? 0 : 1) {
                record(.modification, word, script, state, isWrite: true)
            }
        case "sed", "perl":
            visitEditor(arguments, script, state)
        case "tee":
            for word in operands(arguments) { record(.outputRedirection, word, script, state, isWrite: true) }
        case "tar", "bsdtar", "gtar":
            visitTar(arguments, script, state)
        case "unzip":
            visitUnzip(arguments, script, state)
        case "curl":
            visitCurl(arguments, script, state)
        case "wget":
            visitWget(arguments, script, state)
        case "git":
            visitGit(arguments, script, state)
        case "find":
            visitFind(arguments, script, state)
        case "gpg", "gpg2":
            visitOutputOption(Self.outputFlags, arguments, script, state)
            for word in operands(arguments, valueFlags: Self.gpgValueFlags) {
                record(.argument, word, script, state, isWrite: false)
            }
        case _ where Self.fileReaders.contains(name):
            for word in operands(arguments, valueFlags: Self.fileReaderValueFlags) {
                record(.argument, word, script, state, isWrite: false)
            }
        case "grep", "egrep", "fgrep", "awk", "gawk", "mawk", "jq", "yq":
            let hasPatternOption = arguments.contains { ["-e", "-f", "--file", "--regexp", "--from-file"].contains($0.literalValue ?? "") }
            var files = operands(arguments, valueFlags: Self.searcherValueFlags)
            if !hasPatternOption, !files.isEmpty { files.removeFirst() }
            for word in files { record(.argument, word, script, state, isWrite: false) }
        case "make":
            visitInWorkingDirectory(["Makefile", "makefile", "GNUmakefile"], view, script, state)
            recordPathLikeArguments(arguments, script, state)
        default:
            recordPathLikeArguments(arguments, script, state)
        }
    }

    /// Programs whose every operand is a file they read.
    static let fileReaders: Set<String> = [
        "cat", "head", "tail", "less", "more", "wc", "sort", "uniq", "diff", "cmp", "md5sum", "sha1sum", "sha256sum",
        "sha512sum", "b2sum", "base64", "xxd", "od", "file", "stat", "ls", "du", "tac", "nl", "cut", "strings",
        "readlink", "realpath", "dos2unix", "envsubst",
    ]

    /// How each file-changing program changes its operands.
    static let fileWriters: [String: PathEffect.Reason] = [
        "rm": .deletion, "rmdir": .deletion, "unlink": .deletion, "chmod": .modification, "chown": .modification,
        "chgrp": .modification, "mkdir": .creation, "touch": .creation, "cp": .copyDestination, "mv": .copyDestination,
    ]

    /// The package-manager table entry for a command, pip spelled as `python -m pip` and `uv pip` included.
    private func packageManagerFiles(of view: CommandView) -> PackageManagerFiles? {
        guard let name = view.name else { return nil }
        if name.utf8.first == UInt8(ascii: "p"), name.hasPrefix("python"), view.arguments.first?.literalValue == "-m",
           let module = view.arguments.dropFirst().first?.literalValue, module == "pip" || module == "pipenv" {
            return PackageManagerFiles.of(program: module)
        }
        if name == "uv", view.arguments.first?.literalValue == "pip" { return PackageManagerFiles.of(program: "pip") }
        return PackageManagerFiles.of(program: name)
    }

    private mutating func visitPackageManager(
        _ view: CommandView, files: PackageManagerFiles, _ script: Script, _ state: State
    ) {
        let range = script.override ?? view.command.range
        let home = homeFolder(state)
        reads.append(contentsOf: files.systemPathReads, reportedAt: range)
        for path in files.homePaths { appendImplicit(.packageManagerConfiguration, home.appending(path), range, isWrite: false) }
        for file in files.workingDirectoryFiles {
            appendImplicit(.packageManagerConfiguration, state.workingDirectory.appending(file), range, isWrite: false)
        }
        if environmentReads.isEmpty {
            // The table's own list, shared rather than copied (its names are distinct).
            environmentReads = files.environment
            environmentReadsAreShared = true
        } else {
            // Made when a second call needs it: most scripts run one package manager.
            if seenEnvironment.isEmpty { seenEnvironment = Set(environmentReads) }
            for name in files.environment where seenEnvironment.insert(name).inserted {
                environmentReads.append(name)
                environmentReadsAreShared = false
            }
        }
        let arguments = Array(view.arguments)
        let installation = view.installedPackageWords
        // An operating-system package manager changes system folders whatever its verb
        // (`dist-upgrade`, `remove`, `swap`, `update` refreshing its lists); a language
        // package manager, when it installs.
        if installation != nil || Self.systemPackageManagers.contains(view.name ?? "") {
            writes.append(contentsOf: files.installPathWrites, reportedAt: range)
        }
        let fileOptions = Self.packageManagerFileOptions
        let nameOfManager = view.name ?? ""
        // For rpm-family and zypper, `-c` names a config file; for pip, a constraint list.
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            guard let value = word.literalValue else { continue }
            if value == "--" { break }
            let flag: String
            if value.containsByte(UInt8(ascii: "=")) {
                flag = value.split(separator: "=", maxSplits: 1).first.map(String.init) ?? value
            } else {
                // Every file option starts with `-`: a package name is passed over at its first byte.
                guard value.utf8.first == UInt8(ascii: "-") else { continue }
                flag = value
            }
            guard fileOptions.contains(flag) || (flag.count > 2 && !flag.hasPrefix("--") && ["-r", "-c"].contains(
                String(flag.prefix(2))) && installation?.manager == .pip) else { continue }
            // `gem install -s URL` and `npm -s` are not files; `-s` is Maven's settings.
            if flag == "-s" && !["mvn", "mvnw"].contains(nameOfManager) { continue }
            if flag == "--file" && !["bundle", "gem", "docker"].contains(nameOfManager) && installation?.manager != .gem {
                continue
            }
            let reason: PathEffect.Reason = flag.hasPrefix("-r") || flag.hasPrefix("-c") && installation?.manager == .pip
                || flag.contains("requirement") || flag.contains("constraint") || flag == "--override"
                ? .requirementFile : .packageManagerConfiguration
            if value.contains("=") {
                let text = String(value.drop { $0 != "=" }.dropFirst())
                appendPath(reason, text: text, isLiteral: true, range: script.override ?? word.range, state, isWrite: false)
            } else if !fileOptions.contains(flag) {
                // `-rrequirements.txt`.
                appendPath(reason, text: String(value.dropFirst(2)), isLiteral: true,
                           range: script.override ?? word.range, state, isWrite: false)
            } else if index < arguments.count {
                record(reason, arguments[index], script, state, isWrite: false)
                index += 1
            }
        }
        // Local package files, and keys imported with `rpm --import`.
        if nameOfManager == "rpm" && view.hasFlag("import") {
            for word in operands(arguments) { record(.keyring, word, script, state, isWrite: false) }
            return
        }
        let packageWords: [ShellWord]
        if let installation {
            packageWords = installation.words
        } else if ["dpkg", "rpm"].contains(nameOfManager) {
            packageWords = operands(arguments)
        } else {
            packageWords = []
        }
        for word in packageWords {
            let (text, _) = evaluate(word, state)
            if Self.isLocalPackage(text, pip: installation?.manager == .pip) {
                record(.localPackage, word, script, state, isWrite: false)
            }
        }
        // `pip install .`, `npm install ./lib`, `go build ./...`: a project folder.
        if installation == nil, ["go", "cargo", "mvn", "mvnw", "gradle", "gradlew", "dotnet"].contains(nameOfManager) {
            recordPathLikeArguments(arguments, script, state)
        }
    }

    /// `-r`/`-c` lists, `-f`/`--file` Gemfiles and the like, and config-file options.
    static let packageManagerFileOptions: Set<String> = [
        "-r", "--requirement", "-c", "--constraint", "--requirements", "--constraints", "--override",
        "--config-file", "--config", "--settings", "-s", "--gemfile", "--file", "--userconfig", "--globalconfig",
        "--repositories-file", "--keys-dir", "--build-constraints", "--modfile", "-modfile",
    ]

    /// Operating-system package managers (apt-cache only reads).
    static let systemPackageManagers: Set<String> = [
        "apt-get", "apt", "aptitude", "dpkg", "yum", "dnf", "dnf5", "microdnf", "tdnf", "rpm", "zypper", "apk",
    ]

    /// Whether a package word names a local file or folder rather than a package from a repository.
    static func isLocalPackage(_ text: String, pip: Bool) -> Bool {
        if let answer = text.utf8.withContiguousStorageIfAvailable({ isLocalASCIIPackage($0, pip: pip) }), let answer {
            return answer
        }
        if text.contains("://") || text.hasPrefix("git+") { return false }
        if text == "." || text.hasPrefix("/") || text.hasPrefix("./") || text.hasPrefix("../") || text.hasPrefix("~")
            || text.hasPrefix("*") {
            return true
        }
        let lowered = text.lowercased()
        let archives = [".deb", ".rpm", ".apk", ".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".zip", ".gem", ".egg"]
        if archives.contains(where: { lowered.hasSuffix($0) }) { return true }
        // `foo/bar` is a release (`apt-get install pkg/bookworm-backports`) or an npm
        // scope's package; for pip only a path has a slash.
        return pip && text.contains("/")
    }

    /// ``isLocalPackage(_:pip:)`` over the bytes of an ASCII word (each byte is then a
    /// Character, and lowercasing touches `A`-`Z` only); nil for any other word.
    private static func isLocalASCIIPackage(_ bytes: UnsafeBufferPointer<UInt8>, pip: Bool) -> Bool? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        if ASCIIBytes.contains(bytes, "://") || ASCIIBytes.hasPrefix(bytes, "git+") { return false }
        if ASCIIBytes.equals(bytes, ".") || ASCIIBytes.hasPrefix(bytes, "/") || ASCIIBytes.hasPrefix(bytes, "./")
            || ASCIIBytes.hasPrefix(bytes, "../") || ASCIIBytes.hasPrefix(bytes, "~") || ASCIIBytes.hasPrefix(bytes, "*") {
            return true
        }
        if localPackageSuffixes.contains(where: { ASCIIBytes.hasSuffixIgnoringCase(bytes, $0) }) { return true }
        return pip && bytes.contains(UInt8(ascii: "/"))
    }

    /// The archive suffixes of a local package file, lowercase.
    private static let localPackageSuffixes = [
        ".deb", ".rpm", ".apk", ".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".zip", ".gem", ".egg",
    ]

    private mutating func visitShellBody(_ arguments: [ShellWord], after index: Int, _ script: Script, _ state: State) {
        guard index + 1 < arguments.count else { return }
        let bodyWord = arguments[index + 1]
        guard let body = bodyWord.literalValue, script.depth < Self.maximumDepth,
              case .success(let inner) = ShellParser.parse(body) else {
            isComplete = false
            return
        }
        var copy = state
        walk(inner, state: &copy, override: script.override ?? bodyWord.range, depth: script.depth + 1)
    }

    private mutating func visitInterpreter(_ arguments: [ShellWord], _ script: Script, _ state: State) {
        // `python -c code`, `node -e code`, `python -m module`: no script file.
        let inlineFlags = Self.inlineCodeFlags
        var index = 0
        while index < arguments.count {
            guard let value = arguments[index].literalValue else { break }
            if inlineFlags.contains(value) { return }
            guard CommandView.isFlag(value) else { break }
            index += 1
        }
        guard index < arguments.count else { return }
        record(.script, arguments[index], script, state, isWrite: false)
        recordPathLikeArguments(Array(arguments[(index + 1)...]), script, state)
    }

    private mutating func visitCopy(_ name: String, _ arguments: [ShellWord], _ script: Script, _ state: State) {
        var targetDirectory: ShellWord?
        let valueFlags = name == "install" ? Self.installValueFlags : Self.copyValueFlags
        for (index, word) in arguments.enumerated() where index + 1 < arguments.count {
            if ["-t", "--target-directory"].contains(word.literalValue ?? "") { targetDirectory = arguments[index + 1] }
        }
        var paths = operands(arguments, valueFlags: valueFlags)
        if name == "install" && arguments.contains(where: { $0.literalValue == "-d" }) {
            for word in paths { record(.creation, word, script, state, isWrite: true) }
            return
        }
        if let targetDirectory {
            record(.copyDestination, targetDirectory, script, state, isWrite: true)
        } else if let destination = paths.popLast() {
            record(name == "ln" ? .creation : .copyDestination, destination, script, state, isWrite: true)
        }
        for word in paths {
            record(.argument, word, script, state, isWrite: false)
            if name == "mv" { record(.deletion, word, script, state, isWrite: true) }
        }
    }

    private mutating func visitEditor(_ arguments: [ShellWord], _ script: Script, _ state: State) {
        let inPlace = arguments.contains { ($0.literalValue ?? "").hasPrefix("-i") || $0.literalValue == "--in-place" }
            || arguments.contains { word in
                guard let value = word.literalValue, value.hasPrefix("-"), !value.hasPrefix("--") else { return false }
                return value.contains("i")
            }
        let hasExpression = arguments.contains { ["-e", "--expression", "-f", "--file"].contains($0.literalValue ?? "") }
        var files = operands(arguments, valueFlags: Self.editorValueFlags)
        // Without `-e`, the first operand is the program.
        if !hasExpression, !files.isEmpty { files.removeFirst() }
        for word in files {
            record(.argument, word, script, state, isWrite: false)
            if inPlace { record(.modification, word, script, state, isWrite: true) }
        }
    }

    private mutating func visitTar(_ arguments: [ShellWord], _ script: Script, _ state: State) {
        var letters = ""
        var archive: ShellWord?
        var directory: ShellWord?
        var members: [ShellWord] = []
        var index = 0
        var pendingValues: [Character] = []
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            let value = word.literalValue ?? ""
            if !pendingValues.isEmpty {
                let flag = pendingValues.removeFirst()
                if flag == "f" { archive = word } else if flag == "C" { directory = word }
                continue
            }
            if index == 1, !value.hasPrefix("-"), !value.isEmpty, value.allSatisfy(\.isLetter) {
                // Old style: `tar xzf file.tgz`.
                letters += value
                pendingValues = value.filter { $0 == "f" || $0 == "C" }.map { $0 }
                continue
            }
            if value.hasPrefix("--") {
                let parts = value.split(separator: "=", maxSplits: 1)
                let flag = parts.first.map(String.init) ?? value
                let given = parts.count == 2 ? String(parts[1]) : nil
                switch flag {
                case "--file", "--directory":
                    if let given {
                        let target = ShellWord(parts: [.literal(given)], range: word.range)
                        if flag == "--file" { archive = target } else { directory = target }
                    } else if index < arguments.count {
                        if flag == "--file" { archive = arguments[index] } else { directory = arguments[index] }
                        index += 1
                    }
                case "--extract", "--get": letters += "x"
                case "--create": letters += "c"
                default: break
                }
                continue
            }
            if value.hasPrefix("-"), value.count > 1 {
                letters += value.dropFirst()
                pendingValues += value.dropFirst().filter { $0 == "f" || $0 == "C" }
                continue
            }
            members.append(word)
        }
        let extracts = letters.contains("x")
        let creates = letters.contains("c") || letters.contains("r") || letters.contains("u")
        if let archive, archive.literalValue != "-" {
            record(.argument, archive, script, state, isWrite: creates)
            if creates { record(.outputRedirection, archive, script, state, isWrite: true) }
        }
        if extracts {
            if let directory {
                record(.extraction, directory, script, state, isWrite: true)
            } else {
                appendImplicit(.extraction, state.workingDirectory, script.override ?? arguments.first?.range ?? 0..<0,
                               isWrite: true)
            }
        } else if creates {
            var base = state
            if let directory, case let (text, true) = evaluate(directory, state) {
                base.workingDirectory = state.workingDirectory.appending(text)
            }
            for word in members { record(.argument, word, script, base, isWrite: false) }
        }
    }

    private mutating func visitUnzip(_ arguments: [ShellWord], _ script: Script, _ state: State) {
        var paths = operands(arguments, valueFlags: Self.unzipValueFlags)
        if let index = arguments.firstIndex(where: { $0.literalValue == "-d" }), index + 1 < arguments.count {
            record(.extraction, arguments[index + 1], script, state, isWrite: true)
        } else if !paths.isEmpty {
            appendImplicit(.extraction, state.workingDirectory, script.override ?? paths[0].range, isWrite: true)
        }
        if !paths.isEmpty { record(.argument, paths.removeFirst(), script, state, isWrite: false) }
    }

    private mutating func visitCurl(_ arguments: [ShellWord], _ script: Script, _ state: State) {
        var remoteName = false
        var outputs: [ShellWord] = []
        var outputDirectory = state
        var urls: [String] = []
        var index = 0
        let valueFlags = Self.curlValueFlags
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            guard let value = word.literalValue else { continue }
            switch value {
            case "-o", "--output":
                if index < arguments.count { outputs.append(arguments[index]) }
                index += 1
            case "-O", "--remote-name", "--remote-name-all":
                remoteName = true
            case "--output-dir":
                if index < arguments.count, case let (text, true) = evaluate(arguments[index], state) {
                    outputDirectory.workingDirectory = state.workingDirectory.appending(text)
                }
                index += 1
            case "-K", "--config", "-T", "--upload-file", "--cacert", "--cert", "--key":
                if index < arguments.count { record(.argument, arguments[index], script, state, isWrite: false) }
                index += 1
            case "-d", "--data", "--data-binary", "--data-urlencode":
                if index < arguments.count, let data = arguments[index].literalValue, data.hasPrefix("@") {
                    appendPath(.argument, text: String(data.dropFirst()), isLiteral: true,
                               range: script.override ?? arguments[index].range, state, isWrite: false)
                }
                index += 1
            default:
                if valueFlags.contains(value) {
                    index += 1
                } else if value.hasPrefix("-") && value.count > 1 && !value.hasPrefix("--") {
                    // `-fsSLo file`: a bundle ending in `o` takes the next word.
                    if value.hasSuffix("o") {
                        if index < arguments.count { outputs.append(arguments[index]) }
                        index += 1
                    } else if value.contains("O") {
                        remoteName = true
                    }
                } else if !value.hasPrefix("-") {
                    urls.append(value)
                }
            }
        }
        for output in outputs where output.literalValue != "-" {
            record(.download, output, script, outputDirectory, isWrite: true)
        }
        if remoteName {
            for url in urls {
                appendPath(.download, text: Self.remoteFileName(url), isLiteral: true,
                           range: script.override ?? arguments.first?.range ?? 0..<0, outputDirectory, isWrite: true)
            }
        }
    }

    private mutating func visitWget(_ arguments: [ShellWord], _ script: Script, _ state: State) {
        var output: ShellWord?
        var directory = state
        var urls: [ShellWord] = []
        var writesStandardOutput = false
        var index = 0
        let valueFlags = Self.wgetValueFlags
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            guard let value = word.literalValue else {
                urls.append(word)
                continue
            }
            if value == "-O" || value == "--output-document" {
                if index < arguments.count {
                    if arguments[index].literalValue == "-" { writesStandardOutput = true } else { output = arguments[index] }
                }
                index += 1
            } else if value.hasPrefix("--output-document=") {
                let text = String(value.dropFirst("--output-document=".count))
                if text == "-" { writesStandardOutput = true } else {
                    output = ShellWord(parts: [.literal(text)], range: word.range)
                }
            } else if value.hasPrefix("-O"), value.count > 2, !value.hasPrefix("--") {
                let text = String(value.dropFirst(2))
                if text == "-" { writesStandardOutput = true } else {
                    output = ShellWord(parts: [.literal(text)], range: word.range)
                }
            } else if value == "-P" || value == "--directory-prefix" {
                if index < arguments.count, case let (text, true) = evaluate(arguments[index], state) {
                    directory.workingDirectory = state.workingDirectory.appending(text)
                }
                index += 1
            } else if value.hasSuffix("O") && value.hasPrefix("-") && !value.hasPrefix("--") && value.count > 2 {
                // `-qO file`, `-qO-`.
                if index < arguments.count {
                    if arguments[index].literalValue == "-" { writesStandardOutput = true } else { output = arguments[index] }
                }
                index += 1
            } else if value.hasSuffix("O-") && value.hasPrefix("-") {
                writesStandardOutput = true
            } else if valueFlags.contains(value) {
                index += 1
            } else if !value.hasPrefix("-") {
                urls.append(word)
            }
        }
        if let output {
            record(.download, output, script, directory, isWrite: true)
        } else if !writesStandardOutput {
            for url in urls {
                let (text, isLiteral) = evaluate(url, state)
                appendPath(.download, text: Self.remoteFileName(text), isLiteral: isLiteral,
                           range: script.override ?? url.range, directory, isWrite: true)
            }
        }
    }

    private mutating func visitGit(_ arguments: [ShellWord], _ script: Script, _ state: State) {
        let positional = operands(arguments, valueFlags: Self.gitValueFlags)
        guard let verb = positional.first?.literalValue else { return }
        if verb == "clone" {
            if positional.count >= 3 {
                record(.creation, positional[2], script, state, isWrite: true)
            } else if positional.count == 2 {
                let (url, isLiteral) = evaluate(positional[1], state)
                var name = Self.remoteFileName(url)
                if name.hasSuffix(".git") { name.removeLast(4) }
                appendPath(.creation, text: name, isLiteral: isLiteral, range: script.override ?? positional[1].range,
                           state, isWrite: true)
            }
        } else {
            // Other verbs read and write the repository in the working directory.
            appendImplicit(.argument, state.workingDirectory, script.override ?? positional[0].range, isWrite: false)
            recordPathLikeArguments(Array(positional.dropFirst()), script, state)
        }
    }

    private mutating func visitFind(_ arguments: [ShellWord], _ script: Script, _ state: State) {
        var roots: [ShellWord] = []
        for word in arguments {
            guard let value = word.literalValue else {
                roots.append(word)
                continue
            }
            if value.hasPrefix("-") || value == "(" || value == "!" { break }
            roots.append(word)
        }
        if roots.isEmpty {
            appendImplicit(.argument, state.workingDirectory, script.override ?? arguments.first?.range ?? 0..<0,
                           isWrite: false)
        }
        for root in roots { record(.argument, root, script, state, isWrite: false) }
        let deletes = arguments.contains { $0.literalValue == "-delete" }
        let execIndex = arguments.firstIndex { ["-exec", "-execdir", "-ok", "-okdir"].contains($0.literalValue ?? "") }
        if let execIndex, execIndex + 1 < arguments.count {
            let program = arguments[execIndex + 1]
            let (name, isLiteral) = evaluate(program, state)
            programs.append(ProgramCall(
                name: name, isResolved: isLiteral, wrappers: ["find"], workingDirectory: state.workingDirectory,
                range: script.override ?? program.range))
            let baseName = name.split(separator: "/").last.map(String.init) ?? name
            if let reason = Self.fileWriters[baseName] {
                for root in roots { recordBelow(reason, root, script, state) }
            }
        }
        if deletes { for root in roots { recordBelow(.deletion, root, script, state) } }
    }

    /// Records `root/*`: something below a folder, which files exactly only run time tells.
    private mutating func recordBelow(_ reason: PathEffect.Reason, _ root: ShellWord, _ script: Script, _ state: State) {
        let (text, _) = evaluate(root, state)
        appendPath(reason, text: text + "/*", isLiteral: false, range: script.override ?? root.range, state, isWrite: true)
    }

    private mutating func visitOutputOption(
        _ flags: Set<String>, _ arguments: [ShellWord], _ script: Script, _ state: State
    ) {
        for (index, word) in arguments.enumerated() where index + 1 < arguments.count {
            if flags.contains(word.literalValue ?? "") { record(.download, arguments[index + 1], script, state, isWrite: true) }
        }
    }

    /// Files a program reads from its working directory when it exists.
    private mutating func visitInWorkingDirectory(
        _ files: [String], _ view: CommandView, _ script: Script, _ state: State
    ) {
        let range = script.override ?? view.command.range
        for file in files { appendImplicit(.argument, state.workingDirectory.appending(file), range, isWrite: false) }
    }

    // MARK: - Option tables

    /// `gpg`'s options naming its output file.
    static let outputFlags: Set<String> = ["-o", "--output"]

    /// `gpg`'s options that take a value.
    static let gpgValueFlags: Set<String> = [
        "-o", "--output", "--keyring", "--homedir", "--recv-keys", "--keyserver", "-u", "--local-user", "-r", "--recipient",
    ]

    /// Options of ``fileReaders`` that take a value.
    static let fileReaderValueFlags: Set<String> = ["-n", "-c", "--lines", "--bytes", "-k", "-t", "-o"]

    /// Options of `grep`, `awk`, `jq` and `yq` that take a value.
    static let searcherValueFlags: Set<String> = [
        "-e", "-f", "--regexp", "--file", "-m", "-A", "-B", "-C", "-F", "-v", "--arg", "--argjson",
    ]

    /// Interpreter options that run code given inline, or a module: no script file.
    static let inlineCodeFlags: Set<String> = ["-c", "-e", "-E", "-m", "--eval", "-p", "--print", "-r"]

    /// Options of `sed` and `perl` that take a value.
    static let editorValueFlags: Set<String> = ["-e", "--expression", "-f", "--file", "-l"]

    /// Options of `unzip` that take a value.
    static let unzipValueFlags: Set<String> = ["-d", "-x", "-P"]

    /// Options of `install` that take a value.
    static let installValueFlags: Set<String> = [
        "-m", "--mode", "-o", "--owner", "-g", "--group", "-t", "--target-directory", "-S", "--suffix",
    ]

    /// Options of `cp`, `mv`, `rsync`, `ln` and `scp` that take a value.
    static let copyValueFlags: Set<String> = [
        "-t", "--target-directory", "-S", "--suffix", "-e", "--rsh", "--exclude", "--include", "--chown", "--chmod", "-P",
        "-i",
    ]

    /// Options of `curl` that take a value.
    static let curlValueFlags: Set<String> = [
        "-H", "--header", "-u", "--user", "-A", "--user-agent", "-e", "--referer", "-X", "--request", "-d", "--data",
        "--data-raw", "--data-binary", "--data-urlencode", "-F", "--form", "-m", "--max-time", "--retry",
        "--retry-delay", "--retry-max-time", "--connect-timeout", "-x", "--proxy", "-w", "--write-out", "-b",
        "--cookie", "-c", "--cookie-jar", "--cacert", "--cert", "--key", "-K", "--config", "-T", "--upload-file",
        "-r", "--range", "-y", "-Y", "--limit-rate", "--proto", "--proto-redir", "--resolve", "--interface",
        "--tlsv1.2", "--ciphers", "-z", "--time-cond",
    ]

    /// Options of `wget` that take a value.
    static let wgetValueFlags: Set<String> = [
        "-t", "--tries", "-T", "--timeout", "-U", "--user-agent", "--header", "--user", "--password", "-e",
        "--execute", "-a", "-o", "--output-file", "-i", "--input-file", "--ca-certificate", "-w", "--wait",
        "--limit-rate", "-Q", "--quota",
    ]

    /// Options of `git` and `git clone` that take a value.
    static let gitValueFlags: Set<String> = [
        "-C", "-c", "-b", "--branch", "--depth", "-o", "--origin", "--config", "--reference", "-j", "--jobs", "--filter",
    ]

    // MARK: - Arguments

    /// The operands of a command: words that are not flags, nor the values of `valueFlags`.
    private func operands(_ arguments: [ShellWord], valueFlags: Set<String> = []) -> [ShellWord] {
        var result: [ShellWord] = []
        var flagsEnded = false
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            guard let value = word.literalValue else {
                result.append(word)
                continue
            }
            if !flagsEnded && value == "--" {
                flagsEnded = true
                continue
            }
            if !flagsEnded && CommandView.isFlag(value) {
                if valueFlags.contains(value) { index += 1 }
                continue
            }
            result.append(word)
        }
        return result
    }

    /// Records the arguments that look like paths: `/abs`, `./rel`, `../rel`, `~/x`, `dir/file`
    /// (not URLs, not `key=value`), and the value of `--flag=/abs/path`.
    private mutating func recordPathLikeArguments(_ arguments: [ShellWord], _ script: Script, _ state: State) {
        for word in arguments {
            let (text, isLiteral) = evaluate(word, state)
            if text.hasPrefix("-") {
                guard text.hasPrefix("--"), let equals = text.firstIndex(of: "=") else { continue }
                let value = String(text[text.index(after: equals)...])
                if value.hasPrefix("/") || value.hasPrefix("./") || value.hasPrefix("~/") {
                    appendPath(.argument, text: value, isLiteral: isLiteral, range: script.override ?? word.range, state,
                               isWrite: false)
                }
                continue
            }
            guard Self.looksLikePath(text, startsWithExpansion: Self.startsWithExpansion(word)) else { continue }
            appendPath(.argument, text: text, isLiteral: isLiteral, range: script.override ?? word.range, state,
                       isWrite: false)
        }
    }

    /// Whether an argument of an arbitrary program names a path.
    static func looksLikePath(_ text: String, startsWithExpansion: @autoclosure () -> Bool) -> Bool {
        if let answer = text.utf8.withContiguousStorageIfAvailable({ looksLikeASCIIPath($0, startsWithExpansion: startsWithExpansion) }),
           let answer {
            return answer
        }
        if text.isEmpty || text.contains("://") || text.contains("=") || text.hasPrefix("@") { return false }
        if text == "." || text == ".." { return true }
        if text.hasPrefix("/") || text.hasPrefix("./") || text.hasPrefix("../") || text.hasPrefix("~") { return true }
        // `$DIR/bin`, `build/out`: a slash between names.
        return text.contains("/") && (startsWithExpansion() || !text.contains(":"))
    }

    /// ``looksLikePath(_:startsWithExpansion:)`` over the bytes of an ASCII argument; nil for any other.
    private static func looksLikeASCIIPath(
        _ bytes: UnsafeBufferPointer<UInt8>, startsWithExpansion: () -> Bool
    ) -> Bool? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        if bytes.isEmpty || ASCIIBytes.contains(bytes, "://") || bytes.contains(UInt8(ascii: "="))
            || ASCIIBytes.hasPrefix(bytes, "@") {
            return false
        }
        if ASCIIBytes.equals(bytes, ".") || ASCIIBytes.equals(bytes, "..") { return true }
        if ASCIIBytes.hasPrefix(bytes, "/") || ASCIIBytes.hasPrefix(bytes, "./") || ASCIIBytes.hasPrefix(bytes, "../")
            || ASCIIBytes.hasPrefix(bytes, "~") {
            return true
        }
        return bytes.contains(UInt8(ascii: "/")) && (startsWithExpansion() || !bytes.contains(UInt8(ascii: ":")))
    }

    private static func startsWithExpansion(_ word: ShellWord) -> Bool {
        guard let first = word.parts.first else { return false }
        switch first {
        case .parameter, .commandSubstitution, .backquoted: return true
        case .doubleQuoted(let parts):
            if case .parameter = parts.first { return true }
            return false
        default: return false
        }
    }

    /// Keyrings an argument names: `signed-by=/usr/share/keyrings/x.gpg` in an apt source
    /// line, `--keyring=file`.
    private mutating func recordKeyrings(in word: ShellWord, _ script: Script, _ state: State) {
        // A literal word's own bytes tell first: most arguments have no `=` at all.
        if let bytes = word.literalBytes, !bytes.contains(UInt8(ascii: "=")) { return }
        let text = evaluate(word, state).text
        // The bytes first: most arguments have no `=` at all.
        guard text.containsByte(UInt8(ascii: "=")), text.contains("=") else { return }
        let bytes = Array(text.utf8)
        for marker in [Array("signed-by=".utf8), Array("--keyring=".utf8)] {
            var index = 0
            while index + marker.count <= bytes.count {
                guard bytes[index..<(index + marker.count)].elementsEqual(marker) else {
                    index += 1
                    continue
                }
                index += marker.count
                let start = index
                while index < bytes.count, !Self.keyringTerminators.contains(bytes[index]) { index += 1 }
                if index > start {
                    let value = String(decoding: bytes[start..<index], as: UTF8.self)
                    appendPath(.keyring, text: value, isLiteral: !value.contains("*"),
                               range: script.override ?? word.range, state, isWrite: false)
                }
            }
        }
    }

    /// The bytes that end a keyring path inside an apt source line.
    static let keyringTerminators: Set<UInt8> = Set(" \t]\"',".utf8)

    /// The file name a download of `url` gets by default: its last path component.
    static func remoteFileName(_ url: String) -> String {
        let withoutQuery = url.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let name = withoutQuery.split(separator: "/").last.map(String.init) ?? ""
        return name.isEmpty || withoutQuery.hasSuffix("/") || name.contains(":") ? "index.html" : name
    }

    // MARK: - Recording

    private mutating func record(
        _ reason: PathEffect.Reason, _ word: ShellWord, _ script: Script, _ state: State, isWrite: Bool
    ) {
        let (text, isLiteral) = evaluate(word, state)
        // Devices and standard streams are not files of the image.
        if text == "-" || text.hasPrefix("/dev/") || text.hasPrefix("/proc/") { return }
        appendPath(reason, text: text, isLiteral: isLiteral, range: script.override ?? word.range, state, isWrite: isWrite)
    }

    private mutating func appendPath(
        _ reason: PathEffect.Reason, text: String, isLiteral: Bool, range: Range<Int>, _ state: State, isWrite: Bool
    ) {
        guard !text.isEmpty else { return }
        let path = resolve(text, state)
        let effect = PathEffect(
            reason: reason, path: path, pattern: text, isResolved: isLiteral && !ImagePath.hasGlob(text), range: range)
        if isWrite { writes.append(effect) } else { reads.append(effect) }
    }

    private mutating func appendImplicit(_ reason: PathEffect.Reason, _ path: ImagePath, _ range: Range<Int>, isWrite: Bool) {
        let pattern: String
        switch path {
        case .absolute(let text): pattern = text
        case .relative(_, let text): pattern = text.isEmpty ? "." : text
        case .home(let text): pattern = "~/" + text
        }
        let effect = PathEffect(reason: reason, path: path, pattern: pattern, isResolved: true, range: range)
        if isWrite { writes.append(effect) } else { reads.append(effect) }
    }

    private mutating func appendUnknown(_ reason: PathEffect.Reason, _ view: CommandView, _ script: Script, isWrite: Bool) {
        let effect = PathEffect(reason: reason, path: nil, pattern: "*", isResolved: false,
                                range: script.override ?? view.command.range)
        if isWrite { writes.append(effect) } else { reads.append(effect) }
    }

    /// Where a path the shell sees lies: nil when it starts with an unknown value; `~`
    /// and `~/…` are in the home folder.
    private func resolve(_ text: String, _ state: State) -> ImagePath? {
        if text.hasPrefix("*") { return nil }
        if text == "~" { return homeFolder(state) }
        if text.hasPrefix("~/") { return homeFolder(state).appending(String(text.dropFirst(2))) }
        return state.workingDirectory.appending(text)
    }

    /// The home folder: `HOME` when known, else the symbolic one.
    private func homeFolder(_ state: State) -> ImagePath {
        if let home = state.value(of: "HOME"), home.hasPrefix("/") { return .absolute(ImagePath.normalizedPath(home)) }
        return .home("")
    }

    private func anchor(_ range: Range<Int>, _ script: Script) -> Int {
        sourceAnchor(script.override ?? range)
    }

    // MARK: - Words

    /// A word's value, with known variables substituted and `*` for what only run time
    /// tells (a variable the base image may set, a command substitution), and whether it
    /// is fully known.
    func evaluate(_ word: ShellWord, _ state: State) -> (text: String, isLiteral: Bool) {
        // Most words are literal: their value is their text, made once and not part by part.
        if let literal = word.literalValue { return (literal, true) }
        var text = ""
        var isLiteral = true
        for (index, part) in word.parts.enumerated() {
            append(part, isFirst: index == 0, state, to: &text, isLiteral: &isLiteral)
        }
        return (text, isLiteral)
    }

    private func append(_ part: ShellWordPart, isFirst: Bool, _ state: State, to text: inout String, isLiteral: inout Bool) {
        switch part {
        case .literal(let value), .singleQuoted(let value), .ansiCQuoted(let value):
            text += value
        case .doubleQuoted(let parts):
            for (index, inner) in parts.enumerated() {
                append(inner, isFirst: isFirst && index == 0, state, to: &text, isLiteral: &isLiteral)
            }
        case .parameter(let expansion):
            if expansion.operatorText.isEmpty, let value = state.value(of: expansion.name),
               value.utf8.count <= VariableExpander.maximumSubstitutionLength {
                // A longer value (a long ENV continued over many lines) counts as unknown:
                // copying it at every reference would cost its length each time.
                text += value
            } else if expansion.name == "HOME" && expansion.operatorText.isEmpty && isFirst {
                text += "~"
            } else {
                text += "*"
                isLiteral = false
            }
        case .commandSubstitution, .backquoted, .processSubstitution, .arithmetic:
            text += "*"
            isLiteral = false
        }
    }
}

extension ShellWord {
    /// The word's text with `*` for each expansion: its shape, a pattern a consumer can
    /// match (`vector_*_*.deb` for `vector_${V}_$(dpkg --print-architecture).deb`).
    public var shapePattern: String {
        func text(_ parts: [ShellWordPart]) -> String {
            parts.map { part in
                if case .doubleQuoted(let inner) = part { return text(inner) }
                return part.literalValue ?? "*"
            }.joined()
        }
        return text(parts)
    }
}

/// Byte tests of ASCII text against ASCII literals, for the walker's fast paths.
enum ASCIIBytes {
    static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { bytes.elementsEqual($0) }
    }

    static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { prefix in bytes.count >= prefix.count && bytes[..<prefix.count].elementsEqual(prefix) }
    }

    /// Whether `bytes` ends with `suffix` (lowercase ASCII), `A`-`Z` read as `a`-`z`.
    static func hasSuffixIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ suffix: String) -> Bool {
        let suffixBytes = suffix.utf8
        guard bytes.count >= suffixBytes.count else { return false }
        var index = bytes.count - suffixBytes.count
        for expected in suffixBytes {
            if bytes[index].asciiLowercased != expected { return false }
            index += 1
        }
        return true
    }

    static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { needle in
            guard bytes.count >= needle.count else { return false }
            for start in 0...(bytes.count - needle.count)
            where bytes[start..<(start + needle.count)].elementsEqual(needle) {
                return true
            }
            return false
        }
    }
}
