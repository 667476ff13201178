import DockwrightSyntax

/// Which shell runs each instruction of each stage, and which stages build Windows
/// images: the one decision RunScript, the rules and the fixer all read.
///
/// Docker starts a Linux stage with `/bin/sh -c` and a Windows stage with `cmd /S /C`;
/// `SHELL` switches the shell for the instructions after it, and a stage built on
/// another stage (`FROM <stage>`) starts with the shell that stage ended with.
public struct StageShells: Sendable {
    /// For each stage, in order, what it starts with and where SHELL changes it.
    public let stages: [StageShell]

    /// The shells of one stage.
    public struct StageShell: Sendable {
        /// The shell the stage's first instruction runs under.
        public let initial: ShellDialect
        /// Each SHELL instruction's start offset, the shell it selects and the options
        /// it turns on, in order.
        public let changes: [(start: Int, dialect: ShellDialect, options: ShellOptions)]
        /// The options the stage's first instruction runs with.
        public let initialOptions: ShellOptions
        /// Whether the stage builds a Windows image (see ``StageShells/isWindowsImage(_:)``),
        /// itself or through the stages it is built on.
        public let isWindows: Bool

        /// The shell the stage ends with, which a stage built on it starts with.
        public var final: ShellDialect { changes.last?.dialect ?? initial }

        /// The shell in effect for the instruction starting at `offset` in this stage.
        public func dialect(at offset: Int) -> ShellDialect {
            let index = lastChange(before: offset)
            return index < 0 ? initial : changes[index].dialect
        }

        /// The shell options in effect for the instruction starting at `offset`.
        public func options(at offset: Int) -> ShellOptions {
            let index = lastChange(before: offset)
            return index < 0 ? initialOptions : changes[index].options
        }

        /// The options the stage ends with.
        public var finalOptions: ShellOptions { changes.last?.options ?? initialOptions }

        /// The index of the last SHELL before `offset`, or -1.
        private func lastChange(before offset: Int) -> Int {
            // Binary search: a stage may have many SHELLs and many instructions asking.
            var low = 0
            var high = changes.count
            while low < high {
                let middle = (low + high) / 2
                if changes[middle].start < offset { low = middle + 1 } else { high = middle }
            }
            return low - 1
        }
    }

    /// Markers of Windows base images in an image name: `mcr.microsoft.com/windows/…`,
    /// `…/nanoserver`, `…/servercore`, .NET Framework images.
    public static let windowsImageMarkers = ["windows", "nanoserver", "servercore", "dotnet-framework", "dotnet/framework"]

    /// Whether an image name (as written or resolved) names a Windows image.
    public static func isWindowsImage(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return windowsImageMarkers.contains { lowered.containsBytes(of: $0) }
    }

    /// The shells of every stage of `graph`.
    public init(_ graph: StageGraph) {
        var stages: [StageShell] = []
        stages.reserveCapacity(graph.stages.count)
        for stage in graph.stages {
            var changes: [(start: Int, dialect: ShellDialect, options: ShellOptions)] = []
            for instruction in stage.instructions where instruction.kind == .shell {
                // BuildKit takes SHELL in exec form only; another form changes nothing here.
                if case .execForm(let tokens) = instruction.arguments, let executable = tokens.first?.text {
                    let dialect = ShellDialect(executable: executable)
                    let options = ShellOptions(dialect: dialect, arguments: tokens.dropFirst().map(\.text))
                    changes.append((instruction.range.start, dialect, options))
                }
            }
            // A stage is taken as Windows when its image names a Windows image, or when it
            // switches SHELL to PowerShell or cmd, which only Windows stages do (`FROM
            // ${base}` hides the image, the SHELL gives it away); a stage built on another
            // is Windows when that one is.
            let switchesToWindowsShell = changes.contains { $0.dialect.isWindowsShell }
            let initial: ShellDialect
            let initialOptions: ShellOptions
            let isWindows: Bool
            if let parent = stage.baseStageIndex, parent < stages.count {
                initial = stages[parent].final
                initialOptions = stages[parent].finalOptions
                isWindows = stages[parent].isWindows || switchesToWindowsShell
            } else {
                isWindows = Self.isWindowsImage(stage.baseName ?? "") || switchesToWindowsShell
                initial = isWindows ? .defaultWindows : .defaultLinux
                initialOptions = ShellOptions(dialect: initial, arguments: [])
            }
            stages.append(StageShell(initial: initial, changes: changes, initialOptions: initialOptions, isWindows: isWindows))
        }
        self.stages = stages
    }
}

/// The options a SHELL instruction starts its shell with, as far as rules care.
public struct ShellOptions: Hashable, Sendable {
    /// `-e` or `-o errexit`: the script stops at the first failing command.
    public let errexit: Bool
    /// `-o pipefail`, or a shell that is not POSIX (pipes there are not `sh` pipes):
    /// a pipeline fails when any of its commands fails.
    public let pipefail: Bool

    /// The options of `dialect` run with `arguments` (those after the executable).
    public init(dialect: ShellDialect, arguments: [String]) {
        var errexit = false
        var pipefail = !dialect.isPOSIX
        for (index, argument) in arguments.enumerated() {
            let isShortOptions = argument.hasPrefix("-") && !argument.hasPrefix("--")
            let next = index + 1 < arguments.count ? arguments[index + 1] : nil
            // `-o name`, also at the end of a cluster (`-euo pipefail`).
            if isShortOptions && argument.hasSuffix("o") && next == "pipefail" { pipefail = true }
            if argument == "-o" && next == "errexit" { errexit = true }
            if isShortOptions && argument.dropFirst().contains("e") { errexit = true }
        }
        self.errexit = errexit
        self.pipefail = pipefail
    }
}
