import DockwrightCore
import DockwrightSyntax
import Testing

/// A rule for tests: asks, for every COPY, that `.secret` be added to the ignore file.
private struct IgnoreSecretRule: Rule {
    static let description = RuleDescription(
        code: "DW904", name: "test-ignore-secret", category: .security, summary: "Test ignore file", severity: .info,
        fix: .always, rationale: "## Why\ntest", triggering: [], nonTriggering: [])

    init() {}

    func check(_ context: RuleContext) -> [Violation] {
        guard let listing = context.buildContext else { return [] }
        let edit = FileEdit(target: .dockerignore, original: listing.dockerignore, appendedLines: [".secret\n"])
        return context.syntax.instructions.filter { $0.kind == .copy }.map { instruction in
            Violation(range: instruction.range, fix: Fix(title: "Ignore .secret", applicability: .unsafe, edits: [], fileEdits: [edit]))
        }
    }
}

/// Fixes that change a file beside the Dockerfile: the loop hands their edits to the
/// caller once each, and leaves the Dockerfile's bytes alone.
@Suite struct FileEditTests {
    @Test func appendsToTheTextItSawAndRefusesAnyOther() {
        let edit = FileEdit(target: .dockerignore, original: "*.log", appendedLines: [".env\n", ".git\n"])
        #expect(edit.applied(to: "*.log") == "*.log\n.env\n.git\n")
        #expect(edit.applied(to: "*.log\nbuild\n") == nil)
        #expect(edit.applied(to: nil) == nil)
        let creating = FileEdit(target: .dockerignore, original: nil, appendedLines: [".env\n"])
        #expect(creating.applied(to: nil) == ".env\n")
        #expect(creating.applied(to: "") == nil)
    }

    @Test func theLoopCollectsEachFileEditOnceAndOnlyAtItsLevel() {
        let listing = BuildContextListing(files: ["app.py", ".secret"], dockerignore: nil)
        let linter = Linter(rules: [IgnoreSecretRule()], buildContext: listing)
        let source = SourceFile(path: "Dockerfile", text: "FROM alpine\nCOPY . /app\nCOPY . /srv\n")
        let unsafe = linter.fix(source, level: .unsafe)
        #expect(unsafe.output == source.bytes)
        #expect(unsafe.fileEdits.count == 1)
        #expect(unsafe.fileEdits.first?.code == "DW904")
        #expect(linter.fix(source, level: .safe).fileEdits.isEmpty)
    }
}
