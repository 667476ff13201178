import DockwrightOutput
import DockwrightRegistry
import DockwrightSyntax

/// `dockwright pin [--check|--refresh|--diff] [PATH ...]`: pins every tagged image
/// reference to the digest its tag points at now, `name:tag@sha256:…`, asking the
/// registries that serve them. The only command (with `lint --online`) that uses the
/// network.
struct PinCommand {
    let output: OutputStream
    let errors: OutputStream
    /// The process environment: `DOCKER_CONFIG`, `HOME` and `PATH` (credential helpers).
    let environment: [String: String]

    static let options: [OptionSpec] = [
        OptionSpec(names: ["--check"], value: nil, help: "write nothing; exit 1 if a pin is missing or stale (for CI)"),
        OptionSpec(names: ["--refresh"], value: nil, help: "also move existing digests to what their tags point at now"),
        OptionSpec(names: ["--diff"], value: nil, help: "print a unified diff instead of writing; exit 1 if anything would change"),
        OptionSpec(names: ["--allow-latest"], value: nil, help: "also pin untagged and `latest` references"),
        OptionSpec(names: ["--platform"], value: "OS/ARCH[/VARIANT]",
                   help: "pin that platform's manifest instead of the multi-platform index"),
        OptionSpec(names: ["--docker-config"], value: "DIR",
                   help: "where config.json is (default: $DOCKER_CONFIG, else ~/.docker)"),
        OptionSpec(names: ["--insecure-registry"], value: "HOST[:PORT]",
                   help: "speak plain HTTP to this registry (repeatable; loopback registries always are)"),
        OptionSpec(names: ["--registry-mirror"], value: "HOST[:PORT]",
                   help: "ask this mirror (a pull-through cache) for Docker Hub images"),
        OptionSpec(names: ["--timeout"], value: "SECONDS", help: "give up on a registry request after this long (default 15)"),
        OptionSpec(names: ["--jobs", "-j"], value: "N", help: "requests in flight at once (default 8)"),
        OptionSpec(names: ["--exclude"], value: "GLOB", help: "skip files and folders matching GLOB (repeatable)"),
        OptionSpec(names: ["--help", "-h"], value: nil, help: "show this help"),
    ]

    private enum Mode { case write, check, diff }

    /// One planned change or finding at a site.
    private struct Outcome {
        var edit: (range: TextRange, text: String)?
        var line: String
        var isFinding: Bool
    }

