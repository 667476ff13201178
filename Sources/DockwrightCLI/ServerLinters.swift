import DockwrightCore
import DockwrightRules
import DockwrightServer

/// The language server's linter for each document, configured as `dockwright lint`
/// configures that file: the nearest `.dockwright.json` or `.hadolint.yaml` (or the
/// editor's `config`), the build context next to it, ShellCheck when asked, with the
/// editor's overrides on top as command-line flags are. Caches are dropped when a
/// watched file changes.
package final class ServerLinters: DocumentLinterSource {
    /// The editor's overrides in force.
    package private(set) var settings: ServerSettings
    private var loader: ConfigurationLoader?
    private var loaderProblem: String?
    private var lister = BuildContextLister()
    private var shellCheck: ShellCheckSetting
    private var linters: [String: Linter] = [:]

    /// Creates the linters for `settings`, with empty caches.
    package init(settings: ServerSettings = ServerSettings()) {
        self.settings = settings
        (loader, loaderProblem) = Self.loader(for: settings)
        shellCheck = ShellCheckSetting(isRequested: settings.shellcheck == true)
    }

    /// Starts over with new settings, or with the same ones after files changed on disk.
    package func reset(settings: ServerSettings) {
        self.settings = settings
        (loader, loaderProblem) = Self.loader(for: settings)
        lister = BuildContextLister()
        shellCheck = ShellCheckSetting(isRequested: settings.shellcheck == true)
        linters = [:]
    }

    /// The linter for a document at `path` (nil for an unsaved buffer), and a problem to
    /// tell the user about (a broken configuration file: the defaults are used instead).
    package func linter(forPath path: String?) -> (linter: Linter, problem: String?) {
        var problem = loaderProblem
        var configuration = Configuration()
        if let path {
            do {
                configuration = try loader?.configuration(for: path) ?? Configuration()
            } catch {
                problem = "\(error); using the default settings"
            }
        }
        if let shellcheck = settings.shellcheck { configuration.shellcheck = shellcheck }
        let contextFolder = path.flatMap { BuildContextLister.contextFolder(for: $0, explicit: nil) }
        let ownIgnore = path.flatMap { BuildContextLister.dockerfileIgnorePath(for: $0) }
        let key = "\(configuration.path ?? "")\u{0}\(contextFolder ?? "")\u{0}\(ownIgnore ?? "")"
        if let linter = linters[key] { return (linter, problem) }
        var selection = RuleSelection()
        selection.selected = RuleSelection.entries(settings.select)
        selection.ignored = RuleSelection.entries(settings.ignore)
        selection.severityOverrides = settings.severity
        let merged = selection.merged(over: configuration)
        let all = BuiltinRules.all
        var linter = Linter(
            rules: merged.rules(from: all), severityOverrides: merged.overrides(from: all),
            buildContext: path.flatMap { path in contextFolder.flatMap { lister.listing(of: $0, dockerfile: path) } },
            options: configuration.ruleOptions)
        // The same pragma switch as `lint` and `fix` (hadolint's `disable-ignore-pragma`).
        linter.honorsPragmas = !configuration.disablesIgnorePragmas
        let warnings = BufferedOutput()
        linter.externalCheckers = shellCheck.checkers(for: configuration, selection: merged, errors: warnings)
        if !warnings.text.isEmpty { problem = warnings.text.trimmingSpaces() }
        linters[key] = linter
        return (linter, problem)
    }

    private static func loader(for settings: ServerSettings) -> (ConfigurationLoader?, String?) {
        do {
            return (try ConfigurationLoader(explicitPath: settings.configurationPath, isIsolated: settings.isIsolated), nil)
        } catch {
            // The editor named a file that cannot be used: discovery still works.
            return (try? ConfigurationLoader(explicitPath: nil, isIsolated: settings.isIsolated),
                    "\(error); using discovered configuration files")
        }
    }
}
