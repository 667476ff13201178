import DockwrightCore

/// A `# dockwright …` or `# hadolint …` ignore pragma, as the engine reads it. The one
/// place the server asks how a comment reads, so it follows the engine's parser.
struct IgnorePragma {
    /// Whether it is `global ignore=`.
    let isGlobal: Bool
    /// Whether it is `# dockwright` (else `# hadolint`).
    let isDockwright: Bool

    /// The pragma a comment line holds, or nil.
    init?(comment: String) {
        guard let pragma = Suppressions.pragma(in: comment) else { return nil }
        isGlobal = pragma.isGlobal
        isDockwright = pragma.isDockwright
    }
}
