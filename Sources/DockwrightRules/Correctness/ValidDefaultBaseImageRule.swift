import DockwrightCore
import DockwrightSyntax

/// Flags a FROM whose image word, with only the ARG defaults, is empty or not a valid reference.
public struct ValidDefaultBaseImageRule: Rule {
    public static let description = RuleDescription(
        code: "DW123", name: "valid-default-base-image", category: .correctness,
        summary: "Give FROM ARGs defaults that make a valid image reference", severity: .warning, fix: .none,
        rationale: """
            ## Why
            A FROM that uses ARGs should still build when no `--build-arg` is given: with \
            `ARG TAG` and `FROM busybox:${TAG}`, a plain `docker build` pulls `busybox:`, \
            which is not a valid reference, and fails with a message about the image \
            rather than the missing value. BuildKit reports this as \
            `InvalidDefaultArgInFrom`: it substitutes only the ARG defaults (an ARG without \
            a default is empty) and checks the result with Docker's reference parser.

            A literal invalid reference (`FROM REPLACE-ME`, a template placeholder left in \
            place) fails the build whatever the arguments; BuildKit reports it under this \
            check too, and so do we, with a message that names the reference's own error \
            instead of the ARG defaults. Like BuildKit, the check stops when a global ARG \
            default or a FROM word cannot be expanded at all.

            ## References
            BuildKit check `InvalidDefaultArgInFrom` (`validateBaseImagesWithDefaultArgs` in \
            `dockerfile2llb/convert.go`); hadolint has no equivalent.
            """,
        triggering: [
            Example("ARG TAG\nFROM ↓busybox:${TAG}\n"),
            Example("ARG IMAGE\nFROM ↓$IMAGE\n"),
            Example("ARG REGISTRY\nFROM ↓${REGISTRY}/library/node:20\n"),
            Example("ARG VARIANT=\nFROM ↓python:${VARIANT}\n"),
            Example("ARG NAME=MyApp\nFROM ↓${NAME}:1.0\n"),
            Example("FROM ↓REPLACE-ME\nRUN make\n"),
        ],
        nonTriggering: [
            Example("ARG TAG=3.20\nFROM alpine:${TAG}\n"),
            Example("ARG TAG\nFROM alpine:3.20${TAG}\n"),
            Example("ARG REGISTRY=docker.io\nFROM ${REGISTRY}/library/node:20\n"),
            Example("ARG IMAGE=scratch\nFROM ${IMAGE}\n"),
            Example("FROM golang:1.22 AS build\nARG STAGE=build\nFROM alpine\n"),
            Example("ARG BASE=build\nFROM golang:1.22 AS build\nFROM ${BASE}\n"),
            Example("ARG TAG\nFROM node:${TAG:-20}\n"),
        ],
        buildKitCheckName: "InvalidDefaultArgInFrom"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        // The context's scope has no `--build-arg` values: it is the defaults-only scope
        // BuildKit builds for this check.
        let scope = context.stages.argScope
        // BuildKit abandons the check when a global ARG default does not expand.
        let globalFailure = scope.expansionFailures.contains { failure in
            scope.globalDeclarations.contains { $0.token.range == failure.range }
        }
        guard !globalFailure else { return [] }
        var violations: [Violation] = []
        for stage in context.stages.stages {
            guard let token = stage.baseToken else { continue }
            let expansion = scope.expandInGlobalScope(token.text)
            // BuildKit stops at the first FROM that does not expand.
            guard let value = expansion.value else { break }
            let reference = ImageReference.parse(value)
            guard !reference.isValid else { continue }
            guard !expansion.referencedNames.isEmpty else {
                let reason = reference.error.map { " (\($0.message))" } ?? ""
                violations.append(Violation(
                    range: token.range,
                    message: "`\(value)` is not a valid image reference\(reason), so the build fails; name a real image"))
                continue
            }
            let shown = value.isEmpty ? "an empty name" : "`\(value)`"
            var message = "With the default ARG values, `\(token.text)` resolves to \(shown), which is not a valid image"
            let unset = expansion.undefinedNames
            if !unset.isEmpty {
                message += "; give `\(unset[0])` a default (`ARG \(unset[0])=<value>`)"
            } else if let error = reference.error {
                message += " (\(error.message))"
            }
            violations.append(Violation(range: token.range, message: message))
        }
        return violations
    }
}
