#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes framed messages to the client. The dispatcher and the diagnostics thread
/// both send, so each message goes out whole under a lock. A write that fails (the
/// client went away) is remembered, and the server ends instead of writing on.
final class MessageWriter: @unchecked Sendable {
    private let descriptor: Int32
    private let monitor = Monitor()
    private var failed = false

    /// Creates a writer to an open descriptor, which it does not close.
    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Whether a write has failed.
    var hasFailed: Bool { monitor.withLock { failed } }

    /// Sends one message; false when the stream is gone.
    @discardableResult
    func send(_ message: JSONValue) -> Bool {
        let body = message.serialized
        var bytes = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
        bytes.append(contentsOf: body)
        return monitor.withLock {
            guard !failed else { return false }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else {
                    failed = true
                    return false
                }
                offset += written
            }
            return true
        }
    }
}
