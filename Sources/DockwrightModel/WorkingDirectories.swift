import DockwrightShell
import DockwrightSyntax
import Synchronization

/// Follows WORKDIR through every stage as BuildKit's `dispatchWorkdir` does: ARG and
/// ENV values are substituted, a relative path joins the one before it, and `.`/`..`
/// are resolved.
package enum WorkingDirectories {
    /// The WORKDIR in effect before each top-level instruction, by start offset.
    ///
    /// A stage built on an image starts in the image's own folder, which the file does
    /// not show (`.relative` anchored at its FROM); `scratch` starts in `/`. A stage built
    /// on another starts where that one ended, after the base stage's `ONBUILD WORKDIR`
    /// triggers, which BuildKit runs in the stages built on it. A WORKDIR naming a
    /// variable the file does not define starts a folder of its own (anchored there).
    static func compute(_ graph: StageGraph) -> WorkingDirectoryTable {
        var table = WorkingDirectoryTable()
        var stageEnds: [WorkingDirectoryTable.Folder] = []
        let scope = graph.argScope
        for stage in graph.stages {
            var current = scope.inheritsImageEnvironment(stageIndex: stage.index)
                ? table.imageFolder(anchor: stage.from.range.start) : table.rootFolder
            if let base = stage.baseStageIndex, base < stageEnds.count {
                current = stageEnds[base]
                for trigger in graph.stages[base].instructions.compactMap(\.trigger) where trigger.kind == .workdir {
                    let environment = scope.variables(atEndOfStage: base) ?? [:]
                    current = changed(current, by: trigger, environment: environment, scope: scope, in: &table)
                }
            }
            for instruction in stage.instructions {
                table.append(instruction.range.start, current)
                guard instruction.kind == .workdir else { continue }
                let environment = scope.variables(before: instruction) ?? [:]
                current = changed(current, by: instruction, environment: environment, scope: scope, in: &table)
            }
            stageEnds.append(current)
        }
        table.compact()
        return table
    }

    /// A path word of `instruction` (a WORKDIR or a COPY destination) with the ARG and
    /// ENV values substituted, or nil when it names a variable the file does not define
    /// (the base image might) or does not expand.
    package static func expanded(_ word: String, before instruction: InstructionSyntax, scope: ArgScope) -> String? {
        guard word.contains("$") else { return InstructionText.unquoted(word) }
        guard let environment = scope.variables(before: instruction) else { return nil }
        return expanded(word, environment: environment, scope: scope)
    }

    /// The folder after `workdir` runs in `current`.
    private static func changed(
        _ current: WorkingDirectoryTable.Folder, by workdir: InstructionSyntax, environment: VariableEnvironment,
        scope: ArgScope, in table: inout WorkingDirectoryTable
    ) -> WorkingDirectoryTable.Folder {
        guard let written = workdir.values.first else { return current }
        guard let value = expanded(written, environment: environment, scope: scope) else {
            return table.imageFolder(anchor: workdir.range.start)
        }
        let next = table.folder(current, appending: value)
        return table.utf8Count(of: next) > longestPath ? table.imageFolder(anchor: workdir.range.start) : next
    }

    /// Linux's `PATH_MAX`. A longer folder cannot be created or entered, so the build fails
    /// there; past it the folder counts as one the file does not show. That also keeps a
    /// chain of thousands of relative WORKDIRs from building ever longer paths, which
    /// would take time quadratic in the file.
    static let longestPath = 4096

    /// A word with the ARG and ENV values substituted, or nil when it names a variable
    /// the file does not define or does not expand.
    private static func expanded(_ word: String, environment: VariableEnvironment, scope: ArgScope) -> String? {
        guard word.contains("$") else { return InstructionText.unquoted(word) }
        let expansion = scope.expander.evaluate(word, environment: environment)
        guard expansion.undefinedNames.isEmpty else { return nil }
        return expansion.value
    }
}

/// The WORKDIR in effect before each top-level instruction of a stage, by the
/// instruction's start offset: the offsets in order, and the folder only where it
/// changes. A dictionary of every instruction's folder cost a large file 90 bytes a line.
///
/// The folders are a tree of path components, each node one component below its parent,
/// and a path is spelled out only when a caller asks for it: a chain of relative WORKDIRs
/// grows its folder up to ``WorkingDirectories/longestPath`` bytes, and keeping each
/// WORKDIR's folder as a whole string cost up to 4 KB a line (issue 13). Each WORKDIR
/// now stores only the components it wrote.
public struct WorkingDirectoryTable: Sendable {
    /// A folder: the index of its last component's node in ``nodes``.
    typealias Folder = Int

