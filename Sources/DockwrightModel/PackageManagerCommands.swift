import DockwrightShell
import DockwrightSyntax

/// One call of an OS package manager (apt-get, apt, aptitude, apk, yum, dnf,
/// microdnf, zypper) in a RUN script, split the way the package rules read it:
/// the subcommand, the flags, and the operands with the values of flags that take
/// one left out (hadolint's `dropFlagArg`, for every such flag rather than a few).
public struct PackageManagerCommand: Sendable {
    /// The script the command is in.
    public let run: RunScript
    public let script: ShellScript
    /// ``index`` in 32 bits, beside ``manager`` in one word: 56 bytes a command rather
    /// than 64, as the model keeps every command of the file.
    private let storedIndex: UInt32
    public let manager: PackageManager
    /// Which arguments are positional (``positionals``), as indices into the view's
    /// arguments rather than copies of the words: the model keeps every command of the
    /// file, and a list of words per command was most of a command's size.
    let positionalIndices: ArgumentIndexSet
    /// The flag words before the first positional (zypper's global options).
    public let leadingFlags: [String]
    /// The variables the command sees (see ``PackageManagerCommands/environment(of:in:)``),
    /// when found through ``PackageManagerCommands/all(in:)``, which works them out for
    /// every command of a script in one walk. One word rather than the six of a stored
    /// view, as the model keeps every command of the file: most commands see their RUN's
    /// values, read again when asked; the others share a box per assignment before them.
    var knownEnvironment: KnownEnvironment?

    init(
        run: RunScript, script: ShellScript, index: Int, manager: PackageManager, positionalIndices: ArgumentIndexSet,
        leadingFlags: [String]
    ) {
        self.run = run
        self.script = script
        storedIndex = UInt32(clamping: index)
        self.manager = manager
        self.positionalIndices = positionalIndices
        self.leadingFlags = leadingFlags
    }

    /// Its index in `script.commands`, to order commands of one script.
    public var index: Int { Int(storedIndex) }

    /// The command, wrappers (`sudo`, `env`, …) already unwrapped: read from the script
    /// rather than copied, as the model keeps every command of the file (a stored copy was
    /// most of a command's size on a file of thousands of installs).
    public var view: CommandView { script.commands[index] }

    /// The positional words after the program, in order: the subcommand first.
    public var positionals: [ShellWord] {
        let arguments = view.arguments
        return positionalIndices.map { arguments[arguments.startIndex + $0] }
    }

    /// The subcommand word (`install` in `apt-get -y install curl`).
    public var subcommandWord: ShellWord? {
        guard let first = positionalIndices.first else { return nil }
        let arguments = view.arguments
        return arguments[arguments.startIndex + first]
    }
    /// The subcommand's literal value.
    public var subcommand: String? { subcommandWord?.literalValue }
    /// The words after the subcommand that are neither flags nor flag values.
    public var operands: ArraySlice<ShellWord> { positionals.dropFirst() }

    /// The first positional word whose value is one of `names` (`install` in `dnf group install`),
    /// among the first two, as hadolint's `cmdHasArgs` finds it anywhere but never in a package list.
    public func positional(in names: Set<String>) -> ShellWord? {
        if let word = positionals.prefix(2).first(where: { names.contains($0.literalValue ?? "") }) { return word }
        // `yum swap -- remove a -- install b` installs too.
        guard subcommand == "swap" else { return nil }
        return positionals.first { names.contains($0.literalValue ?? "") }
    }

    /// Whether any of the flags is given (short names without `-`, long without `--`).
    public func hasFlag(_ names: String...) -> Bool { !view.flagNames.isDisjoint(with: names) }

    /// Whether any literal argument equals `value` (`APT::Install-Recommends=false`).
    public func hasArgument(_ value: String) -> Bool { view.arguments.contains { $0.literalValue == value } }

    /// The Dockerfile bytes of a word of this command.
    public func range(of word: ShellWord) -> TextRange { script.sourceRange(word.range) }

