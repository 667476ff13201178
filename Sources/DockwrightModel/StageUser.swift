import DockwrightSyntax

/// The user a stage's processes run as: the last `USER` of the stage or of the stages it
/// is built on, with its value after ARG and ENV substitution.
public struct StageUser: Sendable {
    /// The USER instruction.
    public let instruction: InstructionSyntax
    /// The argument as written, e.g. `${APP_USER}` or `app:app`.
    public let token: Token
    /// The argument after substitution; variables without a value (no default, no
    /// `--build-arg`) are set to a probe word, so `root` here means root whatever they are.
    public let value: String?
    /// Whether the argument uses a variable.
    public let usesVariables: Bool
    /// Whether it uses a variable no ARG or ENV of the file gives a value: an ARG without a
    /// default, or an ENV of the base image (`$APP_UID` in .NET images) that we cannot see.
    public let hasUnsetVariables: Bool

    /// The user part, before any `:group`.
    public var userPart: String? {
        value.map { String($0.prefix { $0 != ":" }) }
    }

    /// Whether the user is root: `root`, `0`, or either with a group (`root:root`, `0:0`).
    /// Mirrors hadolint DL3002's `isRoot`, applied to the substituted value.
    public var isRoot: Bool {
        guard let user = userPart else { return false }
        return user == "root" || user == "0"
    }

    /// The last USER of stage `index` itself, ignoring the stages it is built on.
    public static func last(inStage index: Int, of stages: StageGraph) -> StageUser? {
        guard stages.stages.indices.contains(index) else { return nil }
        let stage = stages.stages[index]
        guard let instruction = stage.instructions.last(where: { $0.kind == .user }),
              case .text(let token) = instruction.arguments else { return nil }
        return StageUser(instruction: instruction, token: token, stages: stages)
    }

    /// Every USER of stage `index` and of the stages it is built on, in source order, each
    /// read as it is reached: a stage of thousands of USERs is not held twice over while
    /// a rule turns them into findings (issue 13).
    public static func all(inChainOf index: Int, in stages: StageGraph) -> some Sequence<StageUser> {
        stages.baseChain(ofStage: index).reversed().lazy.flatMap { stageIndex in
            stages.stages[stageIndex].instructions.lazy.compactMap { instruction -> StageUser? in
                guard instruction.kind == .user, case .text(let token) = instruction.arguments else { return nil }
                return StageUser(instruction: instruction, token: token, stages: stages)
            }
        }
    }

    /// The user stage `index` ends with: its own last USER, else that of the stage it
    /// is built on, and so on (`FROM base` keeps `base`'s USER).
    public static func effective(ofStage index: Int, in stages: StageGraph) -> StageUser? {
        for stageIndex in stages.baseChain(ofStage: index) {
            if let user = last(inStage: stageIndex, of: stages) { return user }
        }
        return nil
    }

    /// The probe that stands for a variable without a value: it is not a user any rule
    /// judges (not root, not numeric), so a verdict that holds with it holds for any value.
    public static let probe = "dockwright-unset"

    /// The user the instruction starting at `offset` in stage `index` runs as: the stage's
    /// last USER before it, else the user the stage's base stage ends with. `users` lists
    /// every stage's USERs once (``DockerfileModel/userInEffect(at:inStage:)``), so each
    /// question is a binary search, not a walk over the stage: a stage of thousands of
    /// USERs and RUNs asked once per RUN stays linear.
    static func inEffect(at offset: Int, inStage index: Int, of stages: StageGraph, users: StageUsers) -> StageUser? {
        guard users.byStage.indices.contains(index) else { return nil }
        let own = users.byStage[index]
        let low = own.partitioningIndex { $0.range.start >= offset }
        if low > 0, case .text(let token) = own[low - 1].arguments {
            return StageUser(instruction: own[low - 1], token: token, stages: stages)
        }
        for stageIndex in stages.baseChain(ofStage: index).dropFirst() {
            if let last = users.byStage[stageIndex].last, case .text(let token) = last.arguments {
                return StageUser(instruction: last, token: token, stages: stages)
            }
        }
        return nil
    }

    private init(instruction: InstructionSyntax, token: Token, stages: StageGraph) {
        self.instruction = instruction
        self.token = token
        let scope = stages.argScope
        var environment = scope.variables(before: instruction) ?? [:]
        let first = scope.expander.evaluate(token.text, environment: environment)
        usesVariables = !first.referencedNames.isEmpty
        hasUnsetVariables = !first.undefinedNames.isEmpty
        if first.undefinedNames.isEmpty {
            value = first.value
        } else {
            for name in first.undefinedNames { environment[name] = Self.probe }
            value = scope.expander.evaluate(token.text, environment: environment).value
        }
    }
}

/// Every stage's USER instructions, in source order, read once per file.
struct StageUsers: Sendable {
    let byStage: [[InstructionSyntax]]

    init(_ stages: StageGraph) {
        byStage = stages.stages.map { stage in stage.instructions.filter { $0.kind == .user } }
    }
}
