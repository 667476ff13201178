/// Settings that change what rules report, handed to every rule through
/// ``RuleContext/options``: rules never read configuration files themselves.
public struct RuleOptions: Hashable, Sendable {
    /// Registries images may come from (hadolint's `trustedRegistries`); empty turns
    /// the check off. `*.example.com` and `example*` are wildcards.
    public var trustedRegistries: [String]

    /// Creates options; the defaults change nothing.
    public init(trustedRegistries: [String] = []) {
        self.trustedRegistries = trustedRegistries
    }
}

extension Configuration {
    /// The options rules see for this configuration.
    public var ruleOptions: RuleOptions {
        RuleOptions(trustedRegistries: trustedRegistries)
    }
}
