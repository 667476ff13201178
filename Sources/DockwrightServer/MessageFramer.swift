/// Splits the byte stream of the LSP base protocol into message bodies: header lines
/// (`Content-Length: N`, optionally `Content-Type`) ended by an empty line, then N bytes.
///
/// A header block without a usable `Content-Length` cannot be framed; it is reported
/// and skipped, and reading resumes at the next header block, so one bad message never
/// ends the session.
package struct MessageFramer {
    /// One unit read from the stream.
    package enum Frame: Hashable, Sendable {
        /// A message body.
        case message([UInt8])
        /// Bytes that could not be framed, and why.
        case malformed(String)
    }

    /// The largest body accepted; a larger one is skipped (a 1 MB Dockerfile is a
    /// 1 MB message, so this is generous).
    package static let maximumBodyLength = 64 << 20
    /// Header bytes looked at before giving up on finding the empty line.
    package static let maximumHeaderLength = 8192

    private var buffer: [UInt8] = []
    private var position = 0
    private var pendingBodyLength: Int?
    private var bytesToSkip = 0

    /// Creates a framer with nothing read.
    package init() {}

    /// Adds bytes read from the stream.
    package mutating func append(_ bytes: ArraySlice<UInt8>) {
        if position > 0 && position >= buffer.count / 2 {
            buffer.removeFirst(position)
            position = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame, or nil when more bytes are needed.
    package mutating func next() -> Frame? {
        while true {
            if bytesToSkip > 0 {
                let skipped = min(bytesToSkip, buffer.count - position)
                position += skipped
                bytesToSkip -= skipped
                if bytesToSkip > 0 { return nil }
            }
            if let length = pendingBodyLength {
                guard buffer.count - position >= length else { return nil }
                let body = Array(buffer[position..<position + length])
                position += length
                pendingBodyLength = nil
                return .message(body)
            }
            // Blank lines between messages are tolerated.
            while position < buffer.count, buffer[position] == 0x0D || buffer[position] == 0x0A { position += 1 }
            guard let (headerEnd, bodyStart) = headerTerminator() else {
                if buffer.count - position > Self.maximumHeaderLength {
                    position = buffer.count
                    return .malformed("a header longer than \(Self.maximumHeaderLength) bytes without an empty line; skipped")
                }
                return nil
            }
            let header = String(decoding: buffer[position..<headerEnd], as: UTF8.self)
            position = bodyStart
            switch Self.contentLength(in: header) {
            case .success(let length) where length > Self.maximumBodyLength:
                bytesToSkip = length
                return .malformed("a message of \(length) bytes is larger than \(Self.maximumBodyLength); skipped")
            case .success(let length):
                pendingBodyLength = length
            case .failure(let problem):
                return .malformed(problem.message)
            }
        }
    }

    /// The end of the header block and the start of the body: the first empty line,
    /// ended by CRLF as the protocol says, or by a bare LF as some clients send.
    private func headerTerminator() -> (Int, Int)? {
        var index = position
        let limit = min(buffer.count, position + Self.maximumHeaderLength + 4)
        while index < limit {
            if buffer[index] == 0x0A {
                if index + 1 < buffer.count, buffer[index + 1] == 0x0A { return (index, index + 2) }
                if index + 2 < buffer.count, buffer[index + 1] == 0x0D, buffer[index + 2] == 0x0A { return (index, index + 3) }
            }
            index += 1
        }
        return nil
    }

    private struct HeaderProblem: Error {
        let message: String
    }

    private static func contentLength(in header: String) -> Result<Int, HeaderProblem> {
        var length: Int?
        for line in header.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            guard let colon = line.firstIndex(of: ":") else {
                return .failure(HeaderProblem(message: "a header line without ':' (\(line.prefix(40))); message skipped"))
            }
            let name = line[..<colon].trimmingCharacters(in: " \t").lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
            if name == "content-length" {
                guard let parsed = Int(value), parsed >= 0 else {
                    return .failure(HeaderProblem(message: "Content-Length '\(value)' is not a number; message skipped"))
                }
                length = parsed
            }
        }
        guard let length else { return .failure(HeaderProblem(message: "a header without Content-Length; message skipped")) }
        return .success(length)
    }
}

extension Substring {
    /// The text without the given leading and trailing characters.
    fileprivate func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        guard let first = firstIndex(where: { !characters.contains($0) }),
              let last = lastIndex(where: { !characters.contains($0) }) else { return "" }
        return String(self[first...last])
    }
}
