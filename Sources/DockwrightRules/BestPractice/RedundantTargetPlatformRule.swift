import DockwrightCore
import DockwrightSyntax

/// Flags `FROM --platform=$TARGETPLATFORM`, which only restates the default.
public struct RedundantTargetPlatformRule: Rule {
    public static let description = RuleDescription(
        code: "DL3065", name: "redundant-target-platform", category: .bestPractice,
        summary: "`FROM --platform=$TARGETPLATFORM` is redundant; it is the default", severity: .warning,
        fix: .sometimes,
        rationale: """
            ## Why
            A stage is built for the target platform unless `--platform` says otherwise, so \
            `--platform=$TARGETPLATFORM` changes nothing and hides the stages whose platform \
            really differs (`--platform=$BUILDPLATFORM` for cross-compiling).

            Like BuildKit, the flag is reported when its value expands to the target platform \
            using `TARGETPLATFORM` and no other variable, so `"$TARGETPLATFORM"` and \
            `${TARGETPLATFORM:-linux/amd64}` are reported too; hadolint only matches the exact \
            spellings `$TARGETPLATFORM` and `${TARGETPLATFORM}`.

            ## Fix safety
            The fix deletes the flag and the blanks after it, which builds the same stage for \
            the same platform. When a global `ARG TARGETPLATFORM=…` gives the variable a \
            default, the flag is reported without a fix.

            ## References
            hadolint DL3065; BuildKit check `RedundantTargetPlatform`.
            """,
        triggering: [
            Example("FROM ↓--platform=$TARGETPLATFORM alpine:3.20\n"),
            Example("FROM ↓--platform=${TARGETPLATFORM} golang:1.22 AS build\n"),
            Example("FROM ↓--platform=\"$TARGETPLATFORM\" alpine:3.20\n"),
            Example("FROM ↓--platform=${TARGETPLATFORM:-linux/amd64} alpine:3.20\n"),
        ],
        nonTriggering: [
            Example("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nFROM alpine:3.20\n"),
            Example("FROM --platform=linux/amd64 alpine:3.20\n"),
            Example("ARG ARCH=amd64\nFROM --platform=linux/${ARCH} alpine:3.20\n"),
            Example("ARG VARIANT\nFROM --platform=$TARGETPLATFORM$VARIANT alpine:3.20\n"),
        ],
        fixes: [
            FixExample("FROM --platform=$TARGETPLATFORM alpine:3.20\n", "FROM alpine:3.20\n", .safe),
            FixExample(
                "FROM  --platform=${TARGETPLATFORM}  \\\n  # base\n  golang:1.22 AS build\n",
                "FROM  \\\n  # base\n  golang:1.22 AS build\n", .safe),
        ],
        buildKitCheckName: "RedundantTargetPlatform"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let scope = context.stages.argScope
        let hasDefault = scope.globalDeclarations.contains { $0.name == "TARGETPLATFORM" && $0.defaultValue != nil }
        return context.stages.stages.compactMap { stage in
            guard let flag = stage.platform?.flag, let written = flag.value else { return nil }
            // Mirrors BuildKit's reportRedundantTargetPlatform: TARGETPLATFORM is the only variable
            // looked up, none is undefined, and the result is the target platform.
            let expansion = scope.expandInGlobalScope(written)
            guard Set(expansion.referencedNames) == ["TARGETPLATFORM"], expansion.undefinedNames.isEmpty,
                  let value = expansion.value, value == scope.globalEnvironment["TARGETPLATFORM"] else { return nil }
            return Violation(
                range: flag.range, message: "`\(flag.text)` is the default; remove it",
                fix: hasDefault ? nil : removal(of: flag, context))
        }
    }
}

// MARK: - Fix

private extension RedundantTargetPlatformRule {
    func removal(of flag: FlagSyntax, _ context: RuleContext) -> Fix {
        let bytes = context.bytes
        var end = flag.range.end
        while end < bytes.count && (bytes[end] == 0x20 || bytes[end] == 0x09) { end += 1 }
        return Fix(
            title: "Remove `\(flag.text)`", applicability: .safe,
            edits: [Edit.delete(TextRange(start: flag.range.start, end: end))])
    }
}
