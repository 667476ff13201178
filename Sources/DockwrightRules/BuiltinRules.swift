import DockwrightCore

/// Every rule dockwright ships, in alphabetical order of type name. A test checks
/// that this list matches the rule files on disk.
public enum BuiltinRules {
    /// The rule types.
    public static let all: [any Rule.Type] = [
        ApkAddNoCacheRule.self,
        ApkAddPinVersionsRule.self,
        AptGetInstallYesRule.self,
        AptGetInsteadOfAptRule.self,
        AptGetNoInstallRecommendsRule.self,
        AptGetPinVersionsRule.self,
        AptListsCleanupRule.self,
        AvoidLatestTagRule.self,
        DepsBeforeSourceRule.self,
        DnfCleanAllRule.self,
        DnfInstallYesRule.self,
        DnfPinVersionsRule.self,
        MergeConsecutiveRunsRule.self,
        PreferCopyOverAddRule.self,
        PreferSmallBaseRule.self,
        StaticBeforeVolatileRule.self,
        TagBaseImageRule.self,
        YumCleanAllRule.self,
        YumInstallYesRule.self,
        YumPinVersionsRule.self,
        ZypperCleanRule.self,
        ZypperNoDistUpgradeRule.self,
        ZypperNonInteractiveRule.self,
        ZypperPinVersionsRule.self,
    ]

    /// One instance of every rule.
    public static func instances() -> [any Rule] { all.map { $0.init() } }
}
