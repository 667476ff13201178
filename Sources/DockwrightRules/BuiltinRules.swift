import DockwrightCore

/// Every rule dockwright ships, in alphabetical order of type name. A test checks
/// that this list matches the rule files on disk.
public enum BuiltinRules {
    /// The rule types.
    public static let all: [any Rule.Type] = [
        AvoidCopyingIgnoredFilesRule.self,
        AvoidLatestTagRule.self,
        DeclareArgsUsedInFromRule.self,
        DeclareVariablesBeforeUseRule.self,
        DepsBeforeSourceRule.self,
        ExposeContainerPortOnlyRule.self,
        LowercaseExposeProtocolRule.self,
        MergeConsecutiveRunsRule.self,
        PreferCopyOverAddRule.self,
        PreferSmallBaseRule.self,
        StaticBeforeVolatileRule.self,
        TagBaseImageRule.self,
        ValidDefaultBaseImageRule.self,
    ]

    /// One instance of every rule.
    public static func instances() -> [any Rule] { all.map { $0.init() } }
}
