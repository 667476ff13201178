import DockwrightCore
import DockwrightOutput
import DockwrightRules
import DockwrightSyntax

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `dockwright lint [PATH ...|-]`: finds Dockerfiles, lints them in parallel and
/// reports in the format CI reads; the exit code follows `--fail-level`.
struct LintCommand {
    let output: OutputStream
    let errors: OutputStream

    static let options: [OptionSpec] = [
        OptionSpec(names: ["--format", "-f"], value: "FORMAT",
                   help: OutputFormat.allCases.map { $0 == .text ? "text (default)" : $0.rawValue }.joined(separator: ", "),
                   choices: OutputFormat.allCases.map(\.rawValue)),
        OptionSpec(names: ["--output", "-o"], value: "FILE", help: "write the report to FILE instead of standard output"),
        OptionSpec(names: ["--fail-level", "--failure-threshold", "-t"], value: "LEVEL",
                   help: "exit 1 for findings at or above LEVEL: error, warning, info (default), style, none (or ignore)",
                   choices: ["error", "warning", "info", "style", "none", "ignore"]),
        OptionSpec(names: ["--exit-zero", "--no-fail"], value: nil, help: "exit 0 whatever the findings"),
        OptionSpec(names: ["--select"], value: "RULES", help: "run only these codes, names, code prefixes or categories"),
        OptionSpec(names: ["--ignore"], value: "RULES", help: "skip these codes, names, code prefixes or categories"),
        OptionSpec(names: ["--no-version-pinning"], value: nil,
                   help: "skip the rules that want package versions pinned (DL3008, DL3018, …)"),
        OptionSpec(names: ["--error"], value: "RULES", help: "report these rules as errors"),
        OptionSpec(names: ["--warning"], value: "RULES", help: "report these rules as warnings"),
        OptionSpec(names: ["--info"], value: "RULES", help: "report these rules as info"),
        OptionSpec(names: ["--style"], value: "RULES", help: "report these rules as style"),
        OptionSpec(names: ["--color"], value: "WHEN", help: "auto (default: on a terminal, unless NO_COLOR is set), always, never",
                   choices: ["auto", "always", "never"]),
        OptionSpec(names: ["--no-color"], value: nil, help: "the same as --color never (hadolint's spelling)"),
        OptionSpec(names: ["--stdin-filename"], value: "NAME", help: "the name to report for standard input"),
        OptionSpec(names: ["--file-path-in-report"], value: "NAME",
                   help: "the name to report for the one file linted, or for standard input (hadolint's option)"),
        OptionSpec(names: ["--exclude"], value: "GLOB", help: "skip files and folders matching GLOB (repeatable)"),
        OptionSpec(names: ["--statistics"], value: nil,
                   help: "count findings per rule: instead of the text report, or on standard error beside a machine format"),
        OptionSpec(names: ["--config", "-c"], value: "FILE", help: "use this .dockwright.json or .hadolint.yaml instead of discovery"),
        OptionSpec(names: ["--isolated"], value: nil, help: "ignore configuration files"),
        OptionSpec(names: ["--context"], value: "DIR",
                   help: "the build context, for fixes that copy files from it (default: each Dockerfile's folder)"),
        OptionSpec(names: ["--shellcheck"], value: nil,
                   help: "also run ShellCheck on RUN scripts when it is installed (SC codes)"),
        OptionSpec(names: ["--trusted-registry"], value: "REGISTRY",
                   help: "a registry base images may come from (repeatable; turns on DL3026 as hadolint does)"),
        OptionSpec(names: ["--disable-ignore-pragma"], value: nil, help: "ignore inline '# hadolint/# dockwright ignore=' pragmas"),
        OptionSpec(names: ["--fix"], value: nil, help: "apply safe fixes first, then report what remains (as ruff check --fix)"),
        OptionSpec(names: ["--unsafe"], value: nil, help: "with --fix: also apply unsafe fixes"),
        OptionSpec(names: ["--show-fixes"], value: nil, help: "with --fix: list the fixes applied on standard error"),
        OptionSpec(names: ["--quiet", "-q"], value: nil, help: "print findings only: no summary line, notes or warnings"),
        OptionSpec(names: ["--online"], value: nil,
                   help: "also ask registries: stale digests, missing tags, DW003 suggestions that do not exist"),
        OptionSpec(names: ["--docker-config"], value: "DIR", help: "with --online: where config.json is"),
        OptionSpec(names: ["--insecure-registry"], value: "HOST[:PORT]",
                   help: "with --online: speak plain HTTP to this registry (repeatable)"),
        OptionSpec(names: ["--registry-mirror"], value: "HOST[:PORT]", help: "with --online: ask this mirror for Docker Hub images"),
        OptionSpec(names: ["--help", "-h"], value: nil, help: "show this help"),
    ]

