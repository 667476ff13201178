/// A finding's message whose varying parts (a package's name, a path) go into fixed
/// text, spelled out only when the finding is printed. A file with a finding on every
/// line keeps the fixed text once and, per finding, the varying parts alone, which are
/// usually short enough to live inside the finding: a string of at most 15 UTF-8 bytes
/// takes no memory of its own, where the whole message took a block of 96 or more.
public final class MessageTemplate: Hashable, Sendable {
    private let pieces: [String]
    /// Whether each gap takes its own part, in order, rather than all the same one.
    private let takesPartsInOrder: Bool

    /// A template whose varying part goes between each two of `pieces`, once per gap:
    /// `MessageTemplate("`", "` is unpinned; write `", "=<version>`")` gives
    /// "`curl` is unpinned; write `curl=<version>`" for `curl`.
    public init(_ pieces: String...) {
        self.pieces = pieces
        takesPartsInOrder = false
    }

    /// A template whose gaps each take their own part, in order:
    /// `MessageTemplate(eachGapItsOwnPart: "`", "` runs after `", "`")` gives
    /// "`apt-get` runs after `COPY . .`" for `apt-get` and `COPY . .`.
    public init(eachGapItsOwnPart pieces: String...) {
        self.pieces = pieces
        takesPartsInOrder = true
    }

    /// The parts of a template that takes parts in order, packed into the one string a
    /// finding keeps: each but the last prefixed by its UTF-8 length and a colon, so
    /// that any text, separators included, unpacks exactly.
    static func packing(_ parts: [String]) -> String {
        var packed = ""
        for part in parts.dropLast() { packed += "\(part.utf8.count):" + part }
        return packed + (parts.last ?? "")
    }

    /// The message for one finding; `part` is the part, or the packed parts of a
    /// template that takes them in order.
    public func message(with part: String) -> String {
        guard takesPartsInOrder else { return pieces.joined(separator: part) }
        var message = pieces.first ?? ""
        var rest = Substring(part)
        let lastGap = pieces.count - 2
        for (gap, piece) in pieces.dropFirst().enumerated() {
            message += gap == lastGap ? String(rest) : Self.unpackFirst(from: &rest)
            message += piece
        }
        return message
    }

    /// Removes and returns the length-prefixed part at the start of `packed`.
    private static func unpackFirst(from packed: inout Substring) -> String {
        guard let colon = packed.utf8.firstIndex(of: UInt8(ascii: ":")),
              let length = Int(Substring(packed.utf8[..<colon])) else { return "" }
        let utf8 = packed.utf8[packed.utf8.index(after: colon)...]
        let end = utf8.index(utf8.startIndex, offsetBy: length, limitedBy: utf8.endIndex) ?? utf8.endIndex
        let part = String(Substring(utf8[..<end]))
        packed = Substring(utf8[end...])
        return part
    }

    public static func == (lhs: MessageTemplate, rhs: MessageTemplate) -> Bool {
        lhs === rhs || (lhs.pieces == rhs.pieces && lhs.takesPartsInOrder == rhs.takesPartsInOrder)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pieces)
        hasher.combine(takesPartsInOrder)
    }
}