    /// One folder of the tree: a component below `parent`, or a root (`parent` nil).
    ///
    /// Four 32-bit fields, a root's kind in the place of its (empty) component: every
    /// stage built on an image starts a root of its own, and a file of thousands of
    /// stages kept a 40-byte node and a dictionary entry for each (issue 13).
    private struct Node {
        /// The parent's index; -1 for a root.
        private let storedParent: Int32
        /// A component's start in ``componentBytes``; a root's code.
        private let first: UInt32
        /// A component's length; a root's kind.
        private let second: UInt32
        private let storedUTF8Count: UInt32

        /// A component below `parent`, at `component` in ``componentBytes``.
        init(parent: Folder, component: Range<Int>, utf8Count: Int) {
            storedParent = Int32(clamping: parent)
            first = UInt32(clamping: component.lowerBound)
            second = UInt32(clamping: component.count)
            storedUTF8Count = UInt32(clamping: utf8Count)
        }

        /// A root of `kind`, with `code` its anchor or its index in ``spelledRoots``.
        init(root kind: RootKind, code: Int, utf8Count: Int) {
            storedParent = -1
            first = UInt32(clamping: code)
            second = kind.rawValue
            storedUTF8Count = UInt32(clamping: utf8Count)
        }

        /// The folder this one lies in; nil for a root.
        var parent: Folder? { storedParent < 0 ? nil : Int(storedParent) }
        /// The component's bytes in ``componentBytes`` (empty for a root).
        var component: Range<Int> { parent == nil ? 0..<0 : Int(first)..<Int(first) + Int(second) }
        /// The UTF-8 length of the folder's path as ``ImagePath`` spells it.
        var utf8Count: Int { Int(storedUTF8Count) }
        /// A root's kind and code; nil for a component.
        var root: (kind: RootKind, code: Int)? {
            guard parent == nil, let kind = RootKind(rawValue: second) else { return nil }
            return (kind, Int(first))
        }
    }

    /// Where a chain of components starts: what a root node's code means.
    private enum RootKind: UInt32 {
        /// `/`; no code.
        case absolute
        /// The folder of the image (``ImagePath/relative(anchor:path:)``) anchored at the
        /// code, an offset.
        case relative
        /// A whole path, for a folder that is not ASCII: ``ImagePath/appending(_:)`` splits
        /// such a path into Characters, which a byte-wise tree would not always match.
        /// The code is its index in ``spelledRoots``.
        case spelled
    }

    /// The start offset of every top-level instruction of every stage, in file order, in
    /// 32 bits (the parser reads sources of at most 4 GiB).
    private var starts: [UInt32] = []
    /// Where the folder changes: the index in ``starts`` from which `folder` holds.
    private var changes: [(first: UInt32, folder: UInt32)] = []
    private var nodes: [Node] = [Node(root: .absolute, code: 0, utf8Count: 1)]
    /// The paths of the `.spelled` roots, in order.
    private var spelledRoots: [ImagePath] = []
    /// The bytes of every component, one after another.
    private var componentBytes: [UInt8] = []
    /// The last folder spelled out, so that the instructions under one WORKDIR, asked
    /// about in turn, share one string rather than each keeping a copy. Copies of the
    /// table share it: only ``WorkingDirectories/compute(_:)`` adds folders, before any
    /// is spelled.
    private let lastSpelled = SpelledFolderCache()

    /// `/`, where a stage built on `scratch` starts.
    var rootFolder: Folder { 0 }

    /// The base image's own folder, which the file does not show, anchored at `anchor`.
    mutating func imageFolder(anchor: Int) -> Folder {
        addRoot(.relative, code: anchor, utf8Count: 0)
    }