    /// From the program's word to the end of `word`: what a finding about a subcommand underlines.
    public func range(through word: ShellWord?) -> TextRange {
        let start = range(of: view.nameWord)
        guard let word else { return start }
        return start.union(range(of: word))
    }
}

/// The variables a ``PackageManagerCommand`` sees, as ``PackageManagerCommands/all(in:)``
/// worked them out.
enum KnownEnvironment: Sendable {
    /// Those of its RUN: no assignment of the script comes before the command.
    case run
    /// Those of its RUN changed by the script's assignments before the command, shared
    /// by the commands that follow the same assignments.
    case assigned(AssignedEnvironment)
}

/// A ``VariableEnvironment`` behind one reference, for commands that see the same one.
final class AssignedEnvironment: Sendable {
    let environment: VariableEnvironment

    init(_ environment: VariableEnvironment) { self.environment = environment }
}

/// Finds the package manager commands of a file's RUN and `ONBUILD RUN` scripts.
public enum PackageManagerCommands {
    /// The managers of OS packages the package rules know.
    public static let managers: Set<PackageManager> = [.aptGet, .apt, .aptitude, .apk, .yum, .dnf, .microdnf, .zypper]

    /// Every package manager command of every parsed POSIX script, in source order, each
    /// with the variables it sees (``DockerfileModel/packageManagerCommands`` keeps it).
    static func all(in model: DockerfileModel) -> [PackageManagerCommand] {
            var found: [PackageManagerCommand] = []
            for run in model.runAndTriggerScripts {
                guard let script = run.script else { continue }
                let commands = PackageManagerCommands.commands(in: script, of: run)
                guard !commands.isEmpty else { continue }
                // One walk over the script's assignments for all its commands, in order:
                // a walk per command made a RUN of many installs quadratic.
                let assignments = scriptAssignments(in: script.body)
                var environment = environment(of: run, in: model)
                var known = KnownEnvironment.run
                var next = 0
                for var command in commands {
                    let start = command.view.command.range.lowerBound
                    var changed = false
                    while next < assignments.count && assignments[next].end <= start {
                        apply(assignments[next], to: &environment)
                        next += 1
                        changed = true
                    }
                    if changed { known = .assigned(AssignedEnvironment(environment)) }
                    command.knownEnvironment = known
                    found.append(command)
                }
            }
            // Kept for the whole lint: without the slack of its growth.
            return found.compacted()
    }

    /// The package manager commands of one script.
    public static func commands(in script: ShellScript, of run: RunScript) -> [PackageManagerCommand] {
        var found: [PackageManagerCommand] = []
        for (index, view) in script.commands.enumerated() {
            guard let name = view.name, mayNameManager(name), let manager = PackageManager(rawValue: name),
                  managers.contains(manager)
            else { continue }
            let (positionals, leadingFlags) = split(view, spec: manager.spec)
            found.append(PackageManagerCommand(
                run: run, script: script, index: index, manager: manager, positionalIndices: positionals,
                leadingFlags: leadingFlags))
        }
        return found
    }

    /// Whether `name` could be one of ``managers``, from its length and first byte: most
    /// commands of a script are not, and matching a name against every case of
    /// `PackageManager` took a percent of the lint time (each rule asks per script).
    private static func mayNameManager(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard let first = utf8.first, (3...8).contains(utf8.count) else { return false }
        return first == UInt8(ascii: "a") || first == UInt8(ascii: "y") || first == UInt8(ascii: "d")
            || first == UInt8(ascii: "m") || first == UInt8(ascii: "z")
    }

