import DockwrightCore
import DockwrightOutput
import DockwrightRules
import DockwrightSyntax

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `dockwright fix [--unsafe] [--diff|--check] [PATH ...|-]`: applies fixes in place,
/// or with `-` reads standard input and writes the fixed file to standard output.
struct FixCommand {
    let output: OutputStream
    let errors: OutputStream

    private struct Options {
        var level = Applicability.safe
        var showsDiff = false
        var checksOnly = false
        var isBatch = false
        var showsRemaining = false
        var showsFixes = false
        var isQuiet = false
        var usesColor = false
        var isForced = false
        var standardInputName = "<stdin>"
        var paths: [String] = []
    }

    static let options: [OptionSpec] = [
        OptionSpec(names: ["--unsafe"], value: nil, help: "also apply fixes that change behaviour a person should review"),
        OptionSpec(names: ["--diff"], value: nil, help: "print a unified diff instead of writing; exit 1 if anything would change"),
        OptionSpec(names: ["--check"], value: nil, help: "write nothing; exit 1 if a file would change"),
        OptionSpec(names: ["--force"], value: nil, help: "also replace read-only files"),
        OptionSpec(names: ["--show-remaining"], value: nil, help: "print the findings left after fixing to standard error"),
        OptionSpec(names: ["--show-fixes"], value: nil, help: "list the fixes applied (or, with --diff/--check, that would be) on standard error"),
        OptionSpec(names: ["--quiet", "-q"], value: nil, help: "print no summary"),
        OptionSpec(names: ["--color"], value: "WHEN", help: "colour --diff: auto (default: on a terminal, unless NO_COLOR is set), always, never",
                   choices: ["auto", "always", "never"]),
        OptionSpec(names: ["--stdin-filename"], value: "NAME", help: "the name of standard input, for messages and configuration"),
        OptionSpec(names: ["--select"], value: "RULES", help: "fix only these codes, names, code prefixes or categories"),
        OptionSpec(names: ["--ignore"], value: "RULES", help: "do not fix these"),
        OptionSpec(names: ["--exclude"], value: "GLOB", help: "skip files and folders matching GLOB (repeatable)"),
        OptionSpec(names: ["--config"], value: "FILE", help: "use this configuration file instead of discovery"),
        OptionSpec(names: ["--isolated"], value: nil, help: "ignore configuration files"),
        OptionSpec(names: ["--disable-ignore-pragma"], value: nil, help: "fix findings that inline ignore pragmas silence too"),
        OptionSpec(names: ["--context"], value: "DIR",
                   help: "the build context, for fixes that copy files from it (default: each Dockerfile's folder)"),
        OptionSpec(names: ["--batch"], value: nil, help: "read paths from standard input; print one JSON line per file (for tools)"),
        OptionSpec(names: ["--help", "-h"], value: nil, help: "show this help"),
    ]

