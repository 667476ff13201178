/// What a rule is about; rule files live in the folder of their category.
public enum RuleCategory: String, CaseIterable, Codable, Sendable {
    case correctness, reproducibility, performance, size, security, bestPractice, style

    /// The name of the folder that holds the category's rules.
    public var folderName: String {
        switch self {
        case .correctness: return "Correctness"
        case .reproducibility: return "Reproducibility"
        case .performance: return "Performance"
        case .size: return "Size"
        case .security: return "Security"
        case .bestPractice: return "BestPractice"
        case .style: return "Style"
        }
    }

    /// The category as shown to people.
    public var title: String {
        switch self {
        case .bestPractice: return "best practice"
        default: return rawValue
        }
    }
}
