/// The exit codes every dockwright command uses.
public enum ExitCode: Int32, Sendable {
    /// Success: nothing at or above the fail level.
    case success = 0
    /// Findings at or above the fail level, or a file BuildKit's parser rejects.
    case findings = 1
    /// A usage error, an unreadable file, or an internal error.
    case failure = 2
}
