import DockwrightCore
import DockwrightRules
import DockwrightSyntax
import Testing

/// DL3026 depends on configuration, which examples cannot vary: the list comes from
/// `.dockwright.json` or `.hadolint.yaml` and reaches the rule through the linter.
@Suite struct TrustedRegistryRuleTests {
    private func findings(_ text: String, trusted: [String]) -> [String] {
        let linter = Linter(rules: [TrustedRegistryRule()], options: RuleOptions(trustedRegistries: trusted))
        return linter.lint(SourceFile(path: "Dockerfile", text: text)).diagnostics.map { diagnostic in
            String(decoding: Array(text.utf8)[diagnostic.range.start..<diagnostic.range.end], as: UTF8.self)
        }
    }

    @Test func nothingIsReportedWithoutAList() {
        #expect(findings("FROM quay.io/a/b:1\n", trusted: []).isEmpty)
    }

    @Test func wildcardsAndDockerHubNames() {
        let text = "FROM alpine:3.20\nFROM gcr.io/a/b:1\nFROM eu.gcr.io/a/b:1\nFROM registry.acme.dev/x:1\n"
        #expect(findings(text, trusted: ["hub.docker.com", "*.gcr.io", "registry.acme*"]) == ["gcr.io/a/b:1"])
        #expect(findings(text, trusted: ["*"]).isEmpty)
        #expect(findings(text, trusted: ["gcr.io"]) == ["alpine:3.20", "eu.gcr.io/a/b:1", "registry.acme.dev/x:1"])
    }

    @Test func imagesReadByCopyAndMountsAreChecked() {
        let text = "FROM alpine:3.20\nCOPY --from=quay.io/t:1 /a /a\nRUN --mount=from=ghcr.io/u:1,target=/u true\n"
        #expect(findings(text, trusted: ["docker.io"]) == ["quay.io/t:1", "ghcr.io/u:1"])
    }

    @Test func configurationFilesGiveTheList() throws {
        let yamlList = try Configuration.fromHadolintYAML(Array("trustedRegistries:\n  - a.io\n  - b.io\n".utf8), path: "y")
        #expect(yamlList.ruleOptions.trustedRegistries == ["a.io", "b.io"])
        let yamlString = try Configuration.fromHadolintYAML(Array("trustedRegistries: a.io\n".utf8), path: "y")
        #expect(yamlString.ruleOptions.trustedRegistries == ["a.io"])
        let json = try Configuration.fromJSON(Array("{\"trusted-registries\": \"a.io\", // one\n}".utf8), path: "j")
        #expect(json.ruleOptions.trustedRegistries == ["a.io"])
        let jsonList = try Configuration.fromJSON(Array("{\"trusted-registries\": [\"a.io\", \"*.b.io\"]}".utf8), path: "j")
        #expect(jsonList.ruleOptions.trustedRegistries == ["a.io", "*.b.io"])
    }
}
