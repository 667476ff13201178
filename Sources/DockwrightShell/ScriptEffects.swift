import DockwrightSyntax

/// What one script does, as the rules that move, merge or split RUNs need to know it:
/// the shell state it leaks, the files it reads and writes, the programs it calls.
///
/// Built by one walk of the script (``ShellScript/effects(workingDirectory:variables:)``);
/// the model keeps one per RUN (`DockerfileModel.effects(of:)`).
public struct ScriptEffects: Hashable, Sendable {
    /// What the script changes in its shell that a command joined after it would see.
    public let stateLeaks: [StateLeak]
    /// Files and folders it reads, in source order; implicit package-manager
    /// configuration comes right after the command that reads it.
    public let reads: PathEffects
    /// Files and folders it writes, creates, deletes or changes the attributes of.
    public let writes: PathEffects
    /// The programs it runs (wrappers such as `sudo`, `env`, `xargs` and `sh -c` seen
    /// through; shell builtins apart), in source order.
    public let programs: [ProgramCall]
    /// Environment variables the programs read for configuration, by name; a name
    /// ending in `*` stands for every variable with that prefix (`PIP_*`).
    public let environmentReads: [String]
    /// Whether the lists are all the script does as far as its text tells: false when
    /// the script did not parse, is not a POSIX shell script, or runs text only known at
    /// run time (`eval`, `sh -c "$CMD"`, `. "$FILE"`). A program whose name is a variable
    /// is listed as an unresolved ``ProgramCall`` instead.
    public let isComplete: Bool

    /// Creates the effects of a script.
    public init(
        stateLeaks: [StateLeak], reads: PathEffects, writes: PathEffects, programs: [ProgramCall],
        environmentReads: [String], isComplete: Bool
    ) {
        self.stateLeaks = stateLeaks
        self.reads = reads
        self.writes = writes
        self.programs = programs
        self.environmentReads = environmentReads
        self.isComplete = isComplete
    }

    /// The effects of a script that could not be read: nothing known, and not complete.
    public static let unknown = ScriptEffects(
        stateLeaks: [], reads: [], writes: [], programs: [], environmentReads: [], isComplete: false)

    /// Whether some read may lie in `folder` or contain it.
    public func mayRead(_ folder: ImagePath) -> Bool { reads.contains { $0.mayOverlap(folder) } }

    /// Whether some write may lie in `folder` or contain it.
    public func mayWrite(_ folder: ImagePath) -> Bool { writes.contains { $0.mayOverlap(folder) } }

    /// These effects with every path below the unknown folder anchored at `old` (see
    /// ``ImagePath/relative(anchor:path:)``) anchored at `new` instead: the effects the
    /// same script has in a stage whose base image's folder is anchored at `new`. The
    /// value itself, without a copy, when no path is anchored at `old`.
    ///
    /// What lets the model keep one value for the alike RUNs of many stages (`RUN
    /// apt-get update` in each), whose effects differ only in that anchor (issue 13).
    public func reanchored(from old: Int, to new: Int) -> ScriptEffects {
        guard old != new, mentions(anchor: old) else { return self }
        return ScriptEffects(
            stateLeaks: stateLeaks, reads: reads.reanchored(from: old, to: new),
            writes: writes.reanchored(from: old, to: new),
            programs: programs.map { $0.reanchored(from: old, to: new) },
            environmentReads: environmentReads, isComplete: isComplete)
    }

    /// Whether a path or a program's folder is anchored at `anchor`.
    func mentions(anchor: Int) -> Bool {
        programs.contains { $0.workingDirectory.isAnchored(at: anchor) }
            || reads.mentions(anchor: anchor) || writes.mentions(anchor: anchor)
    }
}

/// The files and folders a script reads or writes, in source order.
///
/// A package manager reads and writes the same few dozen configuration and system
/// paths on every call; those come from one table per package manager
/// (``PackageManagerFiles``), shared by every command that runs it, with only the
/// command's range stored per call. A file of thousands of `apt-get` RUNs would
/// otherwise hold about 40 copies of the table's paths per RUN.
public struct PathEffects: RandomAccessCollection, Hashable, Sendable, ExpressibleByArrayLiteral {
    /// A shared table's effects, placed among the single effects.
    private struct Placement: Sendable {
        let table: [PathEffect]
        /// Where the table's effects are reported.
        let span: ScriptSpan
        /// The position (after the leading table) of the table's first effect.
        let start: Int32
        /// How many single effects come before it.
        let singlesBefore: Int32
    }

