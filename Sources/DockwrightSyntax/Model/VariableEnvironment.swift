/// Something that gives variables values: what ``VariableExpander`` expands against.
public protocol VariableValues {
    /// The value of `name`, or nil when it is unset.
    func value(of name: String) -> String?
}

extension Dictionary: VariableValues where Key == String, Value == String {
    /// The value of `name`, or nil when it is unset.
    public func value(of name: String) -> String? { self[name] }
}

/// The ARG and ENV values, and the declared ARG names, at one point of a Dockerfile:
/// a view into ``ArgScope``, not a copy.
///
/// Reading a name costs a hash lookup and a binary search, whatever the size of the
/// file; the view itself is a few words. ``ArgScope`` used to hand out a dictionary
/// per instruction, which made 8,000 `ENV` lines cost 2 GB. Changes made through the
/// subscript or ``declareArgument(_:)`` stay in this copy of the view.
public struct VariableEnvironment: Sendable, VariableValues, ExpressibleByDictionaryLiteral, Equatable {
    private enum Base: Sendable {
        case dictionary([String: String])
        case history(VariableHistory, scope: Int, time: Int)
    }

    private let base: Base
    /// Local changes: a name to its new value, nil when unset here.
    private var overrides: [String: String?] = [:]
    private var declaredHere: Set<String> = []

    /// An environment holding `dictionary` and declaring no ARG.
    public init(_ dictionary: [String: String] = [:]) {
        base = .dictionary(dictionary)
    }

    /// An environment holding the pairs of the literal.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    init(history: VariableHistory, scope: Int, time: Int) {
        base = .history(history, scope: scope, time: time)
    }

    /// The value of `name`, or nil when unset; setting changes this view only.
    public subscript(name: String) -> String? {
        get { value(of: name) }
        set { overrides[name] = .some(newValue) }
    }

    /// The value of `name`, or nil when it is unset.
    public func value(of name: String) -> String? {
        if let override = overrides[name] { return override }
        switch base {
        case .dictionary(let dictionary): return dictionary[name]
        case .history(let history, let scope, let time): return history.value(of: name, scope: scope, before: time)
        }
    }

    /// Whether an ARG instruction has declared `name` (with or without a value) in this
    /// scope: the global ARGs before the first FROM, else the stage's ARGs and those of
    /// the stages it is based on.
    public func isDeclaredArgument(_ name: String) -> Bool {
        if declaredHere.contains(name) { return true }
        guard case .history(let history, let scope, let time) = base else { return false }
        return history.isDeclared(name, scope: scope, before: time)
    }

    /// Records that `name` is declared from here on, in this view.
    public mutating func declareArgument(_ name: String) {
        declaredHere.insert(name)
    }

    /// Every name with a value, with its value. Costs time in proportion to every
    /// variable of the file: for reports and suggestions, not for each instruction.
    public var dictionary: [String: String] {
        var result: [String: String]
        switch base {
        case .dictionary(let dictionary): result = dictionary
        case .history(let history, let scope, let time): result = history.values(scope: scope, before: time)
        }
        for (name, value) in overrides { result[name] = value }
        return result
    }

    /// Every name with a value; see ``dictionary`` for the cost.
    public var keys: Dictionary<String, String>.Keys { dictionary.keys }

    /// Every declared ARG name; costs time in proportion to every ARG of the file.
    public var declaredArgumentNames: Set<String> {
        guard case .history(let history, let scope, let time) = base else { return declaredHere }
        return history.declaredNames(scope: scope, before: time).union(declaredHere)
    }

    /// Environments are equal when they give the same names the same values.
    public static func == (lhs: VariableEnvironment, rhs: VariableEnvironment) -> Bool {
        lhs.dictionary == rhs.dictionary
    }
}

/// Every value ARG and ENV give in a file, kept once: one table of assignments and
/// one of ARG declarations, each grouped by name and in time order within a name, and
/// for each scope (the global ARGs, then each stage) where it starts and what it
/// inherits. ``VariableEnvironment`` reads it at a point in time.
///
/// Flat on purpose: a file of 360,000 `ENV` lines has as many names, and an array (and
/// a dictionary entry) per name cost twice what the assignments themselves do. Here a
/// name costs one entry in ``nameNumbers`` and an assignment an element of two arrays.
///
/// A "time" is a step of ``ArgScope``'s walk: every ARG name, ENV instruction and
/// ONBUILD trigger it applies takes the next one, and an instruction sees what was
/// assigned before its own time.
final class VariableHistory: Sendable {
    /// What a scope starts from: a value and whether an ARG declared the name.
    struct Inherited: Sendable {
        let value: String?
        let isDeclared: Bool
    }

