import DockwrightSyntax
import Testing

@Suite struct ByteSearchTests {
    /// Searching a file's bytes finds an ASCII marker exactly where searching its decoded
    /// text does, invalid UTF-8 and a marker at either end included.
    @Test func bytesAnswerAsTheirDecodedText() {
        let files: [[UInt8]] = [
            Array("RUN echo x > /etc/apk/repositories\n".utf8),
            Array("/etc/apk/keys".utf8),
            [0xFF] + Array("/etc/apk/key".utf8) + [0xC3, 0x28],
            Array("/etc/apk".utf8) + [0x80] + Array("/repositories".utf8),
            [],
        ]
        for file in files {
            let text = String(decoding: file, as: UTF8.self)
            for marker in ["/etc/apk/repositories", "/etc/apk/keys", "/etc/apk", ""] {
                #expect(file.containsBytes(of: marker) == text.containsBytes(of: marker))
            }
        }
        #expect(Array("a/etc/apk/keysb".utf8).containsBytes(of: "/etc/apk/keys"))
        #expect(!Array("/etc/apk/key".utf8).containsBytes(of: "/etc/apk/keys"))
    }
}
