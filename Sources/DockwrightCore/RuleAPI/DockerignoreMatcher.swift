/// The patterns of a `.dockerignore` file, matched the way BuildKit matches a COPY
/// source against them for its `CopyIgnoredFile` check.
///
/// Reading mirrors `dockerignore.ReadAll` (moby/patternmatcher): lines starting with `#`
/// are comments, whitespace around a pattern is dropped, `!` marks an exception, and
/// the pattern is cleaned like `filepath.Clean` (`./`, `//`, `..` and a trailing `/`
/// resolved) with one leading `/` removed. Matching mirrors `PatternMatcher`:
/// - `*` matches any run of characters but `/`, `?` one character but `/`;
/// - `**` matches any number of whole folders (`**/` is the same), and at the end any rest;
/// - `[…]` is a character class (`^` negates, `a-z` ranges), `\` escapes the next character;
/// - a path matches when it, or any folder above it, matches the whole pattern;
/// - the last pattern that matches decides: an exception re-includes what an earlier
///   pattern excluded.
///
/// No regular expressions: each pattern is a small automaton run over the path, so a
/// match costs the path length times the pattern length.
///
/// A fact about the build context (beside ``BuildContextListing``): which files a COPY
/// cannot see, for every rule that asks.
package struct DockerignoreMatcher {
    /// One cleaned pattern.
    struct Pattern {
        /// The pattern after cleaning, without `!`.
        let text: String
        /// Whether the pattern starts with `!` (an exception).
        let isException: Bool
        fileprivate let elements: [Element]
        /// Set for a pattern that starts with `**` and is literal after it, which
        /// BuildKit matches as a plain suffix (`suffixMatch`).
        fileprivate let literalSuffix: String?
        /// Set for a literal pattern that ends with `**` (`prefixMatch`).
        fileprivate let literalPrefix: String?
    }

    /// One piece of a compiled pattern.
    fileprivate enum Element: Equatable {
        case literal(Unicode.Scalar)
        /// `?`
        case anyButSlash
        /// `*`
        case starButSlash
        /// `**` followed by more: nothing, or anything that ends with `/`.
        case folders
        /// `**` at the end: anything.
        case rest
        /// `[…]`: ranges of scalars (inclusive), negated or not.
        case characterClass([ClosedRange<Unicode.Scalar>], negated: Bool)
    }

    /// The patterns in file order.
    let patterns: [Pattern]

    /// Whether the file has any pattern (comments and blank lines aside).
    package var isEmpty: Bool { patterns.isEmpty }

    /// Reads the patterns of a `.dockerignore` file's text.
    package init(_ text: String) {
        var patterns: [Pattern] = []
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            // `ReadAll` drops comment lines before trimming, so ` # x` is a pattern.
            guard !rawLine.hasPrefix("#") else { continue }
            var line = rawLine.trimmingWhitespace()
            guard !line.isEmpty else { continue }
            var isException = false
            if line.hasPrefix("!") {
                isException = true
                line = String(line.dropFirst()).trimmingWhitespace()
            }
            var cleaned = Self.cleaned(line)
            if cleaned.count > 1 && cleaned.hasPrefix("/") { cleaned.removeFirst() }
            // `PatternMatcher.New` cleans once more (a lone `/` stays `/`).
            cleaned = Self.cleaned(cleaned)
            guard !cleaned.isEmpty else { continue }
            patterns.append(Self.compile(cleaned, isException: isException))
        }
        self.patterns = patterns
    }

    /// Whether the context path `path` is excluded (`MatchesOrParentMatches`).
    /// `path` is relative to the context root, with `/` separators and no `./`.
    package func excludes(_ path: String) -> Bool {
        let parts = path.split(separator: "/").map(String.init)
        // The path itself, then each folder above it from the top (`a`, `a/b`, …).
        var candidates = [path]
        if parts.count > 1 {
            for end in 1..<parts.count { candidates.append(parts[..<end].joined(separator: "/")) }
        }
        var excluded = false
        for pattern in patterns where pattern.isException == excluded {
            if candidates.contains(where: { Self.matches(pattern, $0) }) { excluded = !pattern.isException }
        }
        return excluded
    }

    // MARK: - Cleaning

    /// Go's `filepath.Clean` on a slash-separated path.
    package static func cleaned(_ path: String) -> String {
        guard !path.isEmpty else { return "." }
        let isRooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".":
                continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !isRooted {
                    parts.append(part)
                }
            default:
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if isRooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    // MARK: - Compiling

    /// Turns a cleaned pattern into elements (`Pattern.compile`).
    private static func compile(_ text: String, isException: Bool) -> Pattern {
        let scalars = Array(text.unicodeScalars)
        var elements: [Element] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "*":
                if index < scalars.count && scalars[index] == "*" {
                    index += 1
                    if index < scalars.count && scalars[index] == "/" { index += 1 }
                    elements.append(index == scalars.count ? .rest : .folders)
                } else {
                    elements.append(.starButSlash)
                }
            case "?":
                elements.append(.anyButSlash)
            case "\\":
                if index < scalars.count {
                    elements.append(.literal(scalars[index]))
                    index += 1
                } else {
                    elements.append(.literal("\\"))
                }
            case "[":
                if let (element, next) = characterClass(scalars, from: index) {
                    elements.append(element)
                    index = next
                } else {
                    // An unclosed class: BuildKit's pattern fails to compile and never matches.
                    return Pattern(text: text, isException: isException, elements: [], literalSuffix: nil, literalPrefix: nil)
                }
            default:
                elements.append(.literal(scalar))
            }
        }
        // BuildKit's shortcuts for `**`-only patterns, which differ from the general
        // rule in corner cases (`**foo` matches `barfoo`).
        var literalSuffix: String?
        var literalPrefix: String?
        if text.hasPrefix("**"), elements.dropFirst().allSatisfy({ if case .literal = $0 { true } else { false } }),
            elements.count > 1
        {
            literalSuffix = String(text.dropFirst(2))
        }
        if text.hasSuffix("**"), elements.last == .rest,
            elements.dropLast().allSatisfy({ if case .literal = $0 { true } else { false } })
        {
            literalPrefix = String(text.dropLast(2))
        }
        return Pattern(
            text: text, isException: isException, elements: elements, literalSuffix: literalSuffix,
            literalPrefix: literalPrefix)
    }

    /// Reads `[…]` after its `[`; nil when there is no closing `]`.
    private static func characterClass(
        _ scalars: [Unicode.Scalar], from start: Int
    ) -> (Element, Int)? {
        var index = start
        var negated = false
        if index < scalars.count && scalars[index] == "^" {
            negated = true
            index += 1
        }
        var ranges: [ClosedRange<Unicode.Scalar>] = []
        var isFirst = true
        while index < scalars.count {
            var scalar = scalars[index]
            if scalar == "]" && !isFirst { return (.characterClass(ranges, negated: negated), index + 1) }
            isFirst = false
            index += 1
            if scalar == "\\" && index < scalars.count {
                scalar = scalars[index]
                index += 1
            }
            if index + 1 < scalars.count && scalars[index] == "-" && scalars[index + 1] != "]" {
                var upper = scalars[index + 1]
                index += 2
                if upper == "\\" && index < scalars.count {
                    upper = scalars[index]
                    index += 1
                }
                if scalar <= upper { ranges.append(scalar...upper) }
            } else {
                ranges.append(scalar...scalar)
            }
        }
        return nil
    }

    // MARK: - Matching

    /// Whether `path` matches the whole of `pattern`.
    private static func matches(_ pattern: Pattern, _ path: String) -> Bool {
        if let suffix = pattern.literalSuffix {
            // `suffixMatch`: `**/foo` matches `a/foo` and `foo`.
            return path.hasSuffix(suffix) || (suffix.hasPrefix("/") && path == suffix.dropFirst())
        }
        if let prefix = pattern.literalPrefix { return path.hasPrefix(prefix) }
        let elements = pattern.elements
        // An unclosed `[` leaves no elements: BuildKit's pattern never matches.
        guard !elements.isEmpty else { return false }
        let text = Array(path.unicodeScalars)
        // States: element index, and for `folders` whether it has consumed text that
        // does not yet end with `/` (then it may not be left until a `/`).
        let count = elements.count + 1
        var current = [Bool](repeating: false, count: count * 2)
        var next = current
        func addClosure(_ state: Int, _ inside: Bool, _ set: inout [Bool]) {
            let slot = state * 2 + (inside ? 1 : 0)
            guard !set[slot] else { return }
            set[slot] = true
            guard state < elements.count, !inside else { return }
            switch elements[state] {
            case .starButSlash, .folders, .rest: addClosure(state + 1, false, &set)
            default: break
            }
        }
        addClosure(0, false, &current)
        for scalar in text {
            for index in next.indices { next[index] = false }
            var anyAlive = false
            for state in 0..<elements.count {
                for inside in [false, true] where current[state * 2 + (inside ? 1 : 0)] {
                    switch elements[state] {
                    case .literal(let wanted):
                        if scalar == wanted { addClosure(state + 1, false, &next) }
                    case .anyButSlash:
                        if scalar != "/" { addClosure(state + 1, false, &next) }
                    case .starButSlash:
                        if scalar != "/" { addClosure(state, false, &next) }
                    case .rest:
                        addClosure(state, false, &next)
                    case .folders:
                        if scalar == "/" { addClosure(state + 1, false, &next) }
                        addClosure(state, true, &next)
                    case .characterClass(let ranges, let negated):
                        if ranges.contains(where: { $0.contains(scalar) }) != negated {
                            addClosure(state + 1, false, &next)
                        }
                    }
                }
            }
            swap(&current, &next)
            for value in current where value {
                anyAlive = true
                break
            }
            if !anyAlive { return false }
        }
        return current[elements.count * 2]
    }
}

private extension StringProtocol {
    /// The text without leading and trailing whitespace (Go's `strings.TrimSpace`).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
