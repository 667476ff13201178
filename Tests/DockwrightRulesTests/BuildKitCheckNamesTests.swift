import DockwrightCore
import DockwrightRules
import Testing

/// A rule's BuildKit check name is one of BuildKit's, spelled as BuildKit spells it,
/// and BuildKit checks are warnings unless the rule is a hadolint rule keeping its grade.
@Suite struct BuildKitCheckNamesTests {
    @Test func everyCheckNameIsBuildKits() {
        for rule in BuiltinRules.all {
            let description = rule.description
            guard let name = description.buildKitCheckName else { continue }
            #expect(BuildKitChecks.names.contains(name), "\(description.code): unknown BuildKit check \(name)")
            if !description.code.hasPrefix("DL") {
                #expect(description.severity == .warning, "\(description.code): BuildKit checks are warnings")
            }
        }
    }
}
