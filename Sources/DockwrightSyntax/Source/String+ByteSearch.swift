extension StringProtocol {
    /// Whether `needle` occurs in the string, compared as UTF-8 bytes.
    ///
    /// For the ASCII markers rules look for, this is what `contains(_:)` answers, without
    /// the searcher state the standard library builds on each call (a hash table per
    /// search: on a corpus run, several percent of the time).
    public func containsBytes(of needle: some StringProtocol) -> Bool {
        let needleBytes = Array(needle.utf8)
        guard let first = needleBytes.first else { return true }
        let haystack = Array(utf8)
        guard haystack.count >= needleBytes.count else { return false }
        var start = 0
        let lastStart = haystack.count - needleBytes.count
        while start <= lastStart {
            if haystack[start] == first {
                var offset = 1
                while offset < needleBytes.count && haystack[start + offset] == needleBytes[offset] { offset += 1 }
                if offset == needleBytes.count { return true }
            }
            start += 1
        }
        return false
    }
}
