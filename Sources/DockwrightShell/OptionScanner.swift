/// The one reader of command-line options: which words are flags, which flag takes
/// which value, and which words are operands, as getopt and Go's `flag` package read
/// them. Driven by a ``ProgramSpec`` (the flags that take a value, the flag style), so
/// every rule and fact reads `apt-get -t bookworm install x` or `pip install -qr req.txt`
/// the same way.
public struct OptionScanner: Sendable {
    /// How flags are spelled.
    public enum Style: Sendable {
        /// GNU/optparse: `--long[=value]`, and clusters of short flags (`-Ur file`).
        case gnu
        /// Go's `flag` package: `-name[=value]` or `--name[=value]`, one flag a word.
        case go
    }

    /// Long (`--target`) and short (`-t`) flags that take a value (Go style: `-tags`).
    public let flagsWithValues: Set<String>
    /// How flags are spelled.
    public let style: Style

    /// A reader for flags spelled in `style`, of which `flagsWithValues` take a value.
    public init(flagsWithValues: Set<String>, style: Style = .gnu) {
        self.flagsWithValues = flagsWithValues
        self.style = style
    }

    /// The reader of `spec`'s program.
    public init(_ spec: ProgramSpec) {
        self.init(flagsWithValues: spec.flagsWithValues, style: spec.flagStyle)
    }

    /// Where a flag's value is written.
    public enum Value: Hashable, Sendable {
        /// In the flag's own word: `--target=dir`, `-tdir`.
        case attached(String)
        /// The word at this index.
        case word(Int)
    }

    /// One flag or operand, by the index of its word.
    public enum Position: Hashable, Sendable {
        /// A flag as spelled (`-t`, `--target`; Go: `-tags`), with its value.
        case flag(name: String, value: Value?, wordIndex: Int)
        /// An operand.
        case operand(wordIndex: Int)
    }

    /// Classifies words given by their values (nil for a word whose value is unknown:
    /// always an operand). After `--` every word is an operand, or with
    /// `stopsAtDoubleDash` the scan ends there.
    public func positions(of values: [String?], stopsAtDoubleDash: Bool = false) -> [Position] {
        var positions: [Position] = []
        var index = 0
        var flagsEnded = false
        while index < values.count {
            let wordIndex = index
            index += 1
            guard let value = values[wordIndex] else {
                positions.append(.operand(wordIndex: wordIndex))
                continue
            }
            if !flagsEnded && value == "--" {
                if stopsAtDoubleDash { break }
                flagsEnded = true
                continue
            }
            guard !flagsEnded, CommandView.isFlag(value) else {
                positions.append(.operand(wordIndex: wordIndex))
                continue
            }
            if value.hasPrefix("--") || style == .go {
                if let equals = Self.firstEquals(in: value) {
                    let name = normalized(String(value[..<equals]))
                    positions.append(.flag(
                        name: name, value: .attached(String(value[value.index(after: equals)...])), wordIndex: wordIndex))
                } else if flagsWithValues.contains(normalized(value)), index < values.count {
                    positions.append(.flag(name: normalized(value), value: .word(index), wordIndex: wordIndex))
                    index += 1
                } else {
                    positions.append(.flag(name: normalized(value), value: nil, wordIndex: wordIndex))
                }
                continue
            }
            // A cluster of short flags (`-Ur file`): the first one that takes a value takes
            // the rest of the word (after an optional `=`), or the next word.
            var characters = Substring(value.dropFirst())
            while let character = characters.first {
                characters = characters.dropFirst()
                let name = "-" + String(character)
                guard flagsWithValues.contains(name) else {
                    positions.append(.flag(name: name, value: nil, wordIndex: wordIndex))
                    // `-o=x` of a flag not known to take a value: the rest is not more flags.
                    if characters.first == "=" { break }
                    continue
                }
                if !characters.isEmpty {
                    if characters.first == "=" { characters = characters.dropFirst() }
                    positions.append(.flag(name: name, value: .attached(String(characters)), wordIndex: wordIndex))
                } else if index < values.count {
                    positions.append(.flag(name: name, value: .word(index), wordIndex: wordIndex))
                    index += 1
                } else {
                    positions.append(.flag(name: name, value: nil, wordIndex: wordIndex))
                }
                break
            }
        }
        return positions
    }

    /// Where the first `=` of a flag is: over the bytes of an ASCII flag (each byte is a
    /// Character there), by Characters otherwise.
    private static func firstEquals(in value: String) -> String.Index? {
        let utf8 = value.utf8
        guard utf8.contains(UInt8(ascii: "=")) else { return nil }
        if utf8.allSatisfy({ $0 < 0x80 }) { return utf8.firstIndex(of: UInt8(ascii: "=")) }
        return value.firstIndex(of: "=")
    }

    /// Go accepts `--name` for `-name`.
    private func normalized(_ name: String) -> String {
        style == .go && name.hasPrefix("--") ? String(name.dropFirst()) : name
    }
}

extension OptionScanner {
    /// One expanded word of a command line, classified.
    public enum Item: Sendable {
        /// A flag, with its value when it takes one (`--target=dir`, `--target dir`, `-tdir`).
        case flag(name: String, value: ExpandedWord?, word: ExpandedWord)
        /// An operand.
        case operand(ExpandedWord)
    }

    /// Classifies expanded words (``positions(of:stopsAtDoubleDash:)``).
    public func scan(_ words: [ExpandedWord], stopsAtDoubleDash: Bool = false) -> [Item] {
        positions(of: words.map(\.value), stopsAtDoubleDash: stopsAtDoubleDash).map { position in
            switch position {
            case .operand(let index):
                return .operand(words[index])
            case .flag(let name, let value, let index):
                let word = words[index]
                switch value {
                case .attached(let text): return .flag(name: name, value: ExpandedWord(value: text, word: word.word), word: word)
                case .word(let valueIndex): return .flag(name: name, value: words[valueIndex], word: word)
                case nil: return .flag(name: name, value: nil, word: word)
                }
            }
        }
    }
}

extension Array where Element == OptionScanner.Item {
    /// The operands, in order.
    public var operands: [ExpandedWord] {
        compactMap { item in
            if case .operand(let word) = item { return word }
            return nil
        }
    }

    /// Whether a flag with one of `names` is given.
    public func hasFlag(_ names: String...) -> Bool {
        contains { item in
            if case .flag(let name, _, _) = item { return names.contains(name) }
            return false
        }
    }

    /// The value of the last flag named one of `names`.
    public func flagValue(_ names: String...) -> ExpandedWord? {
        var found: ExpandedWord?
        for case .flag(let name, let value, _) in self where names.contains(name) { found = value ?? found }
        return found
    }
}
