import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files safely: a temporary file in the same folder, flushed to disk, then
/// renamed over the original, keeping its permission bits, owner and group.
///
/// The temporary file is named `.<name>.dockwright-<pid>.tmp`: hidden, and matching
/// no Dockerfile pattern, so discovery never lints or fixes one left behind. It is
/// removed on SIGINT and SIGTERM; one left by a killed run (SIGKILL) is removed by
/// the next run that writes beside it, once its process is gone.
enum FileWriter {
    /// Why a fixed file was not written.
    struct WriteFailure: Error {
        let reason: String
    }

    /// Replaces the file at `path` (through a symbolic link, its target) with `bytes`,
    /// unless it is no longer the file that was read: its content must still be
    /// `original`, and its identity (device, inode, size, modification time) still
    /// `identity`, checked again immediately before the rename. A read-only file is
    /// refused unless `isForced`. Returns notes worth telling the user (a group that
    /// could not be kept).
    ///
    /// The rename is atomic, so a reader sees the old file or the new one, never a
    /// mix. What remains unprotected is the time between the last check and the
    /// rename (one `stat` call, microseconds) and a program that keeps the file open
    /// and writes after the rename: POSIX has no rename that fails when the target
    /// changed.
    @discardableResult
    static func replace(
        path: String, with bytes: [UInt8], expecting original: [UInt8], identity: FileReader.Identity? = nil,
        isForced: Bool = false
    ) throws(WriteFailure) -> [String] {
        guard let target = realPath(path) else {
            throw WriteFailure(reason: "cannot resolve the path: \(String(cString: strerror(errno)))")
        }
        guard let status = RawPath.status(target) else { throw WriteFailure(reason: String(cString: strerror(errno))) }
        if !isForced && ((status.st_mode & 0o222) == 0 || RawPath.withCString(target, { access($0, W_OK) }) != 0) {
            throw WriteFailure(reason: "read-only; not written (use --force to replace it)")
        }
        // Another program (an editor, a formatter) may have saved since we read it.
        try ensureUnchanged(target, original: original, identity: identity)
        removeStaleTemporaryFiles(besides: target)
        let temporary = temporaryPath(for: target)
        let descriptor = RawPath.withCString(temporary) { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600) }
        guard descriptor >= 0 else {
            throw WriteFailure(reason: "cannot create a temporary file beside it: \(String(cString: strerror(errno)))")
        }
        let pending = PendingTemporaryFile.set(temporary)
        defer { PendingTemporaryFile.clear(pending) }
        func abandon(_ reason: String) -> WriteFailure {
            close(descriptor)
            RawPath.remove(temporary)
            return WriteFailure(reason: reason)
        }
        do {
            try FileOutput.writeAll(bytes, to: descriptor)
        } catch {
            throw abandon("cannot write: \(error.reason)")
        }
        var notes: [String] = []
        // A user may own a file whose group is one they are not in: chown then fails
        // and the new file would silently get the user's own group.
        if fchown(descriptor, status.st_uid, status.st_gid) != 0 {
            var written = stat()
            if fstat(descriptor, &written) == 0 && written.st_gid != status.st_gid {
                notes.append("its group \(status.st_gid) could not be kept (\(String(cString: strerror(errno)))); "
                    + "it is now \(written.st_gid)")
            }
        }
        // Set the mode explicitly: open()'s mode is filtered by the umask.
        guard fchmod(descriptor, status.st_mode & 0o7777) == 0 else { throw abandon("cannot set permissions") }
        guard fsync(descriptor) == 0 else { throw abandon("cannot flush to disk: \(String(cString: strerror(errno)))") }
        guard close(descriptor) == 0 else {
            RawPath.remove(temporary)
            throw WriteFailure(reason: "cannot write: \(String(cString: strerror(errno)))")
        }
        FaultInjection.beforeFinalCheck(of: target)
        // The narrowest window the OS allows: content first (the slow part), then
        // the identity (one stat), then at once the rename.
        do {
            try ensureUnchanged(target, original: original, identity: identity)
        } catch {
            RawPath.remove(temporary)
            throw error
        }
        FaultInjection.beforeRename()
        let renamed = RawPath.withCString(temporary) { from in RawPath.withCString(target) { to in rename(from, to) } }
        guard renamed == 0 else {
            RawPath.remove(temporary)
            throw WriteFailure(reason: "cannot replace the file: \(String(cString: strerror(errno)))")
        }
        return notes
    }

    /// Creates the file `path` with `bytes`, unless a file of that name appears
    /// meanwhile: written to a temporary file beside it, flushed, then linked into place
    /// (`link` fails rather than replace a file that exists) and the temporary removed.
    /// The new file gets the usual permissions (0666 less the umask).
    static func create(path: String, with bytes: [UInt8]) throws(WriteFailure) {
        var status = stat()
        guard lstat(path, &status) != 0 else { throw WriteFailure(reason: "exists already; not written") }
        removeStaleTemporaryFiles(besides: path)
        let temporary = temporaryPath(for: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw WriteFailure(reason: "cannot create a temporary file beside it: \(String(cString: strerror(errno)))")
        }
        let pending = PendingTemporaryFile.set(temporary)
        defer { PendingTemporaryFile.clear(pending) }
        do {
            try FileOutput.writeAll(bytes, to: descriptor)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw WriteFailure(reason: "cannot write: \(error.reason)")
        }
        guard fsync(descriptor) == 0, close(descriptor) == 0 else {
            unlink(temporary)
            throw WriteFailure(reason: "cannot write: \(String(cString: strerror(errno)))")
        }
        defer { unlink(temporary) }
        guard link(temporary, path) == 0 else {
            throw WriteFailure(reason: errno == EEXIST ? "appeared on disk meanwhile; not written"
                : "cannot create it: \(String(cString: strerror(errno)))")
        }
    }

    private static func ensureUnchanged(
        _ target: String, original: [UInt8], identity: FileReader.Identity?
    ) throws(WriteFailure) {
        guard let current = try? FileReader.read(path: target), current == original,
              identity == nil || FileReader.identity(path: target) == identity
        else {
            throw WriteFailure(reason: "changed on disk since it was read; not written")
        }
    }

    // MARK: - Temporary files

    private static let temporaryMarker = ".dockwright-"
    private static let temporarySuffix = ".tmp"

    /// `.<name>.dockwright-<pid>.tmp` beside `target`.
    static func temporaryPath(for target: String) -> String {
        let (folder, name) = split(target)
        return folder + "." + name + temporaryMarker + "\(getpid())" + temporarySuffix
    }

    /// Whether a file name is one of our temporary files, which discovery skips.
    static func isTemporaryName(_ name: String) -> Bool {
        name.hasPrefix(".") && name.hasSuffix(temporarySuffix) && processID(inTemporaryName: name) != nil
    }

    /// The process that made a temporary file, from its name.
    private static func processID(inTemporaryName name: String) -> pid_t? {
        guard name.hasSuffix(temporarySuffix) else { return nil }
        let stem = name.dropLast(temporarySuffix.count)
        guard let dash = stem.lastIndex(of: "-"), stem[...dash].hasSuffix(temporaryMarker) else { return nil }
        let digits = stem[stem.index(after: dash)...]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return pid_t(digits)
    }

    /// Removes the temporary files for `target` that a killed run left behind: only
    /// ours (named after this target), and only when their process is gone.
    private static func removeStaleTemporaryFiles(besides target: String) {
        let (folder, name) = split(target)
        let prefix = "." + name + temporaryMarker
        guard let directory = RawPath.withCString(folder.isEmpty ? "." : folder, { opendir($0) }) else { return }
        defer { closedir(directory) }
        var stale: [String] = []
        while let entry = readdir(directory) {
            let entryName = RawPath.name(of: entry)
            guard entryName.hasPrefix(prefix), let owner = processID(inTemporaryName: entryName) else { continue }
            // kill(pid, 0) fails with ESRCH when no such process exists.
            if owner != getpid() && kill(owner, 0) != 0 && errno == ESRCH { stale.append(entryName) }
        }
        for entryName in stale { RawPath.remove(folder + entryName) }
    }

    /// The folder part (with its trailing `/`, or empty) and the file name.
    private static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }

    // MARK: - Paths

    /// The path with every symbolic link resolved, or nil when it cannot be.
    static func realPath(_ path: String) -> String? {
        RawPath.resolved(path)
    }

    /// Whether `path` itself is a symbolic link.
    static func isSymbolicLink(_ path: String) -> Bool {
        RawPath.status(path, followingLinks: false).map { ($0.st_mode & S_IFMT) == S_IFLNK } ?? false
    }
}

