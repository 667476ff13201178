/// BuildKit's "did you mean" suggestions (`util/suggest.Search`), which its
/// `UndefinedArgInFrom` and `UndefinedVar` checks append to their messages.
enum BuildKitSuggestion {
    /// The option closest to `name` by edit distance, if one is within 2 edits.
    ///
    /// Mirrors `suggest.Search` with `caseSensitive` true (BuildKit on Linux): the
    /// threshold is a distance below 3 ("same as hcl"), and an option equal to `name`
    /// means the name was not misspelled, so nothing is suggested. BuildKit walks a Go
    /// map, so among equally close options it picks one at random; we take the first
    /// in alphabetical order so that messages are stable.
    static func closest(to name: String, among options: some Sequence<String>) -> String? {
        var best: String?
        var bestDistance = 3
        for option in options.sorted() {
            if option == name { return nil }
            // A distance is at least the difference in length: skip the work when that
            // alone rules the option out.
            let lengthGap = abs(option.unicodeScalars.count - name.unicodeScalars.count)
            guard lengthGap < bestDistance else { continue }
            let distance = editDistance(name, option)
            if distance < bestDistance {
                best = option
                bestDistance = distance
            }
        }
        return best
    }

    /// The Levenshtein distance between `a` and `b` over Unicode scalars (Go's runes,
    /// as `agext/levenshtein.Distance` with default costs counts them): insertions,
    /// deletions and substitutions each cost 1.
    ///
    /// One row of the dynamic-programming table is kept, so memory is linear in the
    /// length of `b`.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let source = Array(a.unicodeScalars)
        let target = Array(b.unicodeScalars)
        if source.isEmpty { return target.count }
        if target.isEmpty { return source.count }
        // row[j] is the distance between the first i scalars of `source` and the first
        // j of `target`, for the row i being computed.
        var row = Array(0...target.count)
        for i in 1...source.count {
            var diagonal = row[0]
            row[0] = i
            for j in 1...target.count {
                let above = row[j]
                let substitution = diagonal + (source[i - 1] == target[j - 1] ? 0 : 1)
                row[j] = min(substitution, above + 1, row[j - 1] + 1)
                diagonal = above
            }
        }
        return row[target.count]
    }
}
