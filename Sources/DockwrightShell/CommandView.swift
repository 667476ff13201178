import DockwrightSyntax

/// A simple command as rules see it: the program that really runs (after `sudo`,
/// `env`, `nice`, `xargs` and similar wrappers), its arguments and its flags.
public struct CommandView: Hashable, Sendable {
    /// The command as parsed.
    public let command: SimpleCommand
    /// Where it sits in the script.
    public let context: CommandContext
    /// Stored in 32 bits, in the room the context leaves before the next 8-byte field.
    private let storedNameIndex: UInt32
    /// The program's name without its folder (`/usr/bin/apt-get` → `apt-get`), when literal.
    ///
    /// Stored, as the view is made once per command and most rules ask every command
    /// for its name.
    public let name: String?

    /// Creates the view of a command, unwrapping known wrappers.
    init(_ command: SimpleCommand, context: CommandContext) {
        self.command = command
        self.context = context
        let unwrapped = Self.unwrap(command.words)
        let nameIndex = unwrapped.nameIndex
        storedNameIndex = UInt32(clamping: nameIndex)
        let words = command.words
        if let value = unwrapped.nameValue {
            name = Self.programName(value)
        } else {
            name = words.indices.contains(nameIndex) ? words[nameIndex].literalValue.map(Self.programName) : nil
        }
    }

    /// The wrappers skipped before the program, outermost first (e.g. `["sudo", "env"]`).
    ///
    /// Read again from the words when asked, not stored: almost no command has a
    /// wrapper (its name is its first word), and a view is kept for every command.
    public var wrappers: [String] {
        nameIndex == 0 ? [] : Self.unwrap(command.words).wrappers
    }

    /// The index in `command.words` of the program's word.
    public var nameIndex: Int { Int(storedNameIndex) }

    /// The word naming the program.
    public var nameWord: ShellWord { command.words[nameIndex] }

