import DockwrightCore
import DockwrightRules
import Foundation
import Testing

@Suite struct RuleMetadataTests {
    @Test func codesAndNamesAreUnique() {
        let codes = RuleCase.all.map(\.description.code)
        let names = RuleCase.all.map(\.description.name)
        #expect(Set(codes).count == codes.count)
        #expect(Set(names).count == names.count)
    }

    @Test(arguments: RuleCase.all)
    func metadataFollowsTheHouseRules(_ rule: RuleCase) {
        let description = rule.description
        let kebab = description.name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }
        #expect(kebab && !description.name.hasPrefix("-") && !description.name.hasSuffix("-"), "kebab-case name")
        #expect(description.code.hasPrefix("DL") || description.code.hasPrefix("DW"))
        #expect(!description.summary.contains("\n") && description.summary.count <= 80, "one line of at most 80")
        #expect(!description.summary.hasSuffix("."), "no trailing period")
        #expect(description.rationale.contains("## Why"))
        #expect(!description.triggering.isEmpty && !description.nonTriggering.isEmpty)
        if description.fixAvailability != .none {
            #expect(!description.fixes.isEmpty, "fixable rules show a fix")
            #expect(description.rationale.contains("## Fix safety"))
        }
    }

    @Test(arguments: RuleCase.all)
    func ruleFileLivesInItsCategoryFolder(_ rule: RuleCase) {
        let description = rule.description
        let expectedSuffix = "Sources/DockwrightRules/\(description.category.folderName)/\(String(describing: rule.rule)).swift"
        #expect(description.file.hasSuffix(expectedSuffix), "\(description.file) should end with \(expectedSuffix)")
    }

    @Test func registryListsEveryRuleFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/DockwrightRules")
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix("Rule.swift") { files.append(String(path.split(separator: "/").last?.dropLast(6) ?? "")) }
        }
        let registered = BuiltinRules.all.map { String(describing: $0) }
        #expect(files.sorted() == registered.sorted())
        #expect(registered == registered.sorted(), "BuiltinRules.all is alphabetical")
    }
}