    func run(_ arguments: [String]) -> ExitCode {
        let parsed: ParsedArguments
        do {
            parsed = try ArgumentParser.parse(arguments, options: Self.options, command: "pin")
        } catch {
            errors.write(error.message + "\n")
            return .failure
        }
        if parsed.has("--help") {
            output.write(ArgumentParser.commandHelp("pin [OPTIONS] [PATH ...]", Self.options))
            return .success
        }
        let mode: Mode = parsed.has("--check") ? .check : parsed.has("--diff") ? .diff : .write
        guard !(parsed.has("--check") && parsed.has("--diff")) else {
            errors.write("dockwright pin: --check and --diff cannot be combined\n")
            return .failure
        }
        let timeout = parsed.value("--timeout").map { Int($0) ?? -1 } ?? 15
        let jobs = parsed.value("--jobs").map { Int($0) ?? -1 } ?? 8
        guard timeout > 0, jobs > 0 else {
            errors.write("dockwright pin: --timeout and --jobs need a positive whole number\n")
            return .failure
        }
        let platform = parsed.value("--platform")
        if let platform, platform.split(separator: "/", omittingEmptySubsequences: false).count < 2
            || platform.split(separator: "/", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
            errors.write("dockwright pin: --platform needs OS/ARCH[/VARIANT], e.g. linux/amd64\n")
            return .failure
        }
        if parsed.positional.contains("-") {
            errors.write("dockwright pin: reads files, not standard input\n")
            return .failure
        }
        let client: RegistryClient
        do {
            client = try Self.makeClient(parsed, environment: environment, timeout: timeout)
        } catch {
            errors.write("dockwright pin: \(error.reason)\n")
            return .failure
        }

        // Read and plan every file before any request, so a usage or read error costs no traffic.
        var status = ExitCode.success
        let (files, discoveryErrors) = FileDiscovery.filesWithRoots(
            in: parsed.positional.isEmpty ? ["."] : parsed.positional, excluding: parsed.all("--exclude"))
        for error in discoveryErrors {
            errors.write(error + "\n")
            status = .failure
        }
        var documents: [(
            path: String, root: String, bytes: [UInt8], identity: FileReader.Identity, syntax: DockerfileSyntax,
            sites: [PinSite]
        )] = []
        for (path, root) in files {
            guard let (bytes, identity) = FileReader.readForRewrite(path: path, errors: errors) else {
                status = .failure
                continue
            }
            let syntax = DockerfileSyntax.parse(SourceFile(path: RawPath.display(path), bytes: bytes))
            if syntax.hasParserErrors {
                errors.write("\(RawPath.display(path)): does not parse; run 'dockwright lint \(RawPath.display(path))'; "
                    + "not pinned\n")
                status = .failure
                continue
            }
            documents.append((path, root, bytes, identity, syntax, PinSite.sites(in: syntax)))
        }

        let allowsLatest = parsed.has("--allow-latest")
        let verifies = mode == .check || parsed.has("--refresh")
        var queries: [ImageReference] = []
        var queryIndex: [String: Int] = [:]
        for document in documents {
            for site in document.sites {
                guard let reference = site.reference, Self.needsQuery(site, verifies: verifies, allowsLatest: allowsLatest)
                else { continue }
                let key = reference.fullName + ":" + (reference.tag ?? "latest")
                if queryIndex[key] == nil {
                    queryIndex[key] = queries.count
                    queries.append(reference)
                }
            }
        }
        let answers = client.resolveAll(queries.map { ($0, platform) }, parallelism: jobs)
        // An unreachable registry or refused credentials: say so and change nothing, since
        // a half-pinned tree is worse than an untouched one.
        var failedRegistries = Set<String>()
        for answer in answers {
            if case .failure(let failure) = answer, failedRegistries.insert(failure.registry).inserted {
                errors.write("dockwright pin: \(failure)\n")
            }
        }
        if !failedRegistries.isEmpty {
            errors.write("dockwright pin: nothing was changed\n")
            return .failure
        }

        var pinnedCount = 0
        for document in documents {
            var edits: [(range: TextRange, text: String)] = []
            for site in document.sites {
                let position = document.syntax.source.location(of: site.range.start)
                let prefix = "\(document.syntax.source.path):\(position.line):\(position.column): "
                let answer = site.reference.flatMap { reference in
                    queryIndex[reference.fullName + ":" + (reference.tag ?? "latest")].map { answers[$0] }
                }
                guard let outcome = outcome(for: site, answer: answer, mode: mode, verifies: verifies,
                                            allowsLatest: allowsLatest, platform: platform)
                else { continue }
                if outcome.isFinding {
                    output.write(prefix + outcome.line + "\n")
                    if status == .success { status = .findings }
                } else if !outcome.line.isEmpty {
                    errors.write(prefix + outcome.line + "\n")
                }
                if let edit = outcome.edit { edits.append(edit) }
            }
            guard !edits.isEmpty else { continue }
            let updated = Self.apply(edits, to: document.bytes)
            // Never write a file that does not parse (the references come from the file
            // itself, so this only guards against a bug here).
            guard !DockerfileSyntax.parse(SourceFile(path: document.path, bytes: updated)).hasParserErrors else {
                errors.write("\(document.syntax.source.path): pinning would break the file; not written (please report this)\n")
                status = .failure
                continue
            }
            switch mode {
            case .check:
                if status == .success { status = .findings }
            case .diff:
                output.write(UnifiedDiff.render(old: document.bytes, new: updated, path: document.syntax.source.path))
                if status == .success { status = .findings }
            case .write:
                do {
                    try FixCommand(output: output, errors: errors)
                        .write(
                            updated, to: document.path, expecting: document.bytes, identity: document.identity,
                            foundUnder: document.root, isForced: false)
                    pinnedCount += edits.count
                } catch {
                    errors.write("\(document.syntax.source.path): \(error.reason); the file is unchanged\n")
                    status = .failure
                }
            }
        }
        if mode == .write && pinnedCount > 0 {
            errors.write("pinned \(pinnedCount) reference\(pinnedCount == 1 ? "" : "s")\n")
        }
        return status
    }

