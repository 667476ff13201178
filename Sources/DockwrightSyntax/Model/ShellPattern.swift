/// A `${name#pattern}` / `${name%pattern}` / `${name/pattern/…}` glob, matched the
/// way BuildKit matches it.
///
/// BuildKit turns the pattern into a Go regular expression (`convertShellPatternToRegex`):
/// `*` becomes `.*` (or `.*?`), `?` becomes `.`, everything else is literal, and Go's
/// `.` does not match a newline. Go then finds the leftmost-first match. We compile the
/// same pattern to a tiny program and run it as Go does, a Pike VM with thread
/// priorities, so the match is the one Go picks, in time linear in the text for a
/// given pattern, and without regular expressions.
struct ShellPattern {
    /// One piece of a pattern.
    enum Element: Equatable {
        /// A character matched as itself.
        case literal(Unicode.Scalar)
        /// `?`: any character but a newline.
        case any
        /// `*`: any run of characters without a newline.
        case star
    }

    /// A pattern split into elements, or BuildKit's reason for rejecting it.
    enum Parsed {
        case valid([Element])
        case invalid(String)
    }

    /// One instruction of the matching program.
    private enum Operation {
        case literal(Unicode.Scalar)
        case anyButNewline
        /// Try `preferred` first, then `other`.
        case split(preferred: Int, other: Int)
        case jump(Int)
        case match
    }

    private let program: [Operation]
    private let isAnchored: Bool

    /// Compiles `elements`; stars are greedy (longest) or lazy (shortest), and an
    /// anchored pattern only matches at the start of the search.
    init(_ elements: [Element], isGreedy: Bool, isAnchored: Bool) {
        var program: [Operation] = []
        for element in elements {
            switch element {
            case .literal(let scalar):
                program.append(.literal(scalar))
            case .any:
                program.append(.anyButNewline)
            case .star:
                let loop = program.count
                let after = loop + 3
                program.append(
                    isGreedy ? .split(preferred: loop + 1, other: after) : .split(preferred: after, other: loop + 1))
                program.append(.anyButNewline)
                program.append(.jump(loop))
            }
        }
        program.append(.match)
        self.program = program
        self.isAnchored = isAnchored
    }

    // MARK: - Parsing patterns

    /// Splits a pattern into elements, or gives BuildKit's reason for rejecting it.
    ///
    /// Mirrors `convertShellPatternToRegex`: the backslash (always `\`, whatever the
    /// file's escape character) makes `*`, `?` and `\` literal, is dropped before `}`
    /// and `/`, and is an error before anything else.
    static func elements(of pattern: [Unicode.Scalar]) -> Parsed {
        var elements: [Element] = []
        var index = 0
        // Go's text/scanner skips a byte-order mark at the start of its input.
        if pattern.first == "\u{FEFF}" { index = 1 }
        while index < pattern.count {
            let scalar = pattern[index]
            index += 1
            switch scalar {
            case "*":
                elements.append(.star)
            case "?":
                elements.append(.any)
            case "\\":
                if index < pattern.count && (pattern[index] == "}" || pattern[index] == "/") { continue }
                guard index < pattern.count else { return .invalid("invalid escape '\\\u{FFFD}'") }
                let escaped = pattern[index]
                index += 1
                guard escaped == "*" || escaped == "?" || escaped == "\\" else {
                    return .invalid("invalid escape '\\\(escaped)'")
                }
                elements.append(.literal(escaped))
            default:
                elements.append(.literal(scalar))
            }
        }
        return .valid(elements)
    }

    /// Reverses a pattern but keeps each `\x` pair in order (BuildKit's `reversePattern`),
    /// so that a suffix match can run as a prefix match on reversed text.
    static func reversed(_ pattern: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard !pattern.isEmpty else { return [] }
        var output = pattern
        let last = pattern.count - 1
        var index = 0
        while index <= last {
            let scalar = pattern[index]
            let outputIndex = last - index
            if scalar == "\\" && index != last {
                output[outputIndex - 1] = scalar
                output[outputIndex] = pattern[index + 1]
                index += 2
            } else {
                output[outputIndex] = scalar
                index += 1
            }
        }
        return output
    }

    // MARK: - Matching

    /// A thread of the machine: where it is in the program and where its match started.
    private struct Thread {
        let instruction: Int
        let start: Int
    }

    /// Threads in priority order, at most one per instruction (Go's sparse queue).
    private struct ThreadList {
        var threads: [Thread] = []
        var stamps: [Int]
        var generation = 1

        init(size: Int) { stamps = Array(repeating: 0, count: size) }

        mutating func clear() {
            threads.removeAll(keepingCapacity: true)
            generation += 1
        }
    }

