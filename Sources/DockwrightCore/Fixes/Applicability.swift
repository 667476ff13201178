/// How safe a fix is to apply without review, ordered from least to most safe.
public enum Applicability: String, Comparable, Codable, Sendable {
    /// Shown as a suggestion only; never applied.
    case displayOnly = "display-only"
    /// Changes behaviour a person should review; applied with `--unsafe`.
    case unsafe
    /// Keeps the build's meaning; applied by `dockwright fix`.
    case safe

    private var rank: Int {
        switch self {
        case .displayOnly: return 0
        case .unsafe: return 1
        case .safe: return 2
        }
    }

    public static func < (lhs: Applicability, rhs: Applicability) -> Bool { lhs.rank < rhs.rank }
}
