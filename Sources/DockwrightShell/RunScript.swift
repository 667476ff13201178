import DockwrightSyntax

/// The shell script a RUN instruction hands to its shell, parsed once for every rule.
public struct RunScript: Hashable, Sendable {
    /// Where the script comes from.
    public enum Origin: Hashable, Sendable {
        /// The shell form of RUN (heredoc bodies included when the line has more
        /// than a lone heredoc, as BuildKit reassembles them for the shell).
        case shellForm
        /// A RUN whose whole command is one heredoc: BuildKit runs its body.
        case heredocBody
    }

    /// The outcome of reading the script.
    public enum Outcome: Hashable, Sendable {
        /// A POSIX script that parsed.
        case parsed(ShellScript)
        /// A POSIX script that did not parse; rules stay silent on it.
        case invalid(ShellParseError)
        /// A script for a shell dockwright does not parse (PowerShell, cmd, a
        /// `#!` interpreter that is not a POSIX shell).
        case opaque(ShellDialect)
    }

    /// The RUN's own fields, which a parsed script keeps in its block
    /// (``ShellScript/run``): a file of one-line RUNs kept a box of these beside every
    /// script, 64 bytes a RUN (issue 13). Laid out references first, then the dialect
    /// (17 bytes) and the small fields in the bytes after it: 32 bytes.
    struct Fields: Sendable {
        let instruction: InstructionSyntax
        let dialect: ShellDialect
        let isOnbuildTrigger: Bool
        let origin: Origin
        let storedStageIndex: UInt32

        init(instruction: InstructionSyntax, isOnbuildTrigger: Bool, stageIndex: Int, origin: Origin, dialect: ShellDialect) {
            self.instruction = instruction
            self.dialect = dialect
            self.isOnbuildTrigger = isOnbuildTrigger
            self.origin = origin
            storedStageIndex = UInt32(clamping: stageIndex)
        }
    }

    /// The fields and the text of a script that did not parse, stored once: rules copy
    /// scripts into every command they look at, and a copy of one reference retains
    /// once instead of once per field.
    private final class Unparsed: Sendable {
        let fields: Fields
        let text: LogicalText
        let outcome: Outcome

        init(fields: Fields, text: LogicalText, outcome: Outcome) {
            self.fields = fields
            self.text = text
            self.outcome = outcome
        }
    }

    /// What reading the text gave, in one reference.
    private enum Reading: Sendable {
        /// The script holds the text and the RUN's fields.
        case parsed(ShellScript)
        /// Any other outcome, with the text it was read from.
        case unparsed(Unparsed)
    }

    private let reading: Reading

    init(fields: Fields, text: LogicalText, outcome: Outcome) {
        if case .parsed(let script) = outcome, script.text == text, script.run != nil {
            reading = .parsed(script)
        } else {
            reading = .unparsed(Unparsed(fields: fields, text: text, outcome: outcome))
        }
    }

    /// Read from the parsed script's block or from the box of a script that did not parse.
    private func field<Value>(_ read: (Fields) -> Value) -> Value {
        switch reading {
        case .parsed(let script):
            guard let value = script.readRun(read) else {
                preconditionFailure("a RUN's parsed script keeps the RUN's fields")
            }
            return value
        case .unparsed(let unparsed):
            return read(unparsed.fields)
        }
    }

    /// The RUN instruction (for a trigger, the RUN inside the ONBUILD).
    public var instruction: InstructionSyntax { field(\.instruction) }
    /// Whether the RUN is an ONBUILD trigger, which runs in the builds that use this
    /// image as their base rather than in this one.
    public var isOnbuildTrigger: Bool { field(\.isOnbuildTrigger) }
    /// The index of the stage the RUN belongs to.
    public var stageIndex: Int { field { Int($0.storedStageIndex) } }
    /// Where the script comes from.
    public var origin: Origin { field(\.origin) }
    /// The shell that runs it.
    public var dialect: ShellDialect { field(\.dialect) }
    /// The script text, mapped to the Dockerfile.
    public var text: LogicalText {
        switch reading {
        case .parsed(let script): return script.text
        case .unparsed(let unparsed): return unparsed.text
        }
    }
    /// What reading it gave.
    public var outcome: Outcome {
        switch reading {
        case .parsed(let script): return .parsed(script)
        case .unparsed(let unparsed): return unparsed.outcome
        }
    }