/// The temporary files being written, kept where a signal handler can read them, so
/// SIGINT, SIGTERM and SIGHUP remove them; the handler then restores the default
/// action and raises the signal again, so the run still ends by that signal (a
/// shell sees 130 or 143), as it would without the handler.
///
/// One slot per write in progress: writes may run on several threads at once (the
/// tests fix files in parallel in one process), and one shared path would let one
/// write's handler remove, or forget, another's file.
enum PendingTemporaryFile {
    /// Room for a path; a longer one is not removed by the handler (it is still
    /// hidden from discovery, and the next run removes it).
    private static let capacity = Int(PATH_MAX) + 1
    /// Writes in progress the handler can clean up; a write beyond them is left to
    /// the next run's stale-file cleanup, as an over-long path is.
    private static let slotCount = 16
    // A slot is filled and emptied only by the write that claimed it; the handler
    // reads every slot and calls only async-signal-safe functions (unlink, signal, raise).
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: capacity * slotCount)
        buffer.initialize(repeating: 0, count: capacity * slotCount)
        return buffer
    }()
    /// Which slots are claimed, and whether the handlers are installed.
    private static let state = Mutex((claimed: [Bool](repeating: false, count: slotCount), isInstalled: false))

    /// A claimed slot, to give back with ``clear(_:)``.
    struct Slot {
        fileprivate let index: Int?
    }

    /// Records `temporary` and makes sure the handlers are installed.
    static func set(_ temporary: String) -> Slot {
        let bytes = RawPath.bytes(temporary)
        let index = state.withLock { state -> Int? in
            if !state.isInstalled {
                state.isInstalled = true
                _ = slots
                for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
                    signal(signalNumber) { received in
                        PendingTemporaryFile.removeNow()
                        signal(received, SIG_DFL)
                        raise(received)
                    }
                }
            }
            guard !bytes.isEmpty, bytes.count < capacity, let free = state.claimed.firstIndex(of: false) else {
                return nil
            }
            state.claimed[free] = true
            return free
        }
        guard let index else { return Slot(index: nil) }
        let path = slots + index * capacity
        for (offset, byte) in bytes.enumerated().dropFirst() { path[offset] = CChar(bitPattern: byte) }
        path[bytes.count] = 0
        // The first byte last, so the handler never sees a half-written path.
        path[0] = CChar(bitPattern: bytes[0])
        return Slot(index: index)
    }

    /// Whether `temporary` is recorded for the handler to remove.
    static func isRecorded(_ temporary: String) -> Bool {
        (0..<slotCount).contains { RawPath.string(cString: slots + $0 * capacity) == temporary }
    }

    /// Removes every temporary file being written; async-signal-safe, for the
    /// signal handler.
    static func removeNow() {
        for index in 0..<slotCount where slots[index * capacity] != 0 { unlink(slots + index * capacity) }
    }

    /// Forgets a temporary file once it is renamed or removed.
    static func clear(_ slot: Slot) {
        guard let index = slot.index else { return }
        slots[index * capacity] = 0
        state.withLock { $0.claimed[index] = false }
    }
}

