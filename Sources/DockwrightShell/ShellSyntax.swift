import DockwrightSyntax

/// A parsed shell script: the body of a shell-form RUN or of a RUN heredoc.
///
/// Offsets in the tree (`Range<Int>`) are byte offsets into ``text``; ``sourceRange(_:)``
/// maps them back to the Dockerfile, across continuations and heredoc bodies.
public struct ShellScript: Hashable, Sendable {
    /// The fields besides the commands.
    ///
    /// 80 bytes: a file of one-line RUNs keeps one per line.
    private struct Header {
        let text: LogicalText
        let run: RunScript.Fields?
        /// The body and the comments (one reference, or none).
        let storedBody: StoredBody
        /// In 32 bits, in the room the body leaves before the next 8-byte boundary.
        let storedCommandCount: UInt32
    }

    /// The fields, then the commands, in one allocation, stored once: a script is copied
    /// into every command rules look at, and a copy of one reference retains once instead
    /// of once per field. The commands are the only list of them: each view holds its
    /// command and context, so a second list of (command, context) pairs would copy both
    /// for every command; kept after the fields rather than in an array of their own, a
    /// file of one-line RUNs holds one block per script instead of two (issue 13).
    /// Never changed after ``make(text:body:comments:commandCount:run:)`` fills it, hence
    /// safe to share between threads (``SharedStorage``).
    private final class Storage: ManagedBuffer<Header, CommandView> {
        static func make(
            text: LogicalText, body: ShellList, comments: [Range<Int>], commandCount: Int, run: RunScript.Fields?
        ) -> Storage {
            let commands = CommandCollector.commands(in: body, expectedCount: commandCount)
            let storedBody: StoredBody
            if comments.isEmpty, StoredBody.isMadeOfTopLevelViews(body, commands: commands) {
                storedBody = .topLevelViews
            } else if body.items.count == 1, let item = body.items.first {
                storedBody = .one(item, ScriptSpan(body.range), comments: comments)
            } else {
                storedBody = .list(body, comments: comments)
            }
            return make(
                header: Header(
                    text: text, run: run, storedBody: storedBody,
                    storedCommandCount: UInt32(clamping: commands.count)),
                copying: commands)
        }

        deinit {
            _ = withUnsafeMutablePointers { header, elements in
                elements.deinitialize(count: Int(header.pointee.storedCommandCount))
            }
        }
    }

    /// The immutable ``Storage`` of a script, shared between threads.
    private struct SharedStorage: @unchecked Sendable {
        let buffer: Storage
    }

    /// The body, kept without repeating what the views hold where it can be.
    ///
    /// Most RUNs are one and-or list of plain simple commands (`apt-get update`, `a && b`)
    /// without comments: every command of it is already in a view, with the operator
    /// before it, and the list spans its commands' bytes, so the body is read back from
    /// the views and nothing is kept (a file of one-line RUNs kept the command twice, and
    /// a box for every `a && b`: issue 13). Any other body is boxed with the comments,
    /// which keeps every script's header 24 bytes smaller.
    private enum StoredBody: Sendable {
        /// One and-or list, not in the background, of plain simple commands with words:
        /// the views outside any enclosure, in order (``isMadeOfTopLevelViews(_:commands:)``).
        case topLevelViews
        /// A lone and-or list, kept without an array around it.
        indirect case one(ShellListItem, ScriptSpan, comments: [Range<Int>])
        indirect case list(ShellList, comments: [Range<Int>])

        /// Whether `body` is one and-or list, not in the background, whose pipelines are
        /// plain simple commands that are, in order, exactly the `commands` outside any
        /// enclosure: the views of nested commands (in substitutions) all have one.
        static func isMadeOfTopLevelViews(_ body: ShellList, commands: [CommandView]) -> Bool {
            guard body.items.count == 1, let item = body.items.first, !item.isBackground, body.range == item.range
            else { return false }
            let pipelines = item.andOr.pipelines
            var viewIndex = 0
            for pipeline in pipelines {
                guard let simple = pipeline.plainCommand else { return false }
                while viewIndex < commands.count && !commands[viewIndex].context.enclosures.isEmpty { viewIndex += 1 }
                guard viewIndex < commands.count, commands[viewIndex].command.range == simple.range else { return false }
                viewIndex += 1
            }
            return !commands[viewIndex...].contains { $0.context.enclosures.isEmpty }
        }
    }