    /// The program's name in a literal word naming it.
    private static func programName(_ value: String) -> String {
        // Searched as bytes: a `/` is one byte in UTF-8, so the bytes after it are whole
        // characters.
        let afterSlash = value.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.lastIndex(of: UInt8(ascii: "/")).map { String(decoding: bytes[($0 + 1)...], as: UTF8.self) }
        }
        if let afterSlash { return afterSlash ?? value }
        let utf8 = value.utf8
        guard let slash = utf8.lastIndex(of: UInt8(ascii: "/")) else { return value }
        return String(Substring(utf8[utf8.index(after: slash)...]))
    }

    /// The words after the program's name.
    public var arguments: ArraySlice<ShellWord> { command.words[(nameIndex + 1)...] }

    /// The arguments that are not flags, literal ones only; after `--` every word counts.
    public var positionalArguments: [String] { Array(positionalValues) }

    /// The first positional argument, e.g. `install` in `apt-get -y install curl`.
    public var subcommand: String? {
        var values = positionalValues.makeIterator()
        return values.next()
    }

    /// ``positionalArguments`` read one at a time, so ``subcommand`` builds no others.
    private var positionalValues: UnfoldSequence<String, (words: ArraySlice<ShellWord>.Iterator, flagsEnded: Bool)> {
        sequence(state: (words: arguments.makeIterator(), flagsEnded: false)) { state in
            while let word = state.words.next() {
                guard let value = word.literalValue else { continue }
                if !state.flagsEnded && value == "--" {
                    state.flagsEnded = true
                    continue
                }
                if state.flagsEnded || !Self.isFlag(value) { return value }
            }
            return nil
        }
    }

    /// The flags given, by name: `-qy` gives `q` and `y`, `--yes` and `--yes=1` give `yes`.
    public var flagNames: Set<String> {
        var names: Set<String> = []
        for case .flag(let name, _, _) in ProgramSpec.unknown.scanner.positions(of: literalArguments, stopsAtDoubleDash: true) {
            names.insert(String(name.drop { $0 == "-" }))
        }
        return names
    }

    /// The literal values of the arguments (nil where a word is not literal).
    public var literalArguments: [String?] { arguments.map(\.literalValue) }

    /// Whether any of `names` is given as a flag (short names without `-`, long without `--`).
    public func hasFlag(_ names: String...) -> Bool {
        !flagNames.isDisjoint(with: names)
    }

    /// The value of a `--name=value` flag, or of `-n value` / `--name value` when the
    /// flag is followed by a word.
    public func flagValue(_ names: String...) -> String? {
        let spelled = Set(names.map { $0.count == 1 ? "-" + $0 : "--" + $0 })
        let values = literalArguments
        let scanner = OptionScanner(flagsWithValues: spelled)
        for case .flag(let name, let value?, _) in scanner.positions(of: values, stopsAtDoubleDash: true)
        where spelled.contains(name) {
            switch value {
            case .attached(let text): return text
            case .word(let index): return values[index]
            }
        }
        return nil
    }

    /// Whether a word reads as a flag: a dash and more, but not a negative number.
    public static func isFlag(_ value: String) -> Bool {
        // Most words do not start with `-`: answered from the first byte. An ASCII word
        // is answered over its bytes, where each byte is a Character.
        let utf8 = value.utf8
        guard utf8.first == UInt8(ascii: "-") else { return false }
        if utf8.allSatisfy({ $0 < 0x80 }) {
            return utf8.count > 1 && !utf8.dropFirst().allSatisfy {
                ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".")
            }
        }
        guard value.count > 1, value.hasPrefix("-") else { return false }
        let body = value.dropFirst()
        return !body.allSatisfy { $0.isNumber || $0 == "." }
    }

    // MARK: - Wrappers

    /// For each wrapper, the options that take a separate value.
    private static let wrapperOptionsWithValues: [String: Set<String>] = [
        "sudo": ["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"],
        "env": ["-u", "-C", "-S"],
        "nice": ["-n"],
        "nohup": [],
        "time": ["-f", "-o"],
        "timeout": ["-s", "-k"],
        "stdbuf": ["-i", "-o", "-e"],
        "ionice": ["-c", "-n", "-p", "-P", "-u"],
        "xargs": ["-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s", "-e", "-i", "-l"],
        "exec": ["-a"],
        "command": [],
        "chronic": [],
        "eatmydata": [],
    ]

    /// Skips wrappers and their options; returns them, the program's index and, when it
    /// was read on the way, the literal value of the program's word (a view reads it for
    /// its name, and need not make it twice).
    private static func unwrap(_ words: [ShellWord]) -> (wrappers: [String], nameIndex: Int, nameValue: String?) {
        var wrappers: [String] = []
        var index = 0
        var nameValue: String?
        while index < words.count - 1, let value = words[index].literalValue {
            nameValue = value
            // Most names have no slash: splitting them would only copy them.
            let name = value.containsByte(UInt8(ascii: "/")) ? value.split(separator: "/").last.map(String.init) ?? value : value
            guard let optionsWithValues = wrapperOptionsWithValues[name] else { break }
            var next = index + 1
            // `command -v x` looks a program up instead of running it.
            if name == "command", let first = words[next].literalValue, first == "-v" || first == "-V" { break }
            while next < words.count, let option = words[next].literalValue {
                if option == "--" {
                    next += 1
                    break
                }
                if name == "env" && !option.hasPrefix("-") && option.contains("=") {
                    next += 1
                    continue
                }
                guard isFlag(option) || (name == "nice" && option.hasPrefix("-") && option.count > 1) else { break }
                next += optionsWithValues.contains(option) ? 2 : 1
            }
            // `timeout` takes its duration before the program.
            if name == "timeout" && next < words.count { next += 1 }
            guard next < words.count else { break }
            wrappers.append(name)
            index = next
            nameValue = nil
        }
        return (wrappers, index, nameValue)
    }
}