/// Test hooks that put another program's write into the narrow windows of a fix.
enum FaultInjection {
    private static let hooks = Mutex<[String: @Sendable () -> Void]>([:])

    /// Runs `action` when a fix of the file at `target` (a resolved path) has
    /// written its temporary file and is about to check the original a last time.
    static func whenWriting(_ target: String, run action: @escaping @Sendable () -> Void) {
        hooks.withLock { $0[target] = action }
    }

    /// Removes the hook for `target`.
    static func remove(_ target: String) {
        _ = hooks.withLock { $0.removeValue(forKey: target) }
    }

    static func beforeFinalCheck(of target: String) {
        hooks.withLock { $0[target] }?()
    }

    /// The environment variable that turns on ``beforeRename()``; for tests only.
    static let stopBeforeRenameVariable = "DOCKWRIGHT_FAULT_STOP_BEFORE_RENAME"

    /// Test hook, inert unless `DOCKWRIGHT_FAULT_STOP_BEFORE_RENAME=1` is set: the
    /// process stops itself (SIGSTOP) once the temporary file is written, flushed and
    /// the original checked a last time, just before the rename. A test of the built
    /// binary waits for the stop, sends SIGINT or SIGTERM, then SIGCONT, and so puts a
    /// real signal into that window without depending on timing.
    static func beforeRename() {
        guard let value = getenv(stopBeforeRenameVariable), String(cString: value) == "1" else { return }
        raise(SIGSTOP)
    }
}
