/// A pipeline that downloads something and feeds it to an interpreter
/// (`curl -fsSL … | sh`).
public struct PipedDownload: Hashable, Sendable {
    /// The downloading command (curl, wget, …).
    public let download: CommandView
    /// The interpreter reading it (sh, bash, python, …).
    public let interpreter: CommandView
}

/// Something a script does that the next command of the same shell would notice,
/// so joining it with `&&` to another RUN's script would change that script.
public struct StateLeak: Hashable, Sendable {
    /// What leaks.
    public enum Kind: Hashable, Sendable {
        /// `cd`, `pushd`, `popd`.
        case changesDirectory
        /// `export`, `unset`, `readonly`, `declare`, `typeset`, or a bare `NAME=value`.
        case changesVariables
        /// `set`, `shopt`, `trap`, `ulimit`, `umask`.
        case changesShellOptions
        /// `source` or `.`.
        case sourcesFile
        /// `alias`, `unalias`, or a function definition.
        case definesCommands
        /// `exit` or `exec`: nothing after it runs.
        case endsShell
        /// A command run in the background with `&`.
        case runsInBackground
        /// A trailing comment, which would swallow whatever is appended to the line.
        case endsWithComment
    }

    /// What leaks.
    public let kind: Kind
    /// Where, in script offsets.
    public let range: Range<Int>
}

extension ShellScript {
    /// Programs that download from the network.
    static let downloaders: Set<String> = ["curl", "wget", "fetch", "aria2c", "http", "https"]
    /// Programs that run code read from standard input.
    static let interpreters: Set<String> = [
        "sh", "bash", "dash", "ash", "zsh", "ksh", "python", "python2", "python3", "perl", "ruby", "node", "php",
    ]

    /// Pipelines in which a download is piped into an interpreter.
    public var pipedDownloads: [PipedDownload] {
        var found: [PipedDownload] = []
        var byPipeline: [Range<Int>: [CommandView]] = [:]
        var order: [Range<Int>] = []
        for view in commands where view.context.pipelineLength > 1 {
            let key = view.context.pipelineRange
            if byPipeline[key] == nil { order.append(key) }
            byPipeline[key, default: []].append(view)
        }
        for key in order {
            let views = byPipeline[key] ?? []
            guard let download = views.first(where: { Self.downloaders.contains($0.name ?? "") }) else { continue }
            let later = views.filter { $0.context.pipelineIndex > download.context.pipelineIndex }
            if let interpreter = later.first(where: { Self.interpreters.contains($0.name ?? "") }) {
                found.append(PipedDownload(download: download, interpreter: interpreter))
            }
        }
        return found
    }

    /// What the script changes in its shell that later commands would see.
    public var stateLeaks: [StateLeak] {
        var leaks: [StateLeak] = []
        let builtins: [String: StateLeak.Kind] = [
            "cd": .changesDirectory, "pushd": .changesDirectory, "popd": .changesDirectory,
            "export": .changesVariables, "unset": .changesVariables, "readonly": .changesVariables,
            "declare": .changesVariables, "typeset": .changesVariables, "local": .changesVariables,
            "set": .changesShellOptions, "shopt": .changesShellOptions, "trap": .changesShellOptions,
            "ulimit": .changesShellOptions, "umask": .changesShellOptions,
            "source": .sourcesFile, ".": .sourcesFile,
            "alias": .definesCommands, "unalias": .definesCommands,
            "exit": .endsShell, "exec": .endsShell,
        ]
        for view in commands where view.context.runsInMainShell {
            // `exec` is a wrapper for the view, so look at the first word as written.
            let first = view.command.words.first?.literalValue ?? ""
            if let kind = builtins[first] ?? builtins[view.name ?? ""] {
                leaks.append(StateLeak(kind: kind, range: view.command.range))
            }
        }
        collectMainShellLeaks(in: body, into: &leaks)
        if let last = comments.last, last.lowerBound >= body.range.upperBound,
           text.bytes[last.upperBound...].allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            leaks.append(StateLeak(kind: .endsWithComment, range: last))
        }
        return leaks.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Bare assignments, function definitions and background jobs of the main shell.
    private func collectMainShellLeaks(in list: ShellList, into leaks: inout [StateLeak]) {
        for item in list.items {
            if item.isBackground {
                leaks.append(StateLeak(kind: .runsInBackground, range: item.range))
                continue
            }
            for pipeline in item.andOr.pipelines where pipeline.commands.count == 1 {
                let command = pipeline.commands[0]
                switch command.kind {
                case .simple(let simple) where simple.words.isEmpty && !simple.assignments.isEmpty:
                    leaks.append(StateLeak(kind: .changesVariables, range: simple.range))
                case .functionDefinition:
                    leaks.append(StateLeak(kind: .definesCommands, range: command.range))
                case .braceGroup(let inner):
                    collectMainShellLeaks(in: inner, into: &leaks)
                case .ifClause(let branches, let elseBody):
                    for branch in branches { collectMainShellLeaks(in: branch.body, into: &leaks) }
                    if let elseBody { collectMainShellLeaks(in: elseBody, into: &leaks) }
                default:
                    break
                }
            }
        }
    }
}
