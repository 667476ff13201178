import DockwrightShell
import Testing

/// One reader of command-line options, driven by the programs' specs: every reader of a
/// command line (flag names, flag values, package installs, rules) gets the same answer.
@Suite struct OptionScannerTests {
    private func view(_ script: String) throws -> CommandView {
        try #require(parseScript(script)?.commands.first)
    }

    @Test func aClusterOfShortFlagsGivesTheValueToTheFlagThatTakesOne() {
        let positions = ProgramSpec.apt.scanner.positions(of: ["-yt", "bookworm-backports", "install", "curl"])
        #expect(positions == [
            .flag(name: "-y", value: nil, wordIndex: 0), .flag(name: "-t", value: .word(1), wordIndex: 0),
            .operand(wordIndex: 2), .operand(wordIndex: 3),
        ])
        // Attached, with or without `=`; a long flag's value after `=` or in the next word.
        #expect(ProgramSpec.pip.scanner.positions(of: ["-rreq.txt", "--target", "/t", "-c=c.txt"]) == [
            .flag(name: "-r", value: .attached("req.txt"), wordIndex: 0),
            .flag(name: "--target", value: .word(2), wordIndex: 1),
            .flag(name: "-c", value: .attached("c.txt"), wordIndex: 3),
        ])
    }

    @Test func goFlagsAreOneAWordAndUnknownWordsAreOperands() {
        #expect(ProgramSpec.go.scanner.positions(of: ["install", "--tags", "netgo", "-v", nil, "--", "-x"]) == [
            .operand(wordIndex: 0), .flag(name: "-tags", value: .word(2), wordIndex: 1),
            .flag(name: "-v", value: nil, wordIndex: 3), .operand(wordIndex: 4), .operand(wordIndex: 6),
        ])
        // A negative number is a value, not a flag.
        #expect(ProgramSpec.unknown.scanner.positions(of: ["-1"]) == [.operand(wordIndex: 0)])
    }

    /// `pip install -qr requirements.txt`: the requirement file is read from the cluster,
    /// not taken for a package, by the install reader and by the command's flag values.
    @Test func theInstallReaderAndTheFlagReaderAgreeOnAClusteredRequirementFile() throws {
        let command = try view("pip install -qr requirements.txt")
        let install = try #require(command.packageInstallation)
        #expect(install.requirementFiles == ["requirements.txt"])
        #expect(install.packages.isEmpty)
        #expect(command.flagNames == ["q", "r"])
        #expect(command.flagValue("r", "requirement") == "requirements.txt")
        #expect(try view("composer install -dapp").flagValue("d") == "app")
    }
}