    public static func == (lhs: RunScript, rhs: RunScript) -> Bool {
        switch (lhs.reading, rhs.reading) {
        case (.parsed(let left), .parsed(let right)) where left.isSameStorage(as: right): return true
        case (.unparsed(let left), .unparsed(let right)) where left === right: return true
        default: break
        }
        return lhs.instruction == rhs.instruction && lhs.isOnbuildTrigger == rhs.isOnbuildTrigger
            && lhs.stageIndex == rhs.stageIndex && lhs.origin == rhs.origin && lhs.dialect == rhs.dialect
            && lhs.text == rhs.text && lhs.outcome == rhs.outcome
    }

    public func hash(into hasher: inout Hasher) {
        // Equal scripts have equal instructions and texts; the parse only follows from them.
        hasher.combine(instruction)
        hasher.combine(isOnbuildTrigger)
        hasher.combine(stageIndex)
        hasher.combine(text)
    }

    /// The parsed script, when there is one.
    public var script: ShellScript? {
        if case .parsed(let script) = reading { return script }
        return nil
    }

    /// The scripts of every shell-form RUN of a file, in order; exec-form RUNs have
    /// none, and ONBUILD triggers run in another build.
    public static func scripts(in syntax: DockerfileSyntax) -> [RunScript] {
        scripts(in: syntax, stages: StageGraph(syntax: syntax))
    }

    /// The scripts of every shell-form RUN, reusing an already built stage graph.
    public static func scripts(in syntax: DockerfileSyntax, stages graph: StageGraph) -> [RunScript] {
        scripts(in: graph, includingTriggers: false)
    }

    /// The scripts of every shell-form RUN and of every `ONBUILD RUN`, in source order.
    ///
    /// hadolint applies its shell rules to ONBUILD triggers too (its `onbuild`
    /// combinator): a trigger is still a script someone will run, in the shell the
    /// stage has at that point.
    public static func scriptsIncludingTriggers(in graph: StageGraph) -> [RunScript] {
        scripts(in: graph, includingTriggers: true)
    }

    private static func scripts(in graph: StageGraph, includingTriggers: Bool) -> [RunScript] {
        scripts(in: graph, shells: StageShells(graph), includingTriggers: includingTriggers)
    }

    /// The scripts of every shell-form RUN (and, with `includingTriggers`, of every
    /// `ONBUILD RUN`), each read in the shell `shells` says is in effect there.
    public static func scripts(in graph: StageGraph, shells: StageShells, includingTriggers: Bool) -> [RunScript] {
        var scripts: [RunScript] = []
        // One table for the file: its RUNs repeat the same command names and flags.
        var sharedWords = ShellParser.SharedWords()
        for stage in graph.stages {
            let shell = shells.stages[stage.index]
            for instruction in stage.instructions {
                switch instruction.kind {
                case .run:
                    let dialect = shell.dialect(at: instruction.range.start)
                    if let script = script(
                        of: instruction, stageIndex: stage.index, dialect: dialect, isTrigger: false, sharing: &sharedWords) {
                        scripts.append(script)
                    }
                case .onbuild where includingTriggers:
                    if let trigger = instruction.trigger, trigger.kind == .run,
                       let script = script(
                           of: trigger, stageIndex: stage.index, dialect: shell.dialect(at: instruction.range.start),
                           isTrigger: true, sharing: &sharedWords) {
                        scripts.append(script)
                    }
                default:
                    break
                }
            }
        }
        return scripts
    }