    /// Where a scope starts and the environment it starts from.
    struct Scope: Sendable {
        let startTime: Int
        let inherited: PersistentMap<String, Inherited>
    }

    /// The history as the walk records it, in time order, before it is grouped by name.
    ///
    /// It also answers what the walk's running scope holds (``latestValue(of:since:)``),
    /// so the walk keeps no table of its own beside it.
    struct Recorder {
        private(set) var nameNumbers: [String: Int] = [:]
        /// Each name, by number.
        private var names: [String] = []
        private var assignedNames: [Int32] = []
        private var assignmentTimes: [Int32] = []
        private var assignmentValues: [String] = []
        private var declaredNames: [Int32] = []
        private var declarationTimes: [Int32] = []
        /// For each name number, the index of its latest assignment and declaration, -1 for none.
        private var latestAssignments: [Int32] = []
        private var latestDeclarations: [Int32] = []

        /// How many assignments and declarations are recorded so far.
        var assignmentCount: Int { assignmentTimes.count }
        var declarationCount: Int { declarationTimes.count }

        private mutating func number(of name: String) -> Int32 {
            if let number = nameNumbers[name] { return Int32(truncatingIfNeeded: number) }
            let number = nameNumbers.count
            nameNumbers[name] = number
            names.append(name)
            latestAssignments.append(-1)
            latestDeclarations.append(-1)
            return Int32(truncatingIfNeeded: number)
        }

        mutating func assign(_ name: String, value: String, time: Int) {
            let number = number(of: name)
            latestAssignments[Int(number)] = Int32(truncatingIfNeeded: assignmentTimes.count)
            assignedNames.append(number)
            assignmentTimes.append(Int32(truncatingIfNeeded: time))
            assignmentValues.append(value)
        }

        mutating func declare(_ name: String, time: Int) {
            let number = number(of: name)
            latestDeclarations[Int(number)] = Int32(truncatingIfNeeded: declarationTimes.count)
            declaredNames.append(number)
            declarationTimes.append(Int32(truncatingIfNeeded: time))
        }

        /// The latest value assigned to `name` at `time` or later, if any.
        func latestValue(of name: String, since time: Int) -> String? {
            guard let number = nameNumbers[name] else { return nil }
            let index = Int(latestAssignments[number])
            guard index >= 0, Int(assignmentTimes[index]) >= time else { return nil }
            return assignmentValues[index]
        }

        /// Whether `name` was declared at `time` or later.
        func isDeclared(_ name: String, since time: Int) -> Bool {
            guard let number = nameNumbers[name] else { return false }
            let index = Int(latestDeclarations[number])
            return index >= 0 && Int(declarationTimes[index]) >= time
        }

        /// Calls `body` with the names assigned or declared by the records from the given
        /// counts on, each at most twice (once per kind of record), in no useful order.
        func forEachName(
            assignedFrom firstAssignment: Int, declaredFrom firstDeclaration: Int, _ body: (String) -> Void
        ) {
            for index in firstAssignment..<assignedNames.count
            where Int(latestAssignments[Int(assignedNames[index])]) == index {
                body(names[Int(assignedNames[index])])
            }
            for index in firstDeclaration..<declaredNames.count
            where Int(latestDeclarations[Int(declaredNames[index])]) == index {
                body(names[Int(declaredNames[index])])
            }
        }

        /// The tables grouped by name (a stable counting sort: times stay in order).
        func history(scopes: [Scope]) -> VariableHistory {
            let nameCount = nameNumbers.count
            let assignmentStarts = Self.groupStarts(of: assignedNames, nameCount: nameCount)
            let assignmentOrder = Self.groupedOrder(of: assignedNames, starts: assignmentStarts)
            let declarationStarts = Self.groupStarts(of: declaredNames, nameCount: nameCount)
            let declarationOrder = Self.groupedOrder(of: declaredNames, starts: declarationStarts)
            return VariableHistory(
                nameNumbers: nameNumbers, assignmentStarts: assignmentStarts,
                assignmentTimes: assignmentOrder.map { assignmentTimes[Int($0)] },
                assignmentValues: assignmentOrder.map { assignmentValues[Int($0)] },
                declarationStarts: declarationStarts,
                declarationTimes: declarationOrder.map { declarationTimes[Int($0)] },
                scopes: scopes)
        }