    /// Splits the arguments into positional words (by index) and the flags before the
    /// first one, skipping the separate value of a flag that takes one (`-t bookworm-backports`).
    private static func split(_ view: CommandView, spec: ProgramSpec) -> (ArgumentIndexSet, [String]) {
        let values = view.literalArguments
        var positionals = ArgumentIndexSet()
        var leadingFlags: [String] = []
        var lastFlagWord = -1
        for position in spec.scanner.positions(of: values) {
            switch position {
            case .operand(let index):
                positionals.append(index)
            case .flag(_, _, let index):
                // A cluster (`-qy`) is one word: listed once.
                if positionals.isEmpty && index != lastFlagWord, let value = values[index] { leadingFlags.append(value) }
                lastFlagWord = index
            }
        }
        return (positionals, leadingFlags)
    }

    // MARK: - Variables

    /// The variables ARG and ENV set for a RUN (for an `ONBUILD RUN`, those at its ONBUILD).
    public static func environment(of run: RunScript, in model: DockerfileModel) -> VariableEnvironment {
        model.variables(before: run.instruction) ?? [:]
    }

    /// The variables a package manager command sees: ARG and ENV values, then the
    /// plain assignments its script makes before it in its main shell
    /// (`buildDeps='gcc make'; apt-get install -y $buildDeps`, the docker-library idiom).
    public static func environment(of command: PackageManagerCommand, in model: DockerfileModel) -> VariableEnvironment {
        switch command.knownEnvironment {
        case .run?: return environment(of: command.run, in: model)
        case .assigned(let assigned)?: return assigned.environment
        case nil: break
        }
        var environment = environment(of: command.run, in: model)
        let start = command.view.command.range.lowerBound
        for assignment in scriptAssignments(in: command.script.body) where assignment.end <= start {
            apply(assignment, to: &environment)
        }
        return environment
    }

    /// Sets the variable an assignment of the script sets, as far as it is known.
    private static func apply(_ assignment: (name: String, value: ShellWord?, end: Int), to environment: inout VariableEnvironment) {
        guard let value = assignment.value else {
            environment[assignment.name] = ""
            return
        }
        if case .values(let words) = read(value, environment: environment) {
            environment[assignment.name] = words.joined(separator: " ")
        } else {
            environment[assignment.name] = nil
        }
    }

    /// `NAME=value` commands and `export NAME=value` words of the main shell, in order.
    private static func scriptAssignments(in list: ShellList) -> [(name: String, value: ShellWord?, end: Int)] {
        var found: [(name: String, value: ShellWord?, end: Int)] = []
        for item in list.items where !item.isBackground {
            for pipeline in item.andOr.pipelines where pipeline.commands.count == 1 {
                switch pipeline.commands[0].kind {
                case .simple(let simple) where simple.words.isEmpty:
                    for assignment in simple.assignments where assignment.arrayElements == nil && !assignment.isAppend {
                        found.append((assignment.name, assignment.value, assignment.range.upperBound))
                    }
                case .simple(let simple) where simple.words.first?.literalValue == "export":
                    for word in simple.words.dropFirst() {
                        guard case .literal(let text)? = word.parts.first, let equals = text.firstIndex(of: "="),
                              !text[..<equals].isEmpty, text[..<equals].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
                        else { continue }
                        var rest = word
                        rest.parts[0] = .literal(String(text[text.index(after: equals)...]))
                        found.append((String(text[..<equals]), rest, word.range.upperBound))
                    }
                case .braceGroup(let inner):
                    found += scriptAssignments(in: inner)
                default:
                    break
                }
            }
        }
        return found
    }

    /// What a package word means for a version check.
    public enum PackageWord: Sendable {
        /// The words it stands for after ARG and ENV substitution (several when a
        /// variable holds a list).
        case values([String])
        /// Part of the word is only known at build time. `placeholderText` is the word
        /// with `0` for each unknown part, which may still show a pin (`curl=${VERSION}`
        /// reads `curl=0`); `hasLiteral` is false when the word is nothing but unknowns.
        case partlyUnknown(placeholderText: String, hasLiteral: Bool)
    }

