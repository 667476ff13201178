/// How serious a finding is, ordered from least to most serious.
public enum Severity: String, CaseIterable, Comparable, Codable, Sendable {
    case style, info, warning, error

    private var rank: Int {
        switch self {
        case .style: return 0
        case .info: return 1
        case .warning: return 2
        case .error: return 3
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
