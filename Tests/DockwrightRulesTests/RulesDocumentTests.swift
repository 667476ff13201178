import DockwrightOutput
import DockwrightRules
import Foundation
import Testing

/// Rules.md is generated from the rule descriptions; this keeps the committed copy current.
@Suite struct RulesDocumentTests {
    @Test func rulesDocumentIsUpToDate() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Rules.md")
        let generated = RulesMarkdown.render(BuiltinRules.all)
        if ProcessInfo.processInfo.environment["DOCKWRIGHT_UPDATE_GOLDENS"] == "1" {
            try generated.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == generated, "Rules.md is stale: run `swift run dockwright rules --markdown > Rules.md`")
    }

    @Test func everyRuleHasASectionAndATableRow() {
        let document = RulesMarkdown.render(BuiltinRules.all)
        for rule in BuiltinRules.all {
            let description = rule.description
            #expect(document.contains("## \(description.code) \(description.name)"))
            #expect(document.contains("| [\(description.code)]"))
        }
    }
}