    /// hadolint options dockwright does not have, with why: a CI line copied from
    /// hadolint gets this instead of a bare "unknown option".
    static let hadolintOnlyOptions: [String: String] = [
        "--require-label": "dockwright has no label-schema rules (hadolint's DL3049-DL3058) yet",
        "--strict-labels": "dockwright has no label-schema rules (hadolint's DL3049-DL3058) yet",
    ]

    func run(_ arguments: [String], standardInput: () throws -> [UInt8]) -> ExitCode {
        for argument in arguments.prefix(while: { $0 != "--" }) {
            // A path (no `-` first, no `=`) names no option: not split, however many there are.
            guard argument.utf8.first == UInt8(ascii: "-") || argument.utf8.contains(UInt8(ascii: "=")) else { continue }
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if let reason = Self.hadolintOnlyOptions[name] {
                errors.write("dockwright lint: hadolint's \(name) is not supported: \(reason)\n")
                return .failure
            }
        }
        let parsed: ParsedArguments
        do {
            parsed = try ArgumentParser.parse(arguments, options: Self.options, command: "lint")
        } catch {
            errors.write(error.message + "\n")
            return .failure
        }
        if parsed.has("--help") {
            output.write(ArgumentParser.commandHelp("lint [OPTIONS] [PATH ...|-]   (also: dockwright check, dockwright PATH)",
                                                    Self.options))
            return .success
        }
        let format: OutputFormat
        let reportConfiguration: Configuration
        let cliFailLevel: Severity??
        let cliSelection: RuleSelection
        let loader: ConfigurationLoader
        do {
            cliFailLevel = parsed.value("--fail-level") == nil ? nil : .some(try Self.failLevel(parsed))
            cliSelection = try Self.selection(parsed)
            loader = try ConfigurationLoader(explicitPath: parsed.value("--config"), isIsolated: parsed.has("--isolated"))
            // The report is one document, so its format and colour come from the command
            // line, else from the configuration of the first path (hadolint's `format`).
            let firstPath = parsed.positional.first.map { $0 == "-" ? (parsed.value("--stdin-filename") ?? ".") : $0 } ?? "."
            reportConfiguration = try loader.configuration(for: firstPath)
            format = try Self.format(parsed, configured: reportConfiguration)
        } catch let error as UsageError {
            errors.write(error.message + "\n")
            return .failure
        } catch {
            errors.write("\(error)\n")
            return .failure
        }
        if !parsed.has("--fix"), let fixOnly = ["--unsafe", "--show-fixes"].first(where: parsed.has) {
            errors.write("dockwright lint: \(fixOnly) works only with --fix\n")
            return .failure
        }
        if parsed.has("--fix") {
            // ruff's `check --fix`: fix in place, then report what is left.
            guard !parsed.positional.contains("-") else {
                errors.write("dockwright lint: --fix does not read standard input; use 'dockwright fix -'\n")
                return .failure
            }
            let fixed = FixCommand(output: output, errors: errors).run(Self.fixArguments(parsed), standardInput: standardInput)
            if fixed == .failure { return .failure }
        }

        // The registry client exists only with --online: plain lint never touches the network.
        var online: OnlineChecker?
        if parsed.has("--online") {
            do {
                let client = try PinCommand.makeClient(parsed, environment: ProcessEnvironment.current(), timeout: 15)
                online = OnlineChecker(client: client, parallelism: 8)
            } catch {
                errors.write("dockwright lint: \(error.reason)\n")
                return .failure
            }
        }

        var status = ExitCode.success
        var paths = parsed.positional
        if paths.isEmpty { paths = ["."] }
        var standardInputSource: SourceFile?
        var files: [String] = []
        if paths.contains("-") {
            let bytes: [UInt8]
            do {
                bytes = try standardInput()
            } catch {
                errors.write("<stdin>: cannot read: \((error as? FileReader.ReadError)?.reason ?? "\(error)")\n")
                return .failure
            }
            let name = parsed.value("--stdin-filename") ?? parsed.value("--file-path-in-report") ?? "<stdin>"
            standardInputSource = SourceFile(path: name, bytes: bytes)
            files.append("-")
        }
        let discovered = FileDiscovery.filesWithRoots(in: paths.filter { $0 != "-" }, excluding: parsed.all("--exclude"))
        for error in discovered.errors {
            errors.write(error + "\n")
            status = .failure
        }
        if !parsed.has("--quiet") {
            for warning in DiscoveryWarnings.emptyPaths(paths, found: discovered.files) { errors.write(warning + "\n") }
        }
        files += discovered.files.map(\.path)
        // hadolint's --file-path-in-report names the one file it lints (run in a container).
        let reportedName = parsed.value("--file-path-in-report")
        if reportedName != nil && files.count > 1 {
            errors.write("dockwright lint: --file-path-in-report names one file, but \(files.count) were found\n")
            return .failure
        }

        // Each file gets the settings of its nearest configuration file.
        let all = BuiltinRules.all
        var plans: [(linter: Linter, failLevel: Severity?)] = []
        var byConfiguration: [String: (linter: Linter, failLevel: Severity?)] = [:]
        let lister = BuildContextLister()
        var shellCheck = ShellCheckSetting(isRequested: parsed.has("--shellcheck"))
        var excluded: Set<Int> = []
        var configurationErrors = ConfigurationErrorReport(errors: errors)
        for (index, path) in files.enumerated() {
            var configuration: Configuration
            do {
                configuration = try loader.configuration(for: path == "-" ? (standardInputSource?.path ?? ".") : path)
            } catch {
                // A bad configuration stops only the files it governs.
                configurationErrors.report(error, skipping: path == "-" ? (standardInputSource?.path ?? "-") : path)
                status = .failure
                excluded.insert(index)
                plans.append((Linter(rules: []), nil))
                continue
            }
            configuration.trustedRegistries += RuleSelection.entries(parsed.all("--trusted-registry"))
            if parsed.has("--disable-ignore-pragma") { configuration.disablesIgnorePragmas = true }
            // A configuration's `exclude` globs skip files found by walking folders.
            if path != "-" && FileDiscovery.isExcluded(path, by: configuration.exclude) { excluded.insert(index) }
            let contextPath = path == "-" ? (parsed.value("--stdin-filename") ?? "-") : path
            let contextFolder = BuildContextLister.contextFolder(for: contextPath, explicit: parsed.value("--context"))
            // A Dockerfile with its own `<name>.dockerignore` needs its own listing.
            let ownIgnore = BuildContextLister.dockerfileIgnorePath(for: contextPath).flatMap {
                RawPath.withCString($0, { access($0, F_OK) }) == 0 ? $0 : nil
            }
            let key = "\(configuration.path ?? "")\u{0}\(contextFolder ?? "")\u{0}\(ownIgnore ?? "")"
            if let plan = byConfiguration[key] {
                plans.append(plan)
                continue
            }
            let selection = cliSelection.merged(over: configuration)
            let failLevel: Severity? = cliFailLevel ?? (configuration.failLevelIsNone ? nil : configuration.failLevel ?? .info)
            var linter = Linter(
                rules: selection.rules(from: all), severityOverrides: selection.overrides(from: all),
                buildContext: contextFolder.flatMap { lister.listing(of: $0, dockerfile: contextPath) },
                options: configuration.ruleOptions)
            linter.externalCheckers = shellCheck.checkers(for: configuration, selection: selection, errors: errors)
            linter.honorsPragmas = !configuration.disablesIgnorePragmas
            linter.keepsFixes = format.showsFixes
            if let online { linter.externalCheckers.append(online) }
            let plan = (linter, failLevel)
            byConfiguration[key] = plan
            plans.append(plan)
        }

        // The report goes out file by file, in order, as the files are linted.
        let reportOutput: OutputStream
        let reportFile: FileOutput?
        if let outputPath = parsed.value("--output") {
            guard let file = FileOutput(creating: outputPath) else {
                errors.write("\(RawPath.display(outputPath)): cannot write the report\n")
                return .failure
            }
            reportOutput = file
            reportFile = file
        } else {
            reportOutput = output
            reportFile = nil
        }
        let colored = (format == .text || format == .tty) && usesColor(parsed, configured: reportConfiguration)
        var report = ReportStream(format: format, rules: all, usesColor: colored)
        // The workers render each file's part and drop its tree; this thread only puts
        // the parts in order and writes them.
        let renderer = report
        // With `--statistics` the counts replace the text report (as ruff does); a
        // machine format stays whole on its stream and the counts go to standard error.
        let countsFindings = parsed.has("--statistics")
        let statisticsOnly = countsFindings && format == .text
        if !statisticsOnly { reportOutput.write(report.header) }
        var failsAtLevel = false
        var counts: [String: (name: String, count: Int)] = [:]
        let standardInputFile = standardInputSource
        let excludedFiles = excluded
        let planList = plans
        let fileList = files
        OrderedWork.run(count: files.count, produce: { index -> Outcome in
            guard !excludedFiles.contains(index) else { return .excluded }
            let path = fileList[index]
            let source: SourceFile
            if path == "-", let given = standardInputFile {
                source = given
            } else {
                switch Result(catching: { () throws(FileReader.ReadError) -> [UInt8] in try FileReader.read(path: path) }) {
                case .success(let bytes):
                    // Reports show a name that is not UTF-8 with `\xNN` escapes.
                    source = SourceFile(path: reportedName ?? RawPath.display(path), bytes: bytes)
                case .failure(let error):
                    return .failure("\(RawPath.display(path)): cannot read: \(error.reason)")
                }
            }
            if FileReader.looksBinary(source.bytes) { return .failure("\(source.path): not a text file; skipped") }
            let result = planList[index].linter.lint(source)
            let failLevel = planList[index].failLevel
            let part: LintedFile.Part = result.diagnostics.count > Self.sliceSize && renderer.rendersInSlices
                ? .inSlices(result) : .rendered(renderer.render(result))
            return .success(LintedFile(
                path: source.path, part: part,
                failsAtLevel: failLevel.map { level in result.diagnostics.contains { $0.severity >= level } } ?? false,
                findings: countsFindings ? result.diagnostics.map { ($0.code, $0.name) } : [],
                note: FileReader.lineEndNote(source.bytes)))
        }, consume: { _, outcome in
            switch outcome {
            case .success(let file):
                if let note = file.note, !parsed.has("--quiet") { errors.write("\(file.path): \(note)\n") }
                switch file.part {
                case .rendered(let rendered):
                    report.add(rendered) { part in
                        if !statisticsOnly { reportOutput.write(part) }
                    }
                case .inSlices(let result):
                    for start in stride(from: 0, to: result.diagnostics.count, by: Self.sliceSize) {
                        let slice = result.findings(start..<Swift.min(start + Self.sliceSize, result.diagnostics.count))
                        report.add(renderer.render(slice)) { part in
                            if !statisticsOnly { reportOutput.write(part) }
                        }
                    }
                }
                if file.failsAtLevel { failsAtLevel = true }
                for (code, name) in file.findings { counts[code, default: (name, 0)].count += 1 }
            case .failure(let message):
                errors.write(message + "\n")
                status = .failure
            case .excluded: break
            }
        })
        if statisticsOnly {
            reportOutput.write(statistics(counts))
        } else {
            // The text footer is the summary line `--quiet` leaves out.
            if !(parsed.has("--quiet") && format == .text) { reportOutput.write(report.footer()) }
            if parsed.has("--statistics") { errors.write(statistics(counts)) }
        }
        for failure in online?.failures ?? [] {
            errors.write("dockwright lint --online: \(failure)\n")
            status = .failure
        }
        if let reportFile, !reportFile.close() {
            errors.write("\(parsed.value("--output") ?? ""): cannot write the report\n")
            return .failure
        }
        guard status == .success else { return status }
        if parsed.has("--exit-zero") { return .success }
        return failsAtLevel ? .findings : .success
    }