    /// `path` resolved against `folder`, as ``ImagePath/appending(_:)`` resolves it.
    ///
    /// An ASCII path is split at each `/` byte, as ``ImagePath/relativeNormalizedPath(_:)``
    /// splits an ASCII path: `.` stays, `..` goes up a node (never above the root), and
    /// every other component becomes a new node below the current one.
    mutating func folder(_ folder: Folder, appending path: String) -> Folder {
        // A whole path's folder is never a parent: what is appended to it is spelled too.
        if nodes[folder].root?.kind == .spelled {} else if path.utf8.allSatisfy({ $0 < 0x80 }) {
            return treeFolder(folder, appendingASCII: path)
        }
        let spelled = self.path(of: folder).appending(path)
        spelledRoots.append(spelled)
        return addRoot(.spelled, code: spelledRoots.count - 1, utf8Count: Self.utf8Count(of: spelled))
    }

    private mutating func treeFolder(_ folder: Folder, appendingASCII path: String) -> Folder {
        let slash = UInt8(ascii: "/")
        var current = path.utf8.first == slash ? rootFolder : folder
        for component in path.utf8.split(separator: slash) {
            if component.elementsEqual(".".utf8) { continue }
            if component.elementsEqual("..".utf8) {
                current = nodes[current].parent ?? current
                continue
            }
            let start = componentBytes.count
            componentBytes.append(contentsOf: component)
            let parent = nodes[current]
            let separator = parent.parent == nil ? 0 : 1
            nodes.append(Node(
                parent: current, component: start..<componentBytes.count,
                utf8Count: parent.utf8Count + separator + component.count))
            current = nodes.count - 1
        }
        return current
    }

    /// The UTF-8 length of `folder`'s path.
    func utf8Count(of folder: Folder) -> Int { nodes[folder].utf8Count }

    /// Records the folder in effect before the instruction at `start`, after those before it.
    mutating func append(_ start: Int, _ folder: Folder) {
        if changes.last.map({ Int($0.folder) }) != folder {
            changes.append((UInt32(clamping: starts.count), UInt32(clamping: folder)))
        }
        starts.append(UInt32(clamping: start))
    }

    /// The folder before the top-level instruction starting at `offset`; nil when no
    /// instruction of a stage starts there (instructions before the first FROM, triggers).
    public subscript(offset: Int) -> ImagePath? {
        let index = starts.partitioningIndex { Int($0) >= offset }
        guard index < starts.count, Int(starts[index]) == offset else { return nil }
        let folder = Int(changes[changes.partitioningIndex { Int($0.first) > index } - 1].folder)
        return lastSpelled.path(of: folder) { path(of: folder) }
    }

    /// The folder as ``ImagePath`` spells it: the components from the root down, joined by `/`.
    private func path(of folder: Folder) -> ImagePath {
        var ranges: [Range<Int>] = []
        var root = folder
        while let parent = nodes[root].parent {
            ranges.append(nodes[root].component)
            root = parent
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(nodes[folder].utf8Count)
        for range in ranges.reversed() {
            if !bytes.isEmpty { bytes.append(UInt8(ascii: "/")) }
            bytes.append(contentsOf: componentBytes[range])
        }
        let text = String(decoding: bytes, as: UTF8.self)
        switch nodes[root].root {
        case (.relative, let anchor)?: return .relative(anchor: anchor, path: text)
        case (.spelled, let index)? where spelledRoots.indices.contains(index): return spelledRoots[index]
        default: return .absolute("/" + text)
        }
    }

    private mutating func addRoot(_ kind: RootKind, code: Int, utf8Count: Int) -> Folder {
        nodes.append(Node(root: kind, code: code, utf8Count: utf8Count))
        return nodes.count - 1
    }

    /// The table without the spare room its lists grew with: the model keeps it for the
    /// whole lint.
    mutating func compact() {
        starts = starts.compacted()
        changes = changes.compacted()
        nodes = nodes.compacted()
        componentBytes = componentBytes.compacted()
    }

    private static func utf8Count(of path: ImagePath) -> Int {
        switch path {
        case .absolute(let text), .relative(_, let text), .home(let text): text.utf8.count
        }
    }
}

/// The last folder ``WorkingDirectoryTable`` spelled out, shared by the threads that ask.
private final class SpelledFolderCache: Sendable {
    private let last = Mutex<(folder: Int, path: ImagePath)?>(nil)

    /// The path of `folder`, spelled by `spell` unless it was the last one asked for.
    func path(of folder: Int, spell: () -> ImagePath) -> ImagePath {
        if let known = last.withLock({ $0?.folder == folder ? $0?.path : nil }) { return known }
        let path = spell()
        last.withLock { $0 = (folder, path) }
        return path
    }
}