    /// Reads a package word, substituting ARG and ENV values.
    public static func read(_ word: ShellWord, environment: VariableEnvironment) -> PackageWord {
        if let literal = word.literalValue { return .values([literal]) }
        var text = ""
        var known = true
        var hasLiteral = false
        var isQuoted = false
        func visit(_ parts: [ShellWordPart]) {
            for part in parts {
                switch part {
                case .literal(let value), .singleQuoted(let value), .ansiCQuoted(let value):
                    text += value
                    if !value.isEmpty { hasLiteral = true }
                case .doubleQuoted(let inner):
                    isQuoted = true
                    visit(inner)
                case .parameter(let expansion):
                    if let value = resolve(expansion, environment: environment) {
                        text += value
                    } else {
                        text += "0"
                        known = false
                    }
                case .commandSubstitution, .backquoted, .processSubstitution, .arithmetic:
                    text += "0"
                    known = false
                }
            }
        }
        visit(word.parts)
        guard known else { return .partlyUnknown(placeholderText: text, hasLiteral: hasLiteral) }
        // An unquoted variable holding `curl=1 wget=2` splits into two words.
        if isQuoted { return .values([text]) }
        return .values(text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
    }

    /// A parameter's value from ARG and ENV values (the shell layer's one reading).
    private static func resolve(_ expansion: ShellParameterExpansion, environment: VariableEnvironment) -> String? {
        expansion.value(in: environment) { operand in
            if case .values(let words) = read(operand, environment: environment) { return words.joined(separator: " ") }
            return nil
        }
    }

    /// The package words of `operands` that carry no version, with the package each names
    /// (nil when the word holds a variable; the word's text then names it).
    /// A word that is nothing but a variable of unknown value (an ARG without a default,
    /// a shell variable) is not judged: it may hold a pinned list.
    public static func unpinned(
        _ operands: some Sequence<ShellWord>, environment: VariableEnvironment, isPinned: (String) -> Bool
    ) -> [(word: ShellWord, package: String?)] {
        var found: [(word: ShellWord, package: String?)] = []
        for word in operands {
            switch read(word, environment: environment) {
            case .values(let values):
                if let package = values.first(where: { !isPinned($0) }) { found.append((word, package)) }
            case .partlyUnknown(let text, let hasLiteral):
                if hasLiteral && !isPinned(text) { found.append((word, nil)) }
            }
        }
        return found
    }

    /// The operands before a word that starts another Dockerfile instruction (`COPY`,
    /// upper case): a trailing `\` before an empty line joins the next instruction into the
    /// RUN (DW103 reports it), and its words are not packages.
    public static func operandsBeforeSwallowedInstruction(_ command: PackageManagerCommand) -> [ShellWord] {
        Array(command.operands.prefix { word in
            guard let value = word.literalValue, value == value.uppercased(), value.contains(where: \.isLetter) else {
                return true
            }
            return InstructionKind(keyword: value) == nil
        })
    }

    /// rpm's `name-version[-release]`, read as hadolint DL3041 reads it: some dash, and
    /// after the first one only version characters (letters, digits, `.~^_:+`), with a
    /// part that starts with a digit. `.rpm` files carry their version; a module
    /// (`@nodejs:18`) or `name:stream` names its stream with `:`.
    public static func isRPMVersioned(_ package: String) -> Bool {
        if package.hasSuffix(".rpm") { return true }
        if package.hasPrefix("@") { return package.contains(":") }
        let parts = package.split(separator: "-", omittingEmptySubsequences: false).dropFirst()
        guard !parts.isEmpty else { return false }
        let versionCharacters = Set(".~^_:+")
        return parts.allSatisfy { part in
            part.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || versionCharacters.contains($0) }
        } && parts.contains { $0.first?.isNumber == true }
    }

