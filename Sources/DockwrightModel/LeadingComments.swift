import DockwrightSyntax

/// The comment lines right above an instruction (no blank line between), with the
/// pragmas among them: what hadolint and dockwright pragmas attach to, and what moves
/// with an instruction when a fix moves it.
public struct LeadingComments: Sendable {
    /// The comment lines, in order.
    public let lines: [TriviaLine]
    /// The pragmas among them, in order.
    public let pragmas: [Pragma]

    /// No comments.
    public static let none = LeadingComments(lines: [], pragmas: [])

    /// Where the block starts, or nil when there are no comments.
    public var start: Int? { lines.first?.range.start }

    /// The instruction's range extended up over its leading comments.
    public func range(extending instruction: InstructionSyntax) -> TextRange {
        TextRange(start: start ?? instruction.range.start, end: instruction.range.end)
    }

    /// The leading comments of every instruction of a file (ONBUILD triggers aside), by
    /// the instruction's start offset: one walk over the file for every rule that asks.
    static func all(in syntax: DockerfileSyntax) -> [Int: LeadingComments] {
        var result: [Int: LeadingComments] = [:]
        var lines: [TriviaLine] = []
        for item in syntax.items {
            switch item {
            case .trivia(let line) where line.kind == .comment:
                lines.append(line)
            case .instruction(let instruction):
                if !lines.isEmpty {
                    let pragmas = lines.compactMap { Pragma(comment: syntax.source.text(in: $0.range)) }
                    result[instruction.range.start] = LeadingComments(lines: lines, pragmas: pragmas)
                }
                lines = []
            default:
                lines = []
            }
        }
        return result
    }
}
