import DockwrightModel

/// A `# dockwright …` or `# hadolint …` ignore pragma, as the model's one pragma grammar reads it: the one
/// place the server asks how a comment reads, so it follows the engine's parser.
struct IgnorePragma {
    /// Whether it is `global ignore=`.
    let isGlobal: Bool
    /// Whether it is `# dockwright` (else `# hadolint`).
    let isDockwright: Bool

    /// The pragma a comment line holds, or nil.
    init?(comment: String) {
        guard let pragma = Pragma(comment: comment), case .ignore(_, let isGlobal) = pragma.directive else { return nil }
        self.isGlobal = isGlobal
        isDockwright = pragma.tool == .dockwright
    }
}
