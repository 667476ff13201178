/// Where a simple command sits in its script.
public struct CommandContext: Hashable, Sendable {
    /// A construct that encloses a command.
    public enum Enclosure: Hashable, Sendable {
        /// `( … )`: state changes do not leave it.
        case subshell
        /// `{ …; }`.
        case braceGroup
        /// The condition of an `if`, `while` or `until`.
        case condition
        /// The body of an `if`, loop or `case` arm.
        case conditionalBody
        /// A function body: runs only when called.
        case function
        /// `$(…)`, backquotes or `<(…)`: a subshell whose output is used.
        case substitution
    }

    /// The enclosing constructs, outermost first; empty at the top level.
    public let enclosures: [Enclosure]
    /// The operator before the command's pipeline in its and-or list.
    public let operatorBefore: ShellAndOrOperator?
    /// Whether the command's pipeline is the last of its and-or list.
    public let isLastInAndOrList: Bool
    /// Whether its and-or list runs in the background (`&`).
    public let isBackground: Bool
    /// The pipeline fields in 32 bits: every command view holds a context.
    private let storedPipelineIndex: UInt32
    private let storedPipelineLength: UInt32
    private let pipelineSpan: ScriptSpan

    init(
        enclosures: [Enclosure], operatorBefore: ShellAndOrOperator?, isLastInAndOrList: Bool, pipelineIndex: Int,
        pipelineLength: Int, isBackground: Bool, pipelineRange: Range<Int>
    ) {
        self.enclosures = enclosures
        self.operatorBefore = operatorBefore
        self.isLastInAndOrList = isLastInAndOrList
        self.isBackground = isBackground
        storedPipelineIndex = UInt32(clamping: pipelineIndex)
        storedPipelineLength = UInt32(clamping: pipelineLength)
        pipelineSpan = ScriptSpan(pipelineRange)
    }

    /// The command's index in its pipeline, and the pipeline's length.
    public var pipelineIndex: Int { Int(storedPipelineIndex) }
    public var pipelineLength: Int { Int(storedPipelineLength) }
    /// The bytes of the pipeline the command belongs to; commands of one pipeline share it.
    public var pipelineRange: Range<Int> { pipelineSpan.range }

    /// Whether the command runs directly in the script's shell, not in a subshell,
    /// substitution, function or pipeline (bash runs pipeline parts in subshells).
    public var runsInMainShell: Bool {
        pipelineLength == 1 && !isBackground
            && enclosures.allSatisfy { $0 == .braceGroup || $0 == .condition || $0 == .conditionalBody }
    }
}

extension ShellScript {
    /// Every simple command, in pre-order: a command comes before the commands
    /// nested in its own words (`echo $(date)`: echo, then date).
    public var simpleCommands: [SimpleCommand] { commands.map(\.command) }

}

/// Walks a script in source order; an explicit depth bound is not needed because
/// the parser already caps nesting at ``ShellParser/maximumDepth``.
struct CommandCollector {
    var commands: [CommandView] = []

    /// The simple commands of a script body, in pre-order; `expectedCount` (the parser's
    /// count) sizes the list once, as doubling it would hold two lists at the largest step.
    static func commands(in body: ShellList, expectedCount: Int) -> [CommandView] {
        var collector = CommandCollector()
        collector.commands.reserveCapacity(expectedCount)
        collector.visit(body, enclosures: [])
        return collector.commands
    }

    mutating func visit(_ list: ShellList, enclosures: [CommandContext.Enclosure]) {
        for item in list.items {
            let andOr = item.andOr
            for (index, pipeline) in andOr.pipelines.enumerated() {
                for (commandIndex, command) in pipeline.commands.enumerated() {
                    let context = CommandContext(
                        enclosures: enclosures, operatorBefore: index == 0 ? nil : andOr.operators[index - 1],
                        isLastInAndOrList: index == andOr.pipelines.count - 1, pipelineIndex: commandIndex,
                        pipelineLength: pipeline.commands.count, isBackground: item.isBackground,
                        pipelineRange: pipeline.range)
                    visit(command, context: context)
                }
            }
        }
    }

    mutating func visit(_ command: ShellCommand, context: CommandContext) {
        let enclosures = context.enclosures
        switch command.kind {
        case .simple(let simple):
            if !simple.words.isEmpty { commands.append(CommandView(simple, context: context)) }
            for assignment in simple.assignments {
                if let value = assignment.value { visit(value, enclosures: enclosures) }
                for element in assignment.arrayElements ?? [] { visit(element, enclosures: enclosures) }
            }
            for word in simple.words { visit(word, enclosures: enclosures) }
            for redirect in simple.redirects { visit(redirect.target, enclosures: enclosures) }
        case .subshell(let list):
            visit(list, enclosures: enclosures + [.subshell])
        case .braceGroup(let list):
            visit(list, enclosures: enclosures + [.braceGroup])
        case .ifClause(let branches, let elseBody):
            for branch in branches {
                visit(branch.condition, enclosures: enclosures + [.condition])
                visit(branch.body, enclosures: enclosures + [.conditionalBody])
            }
            if let elseBody { visit(elseBody, enclosures: enclosures + [.conditionalBody]) }
        case .forLoop(_, let words, let body):
            for word in words ?? [] { visit(word, enclosures: enclosures) }
            visit(body, enclosures: enclosures + [.conditionalBody])
        case .arithmeticForLoop(let header, let body):
            visit(header, enclosures: enclosures)
            visit(body, enclosures: enclosures + [.conditionalBody])
        case .whileLoop(let condition, let body, _):
            visit(condition, enclosures: enclosures + [.condition])
            visit(body, enclosures: enclosures + [.conditionalBody])
        case .caseClause(let subject, let arms):
            visit(subject, enclosures: enclosures)
            for arm in arms {
                for pattern in arm.patterns { visit(pattern, enclosures: enclosures) }
                visit(arm.body, enclosures: enclosures + [.conditionalBody])
            }
        case .functionDefinition(_, let body):
            visit(body, context: CommandContext(
                enclosures: enclosures + [.function], operatorBefore: nil, isLastInAndOrList: true,
                pipelineIndex: 0, pipelineLength: 1, isBackground: false, pipelineRange: body.range))
        case .testClause(let words):
            for word in words { visit(word, enclosures: enclosures) }
        case .arithmeticCommand(let arithmetic):
            visit(arithmetic, enclosures: enclosures)
        }
        for redirect in command.redirects { visit(redirect.target, enclosures: enclosures) }
    }

    mutating func visit(_ word: ShellWord, enclosures: [CommandContext.Enclosure]) {
        guard !word.isStoredAsBytes else { return }
        for part in word.parts { visit(part, enclosures: enclosures) }
    }

    mutating func visit(_ part: ShellWordPart, enclosures: [CommandContext.Enclosure]) {
        switch part {
        case .doubleQuoted(let parts):
            for inner in parts { visit(inner, enclosures: enclosures) }
        case .parameter(let expansion):
            if let operand = expansion.operand { visit(operand, enclosures: enclosures) }
        case .commandSubstitution(let list), .backquoted(let list), .processSubstitution(let list):
            visit(list, enclosures: enclosures + [.substitution])
        case .arithmetic(let arithmetic):
            visit(arithmetic, enclosures: enclosures)
        case .literal, .singleQuoted, .ansiCQuoted:
            break
        }
    }

    mutating func visit(_ arithmetic: ShellArithmetic, enclosures: [CommandContext.Enclosure]) {
        for list in arithmetic.substitutions { visit(list, enclosures: enclosures + [.substitution]) }
    }
}
