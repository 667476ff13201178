import DockwrightCLI
import Foundation
import Testing

/// What a new user hits first, each through the command-line entry point: flags that
/// do what they say, help, usage errors with suggestions, summaries and aliases.
@Suite struct NewUserTests {
    private let bad = "FROM alpine:3.20\nADD a /b\n"

    private func folder(_ files: [String: String]) throws -> URL {
        let root = ScratchFolder.root.appendingPathComponent("dockwright-new-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        for (path, content) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    // MARK: - Statistics

    @Test func statisticsNeverCorruptAMachineFormat() throws {
        let json = runTool(["lint", "--statistics", "-f", "json", "-"], standardInput: bad)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [Any]
        #expect(parsed?.count == 1)
        #expect(json.standardError.contains("1\tDL3020\t"))
        for format in ["sarif", "checkstyle", "gitlab", "junit"] {
            let result = runTool(["lint", "--statistics", "-f", format, "-"], standardInput: bad)
            #expect(!result.standardOutput.contains("\tDL3020\t"), "\(format)")
            #expect(result.standardError.contains("1\tDL3020\t"), "\(format)")
        }
    }

    @Test func statisticsReplaceTheTextReport() {
        let result = runTool(["lint", "--statistics", "-"], standardInput: bad + "ADD c /d\n")
        #expect(result.standardOutput == "2\tDL3020\tprefer-copy-over-add\n")
        #expect(result.exitCode == .findings)
    }

    // MARK: - Rules by BuildKit name

    @Test func rulesExplainsBuildKitCheckNames() {
        #expect(runTool(["rules", "DuplicateStageName"]).standardOutput.hasPrefix("## DL3024"))
        #expect(runTool(["rules", "duplicatestagename"]).exitCode == .success)
        let several = runTool(["rules", "MultipleInstructionsDisallowed"]).standardOutput
        #expect(several.components(separatedBy: "\n## ").count == 3)
        let unknown = runTool(["rules", "DuplicateStageNam"])
        #expect(unknown.exitCode == .failure)
        #expect(unknown.standardError.contains("did you mean 'DuplicateStageName'?"))
        let notYet = runTool(["rules", "InvalidBaseImagePlatform"])
        #expect(notYet.exitCode == .failure)
        #expect(notYet.standardError.contains("a BuildKit check that no dockwright rule implements yet"))
    }

    // MARK: - GNU notes, SARIF version

    @Test func gnuCallsInfoAndStyleFindingsNotes() {
        let gnu = runTool(["lint", "-f", "gnu", "-"], standardInput: "FROM alpine:3.20\nRUN echo a\nRUN echo b\n").standardOutput
        #expect(gnu.contains(": note: Merge consecutive `RUN` instructions"))
        #expect(!gnu.contains(": warning: Merge"))
    }

    @Test func sarifDriverNamesItsVersion() throws {
        let sarif = runTool(["lint", "-f", "sarif", "-"], standardInput: bad).standardOutput
        let document = try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any]
        let runs = document?["runs"] as? [[String: Any]]
        let driver = (runs?.first?["tool"] as? [String: Any])?["driver"] as? [String: Any]
        #expect(driver?["version"] as? String == CommandLineTool.version)
    }

    // MARK: - Unknown codes

    @Test func unknownCodesAndPrefixesAreUsageErrors() {
        for arguments in [["--select", "DL3999"], ["--ignore", "DL3999"], ["--ignore", "DL9"], ["--error", "DW9"],
                          ["--ignore", "prefer-copy-over-ad"]] {
            let result = runTool(["lint"] + arguments + ["-"], standardInput: bad)
            #expect(result.exitCode == .failure, "\(arguments)")
            #expect(result.standardOutput.isEmpty)
        }
        #expect(runTool(["lint", "--ignore", "DL3999", "-"], standardInput: bad).standardError
            .contains("no rule has the code or code prefix 'DL3999'"))
        #expect(runTool(["lint", "--ignore", "prefer-copy-over-ad", "-"], standardInput: bad).standardError
            .contains("did you mean 'prefer-copy-over-add'?"))
        #expect(runTool(["fix", "--select", "DL3999", "-"], standardInput: bad).exitCode == .failure)
        // Real codes, prefixes, names, categories, ShellCheck codes, BuildKit names and
        // hadolint's label-schema codes are all fine.
        for selector in ["DL3020", "DL30", "dl3020", "prefer-copy-over-add", "security", "SC2086", "DuplicateStageName",
                         "DL3049", "DL1000"] {
            #expect(runTool(["lint", "--ignore", selector, "-"], standardInput: bad).exitCode != .failure, "\(selector)")
        }
    }

    // MARK: - Commands, help and usage errors

    @Test func aDashAloneLintsStandardInputAsWithHadolint() {
        let result = runTool(["-"], standardInput: bad)
        #expect(result.exitCode == .findings)
        #expect(result.standardOutput.contains("[DL3020]"))
    }

    @Test func misspeltCommandsAndOptionsAreUsageErrorsWithASuggestion() {
        let command = runTool(["lnit", "Dockerfile"])
        #expect(command.exitCode == .failure)
        #expect(command.standardError.contains("unknown command 'lnit' (did you mean 'lint'?)"))
        #expect(command.standardOutput.isEmpty)
        let topLevel = runTool(["--verion"])
        #expect(topLevel.exitCode == .failure)
        #expect(topLevel.standardError.contains("unknown option '--verion' (did you mean '--version'?)"))
        let lintOption = runTool(["lint", "--fromat", "json", "-"], standardInput: bad)
        #expect(lintOption.exitCode == .failure)
        #expect(lintOption.standardError.contains("(did you mean '--format'?)"))
        #expect(runTool(["dump", "--sexpp"]).standardError.contains("(did you mean '--sexp'?)"))
        // A word that is an existing path is linted, whatever it looks like.
        #expect(runTool(["help", "lnit"]).standardError.contains("(did you mean 'lint'?)"))
    }

    @Test func aWordThatReadsAsAPathIsLinted() {
        // Capitals, dots and slashes mark paths: a missing one is an I/O error, not a command.
        let missing = runTool(["Dockerfile.missing"])
        #expect(missing.exitCode == .failure)
        #expect(missing.standardError.contains("Dockerfile.missing: cannot read"))
        #expect(!missing.standardError.contains("unknown command"))
    }

    @Test func helpListsLintOptionsAndEachCommandHasItsOwn() {
        let top = runTool(["--help"]).standardOutput
        for option in ["--format", "--select", "--fail-level", "--statistics", "--config"] { #expect(top.contains(option)) }
        #expect(top.contains("dockwright help COMMAND"))
        #expect(!top.contains("shell-commands") && !top.contains("bench-parse"))
        #expect(runTool(["help", "lint"]).standardOutput.hasPrefix("Usage: dockwright lint"))
        #expect(runTool(["help", "fix"]).standardOutput.hasPrefix("Usage: dockwright fix"))
        #expect(runTool(["dump", "--help"]).standardOutput.hasPrefix("Usage: dockwright dump"))
        #expect(runTool(["rules", "--help"]).standardOutput.hasPrefix("Usage: dockwright rules"))
        #expect(runTool(["help", "completion"]).standardOutput.contains("completion bash"))
        #expect(runTool(["help", "install-docker-plugin"]).standardOutput.hasPrefix("Usage: dockwright install-docker-plugin"))
        #expect(runTool(["help", "pin"]).standardOutput.hasPrefix("Usage: dockwright pin"))
        #expect(runTool(["lsp", "--help"]).standardOutput.hasPrefix("Usage: dockwright server"))
        // The harness commands still work and are listed only as internal.
        #expect(runTool(["help", "internal"]).standardOutput.contains("shell-commands"))
        #expect(runTool(["shell-commands", "--batch"], standardInput: "").exitCode == .success)
    }

    @Test func checkIsLintSpelledAsRuffSpellsIt() {
        let check = runTool(["check", "-f", "gnu", "-"], standardInput: bad)
        #expect(check.exitCode == .findings)
        #expect(check.standardOutput == runTool(["lint", "-f", "gnu", "-"], standardInput: bad).standardOutput)
    }

    // MARK: - Shell completion

    /// Runs bash's completion function on a command line; returns the candidates.
    private func bashCompletions(_ words: [String], script: String) throws -> [String] {
        let file = ScratchFolder.root.appendingPathComponent("dockwright-completion-\(UUID().uuidString).bash")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        process.arguments = ["-c", "source '\(file.path)'; COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); "
            + "_dockwright; printf '%s\\n' \"${COMPREPLY[@]}\""]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/bash")))
    func bashCompletionComesFromTheOptionTables() throws {
        let script = runTool(["completion", "bash"]).standardOutput
        #expect(try bashCompletions(["dockwright", "li"], script: script) == ["lint"])
        #expect(try bashCompletions(["dockwright", "lint", "--form"], script: script) == ["--format"])
        #expect(try bashCompletions(["dockwright", "lint", "-f", "sa"], script: script) == ["sarif"])
        #expect(try bashCompletions(["dockwright", "--fail"], script: script) == ["--fail-level", "--failure-threshold"])
        #expect(try bashCompletions(["dockwright", "fix", "--uns"], script: script) == ["--unsafe"])
        #expect(try bashCompletions(["dockwright", "completion", "z"], script: script) == ["zsh"])
        #expect(!script.contains("shell-commands"))
    }

    /// Runs an installed program; returns its exit status and standard output.
    private func execute(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static let zsh = "/usr/bin/zsh"
    private static let fish = "/usr/bin/fish"

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: zsh), "zsh is not installed"))
    func zshCompletionIsValidZsh() throws {
        let file = ScratchFolder.root.appendingPathComponent("_dockwright-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try runTool(["completion", "zsh"]).standardOutput.write(to: file, atomically: true, encoding: .utf8)
        #expect(try execute(Self.zsh, ["-n", file.path]).status == 0)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: fish), "fish is not installed"))
    func fishCompletionCompletesOptionsValuesAndCommands() throws {
        let file = ScratchFolder.root.appendingPathComponent("dockwright-\(UUID().uuidString).fish")
        defer { try? FileManager.default.removeItem(at: file) }
        try runTool(["completion", "fish"]).standardOutput.write(to: file, atomically: true, encoding: .utf8)
        func complete(_ line: String) throws -> [String] {
            try execute(Self.fish, ["--no-config", "-c", "source '\(file.path)'; complete -C '\(line)'"]).output
                .split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        }
        #expect(try complete("dockwright lint --form") == ["--format"])
        #expect(try complete("dockwright lint -f sa") == ["sarif"])
        #expect(try complete("dockwright che").contains("check"))
        #expect(try complete("dockwright completion ") == ["bash", "fish", "zsh"])
    }

    @Test func zshAndFishCompletionNameEveryCommandAndOption() {
        let zsh = runTool(["completion", "zsh"]).standardOutput
        let fish = runTool(["completion", "fish"]).standardOutput
        #expect(zsh.hasPrefix("#compdef dockwright"))
        #expect(zsh.contains("'*'{--format,-f}'[") && zsh.contains(":FORMAT:(text json"))
        #expect(fish.contains("-l format -s f -x -a 'text json"))
        for command in ["lint", "check", "fix", "rules", "dump", "completion", "install-docker-plugin"] {
            #expect(zsh.contains("'\(command):"), "\(command)")
            #expect(fish.contains("-a \(command) -d"), "\(command)")
        }
        let unknown = runTool(["completion", "tcsh"])
        #expect(unknown.exitCode == .failure)
        #expect(runTool(["completion"]).exitCode == .failure)
    }

    // MARK: - docker CLI plugin

    @Test func dockerPluginAnswersMetadataAndRunsAsDockerLint() throws {
        let metadata = CommandLineTool.run(
            invokedAs: "docker-lint", arguments: ["docker-cli-plugin-metadata"], standardInput: { [] },
            standardOutput: BufferedOutput(), standardError: BufferedOutput())
        #expect(metadata == .success)
        let output = BufferedOutput()
        _ = CommandLineTool.run(
            invokedAs: "docker-lint", arguments: ["docker-cli-plugin-metadata"], standardInput: { [] },
            standardOutput: output, standardError: BufferedOutput())
        let json = try JSONSerialization.jsonObject(with: Data(output.text.utf8)) as? [String: String]
        #expect(json?["SchemaVersion"] == "0.1.0")
        #expect(json?["Vendor"] == "dockwright")
        #expect(json?["Version"] == CommandLineTool.version)
        #expect(json?["ShortDescription"]?.isEmpty == false)
        // `docker lint -f gnu -` runs `docker-lint lint -f gnu -`.
        let lintOutput = BufferedOutput()
        let code = CommandLineTool.run(
            invokedAs: "docker-lint", arguments: ["lint", "-f", "gnu", "-"], standardInput: { Array(bad.utf8) },
            standardOutput: lintOutput, standardError: BufferedOutput())
        #expect(code == .findings)
        #expect(lintOutput.text.contains("[DL3020]"))
        // `docker lint fix -` runs fix; `docker lint --help` is lint's help.
        let fixOutput = BufferedOutput()
        _ = CommandLineTool.run(
            invokedAs: "docker-lint", arguments: ["lint", "fix", "-"], standardInput: { Array(bad.utf8) },
            standardOutput: fixOutput, standardError: BufferedOutput())
        #expect(fixOutput.text == "FROM alpine:3.20\nCOPY a /b\n")
        let helpOutput = BufferedOutput()
        _ = CommandLineTool.run(
            invokedAs: "docker-lint", arguments: ["lint", "--help"], standardInput: { [] },
            standardOutput: helpOutput, standardError: BufferedOutput())
        #expect(helpOutput.text.hasPrefix("Usage: dockwright lint"))
    }

    @Test func installDockerPluginLinksDockerLintToTheExecutable() throws {
        let root = try folder([:])
        let plugins = root.appendingPathComponent("config/cli-plugins")
        let result = runTool(["install-docker-plugin", "--directory", plugins.path])
        #expect(result.exitCode == .success)
        let link = plugins.appendingPathComponent("docker-lint").path
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: link)
        #expect(FileManager.default.isExecutableFile(atPath: target))
        // Again replaces the link; a real file in the way is left alone.
        #expect(runTool(["install-docker-plugin", "--directory", plugins.path]).exitCode == .success)
        try FileManager.default.removeItem(atPath: link)
        try "mine".write(toFile: link, atomically: true, encoding: .utf8)
        let blocked = runTool(["install-docker-plugin", "--directory", plugins.path])
        #expect(blocked.exitCode == .failure)
        #expect(try String(contentsOfFile: link, encoding: .utf8) == "mine")
    }

    // MARK: - Fix summary, remaining findings, quiet

    /// Three files: two fixable (ADD → COPY), one only with --unsafe or not at all.
    private func fixableFolder() throws -> URL {
        try folder([
            "a/Dockerfile": "FROM alpine:3.20\nADD a /b\nADD c /d\n",
            "b/Dockerfile": "FROM alpine:3.20\nADD a /b\n",
            "c/Dockerfile": "FROM alpine:3.20\nWORKDIR app\n",
        ])
    }

    @Test func fixSaysWhatItFixedAndWhatRemains() throws {
        let root = try fixableFolder()
        let result = runTool(["fix", root.path])
        #expect(result.exitCode == .success)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("Fixed 3 findings in 2 files; "), "\(result.standardError)")
        #expect(result.standardError.contains("remain"))
        let again = runTool(["fix", root.path])
        #expect(again.standardError.hasPrefix("Nothing to fix"), "\(again.standardError)")
        #expect(runTool(["fix", "-q", root.path]).standardError.isEmpty)
    }

    @Test func fixCheckAndDiffSayWouldFix() throws {
        let root = try fixableFolder()
        let check = runTool(["fix", "--check", root.path])
        #expect(check.exitCode == .findings)
        #expect(check.standardError.contains("Would fix 3 findings in 2 files"))
    }

    @Test func showRemainingWorksForPaths() throws {
        let root = try fixableFolder()
        let result = runTool(["fix", "--show-remaining", root.path])
        #expect(result.standardError.contains("c/Dockerfile:2:9: error [DL3000]"), "\(result.standardError)")
        #expect(!result.standardError.contains("[DL3020]"), "fixed findings are not remaining")
    }

    @Test func showFixesListsTheFixesPerFile() throws {
        let root = try fixableFolder()
        let result = runTool(["fix", "--show-fixes", root.path])
        #expect(result.standardError.contains("a/Dockerfile:\n  2 × DL3020 Replace `ADD` with `COPY`\n"), "\(result.standardError)")
        let standardInput = runTool(["fix", "--show-fixes", "-"], standardInput: bad)
        #expect(standardInput.standardOutput == "FROM alpine:3.20\nCOPY a /b\n")
        #expect(standardInput.standardError.contains("1 × DL3020"))
    }

    @Test func diffIsColouredOnlyWhenAskedOnACapturedStream() throws {
        let root = try fixableFolder()
        let plain = runTool(["fix", "--diff", root.path]).standardOutput
        #expect(!plain.contains("\u{1B}["))
        let colored = runTool(["fix", "--diff", "--color", "always", root.path]).standardOutput
        #expect(colored.contains("\u{1B}[31m-ADD a /b\u{1B}[0m\n\u{1B}[32m+COPY a /b\u{1B}[0m"))
        #expect(colored.replacingOccurrences(of: "\u{1B}[31m", with: "").replacingOccurrences(of: "\u{1B}[32m", with: "")
            .replacingOccurrences(of: "\u{1B}[36m", with: "").replacingOccurrences(of: "\u{1B}[1m", with: "")
            .replacingOccurrences(of: "\u{1B}[0m", with: "") == plain)
    }

    @Test func lintQuietPrintsFindingsOnly() {
        let quiet = runTool(["lint", "-q", "-"], standardInput: bad)
        #expect(quiet.standardOutput.contains("[DL3020]"))
        #expect(!quiet.standardOutput.contains("Found 1 finding"))
    }

    // MARK: - Paths with no Dockerfile

    @Test func aFolderWithoutADockerfileIsNamedOnStandardError() throws {
        let root = try folder(["app/Dockerfile-dev": bad, "docs/README.md": "x"])
        let result = runTool(["lint", root.appendingPathComponent("app").path, root.appendingPathComponent("docs").path])
        #expect(result.exitCode == .success)
        #expect(result.standardError.contains("warning: no Dockerfile in '\(root.path)/app'"))
        #expect(result.standardError.contains("'Dockerfile-dev' is not named like one"))
        #expect(result.standardError.contains("warning: no Dockerfile in '\(root.path)/docs'"))
        #expect(runTool(["fix", root.appendingPathComponent("app").path]).standardError.contains("no Dockerfile in"))
        #expect(!runTool(["lint", "-q", root.path]).standardError.contains("warning"))
        let withFile = try folder(["Dockerfile": bad])
        #expect(!runTool(["lint", withFile.path]).standardError.contains("no Dockerfile"))
    }

    // MARK: - hadolint's CI flags and formats

    @Test func hadolintFlagsWork() throws {
        let root = try folder(["Dockerfile": "FROM quay.io/x/y:1\n# hadolint ignore=DL3020\nADD a /b\n", "cfg.yaml": "ignored: [DL3020]\n"])
        let file = root.appendingPathComponent("Dockerfile").path
        #expect(runTool(["--isolated", file]).exitCode == .success)
        #expect(runTool(["--isolated", "--disable-ignore-pragma", file]).exitCode == .findings)
        #expect(runTool(["-c", root.appendingPathComponent("cfg.yaml").path, "--disable-ignore-pragma", file]).exitCode == .success)
        let trusted = runTool(["--isolated", "--trusted-registry", "docker.io", "-f", "gnu", file])
        #expect(trusted.standardOutput.contains("[DL3026]"))
        #expect(!runTool(["--isolated", "--trusted-registry", "quay.io", "-f", "gnu", file]).standardOutput.contains("[DL3026]"))
        #expect(runTool(["--isolated", "--disable-ignore-pragma", "-t", "ignore", file]).exitCode == .success)
        #expect(runTool(["--isolated", "--disable-ignore-pragma", "--failure-threshold", "none", file]).exitCode == .success)
        let renamed = runTool(["--isolated", "--disable-ignore-pragma", "--file-path-in-report", "app/Dockerfile", "-f", "checkstyle", file])
        #expect(renamed.standardOutput.contains("<file name=\"app/Dockerfile\">"))
        let stdin = runTool(["--file-path-in-report", "x/Dockerfile", "-f", "gnu", "-"], standardInput: bad)
        #expect(stdin.standardOutput.hasPrefix("x/Dockerfile:2.1"))
        #expect(!runTool(["--no-color", "--isolated", "--disable-ignore-pragma", file]).standardOutput.contains("\u{1B}["))
        let labels = runTool(["--strict-labels", file])
        #expect(labels.exitCode == .failure)
        #expect(labels.standardError.contains("label-schema rules"))
        #expect(runTool(["--require-label", "maintainer:text", file]).exitCode == .failure)
    }

    @Test func disableIgnorePragmaFromConfiguration() throws {
        let pragma = "FROM alpine:3.20\n# hadolint ignore=DL3020\nADD a /b\n"
        let yaml = try folder(["Dockerfile": pragma, ".hadolint.yaml": "disable-ignore-pragma: true\n"])
        #expect(runTool([yaml.appendingPathComponent("Dockerfile").path]).exitCode == .findings)
        let json = try folder(["Dockerfile": pragma, ".dockwright.json": #"{"disable-ignore-pragma": true}"#])
        #expect(runTool([json.appendingPathComponent("Dockerfile").path]).exitCode == .findings)
        let honoured = try folder(["Dockerfile": pragma, ".hadolint.yaml": "disable-ignore-pragma: false\n"])
        #expect(runTool([honoured.appendingPathComponent("Dockerfile").path]).exitCode == .success)
    }

    @Test func labelSchemaKeysAreRejectedNeverIgnored() throws {
        let root = try folder(["Dockerfile": bad, ".hadolint.yaml": "label-schema:\n  maintainer: text\n"])
        let result = runTool([root.appendingPathComponent("Dockerfile").path])
        #expect(result.exitCode == .failure)
        #expect(result.standardError.contains(".hadolint.yaml:1: invalid configuration: 'label-schema' is not supported"))
        let strict = try folder(["Dockerfile": bad, ".hadolint.yaml": "strict-labels: true\n"])
        #expect(runTool([strict.appendingPathComponent("Dockerfile").path]).exitCode == .failure)
        // Keys that ask for nothing are harmless.
        let empty = try folder(["Dockerfile": bad, ".hadolint.yaml": "strict-labels: false\nlabel-schema:\n"])
        #expect(runTool([empty.appendingPathComponent("Dockerfile").path]).exitCode == .findings)
    }

    @Test func hadolintFormatsHaveHadolintsShapes() throws {
        let input = bad + "RUN echo a\nRUN echo b\n"
        let tty = runTool(["-f", "tty", "-"], standardInput: input).standardOutput
        #expect(tty.hasPrefix("<stdin>:2 DL3020 error: Use `COPY` instead of `ADD`"))
        #expect(tty.contains("<stdin>:4 DL3059 info: "))

        let codeClimate = runTool(["-f", "codeclimate", "-"], standardInput: input).standardOutput
        let issues = codeClimate.split(separator: "\u{0}", omittingEmptySubsequences: true)
        #expect(issues.count == 2)
        let first = try JSONSerialization.jsonObject(with: Data(issues[0].utf8)) as? [String: Any]
        #expect(first?["type"] as? String == "issue")
        #expect(first?["check_name"] as? String == "DL3020")
        #expect(first?["severity"] as? String == "blocker")
        #expect(first?["categories"] as? [String] == ["Bug Risk"])
        let lines = (first?["location"] as? [String: Any])?["lines"] as? [String: Int]
        #expect(lines == ["begin": 2, "end": 2])

        let gitlab = runTool(["-f", "gitlab_codeclimate", "-"], standardInput: input).standardOutput
        let array = try JSONSerialization.jsonObject(with: Data(gitlab.utf8)) as? [[String: Any]]
        #expect(array?.count == 2)
        #expect((array?.first?["fingerprint"] as? String)?.isEmpty == false)

        let sonar = runTool(["-f", "sonarqube", "-"], standardInput: input).standardOutput
        let sonarIssues = (try JSONSerialization.jsonObject(with: Data(sonar.utf8)) as? [String: Any])?["issues"] as? [[String: Any]]
        #expect(sonarIssues?.count == 2)
        #expect(sonarIssues?.first?["severity"] as? String == "CRITICAL")
        #expect(sonarIssues?.first?["type"] as? String == "BUG")
        let range = (sonarIssues?.first?["primaryLocation"] as? [String: Any])?["textRange"] as? [String: Int]
        #expect(range == ["startLine": 2, "endLine": 2, "startColumn": 0, "endColumn": 3])

        let codacy = runTool(["-f", "codacy", "-"], standardInput: input).standardOutput.split(separator: "\n")
        #expect(codacy.count == 2)
        let codacyFirst = try JSONSerialization.jsonObject(with: Data(codacy[0].utf8)) as? [String: Any]
        #expect(codacyFirst?["patternId"] as? String == "DL3020")
        #expect(codacyFirst?["filename"] as? String == "<stdin>")
        #expect(codacyFirst?["line"] as? Int == 2)
        // An empty report is still a document where the format has one.
        #expect(runTool(["-f", "sonarqube", "-"], standardInput: "FROM alpine:3.20\n").standardOutput == "{\"issues\": []}\n")
    }

    // MARK: - lint --fix

    @Test func lintFixFixesThenReportsWhatRemains() throws {
        let root = try folder(["Dockerfile": "FROM alpine:3.20\nADD a /b\nWORKDIR app\n"])
        let file = root.appendingPathComponent("Dockerfile")
        let result = runTool(["lint", "--fix", "-f", "gnu", root.path])
        #expect(result.exitCode == .findings)
        #expect(try String(contentsOf: file, encoding: .utf8) == "FROM alpine:3.20\nCOPY a /b\nWORKDIR app\n")
        #expect(!result.standardOutput.contains("[DL3020]"))
        #expect(result.standardOutput.contains("[DL3000]"))
        #expect(result.standardError.contains("Fixed 1 finding in 1 file"))
        #expect(runTool(["lint", "--fix", "-"], standardInput: bad).exitCode == .failure)
        #expect(runTool(["lint", "--unsafe", root.path]).exitCode == .failure)
    }

    // MARK: - Configuration errors

    @Test(arguments: [
        ("{\n  \"ignore\": [\"DL3006\"]\n  \"select\": []\n}\n",
         ":3:3: invalid configuration: expected ',' or '}' after the value of 'ignore'"),
        ("{\n  \"ignore\": \"DL3006\"\n}\n",
         ":2:13: invalid configuration: 'ignore' must be a list of strings, like [\"DL3006\"]; found a string"),
        ("{\"select\": [\"DL3006\", 4]}", ":1:12: invalid configuration: item 2 of 'select' must be a string in quotes"),
        ("{\"fail-level\": warning}", ":1:16: invalid configuration: expected a value for 'fail-level', found 'warning'; "
            + "text values need quotes, like \"warning\""),
        ("{\"shellcheck\": \"yes\"}", ":1:16: invalid configuration: 'shellcheck' must be true or false; found a string"),
        ("{\"select\": [\"DL3006\",\n", ":2:1: invalid configuration: expected a value for item 2 of 'select', found the end of the file"),
        ("{\"severity\": {\"DL3006\": 3}}", ":1:14: invalid configuration: the severity of 'DL3006' must be one of \"error\", \"warning\", \"info\" or \"style\""),
    ])
    func configurationErrorsSayWhereAndWhatWasExpected(_ text: String, _ expected: String) throws {
        let root = try folder(["Dockerfile": bad, ".dockwright.json": text])
        let result = runTool([root.appendingPathComponent("Dockerfile").path])
        #expect(result.exitCode == .failure)
        #expect(result.standardError.contains(".dockwright.json" + expected), "\(result.standardError)")
        #expect(!result.standardError.contains("Expected to decode") && !result.standardError.contains("not valid JSON."))
    }

    // MARK: - A RUN the shell cannot parse

    @Test func aRunTheShellCannotParseIsAnErrorByDefault() {
        let result = runTool(["lint", "--isolated", "-f", "gnu", "-"], standardInput: "FROM alpine:3.20\nRUN echo \"unterminated\n")
        #expect(result.exitCode == .findings)
        #expect(result.standardOutput.contains("<stdin>:2.10-2.11: error: The shell cannot parse this script: "
            + "unterminated double quote; the build fails at this step [DW126]"))
    }

    // MARK: - One parse error per cause

    @Test func aMisspeltFromIsOneErrorWithASuggestion() {
        let result = runTool(["lint", "--isolated", "-f", "gnu", "-"], standardInput: "FORM alpine:3.20\nRUN echo hi\nCOPY a /b\n")
        #expect(result.exitCode == .findings)
        #expect(result.standardOutput == "<stdin>:1.1-1.5: error: unknown instruction: FORM (did you mean from?) [DW000]\n")
    }

    @Test func anUnterminatedHeredocDoesNotAlsoReportItsBody() {
        let result = runTool(["lint", "--isolated", "-f", "gnu", "-"], standardInput: "FROM alpine:3.20\nRUN <<EOF\necho hi\n")
        #expect(result.standardOutput.split(separator: "\n").count == 1, "\(result.standardOutput)")
        #expect(result.standardOutput.contains("unterminated heredoc: no line holding only `EOF` ends it"))
        #expect(!result.standardOutput.contains("unknown instruction"))
        // A twin that keeps its instruction error: a real unknown instruction after a FROM.
        let twin = runTool(["lint", "--isolated", "-f", "gnu", "-"], standardInput: "FROM alpine:3.20\nEXPSOE 80\n")
        #expect(twin.standardOutput.contains("unknown instruction: EXPSOE (did you mean expose?)"), "\(twin.standardOutput)")
    }

    @Test func aRunBeforeFromIsReportedOnceByItsRule() {
        let input = "RUN echo hi\nFROM alpine:3.20\n"
        let result = runTool(["lint", "--isolated", "-f", "gnu", "-"], standardInput: input)
        #expect(result.standardOutput.split(separator: "\n").filter { $0.contains("<stdin>:1.1") }.count == 1,
                "\(result.standardOutput)")
        #expect(result.standardOutput.contains("[DL3061]"))
        // With the rule off, BuildKit's own error still says it.
        let withoutRule = runTool(["lint", "--isolated", "--ignore", "DL3061", "-f", "gnu", "-"], standardInput: input)
        #expect(withoutRule.standardOutput.contains("<stdin>:1.1-1.4: error: no build stage in current context [DW000]"))
    }

    @Test func hadolintYAMLFormatAndNoColorApplyUnlessTheCommandLineSaysOtherwise() throws {
        let root = try folder(["Dockerfile": bad, ".hadolint.yaml": "format: gnu\nno-color: true\nverbose: true\n"])
        let file = root.appendingPathComponent("Dockerfile").path
        #expect(runTool([file]).standardOutput.hasSuffix("Dockerfile:2.1-2.4: error: Use `COPY` instead of `ADD` "
            + "for local files and folders [DL3020]\n"))
        #expect(runTool(["-f", "json", file]).standardOutput.hasPrefix("["))
        #expect(!runTool(["-f", "text", file]).standardOutput.contains("\u{1B}["))
        #expect(runTool(["-f", "text", "--color", "always", file]).standardOutput.contains("\u{1B}["))
        let wrong = try folder(["Dockerfile": bad, ".hadolint.yaml": "format: fancy\n"])
        let result = runTool([wrong.appendingPathComponent("Dockerfile").path])
        #expect(result.exitCode == .failure)
        #expect(result.standardError.contains("unknown format 'fancy' in "))
    }
}
