import DockwrightCore

/// Every rule dockwright ships, in alphabetical order of type name. A test checks
/// that this list matches the rule files on disk.
public enum BuiltinRules {
    /// The rule types.
    public static let all: [any Rule.Type] = [
        AvoidLatestTagRule.self,
        ConsistentInstructionCasingRule.self,
        DepsBeforeSourceRule.self,
        DuplicateStageNameRule.self,
        FromAsCasingRule.self,
        LegacyKeyValueFormatRule.self,
        MaintainerDeprecatedRule.self,
        MergeConsecutiveRunsRule.self,
        NoEmptyContinuationRule.self,
        PreferCopyOverAddRule.self,
        PreferSmallBaseRule.self,
        RedundantTargetPlatformRule.self,
        ReservedStageNameRule.self,
        StageNameCasingRule.self,
        StaticBeforeVolatileRule.self,
        TagBaseImageRule.self,
    ]

    /// One instance of every rule.
    public static func instances() -> [any Rule] { all.map { $0.init() } }
}