    /// The leftmost-first match starting at or after `searchStart` (at exactly
    /// `searchStart` when anchored), as Go's `FindStringIndex` finds it.
    func firstMatch(in text: [Unicode.Scalar], from searchStart: Int) -> Range<Int>? {
        var current = ThreadList(size: program.count)
        var next = ThreadList(size: program.count)
        var matched: Range<Int>?
        var position = searchStart
        while true {
            if current.threads.isEmpty {
                if isAnchored && position != searchStart { break }
                if matched != nil { break }
            }
            if matched == nil && (!isAnchored || position == searchStart) {
                add(0, start: position, to: &current)
            }
            let scalar: Unicode.Scalar? = position < text.count ? text[position] : nil
            next.clear()
            threads: for thread in current.threads {
                switch program[thread.instruction] {
                case .match:
                    // First-match mode: this thread outranks every thread after it, so they stop.
                    matched = thread.start..<position
                    break threads
                case .literal(let expected):
                    if scalar == expected { add(thread.instruction + 1, start: thread.start, to: &next) }
                case .anyButNewline:
                    if let scalar, scalar != "\n" { add(thread.instruction + 1, start: thread.start, to: &next) }
                case .split, .jump:
                    break
                }
            }
            if scalar == nil { break }
            position += 1
            swap(&current, &next)
        }
        return matched
    }

    // MARK: - Replacing

    /// `text` with its first match replaced by `replacement`, taken literally
    /// (BuildKit splices `${name/pattern/replacement}` by hand).
    func replacingFirstMatch(in text: [Unicode.Scalar], with replacement: String) -> String {
        guard let match = firstMatch(in: text, from: 0) else { return string(text[...]) }
        return string(text[..<match.lowerBound]) + replacement + string(text[match.upperBound...])
    }

    /// `text` with every match replaced, as Go's `Regexp.ReplaceAllString` does it for
    /// `${name//pattern/replacement}`: an empty match right after a match is skipped,
    /// and `replacement` is a Go template in which `$0` (or `${0}`) is the match, other
    /// `$name` references are empty, and `$$` is a dollar.
    func replacingAllMatches(in text: [Unicode.Scalar], template: String) -> String {
        var output = ""
        var lastMatchEnd = 0
        var searchPosition = 0
        while searchPosition <= text.count {
            guard let match = firstMatch(in: text, from: searchPosition) else { break }
            output += string(text[lastMatchEnd..<match.lowerBound])
            if match.upperBound > lastMatchEnd || match.lowerBound == 0 {
                output += Self.expand(template, match: string(text[match]))
            }
            lastMatchEnd = match.upperBound
            // Always advance by at least one character.
            let width = searchPosition < text.count ? 1 : 0
            if searchPosition + width > match.upperBound {
                searchPosition += width
            } else if searchPosition + 1 > match.upperBound {
                searchPosition += 1
            } else {
                searchPosition = match.upperBound
            }
        }
        return output + string(text[Swift.min(lastMatchEnd, text.count)...])
    }

    /// Expands a Go replacement template for a pattern without capture groups
    /// (Go's `Regexp.expand`).
    private static func expand(_ template: String, match: String) -> String {
        let scalars = Array(template.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            guard scalar == "$" else {
                output.append(scalar)
                continue
            }
            if index < scalars.count && scalars[index] == "$" {
                output.append("$")
                index += 1
                continue
            }
            guard let (name, end) = templateReference(scalars, from: index) else {
                // Malformed: the dollar stays as text.
                output.append("$")
                continue
            }
            index = end
            if name == "0" { output.append(contentsOf: match.unicodeScalars) }
        }
        return String(output)
    }

    /// Reads `name` or `{name}` after a template's `$` (Go's `extract`): the name and
    /// where the reference ends, or nil when there is no valid reference.
    private static func templateReference(_ scalars: [Unicode.Scalar], from start: Int) -> (String, Int)? {
        var index = start
        let hasBrace = index < scalars.count && scalars[index] == "{"
        if hasBrace { index += 1 }
        let nameStart = index
        while index < scalars.count && (VariableExpander.isLetter(scalars[index])
            || VariableExpander.isDigit(scalars[index]) || scalars[index] == "_") {
            index += 1
        }
        guard index > nameStart else { return nil }
        let name = String(String.UnicodeScalarView(scalars[nameStart..<index]))
        if hasBrace {
            guard index < scalars.count && scalars[index] == "}" else { return nil }
            index += 1
        }
        return (name, index)
    }

    private func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        String(String.UnicodeScalarView(scalars))
    }

    /// Adds the thread at `instruction` and, through splits and jumps, every thread it
    /// reaches, in priority order; an instruction already in the list keeps its thread.
    private func add(_ instruction: Int, start: Int, to list: inout ThreadList) {
        var pending = [instruction]
        while let candidate = pending.popLast() {
            guard list.stamps[candidate] != list.generation else { continue }
            list.stamps[candidate] = list.generation
            switch program[candidate] {
            case .split(let preferred, let other):
                pending.append(other)
                pending.append(preferred)
            case .jump(let target):
                pending.append(target)
            default:
                list.threads.append(Thread(instruction: candidate, start: start))
            }
        }
    }
}