    func run(_ arguments: [String], standardInput: () throws -> [UInt8]) -> ExitCode {
        let parsed: ParsedArguments
        let selection: RuleSelection
        let loader: ConfigurationLoader
        do {
            parsed = try ArgumentParser.parse(arguments, options: Self.options, command: "fix")
            selection = try LintCommand.selection(parsed)
            loader = try ConfigurationLoader(explicitPath: parsed.value("--config"), isIsolated: parsed.has("--isolated"))
        } catch let error as UsageError {
            errors.write(error.message + "\n")
            return .failure
        } catch {
            errors.write("\(error)\n")
            return .failure
        }
        if parsed.has("--help") {
            output.write(ArgumentParser.commandHelp("fix [OPTIONS] [PATH ...|-]", Self.options))
            return .success
        }
        var options = Options()
        options.level = parsed.has("--unsafe") ? .unsafe : .safe
        options.showsDiff = parsed.has("--diff")
        options.checksOnly = parsed.has("--check")
        options.isBatch = parsed.has("--batch")
        options.showsRemaining = parsed.has("--show-remaining")
        options.showsFixes = parsed.has("--show-fixes")
        options.isQuiet = parsed.has("--quiet")
        switch parsed.value("--color") ?? "auto" {
        case "always": options.usesColor = true
        case "never": options.usesColor = false
        case "auto":
            // Only the real standard output can be a terminal; a captured stream never is.
            options.usesColor = output is FileOutput && isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR") == nil
        case let other:
            errors.write("dockwright fix: unknown colour choice '\(other)'; use auto, always or never\n")
            return .failure
        }
        options.isForced = parsed.has("--force")
        options.standardInputName = parsed.value("--stdin-filename") ?? "<stdin>"
        options.paths = parsed.positional
        let lister = BuildContextLister()
        let explicitContext = parsed.value("--context")
        let isBatch = options.isBatch
        let disablesPragmas = parsed.has("--disable-ignore-pragma")
        let linterFor: (String) throws(ConfigurationError) -> Linter = { path throws(ConfigurationError) in
            var configuration = try loader.configuration(for: path)
            if disablesPragmas { configuration.disablesIgnorePragmas = true }
            let merged = selection.merged(over: configuration)
            // Batch input comes from tools feeding files out of their build context.
            let folder = isBatch ? explicitContext : BuildContextLister.contextFolder(for: path, explicit: explicitContext)
            var linter = Linter(
                rules: merged.rules(from: BuiltinRules.all), severityOverrides: merged.overrides(from: BuiltinRules.all),
                buildContext: folder.flatMap { isBatch ? lister.listing(of: $0) : lister.listing(of: $0, dockerfile: path) },
                options: configuration.ruleOptions)
            linter.honorsPragmas = !configuration.disablesIgnorePragmas
            return linter
        }
        do {
            if options.isBatch { return runBatch(try linterFor("."), options, standardInput) }
            if options.paths == ["-"] {
                let name = options.standardInputName == "<stdin>" ? "-" : options.standardInputName
                return fixStandardInput(try linterFor(name), options, standardInput)
            }
        } catch {
            errors.write("\(error)\n")
            // On-save must never lose the buffer: give the input back unchanged.
            if options.paths == ["-"], !options.showsDiff, !options.checksOnly, let bytes = try? standardInput() {
                output.write(bytes: bytes)
            }
            return .failure
        }
        if options.paths.isEmpty { options.paths = ["."] }
        let (files, discoveryErrors) = FileDiscovery.filesWithRoots(in: options.paths, excluding: parsed.all("--exclude"))
        var status = ExitCode.success
        for error in discoveryErrors {
            errors.write(error + "\n")
            status = .failure
        }
        if !options.isQuiet {
            for warning in DiscoveryWarnings.emptyPaths(options.paths, found: files) { errors.write(warning + "\n") }
        }
        var summary = FixSummary()
        var configurationErrors = ConfigurationErrorReport(errors: errors)
        for (path, root) in files {
            let linter: Linter
            do {
                linter = try linterFor(path)
            } catch {
                // A bad configuration stops only the files it governs.
                configurationErrors.report(error, skipping: path)
                status = .failure
                continue
            }
            guard let (bytes, identity) = FileReader.readForRewrite(path: path, errors: errors) else {
                status = .failure
                continue
            }
            // Messages and diffs show a name that is not UTF-8 with `\xNN` escapes.
            let shown = RawPath.display(path)
            if let note = FileReader.lineEndNote(bytes) { errors.write("\(shown): \(note)\n") }
            let result = linter.fix(SourceFile(path: shown, bytes: bytes), level: options.level)
            report(result, path: shown)
            summary.add(result, changed: result.output != bytes, level: options.level)
            if options.showsFixes { errors.write(FixSummary.fixList(result, path: shown)) }
            if options.showsRemaining { errors.write(FixSummary.remainingLines(result)) }
            if !result.fileEdits.isEmpty, !writeFileEdits(result, dockerfile: path, explicitContext: explicitContext, options) {
                status = .failure
            } else if !result.fileEdits.isEmpty, status == .success, options.showsDiff || options.checksOnly {
                status = .findings
            }
            guard result.output != bytes else { continue }
            if options.showsDiff {
                let diff = UnifiedDiff.render(old: bytes, new: result.output, path: shown)
                output.write(options.usesColor ? FixSummary.colored(diff: diff) : diff)
                if status == .success { status = .findings }
            } else if options.checksOnly {
                output.write("would fix \(shown)\n")
                if status == .success { status = .findings }
            } else {
                do {
                    try write(result.output, to: path, expecting: bytes, identity: identity, foundUnder: root,
                              isForced: options.isForced)
                } catch {
                    errors.write("\(shown): \(error.reason); the file is unchanged\n")
                    summary.unwritten(result)
                    status = .failure
                }
            }
        }
        if !options.isQuiet {
            errors.write(summary.text(isDryRun: options.showsDiff || options.checksOnly, level: options.level))
        }
        return status
    }