    private static func script(
        of run: InstructionSyntax, stageIndex: Int, dialect: ShellDialect, isTrigger: Bool,
        sharing sharedWords: inout ShellParser.SharedWords
    ) -> RunScript? {
        // Bounds come from the source range: the token's text has invalid UTF-8
        // replaced by U+FFFD, three bytes for one, so its length can overshoot.
        let logical = run.logicalText
        guard case .shellForm(let rest) = run.arguments,
              let restStart = logical.logicalOffset(ofSource: rest.range.start),
              let restEnd = logical.logicalOffset(ofSource: rest.range.end), restStart <= restEnd
        else { return nil }
        let restText = logical.slice(restStart..<restEnd)
        var origin = Origin.shellForm
        var text = restText
        var scriptDialect = dialect
        if let heredoc = run.heredocs.first, run.heredocs.count == 1, isLoneHeredocMarker(rest.text) {
            // Mirrors BuildKit's dispatchRun: a RUN that is one heredoc runs its body;
            // a body starting with `#!` runs under that interpreter instead of the shell.
            origin = .heredocBody
            // The body's own bytes, mapped by source offset: decoded text would turn
            // each invalid byte into three and shift every later position.
            text = contiguousText(heredoc.contentBytes, at: heredoc.bodyRange.start)
            if text.bytes.starts(with: Array("#!".utf8)) {
                scriptDialect = ShellDialect(executable: interpreter(ofShebang: text.bytes))
            }
        } else {
            // BuildKit reassembles the line and the bodies (`"\n" + body + name` each)
            // for the shell to read; the `\n` is the line end just before each body.
            for heredoc in run.heredocs {
                text = text.appending(contiguousText([UInt8(ascii: "\n")], at: Swift.max(0, heredoc.bodyRange.start - 1)))
                text = text.appending(contiguousText(heredoc.contentBytes, at: heredoc.bodyRange.start))
                let terminatorStart = heredoc.terminatorRange?.start ?? heredoc.bodyRange.end
                text = text.appending(contiguousText(Array(heredoc.name.utf8), at: terminatorStart))
            }
        }
        let fields = Fields(
            instruction: run, isOnbuildTrigger: isTrigger, stageIndex: stageIndex, origin: origin, dialect: scriptDialect)
        let outcome: Outcome
        if scriptDialect.isPOSIX {
            switch ShellParser.parse(text, run: fields, sharing: &sharedWords) {
            case .success(let script): outcome = .parsed(script)
            case .failure(let error): outcome = .invalid(error)
            }
        } else {
            outcome = .opaque(scriptDialect)
        }
        return RunScript(fields: fields, text: text, outcome: outcome)
    }

    /// Whether the whole command is one heredoc marker (`parser.MustParseHeredoc`).
    private static func isLoneHeredocMarker(_ command: String) -> Bool {
        let bytes = Array(command.utf8)
        var index = 0
        while index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
        guard bytes[index...].starts(with: Array("<<".utf8)) else { return false }
        index += 2
        if index < bytes.count && bytes[index] == UInt8(ascii: "-") { index += 1 }
        let delimiter = bytes[index...]
        return !delimiter.isEmpty && !delimiter.contains(UInt8(ascii: "<"))
            && !delimiter.contains { $0 == 0x20 || $0 == 0x09 }
    }

    private static func interpreter(ofShebang bytes: [UInt8]) -> String {
        let line = bytes.prefix { $0 != UInt8(ascii: "\n") }.dropFirst(2)
        let words = String(decoding: line, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        guard let first = words.first else { return "" }
        // `#!/usr/bin/env bash` names the interpreter in its second word.
        if first.hasSuffix("/env"), words.count > 1 { return String(words[1]) }
        return String(first)
    }

    private static func contiguousText(_ bytes: [UInt8], at sourceStart: Int) -> LogicalText {
        LogicalText(bytes: bytes, segments: [.init(logicalStart: 0, sourceStart: sourceStart, length: bytes.count)])
    }
}

