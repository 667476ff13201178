@testable import DockwrightCLI
import DockwrightOutput
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// File and folder names that are not valid UTF-8 (a byte 0xFF, as a Latin-1 system
/// writes `ÿ`): `lint` and `fix` open them by their exact bytes, given on the command
/// line or found in a folder, and show them as `\xff` in every report.
@Suite struct NonUTF8PathTests {
    private let bad = Array("FROM alpine:3.20\nADD a /b\n".utf8)
    private let good = Array("FROM alpine:3.20\nCOPY a /b\n".utf8)

    // MARK: - The path codec

    @Test(arguments: [
        Array("Dockerfile".utf8), Array("a".utf8) + [0xFF] + Array("/Dockerfile".utf8), [0xC3, 0x28, 0x80, 0xFE],
        Array("caf\u{E9}/\u{10FFFF}\u{10FF80}x".utf8), [0xF4, 0x8F, 0xBF], [0xED, 0xA0, 0x80],
    ])
    func everyNameDecodesAndEncodesToItsOwnBytes(bytes: [UInt8]) {
        let path = RawPath.string(bytes)
        #expect(RawPath.bytes(path) == bytes)
        #expect(RawPath.withCString(path) { Array(UnsafeBufferPointer(start: $0, count: strlen($0))) }
            == bytes.map { CChar(bitPattern: $0) })
    }

    @Test func aValidNameIsItsOwnStringAndDisplay() {
        #expect(RawPath.string(Array("caf\u{E9}/Dockerfile".utf8)) == "caf\u{E9}/Dockerfile")
        #expect(RawPath.display("caf\u{E9}/Dockerfile") == "caf\u{E9}/Dockerfile")
    }

    @Test func invalidBytesAreDisplayedAsHexEscapes() {
        let path = RawPath.string(Array("a".utf8) + [0xFF, 0xC3] + Array("/Dockerfile.".utf8) + [0x80])
        #expect(RawPath.display(path) == "a\\xff\\xc3/Dockerfile.\\x80")
        #expect(FileDiscovery.isDockerfileName(RawPath.string(Array("Dockerfile.".utf8) + [0xFF])))
    }

    // MARK: - Through the built binary

    /// A temporary folder holding `a<FF>/Dockerfile` and `Dockerfile.<FF>`, both
    /// needing a fix; the folder's path as bytes.
    private func folderWithByteNames() throws -> [UInt8] {
        let root = ScratchFolder.root.appendingPathComponent("dockwright-bytes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let rootBytes = Array(root.path.utf8)
        #expect(Self.withPath(rootBytes + Array("/a".utf8) + [0xFF]) { mkdir($0, 0o755) } == 0)
        try Self.write(bad, to: rootBytes + Array("/a".utf8) + [0xFF] + Array("/Dockerfile".utf8))
        try Self.write(bad, to: rootBytes + Array("/Dockerfile.".utf8) + [0xFF])
        return rootBytes
    }

    private static func withPath<Result>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> Result) -> Result {
        body((bytes + [0]).map { CChar(bitPattern: $0) })
    }

    private static func write(_ content: [UInt8], to path: [UInt8]) throws {
        let descriptor = withPath(path) { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        _ = content.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
    }

    private static func read(_ path: [UInt8]) throws -> [UInt8] {
        try FileReader.read(path: RawPath.string(path))
    }

    /// The names in a folder, as bytes.
    private static func names(in folder: [UInt8]) -> [[UInt8]] {
        guard let directory = withPath(folder, { opendir($0) }) else { return [] }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name != [0x2E] && name != [0x2E, 0x2E] { names.append(name) }
        }
        return names
    }

    private func shown(_ root: [UInt8]) -> String { String(decoding: root, as: UTF8.self) }

    @Test func lintOfAFolderFindsAndNamesBothFiles() throws {
        let root = try folderWithByteNames()
        let gnu = try SpawnedBinary.run([Array("lint".utf8), Array("-f".utf8), Array("gnu".utf8), root])
        #expect(gnu.status == .exited(1))
        let text = String(decoding: gnu.output, as: UTF8.self)
        #expect(text.contains("\(shown(root))/a\\xff/Dockerfile:2.1-2.4: error: Use `COPY` instead of `ADD`"))
        #expect(text.contains("\(shown(root))/Dockerfile.\\xff:2.1-2.4: error"))
        #expect(String(validating: gnu.output, as: UTF8.self) != nil, "the report is valid UTF-8")
        #expect(gnu.errors.isEmpty)
    }

    @Test(arguments: OutputFormat.allCases)
    func everyReportFormatStaysValidAndShowsTheEscapedName(format: OutputFormat) throws {
        let root = try folderWithByteNames()
        let run = try SpawnedBinary.run([Array("lint".utf8), Array("-f".utf8), Array(format.rawValue.utf8), root])
        #expect(run.status == .exited(1))
        #expect(String(validating: run.output, as: UTF8.self) != nil, "valid UTF-8")
        // JSON writes the backslash of `\xff` as `\\`.
        let text = String(decoding: run.output, as: UTF8.self).replacingOccurrences(of: "\\\\", with: "\\")
        #expect(text.contains("a\\xff/Dockerfile"))
        #expect(text.contains("Dockerfile.\\xff"))
        if [.json, .sarif, .gitlab, .gitlabCodeclimate, .sonarqube].contains(format) {
            #expect((try? JSONSerialization.jsonObject(with: Data(run.output))) != nil, "valid JSON")
        }
    }

    @Test func lintOfEachFileByItsBytes() throws {
        let root = try folderWithByteNames()
        for name in [Array("/a".utf8) + [0xFF] + Array("/Dockerfile".utf8), Array("/Dockerfile.".utf8) + [0xFF]] {
            let run = try SpawnedBinary.run([Array("lint".utf8), Array("-f".utf8), Array("gnu".utf8), root + name])
            #expect(run.status == .exited(1))
            #expect(String(decoding: run.output, as: UTF8.self).contains(
                RawPath.display(RawPath.string(root + name)) + ":2.1-2.4: error"))
            #expect(run.errors.isEmpty, "\(String(decoding: run.errors, as: UTF8.self))")
        }
    }

    @Test func fixOfAFolderRewritesBothFilesInPlace() throws {
        let root = try folderWithByteNames()
        let run = try SpawnedBinary.run([Array("fix".utf8), root])
        #expect(run.status == .exited(0), "\(String(decoding: run.errors, as: UTF8.self))")
        #expect(try Self.read(root + Array("/a".utf8) + [0xFF] + Array("/Dockerfile".utf8)) == good)
        #expect(try Self.read(root + Array("/Dockerfile.".utf8) + [0xFF]) == good)
        #expect(Set(Self.names(in: root)) == [Array("a".utf8) + [0xFF], Array("Dockerfile.".utf8) + [0xFF]],
                "no temporary file, no file under another name")
        #expect(Self.names(in: root + Array("/a".utf8) + [0xFF]) == [Array("Dockerfile".utf8)])
    }

    @Test func fixOfEachFileByItsBytes() throws {
        let root = try folderWithByteNames()
        let inFolder = root + Array("/a".utf8) + [0xFF] + Array("/Dockerfile".utf8)
        let diff = try SpawnedBinary.run([Array("fix".utf8), Array("--diff".utf8), inFolder])
        #expect(diff.status == .exited(1))
        #expect(String(decoding: diff.output, as: UTF8.self).contains("--- \(shown(root))/a\\xff/Dockerfile\n"))
        for path in [inFolder, root + Array("/Dockerfile.".utf8) + [0xFF]] {
            let run = try SpawnedBinary.run([Array("fix".utf8), path])
            #expect(run.status == .exited(0), "\(String(decoding: run.errors, as: UTF8.self))")
            #expect(try Self.read(path) == good)
        }
        #expect(Set(Self.names(in: root)) == [Array("a".utf8) + [0xFF], Array("Dockerfile.".utf8) + [0xFF]])
    }

    @Test func dumpReadsTheFileByItsBytes() throws {
        let root = try folderWithByteNames()
        let run = try SpawnedBinary.run([Array("dump".utf8), root + Array("/Dockerfile.".utf8) + [0xFF]])
        #expect(run.status == .exited(0), "\(String(decoding: run.errors, as: UTF8.self))")
        #expect(String(decoding: run.output, as: UTF8.self).contains("ADD"))
    }

    @Test func aMissingFileIsNamedWithEscapes() throws {
        let root = try folderWithByteNames()
        let run = try SpawnedBinary.run([Array("lint".utf8), root + Array("/b".utf8) + [0xFE]])
        #expect(run.status == .exited(2))
        #expect(String(decoding: run.errors, as: UTF8.self).contains("\(shown(root))/b\\xfe: cannot read: No such file or directory"))
    }
}
