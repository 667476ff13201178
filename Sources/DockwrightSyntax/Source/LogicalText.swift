/// An instruction's text with its continuation lines joined, as BuildKit joins them,
/// plus a map from every logical byte back to its byte in the source file.
///
/// BuildKit drops the escape character that ends a continued line, skips comment
/// lines and empty lines inside the instruction, and concatenates what is left.
/// Each kept piece is a contiguous slice of one physical line, so the map is a
/// short list of segments.
public struct LogicalText: Hashable, Sendable {
    /// One contiguous slice of the source that appears in the joined text.
    ///
    /// Stored in 32 bits a field, as the source's tokens are: a long RUN has a
    /// segment for every continuation line, kept once for the instruction and once
    /// for its script.
    public struct Segment: Sendable, Hashable {
        /// Creates a segment.
        public init(logicalStart: Int, sourceStart: Int, length: Int) {
            storedLogicalStart = UInt32(clamping: logicalStart)
            storedSourceStart = UInt32(clamping: sourceStart)
            storedLength = UInt32(clamping: length)
        }

        private let storedLogicalStart: UInt32
        private let storedSourceStart: UInt32
        private let storedLength: UInt32

        /// Where the slice starts in the joined text.
        public var logicalStart: Int { Int(storedLogicalStart) }
        /// Where the slice starts in the source file.
        public var sourceStart: Int { Int(storedSourceStart) }
        /// How many bytes the slice has.
        public var length: Int { Int(storedLength) }
    }

    /// The joined bytes.
    public let bytes: [UInt8]
    /// The first slice, stored in place: most instructions and scripts are one line,
    /// and an array would allocate a buffer for its one segment, twice per RUN.
    private let firstSegment: Segment
    /// How many slices there are (zero only for text of no segments), in the room the
    /// first segment leaves before the next 8-byte field.
    private let storedSegmentCount: UInt32
    /// The slices after the first, without spare room (empty for one line).
    private let laterSegments: [Segment]

    /// Creates joined text from its segments, which must cover `bytes` in order.
    public init(bytes: [UInt8], segments: [Segment]) {
        self.bytes = bytes
        firstSegment = segments.first ?? Segment(logicalStart: 0, sourceStart: 0, length: 0)
        laterSegments = segments.count > 1 ? Array(segments.dropFirst()) : []
        storedSegmentCount = UInt32(clamping: segments.count)
    }

    /// How many slices make up ``bytes``.
    public var segmentCount: Int { Int(storedSegmentCount) }

    /// The slices that make up ``bytes``, in order.
    public var segments: [Segment] {
        segmentCount == 0 ? [] : [firstSegment] + laterSegments
    }

    /// The slice at `index` (below ``segmentCount``), read without building ``segments``.
    public func segment(at index: Int) -> Segment {
        index == 0 ? firstSegment : laterSegments[index - 1]
    }

    /// The joined text, with invalid UTF-8 replaced by U+FFFD.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// The source offset of the logical byte at `logicalOffset`.
    ///
    /// The offset one past the last logical byte maps to the end of the last segment.
    public func sourceOffset(of logicalOffset: Int) -> Int {
        guard segmentCount > 0 else { return 0 }
        let last = segment(at: segmentCount - 1)
        if logicalOffset >= last.logicalStart + last.length {
            return last.sourceStart + last.length + (logicalOffset - last.logicalStart - last.length)
        }
        var low = 0
        var high = segmentCount - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if segment(at: middle).logicalStart <= logicalOffset {
                low = middle
            } else {
                high = middle - 1
            }
        }
        let found = segment(at: low)
        return found.sourceStart + (logicalOffset - found.logicalStart)
    }

    /// The source range covering the logical bytes `logicalRange`.
    ///
    /// A range that spans a continuation covers the continuation characters and any
    /// comment lines between, since those sit between its first and last bytes.
    public func sourceRange(of logicalRange: Range<Int>) -> TextRange {
        let start = sourceOffset(of: logicalRange.lowerBound)
        if logicalRange.isEmpty { return .empty(at: start) }
        let end = sourceOffset(of: logicalRange.upperBound - 1) + 1
        return TextRange(start: start, end: Swift.max(start, end))
    }

    /// The logical offset of the source byte at `sourceOffset`, when that byte is
    /// part of the joined text.
    public func logicalOffset(ofSource sourceOffset: Int) -> Int? {
        for index in 0..<segmentCount {
            let segment = segment(at: index)
            if sourceOffset >= segment.sourceStart && sourceOffset <= segment.sourceStart + segment.length {
                return segment.logicalStart + (sourceOffset - segment.sourceStart)
            }
        }
        return nil
    }

    /// The joined text of `logicalRange` alone, still mapped to the source.
    public func slice(_ logicalRange: Range<Int>) -> LogicalText {
        func overlaps(_ segment: Segment) -> Bool {
            Swift.max(segment.logicalStart, logicalRange.lowerBound)
                < Swift.min(segment.logicalStart + segment.length, logicalRange.upperBound)
        }
        var sliced: [Segment] = []
        for index in 0..<segmentCount {
            let segment = segment(at: index)
            guard overlaps(segment) else { continue }
            let start = Swift.max(segment.logicalStart, logicalRange.lowerBound)
            let end = Swift.min(segment.logicalStart + segment.length, logicalRange.upperBound)
            sliced.append(Segment(
                logicalStart: start - logicalRange.lowerBound,
                sourceStart: segment.sourceStart + (start - segment.logicalStart), length: end - start))
        }
        return LogicalText(bytes: Array(bytes[logicalRange]), segments: sliced)
    }

    /// This text followed by `other`.
    public func appending(_ other: LogicalText) -> LogicalText {
        let shifted = other.segments.map {
            Segment(logicalStart: $0.logicalStart + bytes.count, sourceStart: $0.sourceStart, length: $0.length)
        }
        return LogicalText(bytes: bytes + other.bytes, segments: segments + shifted)
    }
}