    private let shared: SharedStorage
    private var storage: Storage { shared.buffer }

    // The fields are read through a pointer: reading the buffer's `header` property
    // checks exclusive access at run time on every read, and rules read them per command.

    /// The script as the shell receives it, with its map back to the Dockerfile.
    public var text: LogicalText { storage.withUnsafeMutablePointerToHeader { $0.pointee.text } }
    /// The commands of the script.
    public var body: ShellList {
        switch storage.withUnsafeMutablePointerToHeader({ $0.pointee.storedBody }) {
        case .topLevelViews:
            var plainCommands: [SimpleCommand] = []
            var operators: [ShellAndOrOperator] = []
            for view in commands where view.context.enclosures.isEmpty {
                if let operatorBefore = view.context.operatorBefore { operators.append(operatorBefore) }
                plainCommands.append(view.command)
            }
            let andOr = ShellAndOrList(plainCommands: plainCommands, operators: operators)
            // A list of one item spans the item, as the parser makes it.
            return ShellList(items: [ShellListItem(andOr: andOr, isBackground: false)], range: andOr.range)
        case .one(let item, let span, _): return ShellList(items: [item], range: span.range)
        case .list(let list, _): return list
        }
    }
    /// Where each `#` comment is, in script offsets.
    public var comments: [Range<Int>] {
        switch storage.withUnsafeMutablePointerToHeader({ $0.pointee.storedBody }) {
        case .topLevelViews: return []
        case .one(_, _, let comments), .list(_, let comments): return comments
        }
    }
    /// Every simple command as a ``CommandView`` (the command and its context), in
    /// pre-order, computed once for all rules.
    public var commands: CommandViews { CommandViews(script: self) }

    /// How many views ``commands`` has.
    fileprivate var commandCount: Int { storage.withUnsafeMutablePointerToHeader { Int($0.pointee.storedCommandCount) } }

    /// The view at `position` of ``commands``.
    fileprivate func command(at position: Int) -> CommandView {
        storage.withUnsafeMutablePointers { header, elements in
            precondition(position >= 0 && position < Int(header.pointee.storedCommandCount), "command index out of range")
            return elements[position]
        }
    }

    /// `commandCount` is how many simple commands with words the parser made; `run`, the
    /// fields of the RUN the script is read from, if any.
    init(text: LogicalText, body: ShellList, comments: [Range<Int>], commandCount: Int, run: RunScript.Fields?) {
        shared = SharedStorage(
            buffer: Storage.make(text: text, body: body, comments: comments, commandCount: commandCount, run: run))
    }

    /// The fields of the RUN the script was read from, kept here rather than in a box of
    /// the RUN's own (``RunScript``); nil for a script parsed alone.
    var run: RunScript.Fields? { storage.withUnsafeMutablePointerToHeader { $0.pointee.run } }

    /// One of the RUN's fields, read in place without copying the others.
    func readRun<Value>(_ read: (RunScript.Fields) -> Value) -> Value? {
        storage.withUnsafeMutablePointerToHeader { header in header.pointee.run.map(read) }
    }

    /// Whether both scripts are one block, so certainly equal.
    func isSameStorage(as other: ShellScript) -> Bool { storage === other.storage }

    public static func == (lhs: ShellScript, rhs: ShellScript) -> Bool {
        if lhs.storage === rhs.storage { return true }
        // The views are computed from the body.
        return lhs.text == rhs.text && lhs.body == rhs.body && lhs.comments == rhs.comments
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(comments)
    }

    /// The Dockerfile bytes that spell the script bytes `range`.
    public func sourceRange(_ range: Range<Int>) -> TextRange {
        text.sourceRange(of: range)
    }

    /// The script text of `range`.
    public func text(_ range: Range<Int>) -> String {
        String(decoding: text.bytes[range], as: UTF8.self)
    }
}