    /// The first effects when they are a shared table (a script that starts with a
    /// package-manager call), held inline: most RUNs of a file of installs have no other
    /// reads, or no other writes.
    private var leadingTable: [PathEffect] = []
    /// Where the leading table's effects are reported, in 32 bits as every RUN's effects
    /// are kept.
    private var leadingSpan = ScriptSpan(0..<0)
    /// The effects appended one by one, in order.
    private var singles: [PathEffect] = []
    /// The later shared tables, in order. Kept apart from ``singles`` so a table costs
    /// 24 bytes rather than a slot as large as a ``PathEffect``: a heredoc of thousands of
    /// `apt-get` lines places two tables a line.
    private var placements: [Placement] = []
    /// How many effects ``placements`` hold: worked out from the last one rather than
    /// stored, as every RUN's effects are kept for the whole lint.
    private var placedEffectCount: Int {
        guard let last = placements.last else { return 0 }
        return Int(last.start) - Int(last.singlesBefore) + last.table.count
    }
    public var endIndex: Int { leadingTable.count + singles.count + placedEffectCount }

    /// No effects.
    public init() {}

    /// These effects, in order.
    public init(_ effects: [PathEffect]) { singles = effects }

    public init(arrayLiteral effects: PathEffect...) { self.init(effects) }

    public var startIndex: Int { 0 }

    public subscript(position: Int) -> PathEffect {
        if position < leadingTable.count { return leadingTable[position].reported(at: leadingSpan.range) }
        let position = position - leadingTable.count
        // The last table starting at or before `position`.
        let last = placements.partitioningIndex { Int($0.start) > position } - 1
        guard last >= 0 else { return singles[position] }
        let placement = placements[last]
        let offset = position - Int(placement.start)
        if offset < placement.table.count { return placement.table[offset].reported(at: placement.span.range) }
        return singles[Int(placement.singlesBefore) + offset - placement.table.count]
    }

    /// Appends one effect.
    mutating func append(_ effect: PathEffect) { singles.append(effect) }

    /// Appends every effect of a shared table, each reported at `range`.
    mutating func append(contentsOf table: [PathEffect], reportedAt range: Range<Int>) {
        guard !table.isEmpty else { return }
        if endIndex == 0 {
            leadingTable = table
            leadingSpan = ScriptSpan(range)
            return
        }
        placements.append(Placement(
            table: table, span: ScriptSpan(range), start: Int32(singles.count + placedEffectCount),
            singlesBefore: Int32(singles.count)))
    }

    /// Whether a path is anchored at `anchor`.
    func mentions(anchor: Int) -> Bool {
        contains { $0.path?.isAnchored(at: anchor) ?? false }
    }

    /// The same effects, each path anchored at `old` anchored at `new` instead
    /// (``ScriptEffects/reanchored(from:to:)``); the shared tables are copied only when
    /// one of their paths is.
    func reanchored(from old: Int, to new: Int) -> PathEffects {
        func moved(_ effects: [PathEffect]) -> [PathEffect] {
            guard effects.contains(where: { $0.path?.isAnchored(at: old) ?? false }) else { return effects }
            return effects.map { $0.reanchored(from: old, to: new) }
        }
        var copy = self
        copy.leadingTable = moved(leadingTable)
        copy.singles = moved(singles)
        copy.placements = placements.map { placement in
            Placement(
                table: moved(placement.table), span: placement.span, start: placement.start,
                singlesBefore: placement.singlesBefore)
        }
        return copy
    }

    /// The same effects without the spare room their lists grew with: the model keeps
    /// every RUN's effects for the whole lint.
    func compacted() -> PathEffects {
        var copy = self
        copy.singles = singles.compacted()
        copy.placements = placements.compacted()
        return copy
    }

    /// Equal when they list the same effects, however they are stored; the counts first,
    /// as the model compares each RUN's effects with its neighbours' (most differ).
    public static func == (left: PathEffects, right: PathEffects) -> Bool {
        left.count == right.count && left.elementsEqual(right)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for effect in self { hasher.combine(effect) }
    }
}

