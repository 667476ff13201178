import DockwrightCore

/// Every rule dockwright ships, in alphabetical order of type name. A test checks
/// that this list matches the rule files on disk.
public enum BuiltinRules {
    /// The rule types.
    public static let all: [any Rule.Type] = [
        AbsoluteWorkdirRule.self,
        AvoidCopyingIgnoredFilesRule.self,
        AvoidLatestTagRule.self,
        ConsistentInstructionCasingRule.self,
        ConstantPlatformRule.self,
        CopyDestinationSlashRule.self,
        CopyFromKnownStageRule.self,
        CopyFromOwnStageRule.self,
        CopyRelativeDestinationRule.self,
        CopyWholeFilesystemRule.self,
        DeclareArgsUsedInFromRule.self,
        DeclareVariablesBeforeUseRule.self,
        DepsBeforeSourceRule.self,
        DuplicateStageNameRule.self,
        EnvSelfReferenceRule.self,
        ExecFormCommandRule.self,
        ExposeContainerPortOnlyRule.self,
        ExposePortRangeRule.self,
        FromAsCasingRule.self,
        FromFirstRule.self,
        HealthcheckPresentRule.self,
        LegacyKeyValueFormatRule.self,
        LowercaseExposeProtocolRule.self,
        MaintainerDeprecatedRule.self,
        MergeConsecutiveRunsRule.self,
        NoEmptyContinuationRule.self,
        NoIgnorePragmaRule.self,
        OnbuildTriggerRule.self,
        PreferCopyOverAddRule.self,
        PreferSmallBaseRule.self,
        RedundantTargetPlatformRule.self,
        ReservedStageNameRule.self,
        SingleCmdRule.self,
        SingleEntrypointRule.self,
        SingleHealthcheckRule.self,
        StageNameCasingRule.self,
        StaticBeforeVolatileRule.self,
        TagBaseImageRule.self,
        TrustedRegistryRule.self,
        ValidDefaultBaseImageRule.self,
        ValidLabelKeyRule.self,
    ]

    /// One instance of every rule.
    public static func instances() -> [any Rule] { all.map { $0.init() } }
}
