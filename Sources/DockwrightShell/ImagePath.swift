/// A path in the image being built, as far as the Dockerfile tells.
///
/// The layer rules compare where a COPY puts files with where a script reads and
/// writes them, so both sides share this one type.
public enum ImagePath: Hashable, Sendable {
    /// An absolute, normalised path.
    case absolute(String)
    /// A path below a folder the Dockerfile does not show: the base image's own WORKDIR,
    /// or a WORKDIR or destination that names a variable the base image may define. The
    /// anchor, the offset of the instruction (or command) that introduced it, tells such
    /// folders apart.
    case relative(anchor: Int, path: String)
    /// A path below the home folder of the user running the command, when `HOME` is not known.
    case home(String)

    /// Whether the path lies below the unknown folder anchored at `anchor`.
    public func isAnchored(at anchor: Int) -> Bool {
        if case .relative(anchor, _) = self { return true }
        return false
    }

    /// The same path below the folder anchored at `new` when it lies below the one
    /// anchored at `old`; otherwise the path itself.
    public func reanchored(from old: Int, to new: Int) -> ImagePath {
        guard case .relative(old, let path) = self else { return self }
        return .relative(anchor: new, path: path)
    }

    /// `path` resolved against this folder (Dockerfile paths do not expand `~`).
    public func appending(_ path: String) -> ImagePath {
        if path.hasPrefix("/") { return .absolute(Self.normalizedPath(path)) }
        switch self {
        case .absolute(let base):
            return .absolute(Self.normalizedPath(base + "/" + path))
        case .relative(let anchor, let base):
            return .relative(anchor: anchor, path: Self.relativeNormalizedPath(base + "/" + path))
        case .home(let base):
            return .home(Self.relativeNormalizedPath(base + "/" + path))
        }
    }

    /// The path of `self` inside `folder` ("" when equal) or `.outside`; nil when that
    /// cannot be told.
    public func relativePath(inside folder: ImagePath) -> Containment? {
        switch (self, folder) {
        case (.absolute(let path), .absolute(let base)):
            return Self.containment(of: path, in: base)
        case (.relative(let anchor, let path), .relative(let baseAnchor, let base)) where anchor == baseAnchor:
            return Self.containment(of: path, in: base)
        case (.home(let path), .home(let base)):
            return Self.containment(of: path, in: base)
        default:
            return nil
        }
    }

    /// Whether `self` and `folder` may be the same, or one may lie in the other. Glob
    /// characters in either path match as in a shell; what cannot be told counts as an
    /// overlap. A home folder is taken to lie under `/root` or `/home`, where Linux
    /// images keep them.
    public func mayOverlap(_ folder: ImagePath) -> Bool {
        switch (self, folder) {
        case (.absolute(let path), .absolute(let other)):
            return Self.mayOverlap(path, other)
        case (.relative(let anchor, let path), .relative(let otherAnchor, let other)) where anchor == otherAnchor:
            return Self.mayOverlap("/" + path, "/" + other)
        case (.home(let path), .home(let other)):
            return Self.mayOverlap("/" + path, "/" + other)
        case (.home(let path), .absolute(let other)), (.absolute(let other), .home(let path)):
            return ["/root/", "/home/*/"].contains { Self.mayOverlap($0 + path, other) }
        default:
            return true
        }
    }

    /// Where a path lies relative to a folder.
    public enum Containment: Hashable, Sendable {
        /// Inside it, at this relative path ("" for the folder itself).
        case inside(String)
        /// Elsewhere.
        case outside
    }

    /// Where `path` lies relative to `folder`, both normalised the same way.
    public static func containment(of path: String, in folder: String) -> Containment {
        if path == folder { return .inside("") }
        if folder.isEmpty { return .inside(path) }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return path.hasPrefix(prefix) ? .inside(String(path.dropFirst(prefix.count))) : .outside
    }

    /// An absolute path with `.`, `..` and repeated slashes resolved.
    public static func normalizedPath(_ path: String) -> String {
        "/" + relativeNormalizedPath(path)
    }

    /// A path's components with `.`, `..` and repeated slashes resolved, joined without a
    /// leading slash; `..` cannot climb above the start, as in a container's root.
    public static func relativeNormalizedPath(_ path: String) -> String {
        // Over the bytes where the path is ASCII (where bytes and Characters split the
        // same): the effects walker resolves every path a script names through here.
        if let normalized = path.utf8.withContiguousStorageIfAvailable(asciiRelativeNormalizedPath), let normalized {
            return normalized
        }
        var components: [Substring] = []
        for component in path.split(separator: "/") {
            if component == "." { continue }
            if component == ".." {
                _ = components.popLast()
                continue
            }
            components.append(component)
        }
        return components.joined(separator: "/")
    }