/// The simple commands of a script as ``CommandView``s, in pre-order: read in place from
/// the script, which keeps them after its own fields.
public struct CommandViews: RandomAccessCollection, Sendable {
    private let script: ShellScript

    fileprivate init(script: ShellScript) {
        self.script = script
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { script.commandCount }

    public subscript(position: Int) -> CommandView { script.command(at: position) }
}

/// Commands separated by `;`, `&` or newlines.
public struct ShellList: Hashable, Sendable {
    /// The and-or lists, in order.
    public var items: [ShellListItem]
    /// Stored in 32 bits: a script has a list for every substitution and compound body.
    private var span: ScriptSpan

    init(items: [ShellListItem], range: Range<Int>) {
        self.items = items
        span = ScriptSpan(range)
    }

    /// The bytes the list spans.
    public var range: Range<Int> { span.range }
}

/// One and-or list and how it is terminated.
public struct ShellListItem: Hashable, Sendable {
    /// The pipelines joined by `&&` and `||`.
    public var andOr: ShellAndOrList
    /// Whether it ends with `&` and runs in the background.
    public var isBackground: Bool

    /// The bytes of the and-or list, without its separator: the list's own, not
    /// stored twice.
    public var range: Range<Int> { andOr.range }
}

/// `&&` or `||`.
public enum ShellAndOrOperator: Hashable, Sendable {
    /// `&&`: run the next pipeline when this one succeeds.
    case and
    /// `||`: run the next pipeline when this one fails.
    case or
}

/// Pipelines joined by `&&` and `||`.
public struct ShellAndOrList: Hashable, Sendable {
    /// How the list is kept. Most and-or lists of a script are plain simple commands
    /// (one pipeline of one command, not negated or timed, the three spanning the
    /// same bytes): one is kept in place, without the array of pipelines and the array
    /// of commands around it (136 bytes of buffers a command); two in one box; more in
    /// one array; any other list is boxed whole. Each list has one way to be kept, so equal
    /// lists compare equal case by case.
    private enum Storage: Hashable, Sendable {
        /// One plain simple command.
        case plain(SimpleCommand)
        /// Two plain simple commands (`a && b`, the most common chain), in one box
        /// without arrays.
        indirect case pair(SimpleCommand, ShellAndOrOperator, SimpleCommand)
        /// Three or more plain simple commands.
        indirect case chain(commands: [SimpleCommand], operators: [ShellAndOrOperator])
        /// Any other list.
        indirect case general(pipelines: [ShellPipeline], operators: [ShellAndOrOperator], span: ScriptSpan)
    }

    private let storage: Storage

    init(pipelines: [ShellPipeline], operators: [ShellAndOrOperator], range: Range<Int>) {
        if pipelines.count == 1, let simple = pipelines.first?.plainCommand, range == simple.range {
            storage = .plain(simple)
            return
        }
        if pipelines.count == 2, operators.count == 1, let first = pipelines.first?.plainCommand,
           let second = pipelines.last?.plainCommand, range == first.range.lowerBound..<second.range.upperBound {
            storage = .pair(first, operators[0], second)
            return
        }
        var plainCommands: [SimpleCommand] = []
        plainCommands.reserveCapacity(pipelines.count)
        for pipeline in pipelines {
            guard let simple = pipeline.plainCommand else { break }
            plainCommands.append(simple)
        }
        if plainCommands.count == pipelines.count, let first = plainCommands.first, let last = plainCommands.last,
           range == first.range.lowerBound..<last.range.upperBound {
            storage = .chain(commands: plainCommands, operators: operators)
        } else {
            storage = .general(pipelines: pipelines, operators: operators, span: ScriptSpan(range))
        }
    }

    /// The list of plain simple commands `commands` joined by `operators`, kept as the
    /// parser keeps it (``init(pipelines:operators:range:)`` of their plain pipelines).
    init(plainCommands commands: [SimpleCommand], operators: [ShellAndOrOperator]) {
        if commands.count == 1, let only = commands.first {
            storage = .plain(only)
        } else if commands.count == 2, operators.count == 1, let first = commands.first, let second = commands.last {
            storage = .pair(first, operators[0], second)
        } else {
            storage = .chain(commands: commands, operators: operators)
        }
    }