    // MARK: - Planning

    private static func needsQuery(_ site: PinSite, verifies: Bool, allowsLatest: Bool) -> Bool {
        switch site.plan {
        case .pin: return true
        case .verify: return verifies
        case .floating: return allowsLatest && (site.reference?.digest == nil || verifies)
        case .skip: return false
        }
    }

    /// What happens at one site; nil when there is nothing to say.
    private func outcome(
        for site: PinSite, answer: Result<TagResolution, RegistryFailure>?, mode: Mode, verifies: Bool,
        allowsLatest: Bool, platform: String?
    ) -> Outcome? {
        let written = "`\(site.written)`"
        var plan = site.plan
        if case .floating(let isLatest) = plan {
            guard allowsLatest else {
                let code = isLatest ? "DL3007" : "DL3006"
                let what = isLatest ? "uses the `latest` tag" : "has no tag"
                return Outcome(edit: nil, line: "\(written) \(what) [\(code)]; not pinned (name a version, or "
                               + "pass --allow-latest)", isFinding: true)
            }
            plan = site.reference?.digest.map { .verify(writtenDigest: $0) } ?? .pin
        }
        switch plan {
        case .skip(let reason):
            return Outcome(edit: nil, line: "note: \(site.origin) \(written) \(reason); left alone", isFinding: false)
        case .floating:
            return nil
        case .pin:
            guard case .success(let resolution)? = answer else { return nil }
            switch resolution {
            case .missing(let message):
                return Outcome(edit: nil, line: "\(message); \(written) left alone", isFinding: true)
            case .found(let digest):
                let edit = (TextRange(start: site.range.end, end: site.range.end), "@" + digest)
                if mode == .check {
                    return Outcome(edit: edit, line: "\(written) is not pinned; its tag points at \(digest)",
                                   isFinding: true)
                }
                return Outcome(edit: edit, line: "pinned \(written) to \(digest)", isFinding: false)
            }
        case .verify(let writtenDigest):
            guard verifies, case .success(let resolution)? = answer else { return nil }
            switch resolution {
            case .missing(let message):
                return Outcome(edit: nil, line: "\(message); \(written) left alone", isFinding: true)
            case .found(let digest) where digest == writtenDigest:
                return nil
            case .found(let digest):
                let digestStart = site.range.end - writtenDigest.utf8.count
                let edit = (TextRange(start: digestStart, end: site.range.end), digest)
                let scope = platform.map { " for \($0)" } ?? ""
                if mode == .check {
                    return Outcome(edit: edit, line: "\(written) is stale: its tag now points at \(digest)\(scope)",
                                   isFinding: true)
                }
                return Outcome(edit: edit, line: "refreshed \(written) to \(digest)\(scope)", isFinding: false)
            }
        }
    }

    /// `edits` (sorted, not overlapping: one per reference) applied to `bytes`.
    private static func apply(_ edits: [(range: TextRange, text: String)], to bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var cursor = 0
        for edit in edits.sorted(by: { $0.range.start < $1.range.start }) {
            output += bytes[cursor..<edit.range.start]
            output += Array(edit.text.utf8)
            cursor = edit.range.end
        }
        output += bytes[cursor...]
        return output
    }

    // MARK: - The client

    /// The registry client for a command's options; shared with `lint --online`.
    static func makeClient(
        _ parsed: ParsedArguments, environment: [String: String], timeout: Int
    ) throws(CredentialError) -> RegistryClient {
        let credentials = try RegistryCredentials(directory: parsed.value("--docker-config"), environment: environment)
        let transport = HTTPTransport(timeout: timeout, certificateAuthorities: { url in
            RegistryClient.certificateAuthorities(forAuthority: url.authority, configDirectory: credentials.directory)
        })
        return RegistryClient(
            transport: transport, credentials: credentials, insecureRegistries: Set(parsed.all("--insecure-registry")),
            dockerHubMirror: parsed.value("--registry-mirror"))
    }
}