    /// Writes a fixed file. A symbolic link is followed only to a target inside the
    /// folder it was found under, and the user is told; a link out of that tree is
    /// left alone, since fixing it would change a file the user did not point at.
    /// `pin` writes through here too.
    func write(
        _ bytes: [UInt8], to path: String, expecting original: [UInt8], identity: FileReader.Identity,
        foundUnder root: String, isForced: Bool
    ) throws(FileWriter.WriteFailure) {
        if FileWriter.isSymbolicLink(path) {
            guard let target = FileWriter.realPath(path), let rootTarget = FileWriter.realPath(root) else {
                throw FileWriter.WriteFailure(reason: "a symbolic link that cannot be resolved; not written")
            }
            let isInsideTree = target == rootTarget || target.hasPrefix(rootTarget.hasSuffix("/") ? rootTarget : rootTarget + "/")
            guard isInsideTree || path == root else {
                throw FileWriter.WriteFailure(
                    reason: "a symbolic link to \(RawPath.display(target)), outside \(RawPath.display(root)); not written")
            }
            errors.write("\(RawPath.display(path)): a symbolic link; fixed its target \(RawPath.display(target))\n")
        }
        let notes = try FileWriter.replace(
            path: path, with: bytes, expecting: original, identity: identity, isForced: isForced)
        for note in notes { errors.write("\(RawPath.display(path)): \(note)\n") }
    }

    /// The editor on-save path: the fixed file on standard output, byte for byte,
    /// nothing else; on any failure the input goes back unchanged and the exit code
    /// is 2. With `--diff` the output is the diff, with `--check` a line saying it
    /// would change; both exit 1 when something would change, as for files.
    private func fixStandardInput(_ linter: Linter, _ options: Options, _ standardInput: () throws -> [UInt8]) -> ExitCode {
        let bytes: [UInt8]
        do {
            bytes = try standardInput()
        } catch {
            errors.write("<stdin>: cannot read: \((error as? FileReader.ReadError)?.reason ?? "\(error)")\n")
            return .failure
        }
        let result = linter.fix(SourceFile(path: options.standardInputName, bytes: bytes), level: options.level)
        let changes = result.output != bytes
        if options.showsDiff {
            if changes {
                let diff = UnifiedDiff.render(old: bytes, new: result.output, path: options.standardInputName)
                output.write(options.usesColor ? FixSummary.colored(diff: diff) : diff)
            }
        } else if options.checksOnly {
            if changes { output.write("would fix \(options.standardInputName)\n") }
        } else {
            output.write(bytes: result.output)
        }
        report(result, path: options.standardInputName)
        if !result.fileEdits.isEmpty {
            let codes = Set(result.fileEdits.map(\.code)).sorted().joined(separator: ", ")
            errors.write("\(options.standardInputName): \(codes) would also change the build context's ignore file; "
                + "fix from standard input never writes other files: run `dockwright fix --unsafe` on the file\n")
        }
        // Standard output is the buffer; a summary would only clutter an editor's log.
        if options.showsFixes { errors.write(FixSummary.fixList(result, path: options.standardInputName)) }
        if options.showsRemaining { errors.write(FixSummary.remainingLines(result)) }
        return changes && (options.showsDiff || options.checksOnly) ? .findings : .success
    }