    /// The pipelines, in order.
    public var pipelines: ShellPipelines {
        switch storage {
        case .plain(let simple): return ShellPipelines(plain: simple)
        case .pair(let first, _, let second): return ShellPipelines(plainPair: first, second)
        case .chain(let commands, _): return ShellPipelines(plainCommands: commands)
        case .general(let pipelines, _, _): return ShellPipelines(pipelines)
        }
    }

    /// The operator before each pipeline after the first.
    public var operators: [ShellAndOrOperator] {
        switch storage {
        case .plain: return []
        case .pair(_, let operatorBetween, _): return [operatorBetween]
        case .chain(_, let operators), .general(_, let operators, _): return operators
        }
    }

    /// The bytes of the whole list.
    public var range: Range<Int> {
        switch storage {
        case .plain(let simple):
            return simple.range
        case .pair(let first, _, let second):
            return first.range.lowerBound..<second.range.upperBound
        case .chain(let commands, _):
            return (commands.first?.range.lowerBound ?? 0)..<(commands.last?.range.upperBound ?? 0)
        case .general(_, _, let span):
            return span.range
        }
    }
}

/// The pipelines of an and-or list, read in place: plain simple commands are kept
/// without the pipeline and command around them, which are made again when read.
public struct ShellPipelines: RandomAccessCollection, Sendable {
    private enum Nodes: Sendable {
        case plain(SimpleCommand)
        case plainPair(SimpleCommand, SimpleCommand)
        case plainCommands([SimpleCommand])
        case pipelines([ShellPipeline])
    }

    private let nodes: Nodes

    init(plain command: SimpleCommand) {
        nodes = .plain(command)
    }

    init(plainPair first: SimpleCommand, _ second: SimpleCommand) {
        nodes = .plainPair(first, second)
    }

    init(plainCommands commands: [SimpleCommand]) {
        nodes = .plainCommands(commands)
    }

    init(_ pipelines: [ShellPipeline]) {
        nodes = .pipelines(pipelines)
    }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        switch nodes {
        case .plain: return 1
        case .plainPair: return 2
        case .plainCommands(let commands): return commands.count
        case .pipelines(let pipelines): return pipelines.count
        }
    }

    public subscript(position: Int) -> ShellPipeline {
        switch nodes {
        case .plain(let command):
            precondition(position == 0, "pipeline index out of range")
            return ShellPipeline(plain: command)
        case .plainPair(let first, let second):
            precondition(position == 0 || position == 1, "pipeline index out of range")
            return ShellPipeline(plain: position == 0 ? first : second)
        case .plainCommands(let commands):
            return ShellPipeline(plain: commands[position])
        case .pipelines(let pipelines):
            return pipelines[position]
        }
    }
}

/// Commands joined by `|` (or `|&`), optionally negated with `!`.
public struct ShellPipeline: Hashable, Sendable {
    /// The commands, in order.
    public var commands: ShellCommands
    /// Whether the pipeline starts with `!`.
    public var isNegated: Bool
    /// Whether it is prefixed by the `time` keyword.
    public var isTimed: Bool
    /// Stored in 32 bits: a script has a pipeline for almost every command.
    private var span: ScriptSpan

    init(commands: ShellCommands, isNegated: Bool, isTimed: Bool, range: Range<Int>) {
        self.commands = commands
        self.isNegated = isNegated
        self.isTimed = isTimed
        span = ScriptSpan(range)
    }

    /// The bytes of the pipeline.
    public var range: Range<Int> { span.range }

    /// The pipeline of `command` alone, as the parser makes it.
    init(plain command: SimpleCommand) {
        self.init(
            commands: ShellCommands(ShellCommand(kind: .simple(command), redirects: [], range: command.range)),
            isNegated: false, isTimed: false, range: command.range)
    }

    /// The simple command, when the pipeline is that command alone, spanning its bytes.
    var plainCommand: SimpleCommand? {
        guard !isNegated, !isTimed, commands.count == 1, let command = commands.first, command.redirects.isEmpty,
              case .simple(let simple) = command.kind, command.range == simple.range, range == simple.range
        else { return nil }
        return simple
    }
}

