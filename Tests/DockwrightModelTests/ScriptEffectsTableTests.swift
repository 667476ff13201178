@testable import DockwrightModel
import DockwrightShell
import Testing

/// The table of a file's script effects keeps one value for alike neighbouring scripts
/// (issue 13's memory budget) and answers as a plain array of them would.
@Suite struct ScriptEffectsTableTests {
    private static func effects(programs: [String]) -> ScriptEffects {
        ScriptEffects(
            stateLeaks: [], reads: [], writes: [],
            programs: programs.map {
                ProgramCall(name: $0, isResolved: true, wrappers: [], workingDirectory: .absolute("/"), range: 0..<4)
            },
            environmentReads: [], isComplete: true)
    }

    @Test func equalNeighboursShareOneValueAndOthersKeepTheirOwn() {
        let update = Self.effects(programs: ["apt-get"])
        let other = Self.effects(programs: ["curl"])
        var table = ScriptEffectsTable(scriptCount: 6)
        #expect(table[0] == nil)
        #expect(table.keep(update, forScript: 0) == update)
        #expect(table.keep(update, forScript: 1) == update)
        #expect(table.keep(other, forScript: 2) == other)
        // Two scripts back: an update and something else in turn.
        #expect(table.keep(update, forScript: 3) == update)
        // Script 4 is not computed and script 3 differs: kept anew.
        #expect(table.keep(other, forScript: 5) == other)
        #expect(table.keptValueCount == 3)
        #expect((0..<6).map { table[$0] } == [update, update, other, update, nil, other])
        #expect(table[6] == nil)
    }

    @Test func everyDistinctValueIsKeptInOrder() {
        var table = ScriptEffectsTable(scriptCount: 1000)
        let all = (0..<1000).map { Self.effects(programs: ["p\($0)"]) }
        for (index, effects) in all.enumerated() { _ = table.keep(effects, forScript: index) }
        #expect(table.keptValueCount == 1000)
        #expect((0..<1000).map { table[$0] } == all)
    }
}
