import DockwrightSyntax
import Testing

/// Small helpers shared by the parser tests.
extension DockerfileSyntax {
    /// The source text a range covers.
    func text(_ range: TextRange) -> String { source.text(in: range) }

    /// The instruction at `index`; records a test issue when it is missing.
    func instruction(_ index: Int, sourceLocation: SourceLocation = #_sourceLocation) -> InstructionSyntax? {
        let all = instructions
        guard index < all.count else {
            Issue.record("expected at least \(index + 1) instructions, found \(all.count)", sourceLocation: sourceLocation)
            return nil
        }
        return all[index]
    }

    /// Error messages, in order.
    var errorMessages: [String] { errors.map(\.message) }

    /// Error messages of one stage, in order.
    func errorMessages(_ stage: SyntaxError.Stage) -> [String] {
        errors.filter { $0.stage == stage }.map(\.message)
    }
}

/// Parses text and checks the lossless invariant on the way.
func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> DockerfileSyntax {
    let syntax = DockerfileSyntax.parse(text)
    #expect(syntax.printedBytes() == Array(text.utf8), "round trip", sourceLocation: sourceLocation)
    #expect(TreeInvariants.itemsAreContiguous(syntax), "items tile the file", sourceLocation: sourceLocation)
    return syntax
}

/// Parses raw bytes and checks the lossless invariant on the way.
func parse(bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> DockerfileSyntax {
    let syntax = DockerfileSyntax.parse(SourceFile(path: "<bytes>", bytes: bytes))
    #expect(syntax.printedBytes() == bytes, "round trip", sourceLocation: sourceLocation)
    #expect(TreeInvariants.itemsAreContiguous(syntax), "items tile the file", sourceLocation: sourceLocation)
    return syntax
}