/// A command and the redirections written after it.
public struct ShellCommand: Hashable, Sendable {
    /// What the command is.
    public var kind: ShellCommandKind
    /// Redirections after a compound command (a simple command keeps its own).
    public var redirects: [ShellRedirect]
    /// Stored in 32 bits: a script has one for every command.
    private var span: ScriptSpan

    init(kind: ShellCommandKind, redirects: [ShellRedirect], range: Range<Int>) {
        self.kind = kind
        self.redirects = redirects
        span = ScriptSpan(range)
    }

    /// The bytes of the command, redirections included.
    public var range: Range<Int> { span.range }
}

/// The kinds of command the parser understands.
///
/// A simple command, by far the most common, is stored in place; the compound
/// kinds are boxed, which keeps the enum as small as a simple command.
public enum ShellCommandKind: Hashable, Sendable {
    /// A command name with arguments, assignments and redirections.
    case simple(SimpleCommand)
    /// `( list )`, run in a subshell.
    indirect case subshell(ShellList)
    /// `{ list; }`, run in the current shell.
    indirect case braceGroup(ShellList)
    /// `if … then … elif … else … fi`.
    indirect case ifClause(branches: [ShellConditionalBranch], elseBody: ShellList?)
    /// `for name in words; do …; done` (words nil when `in` is absent).
    indirect case forLoop(variable: String, words: [ShellWord]?, body: ShellList)
    /// `for ((…)); do …; done`.
    indirect case arithmeticForLoop(header: ShellArithmetic, body: ShellList)
    /// `while … do … done` or `until … do … done`.
    indirect case whileLoop(condition: ShellList, body: ShellList, isUntil: Bool)
    /// `case word in pattern) … ;; esac`.
    indirect case caseClause(subject: ShellWord, arms: [ShellCaseArm])
    /// `name() body` or `function name body`.
    indirect case functionDefinition(name: String, body: ShellCommand)
    /// Bash's `[[ … ]]`.
    indirect case testClause([ShellWord])
    /// Bash's `(( … ))`.
    indirect case arithmeticCommand(ShellArithmetic)
}

/// An arithmetic expression, `$((…))` or `((…))`.
public struct ShellArithmetic: Hashable, Sendable {
    /// The expression as written.
    public var expression: String
    /// Command substitutions inside it, which run when it is evaluated.
    public var substitutions: [ShellList]
}

/// A condition and the body it guards (`if`/`elif`).
public struct ShellConditionalBranch: Hashable, Sendable {
    /// The condition list.
    public var condition: ShellList
    /// The body run when it succeeds.
    public var body: ShellList
}

/// One `pattern) list ;;` arm of a `case`.
public struct ShellCaseArm: Hashable, Sendable {
    /// The patterns separated by `|`.
    public var patterns: [ShellWord]
    /// The commands of the arm.
    public var body: ShellList
}

/// A simple command: assignments, words and redirections.
public struct SimpleCommand: Hashable, Sendable {
    /// The assignments and redirections in one reference: most commands have neither, and
    /// few have both. Two arrays took 16 bytes of every command, and every command view
    /// holds one (issue 13). One case for each combination, so equal commands compare
    /// equal case by case.
    private enum Extras: Hashable, Sendable {
        case none
        case assignments([ShellAssignment])
        case redirects([ShellRedirect])
        indirect case both([ShellAssignment], [ShellRedirect])
    }

    /// The command name and its arguments, as written.
    public var words: [ShellWord]
    private let extras: Extras
    /// Stored in 32 bits: every command view holds a copy.
    private var span: ScriptSpan

    init(assignments: [ShellAssignment], words: [ShellWord], redirects: [ShellRedirect], range: Range<Int>) {
        self.words = words
        switch (assignments.isEmpty, redirects.isEmpty) {
        case (true, true): extras = .none
        case (false, true): extras = .assignments(assignments)
        case (true, false): extras = .redirects(redirects)
        case (false, false): extras = .both(assignments, redirects)
        }
        span = ScriptSpan(range)
    }

    /// `NAME=value` prefixes.
    public var assignments: [ShellAssignment] {
        switch extras {
        case .assignments(let assignments), .both(let assignments, _): return assignments
        case .none, .redirects: return []
        }
    }

