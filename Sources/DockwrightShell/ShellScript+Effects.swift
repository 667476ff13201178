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
        /// `${name:=value}` or `${name=value}`.
        case assignsInExpansion(name: String, operatorText: String)
        /// An arithmetic expression that may assign (`$((i++))`, `(( n = 1 ))`).
        case assignsInArithmetic
    }

    /// What leaks.
    public let kind: Kind
    /// Where, in script offsets.
    public let range: Range<Int>
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
        var leaks: [StateLeak] = []
        for view in commands where view.context.runsInMainShell {
            // `exec` is a wrapper for the view, so look at the first word as written.
            let first = view.command.words.first?.literalValue ?? ""
            if let kind = Self.topLevelBuiltin(first) ?? Self.topLevelBuiltin(view.name ?? "") {
                leaks.append(StateLeak(kind: kind, range: view.command.range))
            }
        }
        collectMainShellLeaks(in: body, into: &leaks)
        if let last = comments.last, last.lowerBound >= body.range.upperBound,
           text.bytes[last.upperBound...].allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            leaks.append(StateLeak(kind: .endsWithComment, range: last))
        }
        leaks.sort { $0.range.lowerBound < $1.range.lowerBound }
        for view in commands where !view.context.enclosures.contains(where: { [.subshell, .substitution, .function].contains($0) }) {
            let first = view.command.words.first?.literalValue ?? ""
            if Self.stateChangingBuiltins[first] == .changesShellState
                || Self.stateChangingBuiltins[view.name ?? ""] == .changesShellState {
                leaks.append(StateLeak(kind: .changesShellState, range: view.command.range))
            }
            if view.name == "printf" && view.hasFlag("v") {
                leaks.append(StateLeak(kind: .setsVariableWithPrintf, range: view.command.range))
            }
        }
        var finder = NestedLeakFinder()
        finder.visit(body, isNested: false)
        return leaks + finder.found
    }

    /// The kind of a builtin `stateLeaks` lists at the top of the main shell.
    private static func topLevelBuiltin(_ name: String) -> StateLeak.Kind? {
        guard let kind = stateChangingBuiltins[name], kind != .changesShellState else { return nil }
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
