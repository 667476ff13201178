import DockwrightCore
import Testing

@testable import DockwrightRules

/// The helpers behind the BuildKit checks that examples cannot pin down: the edit
/// distance and suggestions of `util/suggest`, and `.dockerignore` pattern matching.
@Suite struct BuildKitCheckSupportTests {
    @Test(arguments: [
        ("", "", 0), ("", "abc", 3), ("abc", "", 3), ("PATH", "PATH", 0), ("PAHT", "PATH", 2),
        ("kitten", "sitting", 3), ("VERSON", "VERSION", 1), ("flaw", "lawn", 2), ("ä", "a", 1),
        ("TARGETARCH", "TARGETOS", 4),
    ])
    func editDistance(_ a: String, _ b: String, _ distance: Int) {
        #expect(BuildKitSuggestion.editDistance(a, b) == distance)
        #expect(BuildKitSuggestion.editDistance(b, a) == distance)
    }

    @Test func suggestionsAreWithinTwoEditsAndStable() {
        #expect(BuildKitSuggestion.closest(to: "VERSON", among: ["VERSION", "PATH"]) == "VERSION")
        #expect(BuildKitSuggestion.closest(to: "PAHT", among: ["PATH", "HOME"]) == "PATH")
        #expect(BuildKitSuggestion.closest(to: "NODE_ENV", among: ["PATH"]) == nil)
        // Three edits is too far.
        #expect(BuildKitSuggestion.closest(to: "abc", among: ["xyz"]) == nil)
        // The closest wins, then alphabetical order among equals.
        #expect(BuildKitSuggestion.closest(to: "ab", among: ["abcd", "abc", "ax"]) == "abc")
        // An exact match means the name was not misspelled.
        #expect(BuildKitSuggestion.closest(to: "ab", among: ["ab", "abc"]) == nil)
        // Case matters, as on Linux.
        #expect(BuildKitSuggestion.closest(to: "path", among: ["PATH"]) == nil)
    }

    @Test(arguments: [
        // (patterns, path, excluded)
        ("secrets.env", "secrets.env", true),
        ("secrets.env", "config/secrets.env", false),
        ("node_modules", "node_modules/a/b.js", true),
        ("/build/", "build/app.tar.gz", true),
        ("./build", "build", true),
        ("*.md", "README.md", true),
        ("*.md", "docs/README.md", false),
        ("**/*.md", "docs/api/README.md", true),
        ("**/*.md", "README.md", true),
        ("docs/**/*.md", "docs/a/b/c.md", true),
        ("docs/**/*.md", "docs/c.md", true),
        ("**/node_modules", "web/node_modules/x", true),
        ("**", "anything/at/all", true),
        ("dist/**", "dist/x/y", true),
        ("dist/**", "distx", false),
        ("te?t", "test", true),
        ("te?t", "te/t", false),
        ("[a-c]at", "bat", true),
        ("[^a-c]at", "bat", false),
        ("[^a-c]at", "rat", true),
        ("\\*.txt", "*.txt", true),
        ("\\*.txt", "a.txt", false),
        ("*\n!src", "src/main.go", false),
        ("*\n!src", "docs", true),
        ("*.md\n!README.md", "README.md", false),
        ("*.md\n!README.md\nREADME.md", "README.md", true),
        ("# comment\n\n  logs  \n", "logs/today.log", true),
        ("#logs", "#logs", false),
        ("a/../b", "b", true),
        ("[abc", "a", false),
        ("!", "x", false),
        ("**foo", "barfoo", true),
    ])
    func dockerignore(_ patterns: String, _ path: String, _ excluded: Bool) {
        #expect(DockerignoreMatcher(patterns).excludes(path) == excluded)
    }

    @Test func cleaningMatchesGo() {
        #expect(DockerignoreMatcher.cleaned("./a//b/") == "a/b")
        #expect(DockerignoreMatcher.cleaned("/a/../../b") == "/b")
        #expect(DockerignoreMatcher.cleaned("a/..") == ".")
        #expect(DockerignoreMatcher.cleaned("../a") == "../a")
        #expect(DockerignoreMatcher.cleaned("") == ".")
    }
}
