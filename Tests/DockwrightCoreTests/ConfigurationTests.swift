import DockwrightCore
import Testing

@Suite struct ConfigurationTests {
    private func json(_ text: String) throws -> Configuration {
        try Configuration.fromJSON(Array(text.utf8), path: ".dockwright.json")
    }

    private func yaml(_ text: String) throws -> Configuration {
        try Configuration.fromHadolintYAML(Array(text.utf8), path: ".hadolint.yaml")
    }

    @Test func json5WithCommentsAndTrailingCommas() throws {
        let configuration = try json("""
            {
              // Rules we do not want.
              "ignore": ["DL3006", "avoid-latest-tag",],
              select: ["DL", "DW"],
              "severity": {"DL3020": "warning"},
              "fail-level": "warning",
              "exclude": ["vendor/*"],
            }
            """)
        #expect(configuration.ignore == ["DL3006", "avoid-latest-tag"])
        #expect(configuration.select == ["DL", "DW"])
        #expect(configuration.severity == ["DL3020": .warning])
        #expect(configuration.failLevel == .warning)
        #expect(configuration.exclude == ["vendor/*"])
    }

    @Test func versionPinningSwitchTurnsTheWholeFamilyOff() throws {
        #expect(try json("{}").versionPinning)
        #expect(try json("{}").switchedOffCodes.isEmpty)
        let off = try json("{\"version-pinning\": false}")
        #expect(!off.versionPinning)
        #expect(off.switchedOffCodes == Configuration.versionPinningCodes)
        #expect(Set(Configuration.versionPinningCodes) == [
            "DL3008", "DL3013", "DL3016", "DL3018", "DL3028", "DL3033", "DL3037", "DL3041", "DL3062",
        ])
        #expect(try json("{\"version-pinning\": true}").switchedOffCodes.isEmpty)
        #expect(throws: ConfigurationError.self) { try json("{\"version-pinning\": \"no\"}") }
    }

    @Test func unknownKeysAndBadValuesNameTheKeyAndLine() {
        #expect(throws: ConfigurationError(path: ".dockwright.json", line: 3,
                                           message: "unknown key 'ignroe'; known keys: disable-ignore-pragma, exclude, fail-level, ignore, select, severity, shellcheck, trusted-registries, version-pinning")) {
            try json("{\n  \"select\": [],\n  \"ignroe\": [\"DL3006\"]\n}")
        }
        #expect(throws: ConfigurationError.self) { try json("{\"severity\": {\"DL3020\": \"loud\"}}") }
        #expect(throws: ConfigurationError.self) { try json("{\"ignore\": \"DL3006\"}") }
        #expect(throws: ConfigurationError.self) { try json("{\"fail-level\": \"sometimes\"}") }
        #expect(throws: ConfigurationError.self) { try json("{ not json") }
    }

    @Test func hadolintYAMLKeysCarryOver() throws {
        let configuration = try yaml("""
            # hadolint settings
            ignored:
              - DL3008
              - DL3059
            override:
              error:
                - DL3020
              info: [DL3006, "DL3007"]
            failure-threshold: warning
            trustedRegistries:
              - docker.io
            strict-labels: false
            """)
        #expect(configuration.ignore == ["DL3008", "DL3059"])
        #expect(configuration.severity == ["DL3020": .error, "DL3006": .info, "DL3007": .info])
        #expect(configuration.failLevel == .warning)
        #expect(configuration.trustedRegistries == ["docker.io"])
        #expect(try yaml("no-fail: true").failLevelIsNone)
    }

    @Test func yamlItDoesNotUnderstandIsAnErrorWithItsLine() {
        #expect(throws: ConfigurationError(path: ".hadolint.yaml", line: 2, message: "unknown key 'ignore'")) {
            try yaml("ignored: []\nignore:\n  - DL3008\n")
        }
        #expect(throws: ConfigurationError(path: ".hadolint.yaml", line: 2, message: "override level must be error, warning, info or style, not 'fatal'")) {
            try yaml("override:\n  fatal:\n    - DL3008\n").ignore
        }
        #expect(throws: ConfigurationError.self) { try yaml("ignored: [DL3008\n") }
        #expect(throws: ConfigurationError.self) { try yaml("ignored: &anchor x\n") }
    }
}