    /// ``relativeNormalizedPath(_:)`` of an ASCII path, over its bytes; nil for one that is not ASCII.
    private static func asciiRelativeNormalizedPath(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        // Where each kept component starts in `output`, its separating slash included.
        var componentStarts: [Int] = []
        var start = 0
        while start < bytes.count {
            guard bytes[start] < 0x80 else { return nil }
            if bytes[start] == slash {
                start += 1
                continue
            }
            var end = start
            while end < bytes.count && bytes[end] != slash {
                guard bytes[end] < 0x80 else { return nil }
                end += 1
            }
            let length = end - start
            if length == 1 && bytes[start] == dot {
                // `.` stays where it is.
            } else if length == 2 && bytes[start] == dot && bytes[start + 1] == dot {
                if let last = componentStarts.popLast() { output.removeSubrange(last...) }
            } else {
                componentStarts.append(output.count)
                if !output.isEmpty { output.append(slash) }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
            }
            start = end
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether two absolute paths, either with globs, may be equal or nested: compared
    /// component by component over their common length. A `**`-free shell glob never
    /// crosses a `/`, so one component of a pattern matches one component of a path.
    static func mayOverlap(_ first: String, _ second: String) -> Bool {
        if !hasGlob(first) && !hasGlob(second) { return literalPathsMayOverlap(first.utf8, second.utf8) }
        let firstComponents = first.split(separator: "/")
        let secondComponents = second.split(separator: "/")
        for (left, right) in zip(firstComponents, secondComponents) where !componentsMayMatch(left, right) {
            return false
        }
        return true
    }

    /// ``mayOverlap(_:_:)`` for two paths without glob characters, over their bytes and
    /// without splitting them: the layer rules compare every COPY destination with every
    /// path an install reads or writes. Empty components are skipped, as `split` does.
    private static func literalPathsMayOverlap(_ first: String.UTF8View, _ second: String.UTF8View) -> Bool {
        let slash = UInt8(ascii: "/")
        var left = first.startIndex
        var right = second.startIndex
        while true {
            while left < first.endIndex, first[left] == slash { first.formIndex(after: &left) }
            while right < second.endIndex, second[right] == slash { second.formIndex(after: &right) }
            if left == first.endIndex || right == second.endIndex { return true }
            while left < first.endIndex, right < second.endIndex, first[left] != slash, second[right] != slash {
                if first[left] != second[right] { return false }
                first.formIndex(after: &left)
                second.formIndex(after: &right)
            }
            let leftEnded = left == first.endIndex || first[left] == slash
            let rightEnded = right == second.endIndex || second[right] == slash
            if !(leftEnded && rightEnded) { return false }
        }
    }

    private static func componentsMayMatch(_ left: Substring, _ right: Substring) -> Bool {
        let leftIsPattern = hasGlob(left)
        let rightIsPattern = hasGlob(right)
        switch (leftIsPattern, rightIsPattern) {
        case (false, false): return left == right
        case (true, false): return ShellGlob.matches(Array(left), Array(right))
        case (false, true): return ShellGlob.matches(Array(right), Array(left))
        // Two patterns: compare the literal text before their first glob character.
        case (true, true):
            let leftPrefix = left.prefix { !"*?[".contains($0) }
            let rightPrefix = right.prefix { !"*?[".contains($0) }
            return leftPrefix.hasPrefix(rightPrefix) || rightPrefix.hasPrefix(leftPrefix)
        }
    }

    /// Whether a path component holds a glob character. Concrete overloads over the
    /// UTF-8 bytes: the generic version walked Characters through witness tables, and
    /// the layer rules ask it for every component of every path a RUN writes.
    public static func hasGlob(_ text: String) -> Bool {
        text.utf8.contains(where: isGlobByte)
    }

    /// Whether a path component holds a glob character.
    public static func hasGlob(_ text: Substring) -> Bool {
        text.utf8.contains(where: isGlobByte)
    }

    private static func isGlobByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[")
    }
}

/// Glob matching (`*`, `?`, `[…]`) of a path component, or of a path where `*` and
/// `?` never cross a `/`, as Go's `filepath.Match` reads COPY sources.
public enum ShellGlob {
    /// Whether `name` matches `pattern`; iterative with one backtrack point, so linear
    /// in practice and never exponential.
    public static func matches(_ pattern: [Character], _ name: [Character]) -> Bool {
        var p = 0
        var n = 0
        var starPattern = -1
        var starName = 0
        while n < name.count {
            if p < pattern.count, pattern[p] == "*" {
                starPattern = p
                starName = n
                p += 1
                continue
            }
            if p < pattern.count, let next = matchOne(pattern, p, name[n]) {
                p = next
                n += 1
                continue
            }
            // A star never crosses a path separator.
            guard starPattern >= 0, name[starName] != "/" else { return false }
            p = starPattern + 1
            starName += 1
            n = starName
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// The pattern index after matching `character` at `p`, or nil.
    private static func matchOne(_ pattern: [Character], _ p: Int, _ character: Character) -> Int? {
        switch pattern[p] {
        case "?":
            return character == "/" ? nil : p + 1
        case "[":
            guard let close = pattern[(p + 1)...].firstIndex(of: "]") else { return character == "[" ? p + 1 : nil }
            var set = Array(pattern[(p + 1)..<close])
            let isNegated = set.first == "!" || set.first == "^"
            if isNegated { set.removeFirst() }
            var isMember = false
            var index = 0
            while index < set.count {
                if index + 2 < set.count, set[index + 1] == "-" {
                    if set[index] <= character && character <= set[index + 2] { isMember = true }
                    index += 3
                } else {
                    if set[index] == character { isMember = true }
                    index += 1
                }
            }
            return isMember != isNegated ? close + 1 : nil
        default:
            return pattern[p] == character ? p + 1 : nil
        }
    }
}
