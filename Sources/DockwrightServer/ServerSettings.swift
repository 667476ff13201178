import DockwrightCore

/// What an editor may override over the configuration files, from
/// `initializationOptions` and the `dockwright` section of `workspace/configuration`.
/// Keys are the configuration file's kebab-case ones; camelCase spellings are accepted
/// too, as editors' settings UIs write them.
package struct ServerSettings: Hashable, Sendable {
    /// Rules to run, as `--select` (replaces the file's `select`).
    package var select: [String] = []
    /// Rules to skip, as `--ignore` (adds to the file's).
    package var ignore: [String] = []
    /// Severity re-grades by selector, as `--error`/`--warning`/….
    package var severity: [String: Severity] = [:]
    /// Whether unsafe fixes are offered as quick fixes and `source.fixAll.dockwright.unsafe`.
    package var showsUnsafeFixes = true
    /// ShellCheck on or off; nil follows the configuration file.
    package var shellcheck: Bool?
    /// A configuration file to use instead of discovery (`--config`).
    package var configurationPath: String?
    /// Whether configuration files are ignored (`--isolated`).
    package var isIsolated = false

    /// Creates the default settings.
    package init() {}

    /// These settings with the keys present in `json` replaced; problems name the key.
    package func updated(with json: JSONValue?) -> (settings: ServerSettings, problems: [String]) {
        var result = self
        var problems: [String] = []
        guard let members = json?.objectValue else {
            if let json, !json.isNull { problems.append("dockwright settings must be an object") }
            return (result, problems)
        }
        func value(_ names: String...) -> (String, JSONValue)? {
            for name in names { if let found = members[name], !found.isNull { return (name, found) } }
            return nil
        }
        func strings(_ name: String, _ json: JSONValue) -> [String]? {
            if let text = json.stringValue { return text.split(separator: ",").map { String($0).trimmingSpaces() } }
            guard let elements = json.arrayValue, elements.allSatisfy({ $0.stringValue != nil }) else {
                problems.append("'\(name)' must be a list of rule codes, names or categories")
                return nil
            }
            return elements.compactMap(\.stringValue)
        }
        if let (name, json) = value("select"), let list = strings(name, json) { result.select = list }
        if let (name, json) = value("ignore"), let list = strings(name, json) { result.ignore = list }
        if let (name, json) = value("severity") {
            if let entries = json.objectValue {
                var severities: [String: Severity] = [:]
                for (selector, level) in entries {
                    if let text = level.stringValue, let severity = Severity(rawValue: text.lowercased()) {
                        severities[selector] = severity
                    } else {
                        problems.append("severity of '\(selector)' must be error, warning, info or style")
                    }
                }
                result.severity = severities
            } else {
                problems.append("'\(name)' must map rules to error, warning, info or style")
            }
        }
        if let (name, json) = value("unsafe-fixes", "unsafeFixes") {
            if let flag = json.boolValue { result.showsUnsafeFixes = flag } else { problems.append("'\(name)' must be true or false") }
        }
        if let (name, json) = value("shellcheck", "shellCheck") {
            if let flag = json.boolValue { result.shellcheck = flag } else { problems.append("'\(name)' must be true or false") }
        }
        if let (name, json) = value("config", "configuration") {
            if let path = json.stringValue { result.configurationPath = path.isEmpty ? nil : path } else {
                problems.append("'\(name)' must be the path of a configuration file")
            }
        }
        if let (name, json) = value("isolated") {
            if let flag = json.boolValue { result.isIsolated = flag } else { problems.append("'\(name)' must be true or false") }
        }
        return (result, problems)
    }
}
