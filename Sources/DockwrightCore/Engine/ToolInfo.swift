/// The tool's name and version, in one place for `--version`, SARIF's `tool.driver`
/// and the docker CLI plugin's metadata.
public enum ToolInfo {
    /// The program name.
    public static let name = "dockwright"
    /// The released version.
    public static let version = "0.1.0"
    /// Where the tool is documented.
    public static let informationURI = "https://github.com/dockwright/dockwright"
}
