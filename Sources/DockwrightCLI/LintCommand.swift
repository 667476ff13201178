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
                   help: "text (default), json, sarif, checkstyle, gnu, github, gitlab, junit"),
        OptionSpec(names: ["--output", "-o"], value: "FILE", help: "write the report to FILE instead of standard output"),
        OptionSpec(names: ["--fail-level", "--failure-threshold", "-t"], value: "LEVEL",
                   help: "exit 1 for findings at or above LEVEL: error, warning, info (default), style, none"),
        OptionSpec(names: ["--exit-zero", "--no-fail"], value: nil, help: "exit 0 whatever the findings"),
        OptionSpec(names: ["--select"], value: "RULES", help: "run only these codes, names, code prefixes or categories"),
        OptionSpec(names: ["--ignore"], value: "RULES", help: "skip these codes, names, code prefixes or categories"),
        OptionSpec(names: ["--no-version-pinning"], value: nil,
                   help: "skip the rules that want package versions pinned (DL3008, DL3018, …)"),
        OptionSpec(names: ["--error"], value: "RULES", help: "report these rules as errors"),
        OptionSpec(names: ["--warning"], value: "RULES", help: "report these rules as warnings"),
        OptionSpec(names: ["--info"], value: "RULES", help: "report these rules as info"),
        OptionSpec(names: ["--style"], value: "RULES", help: "report these rules as style"),
        OptionSpec(names: ["--color"], value: "WHEN", help: "auto (default: on a terminal, unless NO_COLOR is set), always, never"),
        OptionSpec(names: ["--stdin-filename"], value: "NAME", help: "the name to report for standard input"),
        OptionSpec(names: ["--exclude"], value: "GLOB", help: "skip files and folders matching GLOB (repeatable)"),
        OptionSpec(names: ["--statistics"], value: nil, help: "print the number of findings per rule after the report"),
        OptionSpec(names: ["--config"], value: "FILE", help: "use this .dockwright.json or .hadolint.yaml instead of discovery"),
        OptionSpec(names: ["--isolated"], value: nil, help: "ignore configuration files"),
        OptionSpec(names: ["--context"], value: "DIR",
                   help: "the build context, for fixes that copy files from it (default: each Dockerfile's folder)"),
        OptionSpec(names: ["--shellcheck"], value: nil,
                   help: "also run ShellCheck on RUN scripts when it is installed (SC codes)"),
        OptionSpec(names: ["--online"], value: nil,
                   help: "also ask registries: stale digests, missing tags, DW003 suggestions that do not exist"),
        OptionSpec(names: ["--docker-config"], value: "DIR", help: "with --online: where config.json is"),
        OptionSpec(names: ["--insecure-registry"], value: "HOST[:PORT]",
                   help: "with --online: speak plain HTTP to this registry (repeatable)"),
        OptionSpec(names: ["--registry-mirror"], value: "HOST[:PORT]", help: "with --online: ask this mirror for Docker Hub images"),
        OptionSpec(names: ["--help", "-h"], value: nil, help: "show this help"),
    ]

    func run(_ arguments: [String], standardInput: () throws -> [UInt8]) -> ExitCode {
        let parsed: ParsedArguments
        do {
            parsed = try ArgumentParser.parse(arguments, options: Self.options, command: "lint")
        } catch {
            errors.write(error.message + "\n")
            return .failure
        }
        if parsed.has("--help") {
            output.write("Usage: dockwright lint [OPTIONS] [PATH ...|-]\n\n" + ArgumentParser.help(Self.options) + "\n")
            return .success
        }
        let format: OutputFormat
        let cliFailLevel: Severity??
        let cliSelection: RuleSelection
        let loader: ConfigurationLoader
        do {
            format = try Self.format(parsed)
            cliFailLevel = parsed.value("--fail-level") == nil ? nil : .some(try Self.failLevel(parsed))
            cliSelection = try Self.selection(parsed)
            loader = try ConfigurationLoader(explicitPath: parsed.value("--config"), isIsolated: parsed.has("--isolated"))
        } catch let error as UsageError {
            errors.write(error.message + "\n")
            return .failure
        } catch {
            errors.write("\(error)\n")
            return .failure
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
            guard let bytes = try? standardInput() else {
                errors.write("<stdin>: cannot read standard input\n")
                return .failure
            }
            standardInputSource = SourceFile(path: parsed.value("--stdin-filename") ?? "<stdin>", bytes: bytes)
            files.append("-")
        }
        let discovered = FileDiscovery.files(in: paths.filter { $0 != "-" }, excluding: parsed.all("--exclude"))
        for error in discovered.errors {
            errors.write(error + "\n")
            status = .failure
        }
        files += discovered.files

        // Each file gets the settings of its nearest configuration file.
        let all = BuiltinRules.all
        var plans: [(linter: Linter, failLevel: Severity?)] = []
        var byConfiguration: [String: (linter: Linter, failLevel: Severity?)] = [:]
        let lister = BuildContextLister()
        var shellCheck = ShellCheckSetting(isRequested: parsed.has("--shellcheck"))
        var excluded: Set<Int> = []
        for (index, path) in files.enumerated() {
            let configuration: Configuration
            do {
                configuration = try loader.configuration(for: path == "-" ? (standardInputSource?.path ?? ".") : path)
            } catch {
                errors.write("\(error)\n")
                return .failure
            }
            // A configuration's `exclude` globs skip files found by walking folders.
            if path != "-" && FileDiscovery.isExcluded(path, by: configuration.exclude) { excluded.insert(index) }
            let contextPath = path == "-" ? (parsed.value("--stdin-filename") ?? "-") : path
            let contextFolder = BuildContextLister.contextFolder(for: contextPath, explicit: parsed.value("--context"))
            // A Dockerfile with its own `<name>.dockerignore` needs its own listing.
            let ownIgnore = BuildContextLister.dockerfileIgnorePath(for: contextPath).flatMap {
                access($0, F_OK) == 0 ? $0 : nil
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
                errors.write("\(outputPath): cannot write the report\n")
                return .failure
            }
            reportOutput = file
            reportFile = file
        } else {
            reportOutput = output
            reportFile = nil
        }
        var report = ReportStream(format: format, rules: all, usesColor: format == .text && usesColor(parsed))
        reportOutput.write(report.header)
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
                    source = SourceFile(path: path, bytes: bytes)
                case .failure(let error):
                    return .failure("\(path): cannot read: \(error.reason)")
                }
            }
            if FileReader.looksBinary(source.bytes) { return .failure("\(source.path): not a text file; skipped") }
            return .success(planList[index].linter.lint(source), note: FileReader.lineEndNote(source.bytes))
        }, consume: { index, outcome in
            switch outcome {
            case .success(let result, let note):
                if let note { errors.write("\(result.syntax.source.path): \(note)\n") }
                reportOutput.write(report.add(result))
                if let level = planList[index].failLevel, result.diagnostics.contains(where: { $0.severity >= level }) {
                    failsAtLevel = true
                }
                for diagnostic in result.diagnostics { counts[diagnostic.code, default: (diagnostic.name, 0)].count += 1 }
            case .failure(let message):
                errors.write(message + "\n")
                status = .failure
            case .excluded: break
            }
        })
        reportOutput.write(report.footer())
        for failure in online?.failures ?? [] {
            errors.write("dockwright lint --online: \(failure)\n")
            status = .failure
        }
        if parsed.has("--statistics") { reportOutput.write(statistics(counts)) }
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
        case success(LintResult, note: String?)
        case failure(String)
        case excluded
    }

    // MARK: - Options

    static func format(_ parsed: ParsedArguments) throws(UsageError) -> OutputFormat {
        guard let name = parsed.value("--format") else { return .text }
        guard let format = OutputFormat(rawValue: name.lowercased()) else {
            throw UsageError(message: "dockwright: unknown format '\(name)'; use one of "
                + OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return format
    }

    static func failLevel(_ parsed: ParsedArguments) throws(UsageError) -> Severity? {
        guard let name = parsed.value("--fail-level")?.lowercased() else { return .info }
        if name == "none" || name == "never" { return nil }
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
        let known = BuiltinRules.all.map { $0.description }
        for entry in selection.selected + selection.ignored + Array(selection.severityOverrides.keys)
        where !known.contains(where: { RuleSelection.matches(entry, $0) }) && !entry.hasPrefix("DL") && !entry.hasPrefix("SC")
            && !RuleSelection.isBuildKitCheckName(entry) && entry.lowercased() != ShellCheckChecker.name {
            throw UsageError(message: "dockwright: no rule matches '\(entry)'; see 'dockwright rules'")
        }
        return selection
    }

    private func usesColor(_ parsed: ParsedArguments) -> Bool {
        switch parsed.value("--color") ?? "auto" {
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
