#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The generic searches below are `@inlinable`: rules and the shell model call them from
// other modules, where a plain public generic runs unspecialized, through witness tables
// and closure contexts, which cost more than the searches themselves.

extension StringProtocol {
    /// Whether the string holds `byte`, searched in its contiguous bytes when it has them
    /// rather than through the generic UTF-8 view (a hot test: every program name is asked
    /// whether it holds a `/`).
    @inlinable
    public func containsByte(_ byte: UInt8) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(byte) } ?? utf8.contains(byte)
    }

    /// Whether `needle` occurs in the string, compared as UTF-8 bytes.
    ///
    /// For the ASCII markers rules look for, this is what `contains(_:)` answers, without
    /// the searcher state the standard library builds on each call (a hash table per
    /// search: on a corpus run, several percent of the time).
    @inlinable
    public func containsBytes(of needle: some StringProtocol) -> Bool {
        // In place where both are stored contiguously (native strings), else copied.
        let inPlace = utf8.withContiguousStorageIfAvailable { haystack in
            needle.utf8.withContiguousStorageIfAvailable { needleBytes in byteSearch(haystack, needleBytes) }
        }
        if let inPlace, let found = inPlace { return found }
        let haystack = Array(utf8)
        let needleBytes = Array(needle.utf8)
        return haystack.withUnsafeBufferPointer { haystack in
            needleBytes.withUnsafeBufferPointer { needleBytes in byteSearch(haystack, needleBytes) }
        }
    }
}

extension Array where Element == UInt8 {
    /// Whether the UTF-8 bytes of `needle` occur in these bytes: for an ASCII needle,
    /// what `containsBytes(of:)` answers on `String(decoding:as:)` of them (invalid
    /// bytes become non-ASCII ones), without the copy of the whole file that string is.
    @inlinable
    public func containsBytes(of needle: some StringProtocol) -> Bool {
        let needleBytes = Array(needle.utf8)
        return withUnsafeBufferPointer { haystack in
            needleBytes.withUnsafeBufferPointer { needleBytes in byteSearch(haystack, needleBytes) }
        }
    }
}

/// Whether `needle` occurs in `haystack`: `memchr` to each occurrence of the first
/// byte, then a compare. Rules search whole files and scripts for markers that are
/// mostly absent, and `memchr` passes over absent bytes many at a time.
@usableFromInline
func byteSearch(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let first = needle.first else { return true }
    guard haystack.count >= needle.count, let base = haystack.baseAddress else { return false }
    var start = 0
    let lastStart = haystack.count - needle.count
    while start <= lastStart {
        guard let found = memchr(base + start, Int32(first), lastStart - start + 1) else { return false }
        start = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        var offset = 1
        while offset < needle.count && haystack[start + offset] == needle[offset] { offset += 1 }
        if offset == needle.count { return true }
        start += 1
    }
    return false
}
