import DockwrightCore

/// Reports configuration errors while the other files go on: each broken
/// configuration file once, then each file it keeps from being checked, so a bad
/// `.dockwright.json` in one folder stops only that folder's files.
struct ConfigurationErrorReport {
    let errors: OutputStream
    private var reported: Set<ConfigurationError> = []

    init(errors: OutputStream) { self.errors = errors }

    /// Reports `error` (the first time it is seen) and that `path` is not checked.
    mutating func report(_ error: ConfigurationError, skipping path: String) {
        if reported.insert(error).inserted { errors.write("\(error)\n") }
        errors.write("\(RawPath.display(path)): not checked: its configuration \(error.path) has errors\n")
    }
}