    /// What an rpm-family `install` names, and how a pinned one looks: packages of
    /// `install` need a version, modules of `module install` a `:stream` (hadolint
    /// DL3033/DL3041). Groups (`group install`, `groupinstall`) have no version.
    public static func rpmInstallTargets(_ command: PackageManagerCommand) -> (operands: [ShellWord], isPinned: (String) -> Bool)? {
        switch command.subcommand {
        case "install":
            return (Array(command.operands), isRPMVersioned)
        case "module" where command.positionals.dropFirst().first?.literalValue == "install":
            return (Array(command.positionals.dropFirst(2)), { $0.contains(":") })
        case "swap":
            guard let install = command.positionals.firstIndex(where: { $0.literalValue == "install" }) else { return nil }
            let rest = command.positionals[(install + 1)...]
            return (Array(rest.prefix { $0.literalValue != "--" }), isRPMVersioned)
        default:
            return nil
        }
    }

    // MARK: - Cleanup

    /// Where ` && cleanup` can be appended right after `view` without changing what the
    /// script does otherwise: the command runs directly in the script's shell (not in a
    /// pipeline, subshell, substitution, condition or background job), appending `&& x`
    /// to it keeps the and-or list's outcome when `x` succeeds, and `x` runs as root
    /// (no `sudo` in the script, no non-root `USER` before the RUN). Nil otherwise.
    public static func appendOffset(after view: CommandView, in script: ShellScript, of run: RunScript,
                             model: DockerfileModel) -> Int? {
        guard view.context.enclosures.isEmpty, view.context.pipelineLength == 1, !view.context.isBackground,
              !script.commands.contains(where: { $0.wrappers.contains("sudo") || $0.name == "sudo" }),
              !runsAsNonRoot(run, model: model) else { return nil }
        return script.sourceRange(view.command.range).end
    }

    /// Whether a `USER` before the RUN, in its stage or the stages it is built on, is not root.
    public static func runsAsNonRoot(_ run: RunScript, model: DockerfileModel) -> Bool {
        // For a trigger, the USER in effect at its ONBUILD, as for any instruction there.
        guard let user = model.userInEffect(at: run.instruction.range.start, inStage: run.stageIndex) else { return false }
        return !user.isRoot
    }

    /// Whether a command removes `path` or a folder above it, or what is inside it
    /// (`rm -rf /var/lib/apt/lists/*`, `rm -rf /var/cache/dnf`).
    public static func removes(_ view: CommandView, anyOf paths: [String]) -> Bool {
        guard view.name == "rm" else { return false }
        return view.arguments.contains { word in
            guard var value = word.literalValue, !value.hasPrefix("-") else { return false }
            while value.hasSuffix("/*") || value.hasSuffix("*") || (value.count > 1 && value.hasSuffix("/")) {
                value.removeLast(value.hasSuffix("/*") ? 2 : 1)
            }
            return paths.contains { path in value == path || path.hasPrefix(value + "/") }
        }
    }

    /// Whether a cache or tmpfs mount of the RUN covers any of `paths`.
    public static func isCached(_ run: RunScript, anyOf paths: [String]) -> Bool {
        paths.contains { RunMount.isCached($0, in: run.instruction) }
    }
}

/// Increasing indices of a command's arguments, held as a bit set for the first 64 (no
/// allocation for any usual command) and as a list beyond.
struct ArgumentIndexSet: Sequence, Sendable {
    private var mask: UInt64 = 0
    private var beyond: [Int32] = []

    /// Adds `index`, which must be larger than every index already added.
    mutating func append(_ index: Int) {
        if index < 64 { mask |= 1 << UInt64(index) } else { beyond.append(Int32(index)) }
    }

    var isEmpty: Bool { mask == 0 && beyond.isEmpty }

    /// The smallest index.
    var first: Int? { mask != 0 ? mask.trailingZeroBitCount : beyond.first.map(Int.init) }

    func makeIterator() -> Iterator { Iterator(mask: mask, beyond: beyond.makeIterator()) }

    struct Iterator: IteratorProtocol {
        var mask: UInt64
        var beyond: IndexingIterator<[Int32]>

        mutating func next() -> Int? {
            guard mask != 0 else { return beyond.next().map(Int.init) }
            let index = mask.trailingZeroBitCount
            mask &= mask - 1
            return index
        }
    }
}
