import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags an ENV value that uses a variable set earlier in the same ENV.
public struct EnvSelfReferenceRule: Rule {
    public static let description = RuleDescription(
        code: "DL3044", name: "env-self-reference", category: .correctness,
        summary: "Do not use a variable in the `ENV` that sets it", severity: .error, fix: .none,
        rationale: """
            ## Why
            Docker expands every value of one `ENV` against the variables as they were \
            before the instruction. In `ENV JAVA_HOME=/opt/java PATH=$JAVA_HOME/bin:$PATH`, \
            `$JAVA_HOME` is still empty, so `PATH` gets `/bin:…`. Split it into two `ENV` \
            instructions.

            As in hadolint, a variable that already had a value before the `ENV` (from an \
            earlier ARG or ENV of the stage) is not reported: the old value is used, which \
            may be intended. A variable's use of its own old value (`PATH=/x:$PATH`) is fine.

            Deliberate difference from hadolint: only uses after the assignment are \
            reported. In `ENV B=$A A=1`, `B` reading the old `A` is what the order says.

            ## References
            hadolint DL3044.
            """,
        triggering: [
            Example("FROM eclipse-temurin:21\nENV JAVA_HOME=/opt/java PATH=↓$JAVA_HOME/bin:$PATH\n"),
            Example("FROM alpine:3.20\nENV A=1 B=\"x-↓${A}\" C=\"↓$A\"\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nENV JAVA_HOME=/opt/java\nENV PATH=$JAVA_HOME/bin:$PATH\n"),
            Example("FROM alpine:3.20\nENV PATH=/opt/bin:$PATH\n"),
            Example("FROM alpine:3.20\nARG A=0\nENV A=1 B=$A\n"),
            Example("FROM alpine:3.20\nENV B=$A A=1\n"),
            Example("FROM alpine:3.20\nENV A=1 B=$AB\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let scope = context.stages.argScope
        return context.syntax.instructions.flatMap { instruction -> [Violation] in
            guard instruction.kind == .env, case .keyValuePairs(let pairs, _) = instruction.arguments,
                  let environment = context.model.variables(before: instruction)
            else { return [] }
            var setHere: Set<String> = []
            var violations: [Violation] = []
            for pair in pairs {
                let key = InstructionText.unquoted(pair.key.text)
                for name in scope.expander.referencedNames(in: pair.value.text)
                where setHere.contains(name) && name != key && environment[name] == nil
                    && !environment.isDeclaredArgument(name) {
                    violations.append(Violation(
                        range: VariableReferenceLocator.reference(to: name, in: pair.value.range, of: context.syntax.source) ?? pair.value.range,
                        message: "`$\(name)` is still unset here: `ENV` reads the values from before it; "
                            + "set `\(name)` in an earlier `ENV`"))
                    break
                }
                setHere.insert(key)
            }
            return violations
        }
    }
}
