import DockwrightCore

/// Every rule dockwright ships, in alphabetical order of type name. A test checks
/// that this list matches the rule files on disk.
public enum BuiltinRules {
    /// The rule types.
    public static let all: [any Rule.Type] = [
        AddToExtractArchiveRule.self,
        AvoidLatestTagRule.self,
        AvoidSudoRule.self,
        DepsBeforeSourceRule.self,
        MergeConsecutiveRunsRule.self,
        PinGemVersionsRule.self,
        PinGoModuleVersionsRule.self,
        PinNpmVersionsRule.self,
        PinPipVersionsRule.self,
        PipNoCacheDirRule.self,
        PipefailForPipesRule.self,
        PointlessCommandRule.self,
        PreferCopyOverAddRule.self,
        PreferSmallBaseRule.self,
        ShellInsteadOfLinkingShRule.self,
        SingleDownloaderRule.self,
        StaticBeforeVolatileRule.self,
        TagBaseImageRule.self,
        UseraddNoLogInitRule.self,
        WgetProgressRule.self,
        WorkdirInsteadOfCdRule.self,
        YarnCacheCleanRule.self,
    ]

    /// One instance of every rule.
    public static func instances() -> [any Rule] { all.map { $0.init() } }
}