    /// Redirections anywhere in the command.
    public var redirects: [ShellRedirect] {
        switch extras {
        case .redirects(let redirects), .both(_, let redirects): return redirects
        case .none, .assignments: return []
        }
    }

    /// The bytes of the command.
    public var range: Range<Int> { span.range }
}

/// A `NAME=value`, `NAME+=value` or `NAME=(array)` assignment.
public struct ShellAssignment: Hashable, Sendable {
    /// The variable name.
    public var name: String
    /// The value, nil for an empty `NAME=`.
    public var value: ShellWord?
    /// The elements of an array assignment, nil otherwise.
    public var arrayElements: [ShellWord]?
    /// Whether it appends (`+=`).
    public var isAppend: Bool
    /// Stored in 32 bits: assignment-heavy scripts have one for every command.
    private var span: ScriptSpan

    init(name: String, value: ShellWord?, arrayElements: [ShellWord]?, isAppend: Bool, range: Range<Int>) {
        self.name = name
        self.value = value
        self.arrayElements = arrayElements
        self.isAppend = isAppend
        span = ScriptSpan(range)
    }

    /// The bytes of the assignment.
    public var range: Range<Int> { span.range }
}

/// A redirection such as `> file`, `2>&1` or `<<EOF`.
///
/// Packed into 40 bytes instead of 88 (operator as an index into the table of
/// operators, offsets in 32 bits): a script of many commands with `> file` keeps one
/// for each.
public struct ShellRedirect: Hashable, Sendable {
    /// The operators the parser reads, longest first where one begins another.
    static let operators = ["&>>", "&>", "<<<", "<<-", "<<", "<>", "<&", ">>", ">&", ">|", "<", ">"]

    /// The target word, or the heredoc delimiter.
    public var target: ShellWord
    private var span: ScriptSpan
    private var bodySpan: ScriptSpan
    private var storedFileDescriptor: UInt32
    private var operatorIndex: UInt8
    private var hasFileDescriptor: Bool
    private var hasHeredocBody: Bool

    init(operatorText: String, fileDescriptor: Int?, target: ShellWord, heredocBody: Range<Int>?, range: Range<Int>) {
        self.target = target
        span = ScriptSpan(range)
        bodySpan = ScriptSpan(heredocBody ?? 0..<0)
        hasHeredocBody = heredocBody != nil
        storedFileDescriptor = UInt32(clamping: fileDescriptor ?? 0)
        hasFileDescriptor = fileDescriptor != nil
        operatorIndex = UInt8(clamping: Self.operators.firstIndex(of: operatorText) ?? Self.operators.count)
    }

    /// The operator as written: `>`, `>>`, `<`, `<<`, `<<-`, `<<<`, `>&`, `&>`, …
    public var operatorText: String {
        Self.operators.indices.contains(Int(operatorIndex)) ? Self.operators[Int(operatorIndex)] : ""
    }

    /// The file descriptor written before the operator, if any.
    public var fileDescriptor: Int? { hasFileDescriptor ? Int(storedFileDescriptor) : nil }

    /// The heredoc body, for `<<` and `<<-`.
    public var heredocBody: Range<Int>? { hasHeredocBody ? bodySpan.range : nil }

    /// The bytes of the redirection.
    public var range: Range<Int> { span.range }
}

/// The commands of a pipeline, the first stored in place.
///
/// Nearly every pipeline has one command: an array would allocate a buffer (32 bytes
/// of header and the command) for each. A concrete type rather than a generic one:
/// rules in other modules read it through direct calls, not value witnesses.
public struct ShellCommands: RandomAccessCollection, Hashable, Sendable {
    private var head: ShellCommand
    private var tail: [ShellCommand] = []

    /// A list of `head` alone.
    init(_ head: ShellCommand) {
        self.head = head
    }

    /// Adds `command` at the end.
    mutating func append(_ command: ShellCommand) {
        tail.append(command)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { tail.count + 1 }

    public subscript(position: Int) -> ShellCommand {
        position == 0 ? head : tail[position - 1]
    }
}
