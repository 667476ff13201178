import DockwrightCore
import DockwrightSyntax

/// The user a stage's processes run as: the last `USER` of the stage or of the stages it
/// is built on, with its value after ARG and ENV substitution.
struct StageUser {
    /// The USER instruction.
    let instruction: InstructionSyntax
    /// The argument as written, e.g. `${APP_USER}` or `app:app`.
    let token: Token
    /// The argument after substitution; variables without a value (no default, no
    /// `--build-arg`) are set to a probe word, so `root` here means root whatever they are.
    let value: String?
    /// Whether the argument uses a variable.
    let usesVariables: Bool
    /// Whether it uses a variable no ARG or ENV of the file gives a value: an ARG without a
    /// default, or an ENV of the base image (`$APP_UID` in .NET images) that we cannot see.
    let hasUnsetVariables: Bool

    /// The user part, before any `:group`.
    var userPart: String? {
        value.map { String($0.prefix { $0 != ":" }) }
    }

    /// Whether the user is root: `root`, `0`, or either with a group (`root:root`, `0:0`).
    /// Mirrors hadolint DL3002's `isRoot`, applied to the substituted value.
    var isRoot: Bool {
        guard let user = userPart else { return false }
        return user == "root" || user == "0"
    }

    /// The last USER of stage `index` itself, ignoring the stages it is built on.
    static func last(inStage index: Int, of context: RuleContext) -> StageUser? {
        guard context.stages.stages.indices.contains(index) else { return nil }
        let stage = context.stages.stages[index]
        guard let instruction = stage.instructions.last(where: { $0.kind == .user }),
              case .text(let token) = instruction.arguments else { return nil }
        return StageUser(instruction: instruction, token: token, context: context)
    }

    /// Every USER of stage `index` and of the stages it is built on, in source order.
    static func all(inChainOf index: Int, in context: RuleContext) -> [StageUser] {
        var chain: [Int] = []
        var current: Int? = index
        var visited: Set<Int> = []
        while let stageIndex = current, context.stages.stages.indices.contains(stageIndex),
              visited.insert(stageIndex).inserted {
            chain.append(stageIndex)
            current = context.stages.stages[stageIndex].baseStageIndex
        }
        return chain.reversed().flatMap { stageIndex in
            context.stages.stages[stageIndex].instructions.compactMap { instruction -> StageUser? in
                guard instruction.kind == .user, case .text(let token) = instruction.arguments else { return nil }
                return StageUser(instruction: instruction, token: token, context: context)
            }
        }
    }

    /// The user stage `index` ends with: its own last USER, else that of the stage it
    /// is built on, and so on (`FROM base` keeps `base`'s USER).
    static func effective(ofStage index: Int, in context: RuleContext) -> StageUser? {
        var current: Int? = index
        var visited: Set<Int> = []
        while let stageIndex = current, visited.insert(stageIndex).inserted {
            if let user = last(inStage: stageIndex, of: context) { return user }
            current = context.stages.stages[stageIndex].baseStageIndex
        }
        return nil
    }

    /// The stage at the bottom of stage `index`'s chain of `FROM <stage>`: the one that
    /// names an image (or does not resolve).
    static func rootStage(of index: Int, in context: RuleContext) -> Stage? {
        var current = index
        var visited: Set<Int> = []
        while context.stages.stages.indices.contains(current), visited.insert(current).inserted {
            let stage = context.stages.stages[current]
            guard let base = stage.baseStageIndex else { return stage }
            current = base
        }
        return nil
    }

    /// The probe that stands for a variable without a value: it is not a user any rule
    /// judges (not root, not numeric), so a verdict that holds with it holds for any value.
    static let probe = "dockwright-unset"

    private init(instruction: InstructionSyntax, token: Token, context: RuleContext) {
        self.instruction = instruction
        self.token = token
        let scope = context.stages.argScope
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
