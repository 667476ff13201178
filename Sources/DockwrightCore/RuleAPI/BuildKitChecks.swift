/// BuildKit's build checks (`docker build --check`): the one list of their names.
///
/// A rule that implements one names it in `RuleDescription.buildKitCheckName`; the
/// names are accepted as selectors even while no rule implements them, so
/// configurations written for BuildKit keep working.
public enum BuildKitChecks {
    /// Every check name, as BuildKit spells it (linter/ruleset.go).
    public static let names: Set<String> = [
        "StageNameCasing", "FromAsCasing", "NoEmptyContinuation", "ConsistentInstructionCasing", "DuplicateStageName",
        "ReservedStageName", "JSONArgsRecommended", "MaintainerDeprecated", "UndefinedArgInFrom", "WorkdirRelativePath",
        "UndefinedVar", "MultipleInstructionsDisallowed", "LegacyKeyValueFormat", "InvalidBaseImagePlatform",
        "RedundantTargetPlatform", "SecretsUsedInArgOrEnv", "InvalidDefaultArgInFrom", "FromPlatformFlagConstDisallowed",
        "CopyIgnoredFile", "InvalidDefinitionDescription", "ExposeProtoCasing", "ExposeInvalidFormat",
    ]

    /// The checks BuildKit marks experimental: off unless `# check=experimental=…`
    /// names them, and never affected by `skip=` (linter.go `Run`).
    public static let experimentalNames: Set<String> = ["InvalidDefinitionDescription"]
}
