import DockwrightCore

/// Every rule dockwright ships, in alphabetical order of type name. A test checks
/// that this list matches the rule files on disk.
public enum BuiltinRules {
    /// The rule types.
    public static let all: [any Rule.Type] = [
        AbsoluteWorkdirRule.self,
        AvoidCopyingIgnoredFilesRule.self,
        AvoidLatestTagRule.self,
        ConstantPlatformRule.self,
        CopyDestinationSlashRule.self,
        CopyFromKnownStageRule.self,
        CopyFromOwnStageRule.self,
        CopyRelativeDestinationRule.self,
        CopyWholeFilesystemRule.self,
        DeclareArgsUsedInFromRule.self,
        DeclareVariablesBeforeUseRule.self,
        DepsBeforeSourceRule.self,
        EnvSelfReferenceRule.self,
        ExecFormCommandRule.self,
        ExposeContainerPortOnlyRule.self,
        ExposePortRangeRule.self,
        FromFirstRule.self,
        HealthcheckPresentRule.self,
        LowercaseExposeProtocolRule.self,
        MergeConsecutiveRunsRule.self,
        NoIgnorePragmaRule.self,
        OnbuildTriggerRule.self,
        PreferCopyOverAddRule.self,
        PreferSmallBaseRule.self,
        SingleCmdRule.self,
        SingleEntrypointRule.self,
        SingleHealthcheckRule.self,
        StaticBeforeVolatileRule.self,
        TagBaseImageRule.self,
        TrustedRegistryRule.self,
        ValidDefaultBaseImageRule.self,
        ValidLabelKeyRule.self,
    ]

    /// One instance of every rule.
    public static func instances() -> [any Rule] { all.map { $0.init() } }
}
