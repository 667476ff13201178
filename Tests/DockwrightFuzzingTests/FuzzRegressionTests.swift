import DockwrightFuzzing
import Foundation
import Testing

/// Replays every input in FuzzRegressions/ through the properties the fuzzer checks
/// (scripts/fuzz.sh saves each crasher there): hand-made tricky files, and every
/// input the fuzzer ever broke dockwright with.
@Suite struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzRegressions")

    static let inputs: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }()

    @Test func theFolderHoldsInputs() {
        #expect(Self.inputs.count >= 5)
    }

    @Test(arguments: inputs)
    func inputKeepsEveryProperty(_ name: String) throws {
        let bytes = Array(try Data(contentsOf: Self.folder.appendingPathComponent(name)))
        #expect(throws: Never.self) { try FuzzProperties.check(bytes) }
    }
}