        /// For each name number, where its group starts; one more element ends the last.
        private static func groupStarts(of names: [Int32], nameCount: Int) -> [Int32] {
            var starts = [Int32](repeating: 0, count: nameCount + 1)
            for name in names { starts[Int(name) + 1] += 1 }
            for index in 0..<nameCount { starts[index + 1] += starts[index] }
            return starts
        }

        /// The indices of `names`, grouped by name, in their order within a name.
        private static func groupedOrder(of names: [Int32], starts: [Int32]) -> [Int32] {
            var next = starts
            var order = [Int32](repeating: 0, count: names.count)
            for (index, name) in names.enumerated() {
                order[Int(next[Int(name)])] = Int32(truncatingIfNeeded: index)
                next[Int(name)] += 1
            }
            return order
        }
    }

    /// Each name assigned or declared, numbered.
    private let nameNumbers: [String: Int]
    /// The assignments of name `n` are at `assignmentStarts[n]..<assignmentStarts[n + 1]`.
    private let assignmentStarts: [Int32]
    private let assignmentTimes: [Int32]
    private let assignmentValues: [String]
    /// The declarations of name `n` are at `declarationStarts[n]..<declarationStarts[n + 1]`.
    private let declarationStarts: [Int32]
    private let declarationTimes: [Int32]
    let scopes: [Scope]

    private init(
        nameNumbers: [String: Int], assignmentStarts: [Int32], assignmentTimes: [Int32], assignmentValues: [String],
        declarationStarts: [Int32], declarationTimes: [Int32], scopes: [Scope]
    ) {
        self.nameNumbers = nameNumbers
        self.assignmentStarts = assignmentStarts
        self.assignmentTimes = assignmentTimes
        self.assignmentValues = assignmentValues
        self.declarationStarts = declarationStarts
        self.declarationTimes = declarationTimes
        self.scopes = scopes
    }

    /// How many assignments the file makes, each kept once.
    var assignmentCount: Int { assignmentTimes.count }
    /// How many ARG names the file declares, each kept once.
    var declarationCount: Int { declarationTimes.count }

    func value(of name: String, scope: Int, before time: Int) -> String? {
        if let number = nameNumbers[name],
           let index = Self.lastIndex(
               in: assignmentTimes, from: Int(assignmentStarts[number]), to: Int(assignmentStarts[number + 1]),
               before: time),
           Int(assignmentTimes[index]) >= scopes[scope].startTime {
            return assignmentValues[index]
        }
        return scopes[scope].inherited[name]?.value
    }

    func isDeclared(_ name: String, scope: Int, before time: Int) -> Bool {
        if let number = nameNumbers[name],
           let index = Self.lastIndex(
               in: declarationTimes, from: Int(declarationStarts[number]), to: Int(declarationStarts[number + 1]),
               before: time),
           Int(declarationTimes[index]) >= scopes[scope].startTime {
            return true
        }
        return scopes[scope].inherited[name]?.isDeclared == true
    }

    func values(scope: Int, before time: Int) -> [String: String] {
        var result: [String: String] = [:]
        scopes[scope].inherited.forEach { name, inherited in
            if let value = inherited.value { result[name] = value }
        }
        for name in nameNumbers.keys {
            if let value = value(of: name, scope: scope, before: time) { result[name] = value }
        }
        return result
    }

    func declaredNames(scope: Int, before time: Int) -> Set<String> {
        var result: Set<String> = []
        scopes[scope].inherited.forEach { name, inherited in
            if inherited.isDeclared { result.insert(name) }
        }
        for name in nameNumbers.keys where isDeclared(name, scope: scope, before: time) { result.insert(name) }
        return result
    }

    /// The index in `times[start..<end]` of the last time before `time`, by binary search.
    private static func lastIndex(in times: [Int32], from start: Int, to end: Int, before time: Int) -> Int? {
        let low = times[start..<end].partitioningIndex { Int($0) >= time }
        return low == start ? nil : low - 1
    }

    /// The index of the last element whose time is before `time`, by binary search.
    static func lastIndex<Element>(in list: [Element], before time: Int, time key: (Element) -> Int) -> Int? {
        let low = list.partitioningIndex { key($0) >= time }
        return low == 0 ? nil : low - 1
    }
}
