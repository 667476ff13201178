import DockwrightCore

/// Where the server gets the linter of each document. The command line supplies it,
/// configured exactly as `dockwright lint` configures a file (configuration discovery,
/// build context, ShellCheck), so the server holds no configuration logic of its own.
/// The server calls it only while holding its state lock, one call at a time.
package protocol DocumentLinterSource: AnyObject {
    /// The editor's overrides in force.
    var settings: ServerSettings { get }
    /// Starts over with new settings, or with the same ones after files changed on disk.
    func reset(settings: ServerSettings)
    /// The linter for a document at `path` (nil for an unsaved buffer), and a problem to
    /// tell the user about (a broken configuration file: the defaults are used instead).
    func linter(forPath path: String?) -> (linter: Linter, problem: String?)
}
