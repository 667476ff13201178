/// Which shell runs a stage's RUN instructions.
public enum ShellDialect: Hashable, Sendable {
    /// A POSIX shell (sh, bash, dash, ash, zsh, ksh): scripts are parsed.
    case posix(String)
    /// Any other shell (PowerShell, cmd): scripts are opaque, never parsed or rewritten.
    case opaque(String)

    /// The shell Docker uses when a Linux stage has no SHELL instruction.
    public static let defaultLinux = ShellDialect.posix("sh")
    /// The shell Docker uses when a Windows stage has no SHELL instruction.
    public static let defaultWindows = ShellDialect.opaque("cmd")

    /// Whether scripts in this dialect are parsed.
    public var isPOSIX: Bool {
        if case .posix = self { return true }
        return false
    }

    /// Whether this is PowerShell or cmd, shells only Windows images have.
    public var isWindowsShell: Bool {
        if case .opaque(let name) = self { return ["powershell", "pwsh", "cmd"].contains(name) }
        return false
    }

    /// The dialect of an executable named by `SHELL ["…", …]` or a `#!` line.
    public init(executable: String) {
        var name = Substring(executable)
        if let slash = name.lastIndex(where: { $0 == "/" || $0 == "\\" }) { name = name[name.index(after: slash)...] }
        var lowered = name.lowercased()
        if lowered.hasSuffix(".exe") { lowered.removeLast(4) }
        let posixShells: Set<String> = ["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox"]
        self = posixShells.contains(lowered) ? .posix(lowered) : .opaque(lowered)
    }
}
