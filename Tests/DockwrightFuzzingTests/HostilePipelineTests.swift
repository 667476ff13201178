import DockwrightFuzzing
import Testing

/// The hostile inputs of issue 6 through the whole pipeline the fuzzer checks:
/// print, lint with every rule, safe and unsafe fix, re-parse, fix again. Sizes
/// are modest for a debug build; scripts/bench-scale.sh runs the full ones.
@Suite struct HostilePipelineTests {
    private static let nested = String(repeating: "${a:-", count: 10_000) + "x" + String(repeating: "}", count: 10_000)

    static let inputs: [(name: String, bytes: [UInt8])] = [
        ("invalid UTF-8 and NUL", Array("FROM a\nADD ".utf8) + [0xFF, 0x00, 0xC3] + Array(" /b\nRUN echo ".utf8) + [0xFE, 0x0A]),
        ("byte-order mark", [0xEF, 0xBB, 0xBF] + Array("FROM alpine\nADD a /b\nRUN a\nRUN b\n".utf8)),
        ("lone CR line ends", Array("FROM alpine\rADD a /b\rRUN a\rRUN b\r".utf8)),
        ("one megabyte line", Array(("FROM a\nRUN echo " + String(repeating: "x", count: 1 << 20) + "\nADD a /b\n").utf8)),
        ("1,000 stages", Array((0..<1_000).map { "FROM alpine AS s\($0)\nADD a /b\nRUN echo \($0)\nRUN true\n" }.joined().utf8)),
        ("10,000 nested expansions",
         Array("ARG a\nFROM \(nested)\nENV B=\(nested)\nWORKDIR \(nested)\nRUN echo \(nested)\nCOPY \(nested) /b\n".utf8)),
        ("unterminated heredoc", Array("FROM a\nRUN apt-get update\nRUN <<EOF\napt-get install -y curl\n".utf8)),
        ("unterminated JSON array", Array("FROM a\nCMD [\"a\", \"b\"\nRUN a\nRUN b\n".utf8)),
    ]

    @Test(arguments: inputs.map(\.name))
    func keepsEveryProperty(_ name: String) throws {
        let bytes = try #require(Self.inputs.first { $0.name == name }?.bytes)
        #expect(throws: Never.self) { try FuzzProperties.check(bytes) }
    }
}
