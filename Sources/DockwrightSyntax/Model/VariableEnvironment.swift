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

/// Every value ARG and ENV give in a file, kept once: for each name, its assignments
/// in time order, and for each scope (the global ARGs, then each stage) where it
/// starts and what it inherits. ``VariableEnvironment`` reads it at a point in time.
///
/// A "time" is a step of ``ArgScope``'s walk: every ARG name, ENV instruction and
/// ONBUILD trigger it applies takes the next one, and an instruction sees what was
/// assigned before its own time.
final class VariableHistory: Sendable {
    /// One assignment to a name.
    struct Assignment: Sendable {
        let time: Int
        let value: String
    }

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

    let assignments: [String: [Assignment]]
    let declarations: [String: [Int]]
    let scopes: [Scope]

    init(assignments: [String: [Assignment]], declarations: [String: [Int]], scopes: [Scope]) {
        self.assignments = assignments
        self.declarations = declarations
        self.scopes = scopes
    }

    func value(of name: String, scope: Int, before time: Int) -> String? {
        let start = scopes[scope].startTime
        if let list = assignments[name], let index = Self.lastIndex(in: list, before: time, time: \.time),
           list[index].time >= start {
            return list[index].value
        }
        return scopes[scope].inherited[name]?.value
    }

    func isDeclared(_ name: String, scope: Int, before time: Int) -> Bool {
        if let list = declarations[name], let index = Self.lastIndex(in: list, before: time, time: { $0 }),
           list[index] >= scopes[scope].startTime {
            return true
        }
        return scopes[scope].inherited[name]?.isDeclared == true
    }

    func values(scope: Int, before time: Int) -> [String: String] {
        var result: [String: String] = [:]
        scopes[scope].inherited.forEach { name, inherited in
            if let value = inherited.value { result[name] = value }
        }
        for name in assignments.keys {
            if let value = value(of: name, scope: scope, before: time) { result[name] = value }
        }
        return result
    }

    func declaredNames(scope: Int, before time: Int) -> Set<String> {
        var result: Set<String> = []
        scopes[scope].inherited.forEach { name, inherited in
            if inherited.isDeclared { result.insert(name) }
        }
        for name in declarations.keys where isDeclared(name, scope: scope, before: time) { result.insert(name) }
        return result
    }

    /// The index of the last element whose time is before `time`, by binary search.
    static func lastIndex<Element>(in list: [Element], before time: Int, time key: (Element) -> Int) -> Int? {
        var low = 0
        var high = list.count
        while low < high {
            let middle = (low + high) / 2
            if key(list[middle]) < time { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : low - 1
    }
}
