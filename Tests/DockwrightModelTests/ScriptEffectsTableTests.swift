@testable import DockwrightModel
import DockwrightShell
import Testing

/// The table of a file's script effects keeps one value for alike neighbouring scripts
/// (issue 13's memory budget) and answers as a plain array of them would.
@Suite struct ScriptEffectsTableTests {
    /// `apt-get update` run in the unknown folder anchored at `anchor`, reading `path` there.
    private static func update(anchoredAt anchor: Int, reading path: String = "sources") -> ScriptEffects {
        let folder = ImagePath.relative(anchor: anchor, path: "")
        return ScriptEffects(
            stateLeaks: [],
            reads: [PathEffect(reason: .argument, path: folder.appending(path), pattern: path, isResolved: true, range: 0..<4)],
            writes: [],
            programs: [ProgramCall(name: "apt-get", isResolved: true, wrappers: [], workingDirectory: folder, range: 0..<14)],
            environmentReads: [], isComplete: true)
    }

    @Test func alikeScriptsOfStagesShareOneValueReadAtTheirOwnAnchor() {
        var table = ScriptEffectsTable(scriptCount: 8)
        // One update per stage, each stage's folder anchored at its FROM (0, 100, 200, 300),
        // and an `echo` between them that is never computed.
        for (stage, anchor) in [0, 100, 200, 300].enumerated() {
            #expect(table.keep(Self.update(anchoredAt: anchor), anchoredAt: anchor, forScript: stage * 2)
                == Self.update(anchoredAt: anchor))
        }
        #expect(table.keptValueCount == 1)
        for (stage, anchor) in [0, 100, 200, 300].enumerated() {
            #expect(table[stage * 2] == Self.update(anchoredAt: anchor))
            #expect(table[stage * 2]?.programs.first?.workingDirectory == .relative(anchor: anchor, path: ""))
            #expect(table[stage * 2 + 1] == nil)
        }
    }

    @Test func scriptsThatDifferBesidesTheirAnchorKeepTheirOwnValues() {
        var table = ScriptEffectsTable(scriptCount: 3)
        _ = table.keep(Self.update(anchoredAt: 0), anchoredAt: 0, forScript: 0)
        // Another path, not just another anchor.
        _ = table.keep(Self.update(anchoredAt: 100, reading: "other"), anchoredAt: 100, forScript: 1)
        // A path anchored at a folder other than the script's own: moving the neighbour's
        // value to anchor 200 would not give it.
        _ = table.keep(Self.update(anchoredAt: 100), anchoredAt: 200, forScript: 2)
        #expect(table.keptValueCount == 3)
        #expect(table[1] == Self.update(anchoredAt: 100, reading: "other"))
        #expect(table[2] == Self.update(anchoredAt: 100))
    }

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
        #expect(table.keep(update, anchoredAt: nil, forScript: 0) == update)
        #expect(table.keep(update, anchoredAt: nil, forScript: 1) == update)
        #expect(table.keep(other, anchoredAt: nil, forScript: 2) == other)
        // Two scripts back: an update and something else in turn.
        #expect(table.keep(update, anchoredAt: nil, forScript: 3) == update)
        // Script 4 is not computed and script 3 differs: kept anew.
        #expect(table.keep(other, anchoredAt: nil, forScript: 5) == other)
        #expect(table.keptValueCount == 3)
        #expect((0..<6).map { table[$0] } == [update, update, other, update, nil, other])
        #expect(table[6] == nil)
    }

    @Test func everyDistinctValueIsKeptInOrder() {
        var table = ScriptEffectsTable(scriptCount: 1000)
        let all = (0..<1000).map { Self.effects(programs: ["p\($0)"]) }
        for (index, effects) in all.enumerated() { _ = table.keep(effects, anchoredAt: nil, forScript: index) }
        #expect(table.keptValueCount == 1000)
        #expect((0..<1000).map { table[$0] } == all)
    }
}
