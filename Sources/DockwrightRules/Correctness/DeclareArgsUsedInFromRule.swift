import DockwrightCore
import DockwrightSyntax

/// Flags a FROM that uses a variable no ARG before the first FROM declares.
public struct DeclareArgsUsedInFromRule: Rule {
    public static let description = RuleDescription(
        code: "DW122", name: "declare-args-used-in-from", category: .correctness,
        summary: "Declare the ARGs a FROM uses before the first FROM", severity: .warning, fix: .none,
        rationale: """
            ## Why
            A FROM line sees only the ARGs declared before the first FROM (the global \
            scope) and the platform ARGs BuildKit predefines (`BUILDPLATFORM`, \
            `TARGETPLATFORM`, `TARGETOS`, `TARGETARCH`, …). Any other variable is empty \
            there: an ARG declared inside an earlier stage does not reach the next FROM, \
            and `--build-arg` cannot set a name no ARG declares. `FROM node:${NODE_VERSON}` \
            with a typo pulls `node:`, which fails, or worse, `${BASE:-alpine}` silently \
            always uses its default. BuildKit reports this as `UndefinedArgInFrom`, with a \
            suggestion when a declared name is within two edits.

            The image word and the `--platform` value are both checked. A global ARG \
            without a value counts as declared (it is set by `--build-arg`).

            ## References
            BuildKit check `UndefinedArgInFrom` (`reportUnusedFromArgs` in \
            `dockerfile2llb/convert.go`; suggestions from `util/suggest`); hadolint has no \
            equivalent.
            """,
        triggering: [
            Example("ARG VERSION=3.20\nFROM alpine:↓${VERSON}\n"),
            Example("FROM ↓$BASE_IMAGE\n"),
            Example("FROM alpine AS build\nARG TAG=1.22\nFROM golang:↓$TAG\n"),
            Example("FROM --platform=↓$BUILDPLATFROM golang:1.22 AS build\n"),
            Example("FROM ↓${IMAGE:-alpine}\n"),
            Example("ARG REGISTRY=docker.io\nFROM $REGISTRY/↓${NAMESPACE}/app:↓${TAG}\n"),
        ],
        nonTriggering: [
            Example("ARG VERSION=3.20\nFROM alpine:${VERSION}\n"),
            Example("ARG BASE\nFROM ${BASE}\n"),
            Example("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nFROM --platform=${TARGETPLATFORM} alpine\n"),
            Example("FROM golang:1.22-${TARGETOS}\n"),
            Example("ARG TAG=1.22\nFROM golang:$TAG AS build\nFROM build\n"),
            Example("FROM alpine\nONBUILD RUN echo $VERSION\n"),
        ],
        buildKitCheckName: "UndefinedArgInFrom"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let scope = context.stages.argScope
        // BuildKit's `unusedFromArgsCheckKeys`: the global ARGs, with or without a value,
        // and every name of the global environment (which holds the predefined ARGs).
        let declared = scope.globalArgumentNames.union(scope.globalEnvironment.keys)
        var violations: [Violation] = []
        for stage in context.stages.stages {
            var words: [(text: String, range: TextRange)] = []
            if let token = stage.baseToken { words.append((token.text, token.range)) }
            if let flag = stage.platform?.flag, let value = flag.value { words.append((value, flag.range)) }
            for word in words {
                for name in scope.expandInGlobalScope(word.text).undefinedNames where !declared.contains(name) {
                    let range = VariableReferenceLocator.reference(to: name, in: word.range, of: context.syntax.source)
                        ?? word.range
                    var message = "FROM argument `\(name)` is not declared"
                    if let suggestion = BuildKitSuggestion.closest(to: name, among: declared) {
                        message += " (did you mean `\(suggestion)`?)"
                    } else {
                        message += "; declare it with `ARG \(name)` before the first FROM"
                    }
                    violations.append(Violation(range: range, message: message))
                }
            }
        }
        return violations
    }
}