    /// One JSON line per path read from standard input; writes nothing to disk.
    private func runBatch(_ linter: Linter, _ options: Options, _ standardInput: () throws -> [UInt8]) -> ExitCode {
        guard let paths = FileReader.pathList(standardInput, reportingTo: errors) else { return .failure }
        let json = BuildKitDump.jsonString
        for path in paths {
            let shown = RawPath.display(path)
            guard let bytes = try? FileReader.read(path: path) else {
                output.write("{\"path\": \(json(shown)), \"changed\": false, \"output\": \"\", \"applied\": [], "
                    + "\"rejected\": [], \"converged\": true, \"error\": \"cannot read\"}\n")
                continue
            }
            let result = linter.fix(SourceFile(path: shown, bytes: bytes), level: options.level)
            let applied = result.applied.map {
                "{\"code\": \(json($0.code)), \"title\": \(json($0.fix.title)), "
                    + "\"applicability\": \(json($0.fix.applicability.rawValue))}"
            }
            let rejected = result.rejected.map { "{\"code\": \(json($0.code)), \"title\": \(json($0.title))}" }
            output.write("{\"path\": \(json(shown)), \"changed\": \(result.output != bytes), "
                + "\"output\": \(json(String(decoding: result.output, as: UTF8.self))), "
                + "\"applied\": [\(applied.joined(separator: ", "))], \"rejected\": [\(rejected.joined(separator: ", "))], "
                + "\"converged\": \(!result.didNotConverge), \"error\": null}\n")
        }
        return .success
    }

    /// Applies the fixes' changes to files beside the Dockerfile (the ignore file the
    /// build uses), or shows them with `--diff` / `--check`; false when one could not be
    /// written. The ignore file is written like the Dockerfile: atomically, and only
    /// while it still holds the text the rule read.
    private func writeFileEdits(_ result: FixResult, dockerfile path: String, explicitContext: String?, _ options: Options) -> Bool {
        guard let folder = BuildContextLister.contextFolder(for: path, explicit: explicitContext) else { return true }
        let own = BuildContextLister.dockerfileIgnorePath(for: path)
        let target = own.flatMap { (try? FileReader.read(path: $0)) != nil ? $0 : nil } ?? folder + "/.dockerignore"
        let original = try? FileReader.readWithIdentity(path: target)
        let originalText = original.map { String(decoding: $0.bytes, as: UTF8.self) }
        var text = originalText
        for (code, edit) in result.fileEdits {
            guard let next = edit.applied(to: text) else {
                errors.write("\(target): changed since \(code) read it; not written\n")
                return false
            }
            text = next
        }
        guard let text, text != originalText else { return true }
        let newBytes = Array(text.utf8)
        if options.showsDiff {
            let diff = UnifiedDiff.render(old: original?.bytes ?? [], new: newBytes, path: target)
            output.write(options.usesColor ? FixSummary.colored(diff: diff) : diff)
            return true
        }
        if options.checksOnly {
            output.write("would fix \(target)\n")
            return true
        }
        do {
            if let original {
                try FileWriter.replace(path: target, with: newBytes, expecting: original.bytes, identity: original.identity)
            } else {
                try FileWriter.create(path: target, with: newBytes)
            }
        } catch {
            errors.write("\(target): \(error.reason); the file is unchanged\n")
            return false
        }
        let codes = Set(result.fileEdits.map(\.code)).sorted().joined(separator: ", ")
        if !options.isQuiet { errors.write("\(path): \(codes) wrote \(target)\n") }
        return true
    }

    private func report(_ result: FixResult, path: String) {
        for rejected in result.rejected {
            errors.write("\(path): dropped the fix '\(rejected.title)' of \(rejected.code): it would make the file invalid\n")
        }
        if result.didNotConverge {
            errors.write("\(path): fixes did not converge; the last result was kept\n")
        }
    }
}