/// One file or folder a script reads or writes.
public struct PathEffect: Hashable, Sendable {
    /// Why the script touches the path.
    public enum Reason: Hashable, Sendable {
        // Reads.
        /// An argument of a command that names a path.
        case argument
        /// `< file`.
        case inputRedirection
        /// A script run (`sh x.sh`, `./x.sh`, `. x.sh`, `python x.py`) or a program run by path.
        case script
        /// A file listing what to install (`pip install -r`, `-c`, `--constraint`).
        case requirementFile
        /// A keyring named with `signed-by=`, `--keyring` or imported with `rpm --import`.
        case keyring
        /// A local package file given to a package manager (`./x.deb`, `x.whl`, `x.tar.gz`).
        case localPackage
        /// Configuration a package manager reads without being told (apt sources,
        /// `pip.conf`, `.npmrc`, `package.json`, `go.mod`, …).
        case packageManagerConfiguration
        // Writes.
        /// `> file`, `>> file`, `tee file`.
        case outputRedirection
        /// The output of a download (`curl -o`, `wget -O`, `wget` into the working directory).
        case download
        /// `mkdir`, `touch`, `ln`, `git clone` and the like.
        case creation
        /// The destination of `cp`, `mv`, `install`, `rsync`.
        case copyDestination
        /// Where an archive is extracted (`tar -x -C`, `unzip -d`).
        case extraction
        /// `rm`, `rmdir`, `unlink`, `find -delete`, and the sources of `mv`.
        case deletion
        /// `chmod`, `chown`, `chgrp`, `sed -i`.
        case modification
        /// Where a package manager installs.
        case installation
    }

    // Stored in this order so the one-byte fields fill the padding after `path`, and
    // the range in 32 bits: 56 bytes rather than 80, as a RUN's effects are kept for the
    // whole lint.
    /// Where it lies, resolved against the working directory in effect; nil when it
    /// starts with a value known only at run time. When ``isResolved`` is false the path
    /// holds glob characters (`*` for each unknown value) a consumer can match.
    public let path: ImagePath?
    /// Why the script touches the path.
    public let reason: Reason
    /// Whether the path is exact: no glob, no unknown variable.
    public let isResolved: Bool
    /// The path as written, `*` standing for each value known only at run time.
    public let pattern: String
    private let span: ScriptSpan

    /// The bytes that name it, in script offsets: the word, or the command for implicit reads.
    public var range: Range<Int> { span.range }

    /// Creates a path effect.
    public init(reason: Reason, path: ImagePath?, pattern: String, isResolved: Bool, range: Range<Int>) {
        self.reason = reason
        self.path = path
        self.pattern = pattern
        self.isResolved = isResolved
        span = ScriptSpan(range)
    }

    /// The same effect, named by the bytes at `range`.
    func reported(at range: Range<Int>) -> PathEffect {
        PathEffect(reason: reason, path: path, pattern: pattern, isResolved: isResolved, range: range)
    }

    /// Whether the path may be `folder`, lie in it or contain it; true when unknown.
    public func mayOverlap(_ folder: ImagePath) -> Bool { path?.mayOverlap(folder) ?? true }

    /// The same effect with its path anchored at `new` when it was anchored at `old`.
    func reanchored(from old: Int, to new: Int) -> PathEffect {
        guard let path, path.isAnchored(at: old) else { return self }
        return PathEffect(
            reason: reason, path: path.reanchored(from: old, to: new), pattern: pattern, isResolved: isResolved,
            range: range)
    }
}

/// A program a script runs.
public struct ProgramCall: Hashable, Sendable {
    /// The program as written (`apt-get`, `/usr/bin/python3`, `./build.sh`), `*` for
    /// each value known only at run time.
    public let name: String
    /// The wrappers seen through, outermost first (`sudo`, `env`, `xargs`, `sh -c`).
    public let wrappers: [String]
    /// The command's bytes in 32-bit script offsets (64 bytes a call rather than 72:
    /// every RUN's programs are kept for the whole lint).
    private let span: ScriptSpan
    // After the 8-byte-aligned fields, so the flag fills the folder's padding.
    /// The directory it runs in.
    public let workingDirectory: ImagePath
    /// Whether the name is literal.
    public let isResolved: Bool

    /// The command's bytes, in script offsets (for a `sh -c` body: the body's word).
    public var range: Range<Int> { span.range }

    /// Creates a program call.
    public init(name: String, isResolved: Bool, wrappers: [String], workingDirectory: ImagePath, range: Range<Int>) {
        self.name = name
        self.isResolved = isResolved
        self.wrappers = wrappers
        self.workingDirectory = workingDirectory
        span = ScriptSpan(range)
    }

    /// The same call, run in a folder anchored at `new` when its folder was anchored at `old`.
    func reanchored(from old: Int, to new: Int) -> ProgramCall {
        guard workingDirectory.isAnchored(at: old) else { return self }
        return ProgramCall(
            name: name, isResolved: isResolved, wrappers: wrappers,
            workingDirectory: workingDirectory.reanchored(from: old, to: new), range: range)
    }

    /// The program's name without its folder (`/usr/bin/apt-get` → `apt-get`).
    public var baseName: String {
        guard let slash = name.lastIndex(of: "/") else { return name }
        return String(name[name.index(after: slash)...])
    }
}
