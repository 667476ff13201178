import DockwrightCore

/// Every rule dockwright ships, in alphabetical order of type name. A test checks
/// that this list matches the rule files on disk.
public enum BuiltinRules {
    /// The rule types.
    public static let all: [any Rule.Type] = [
        AddURLChecksumRule.self,
        AvoidLatestTagRule.self,
        DepsBeforeSourceRule.self,
        FinalStageUserRule.self,
        MergeConsecutiveRunsRule.self,
        NonRootLastUserRule.self,
        NumericUserRule.self,
        PipedDownloadExecutionRule.self,
        PreferCopyOverAddRule.self,
        PreferSmallBaseRule.self,
        SecretInArgOrEnvRule.self,
        StaticBeforeVolatileRule.self,
        TagBaseImageRule.self,
        WorldWritableModeRule.self,
    ]

    /// One instance of every rule.
    public static func instances() -> [any Rule] { all.map { $0.init() } }
}