    /// What linting one file came to.
    private enum Outcome: Sendable {
        case success(LintedFile)
        case failure(String)
        case excluded
    }

    /// How many findings of a file the report renders at once when the format allows
    /// slices (``ReportStream/rendersInSlices``). A file with more is rendered by the
    /// thread that writes the report, a slice at a time: a report with a finding on
    /// every line is larger than the file, and is never held whole.
    static let sliceSize = 4096

    /// What the report needs of a linted file, without its tree.
    private struct LintedFile: Sendable {
        /// The file's part of the report.
        enum Part: Sendable {
            /// Rendered whole by the worker that linted the file.
            case rendered(ReportStream.RenderedFile)
            /// More findings than ``LintCommand/sliceSize``: rendered a slice at a time, as written.
            case inSlices(LintResult)
        }

        /// The name the report shows.
        let path: String
        let part: Part
        /// Whether a finding is at or above the file's fail level.
        let failsAtLevel: Bool
        /// Each finding's code and name, for `--statistics` (empty without it).
        let findings: [(code: String, name: String)]
        /// What `FileReader.lineEndNote` says about the file's line ends.
        let note: String?
    }

    // MARK: - Options

    static func format(_ parsed: ParsedArguments, configured: Configuration = Configuration()) throws(UsageError) -> OutputFormat {
        guard let name = parsed.value("--format") ?? configured.outputFormat else { return .text }
        guard let format = OutputFormat(rawValue: name.lowercased()) else {
            let source = parsed.value("--format") == nil ? " in \(configured.path ?? "the configuration")" : ""
            throw UsageError(message: "dockwright: unknown format '\(name)'\(source); use one of "
                + OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return format
    }

    /// The `fix` command line `lint --fix` runs: the options both commands share.
    static func fixArguments(_ parsed: ParsedArguments) -> [String] {
        var arguments: [String] = []
        for key in ["--select", "--ignore", "--exclude", "--config", "--context"] {
            for value in parsed.all(key) { arguments += [key, value] }
        }
        for key in ["--isolated", "--unsafe", "--show-fixes", "--quiet", "--disable-ignore-pragma"] where parsed.has(key) {
            arguments.append(key)
        }
        return arguments + ["--"] + (parsed.positional.isEmpty ? ["."] : parsed.positional)
    }

    static func failLevel(_ parsed: ParsedArguments) throws(UsageError) -> Severity? {
        guard let name = parsed.value("--fail-level")?.lowercased() else { return .info }
        // hadolint spells "never fail" `none` or `ignore`.
        if name == "none" || name == "never" || name == "ignore" { return nil }
        guard let severity = Severity(rawValue: name) else {
            throw UsageError(message: "dockwright: unknown fail level '\(name)'; use error, warning, info, style or none")
        }
        return severity
    }

    static func selection(_ parsed: ParsedArguments) throws(UsageError) -> RuleSelection {
        var selection = RuleSelection()
        selection.selected = RuleSelection.entries(parsed.all("--select"))
        selection.ignored = RuleSelection.entries(parsed.all("--ignore"))
        if parsed.has("--no-version-pinning") { selection.ignored += Configuration.versionPinningCodes }
        for severity in Severity.allCases {
            for entry in RuleSelection.entries(parsed.all("--" + severity.rawValue)) {
                selection.severityOverrides[entry] = severity
            }
        }
        for entry in selection.selected + selection.ignored + Array(selection.severityOverrides.keys) {
            try RuleSelection.validate(entry, against: BuiltinRules.all)
        }
        return selection
    }

    private func usesColor(_ parsed: ParsedArguments, configured: Configuration) -> Bool {
        if parsed.has("--no-color") { return false }
        switch parsed.value("--color") ?? (configured.disablesColor ? "never" : "auto") {
        case "always": return true
        case "never": return false
        default:
            return isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR") == nil && parsed.value("--output") == nil
        }
    }

    private func statistics(_ counts: [String: (name: String, count: Int)]) -> String {
        counts.sorted { ($1.value.count, $0.key) < ($0.value.count, $1.key) }
            .map { "\($0.value.count)\t\($0.key)\t\($0.value.name)\n" }.joined()
    }
}
