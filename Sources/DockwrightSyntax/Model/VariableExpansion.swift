/// The outcome of expanding one word: its value and the variables it looked up.
///
/// Mirrors BuildKit's `ProcessWordResult`: the names are recorded as the lexer
/// evaluates the word, so a name inside an unused default (`${A:-$B}` with `A` set)
/// is still recorded, and names after an error are not.
public struct VariableExpansion: Hashable, Sendable {
    /// The expanded word with quotes removed (`ProcessWord`), or why it failed.
    public let result: Result<String, VariableExpansionError>
    /// Every variable name looked up, in the order first used.
    public let referencedNames: [String]
    /// The looked-up names that the environment did not define, in the order first used.
    public let undefinedNames: [String]

    /// Creates an expansion outcome.
    public init(
        result: Result<String, VariableExpansionError>, referencedNames: [String], undefinedNames: [String]
    ) {
        self.result = result
        self.referencedNames = referencedNames
        self.undefinedNames = undefinedNames
    }

    /// The expanded word, or nil when expansion failed.
    public var value: String? {
        if case .success(let value) = result { return value }
        return nil
    }

    /// The error, or nil when expansion succeeded.
    public var error: VariableExpansionError? {
        if case .failure(let error) = result { return error }
        return nil
    }

    /// The looked-up names that the environment defined, in the order first used.
    public var definedNames: [String] {
        let undefined = Set(undefinedNames)
        return referencedNames.filter { !undefined.contains($0) }
    }
}
