import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where the tests write their files: one folder for the whole test process, removed
/// when the process exits, so a run of `swift test` leaves nothing behind in the
/// system's temporary folder however its tests end.
enum ScratchFolder {
    static let root: URL = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dockwright-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: ScratchFolder.root) }
        return root
    }()
}
