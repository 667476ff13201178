import DockwrightCore
import DockwrightSyntax

/// Flags `FROM --platform=` with a constant platform.
public struct ConstantPlatformRule: Rule {
    public static let description = RuleDescription(
        code: "DL3029", name: "constant-platform", category: .bestPractice,
        summary: "Do not pin `FROM --platform` to a constant platform", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `FROM --platform=linux/amd64` builds the stage for that platform whatever \
            platform the image is built for: a multi-platform build (`--platform \
            linux/amd64,linux/arm64`) then ships amd64 binaries in its arm64 image, and on \
            an arm64 machine the stage runs under emulation. Use the predefined ARGs \
            instead: `--platform=$BUILDPLATFORM` for a stage that runs build tools \
            (cross-compiling), `$TARGETPLATFORM` (the default) for one that goes into the image.

            The value is read after substituting global ARGs, following ARG defaults \
            (`ARG P=$BUILDPLATFORM` then `--platform=$P` is fine; `ARG P=linux/amd64` is not).

            Deliberate differences from hadolint, which reports every value that is not \
            exactly `$BUILDPLATFORM` or `$TARGETPLATFORM`, following BuildKit's \
            `FromPlatformFlagConstDisallowed`:
            - a value built from the platform ARGs (`linux/${TARGETARCH}`) is not constant, \
            so it is not reported;
            - a value from an ARG without a default is given by `--build-arg` at build time, \
            so it is not reported;
            - a stage whose name contains the platform's OS or architecture \
            (`AS build-arm64`) states that it is meant for that platform, so it is not \
            reported.

            ## References
            hadolint DL3029; BuildKit check `FromPlatformFlagConstDisallowed`.
            """,
        triggering: [
            Example("FROM --platform=↓linux/amd64 golang:1.23 AS build\nFROM alpine:3.20\n"),
            Example("ARG PLATFORM=linux/arm64\nFROM --platform=↓$PLATFORM alpine:3.20\n"),
        ],
        nonTriggering: [
            Example("FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nFROM alpine:3.20\n"),
            Example("FROM --platform=${TARGETPLATFORM} alpine:3.20\n"),
            Example("FROM --platform=linux/${TARGETARCH} alpine:3.20\n"),
            Example("ARG P=$BUILDPLATFORM\nFROM --platform=$P golang:1.23\n"),
            Example("ARG PLATFORM\nFROM --platform=$PLATFORM alpine:3.20\n"),
            Example("ARG arch\nFROM --platform=linux/${arch} fedora:42\n"),
            Example("FROM --platform=linux/arm64 alpine:3.20 AS build-arm64\n"),
        ],
        buildKitCheckName: "FromPlatformFlagConstDisallowed"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let scope = context.stages.argScope
        // The defaults are gathered only for a file with a `--platform`: a table of every
        // global ARG was a fifth of the memory of a file of ARG lines (issue 13).
        var knownDefaults: [String: String]?
        return context.stages.stages.compactMap { stage -> Violation? in
            guard let platform = stage.platform, let written = platform.flag.value, let value = platform.value else {
                return nil
            }
            let defaults = knownDefaults ?? Self.globalDefaults(scope)
            knownDefaults = defaults
            var visited: Set<String> = []
            guard !dependsOnBuild(written, defaults: defaults, scope: scope, visited: &visited) else { return nil }
            let parts = value.lowercased().split(separator: "/").map(String.init)
            if let name = stage.name, parts.prefix(2).contains(where: { !$0.isEmpty && name.contains($0) }) {
                return nil
            }
            let subject = written == value ? "`--platform=\(value)`" : "`--platform=\(written)` resolves to `\(value)`, which"
            return Violation(
                range: Self.valueRange(of: platform.flag, written: written, context),
                message: "\(subject) pins the stage to one platform; use `$BUILDPLATFORM` or `$TARGETPLATFORM`")
        }
    }
}

// MARK: - Helpers

private extension ConstantPlatformRule {
    /// Whether `word` uses a platform ARG or an ARG without a default, directly or
    /// through ARG defaults: then its value depends on the build, not the Dockerfile.
    func dependsOnBuild(
        _ word: String, defaults: [String: String], scope: ArgScope, visited: inout Set<String>
    ) -> Bool {
        for name in scope.expander.referencedNames(in: word) where visited.insert(name).inserted {
            if ArgScope.platformArgumentNames.contains(name) { return true }
            if scope.buildArguments[name] != nil { continue }
            guard let value = defaults[name] else { return true }
            if dependsOnBuild(value, defaults: defaults, scope: scope, visited: &visited) { return true }
        }
        return false
    }

    /// The default of each global ARG, as its last declaration gives it.
    static func globalDefaults(_ scope: ArgScope) -> [String: String] {
        var defaults: [String: String] = [:]
        for declaration in scope.globalDeclarations {
            if let value = declaration.defaultValue { defaults[declaration.name] = value } else {
                defaults.removeValue(forKey: declaration.name)
            }
        }
        return defaults
    }

    static func valueRange(of flag: FlagSyntax, written: String, _ context: RuleContext) -> TextRange {
        guard context.syntax.source.text(in: flag.range) == flag.text else { return flag.range }
        return TextRange(start: flag.range.end - written.utf8.count, end: flag.range.end)
    }
}
