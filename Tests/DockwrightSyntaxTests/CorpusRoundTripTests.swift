import DockwrightSyntax
import Foundation
import Testing

/// Every real-world file in ../shared/corpus parses without a crash, and its tree
/// covers every byte exactly once and prints back byte for byte.
@Suite(.enabled(if: SharedData.exists(SharedData.corpus), "needs ../shared/corpus"))
struct CorpusRoundTripTests {
    @Test func everyCorpusFilePrintsBackByteForByte() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: SharedData.corpus.path)
            .filter { $0.hasSuffix(".Dockerfile") }.sorted()
        #expect(names.count >= 4_000)
        var mismatches: [String] = []
        for name in names {
            let bytes = SharedData.bytes(SharedData.corpus.appendingPathComponent(name))
            let syntax = DockerfileSyntax.parse(SourceFile(path: name, bytes: bytes))
            if syntax.printedBytes() != bytes || !TreeInvariants.itemsAreContiguous(syntax) {
                mismatches.append(name)
            }
        }
        #expect(mismatches.isEmpty, "round trip failed for \(mismatches.prefix(10))")
    }
}

/// Structural checks every tree must pass, whatever the input.
enum TreeInvariants {
    /// Items, and the lines of each instruction, tile the file with no gap or overlap.
    static func itemsAreContiguous(_ syntax: DockerfileSyntax) -> Bool {
        var offset = 0
        for item in syntax.items {
            guard item.range.start == offset else { return false }
            if case .instruction(let instruction) = item {
                var lineOffset = instruction.range.start
                for line in instruction.lines {
                    guard line.range.start == lineOffset else { return false }
                    lineOffset = line.range.end
                }
                guard lineOffset == instruction.range.end else { return false }
            }
            offset = item.range.end
        }
        return offset == syntax.source.bytes.count
    }
}
