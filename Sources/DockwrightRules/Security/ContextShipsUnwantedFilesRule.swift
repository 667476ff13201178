import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags a COPY or ADD of the whole build context (or a folder of it) that brings
/// secrets, `.git` or dependency folders into the image because `.dockerignore` lets
/// them through.
public struct ContextShipsUnwantedFilesRule: Rule {
    public static let description = RuleDescription(
        code: "DW303", name: "context-ships-unwanted-files", category: .security,
        summary: "Keep secrets, `.git` and dependency folders out of `COPY .`", severity: .warning, fix: .sometimes,
        rationale: """
            ## Why
            `COPY . .` copies everything in the build context that `.dockerignore` does \
            not exclude. Without one, or with one that misses them, the image gets the \
            project's secrets (`.env` files, private keys such as `id_rsa` or `*.pem`, \
            `.netrc`, `.git-credentials`, `.pypirc`, `.aws/credentials`), its `.git` \
            folder (the whole history, with every secret ever committed), and folders a \
            build makes again anyway (`node_modules`, `__pycache__`, `target`, `.venv`), \
            which are large and built for the host rather than the image. Anyone who can \
            pull the image can read them.

            The rule needs the build context: `dockwright lint` and `fix` list the \
            Dockerfile's folder (or `--context DIR`) and read the ignore file BuildKit \
            would use (`<Dockerfile>.dockerignore` beside the Dockerfile, else \
            `.dockerignore` at the context root). It reports each `COPY`/`ADD` from the \
            context, in the final stage and the stages it is built `FROM`, whose source \
            is the context root or a folder holding such files, with how many would ship \
            and the worst of them, secrets first. Template files (`.env.example`, \
            `.env.sample`, `.env.template`) are not reported.

            ## Fix safety
            `dockwright fix --unsafe` appends the paths to the ignore file in use (and \
            creates `.dockerignore` at the context root when there is none), written \
            like the Dockerfile: a temporary file renamed into place, only if the file \
            still holds what was read. `fix --diff` shows the change; `fix -` (standard \
            input) never writes any other file and says so; the language server does \
            not offer this fix. It is unsafe: the application may read a `.env` at run \
            time (pass it with `--env-file` or a secret instead). A path is left out of \
            the fix when the build needs it: one a `COPY`/`ADD` names itself, anything \
            under a `RUN --mount=type=bind` of the context, `.git` when a `RUN` calls \
            `git`, `node_modules` unless the Dockerfile installs it (`npm`, `yarn`, \
            `pnpm`), `target` unless it builds it (`mvn`, `gradle`, `cargo`), `.venv` \
            unless it creates one.

            ## References
            Docker's ".dockerignore files" documentation; BuildKit's \
            `<Dockerfile>.dockerignore` lookup; hadolint issue #1199 (`COPY . .` \
            shipping `.git` and `.env`).
            """,
        triggering: [
            Example("FROM node:20\nWORKDIR /app\nCOPY ↓. .\nRUN npm ci\n",
                    contextFiles: ["package.json", "server.js", ".env", ".git/", "node_modules/"]),
            Example("FROM python:3.12\nCOPY ↓app /srv/app\n", dockerignore: "**/__pycache__\n",
                    contextFiles: ["app/main.py", "app/certs/server.key"]),
        ],
        nonTriggering: [
            Example("FROM node:20\nCOPY . .\n", dockerignore: ".git\n.env\nnode_modules\n",
                    contextFiles: ["package.json", ".env", ".git/", "node_modules/"]),
            Example("FROM node:20\nCOPY package.json server.js ./\n", contextFiles: ["package.json", "server.js", ".env", ".git/"]),
            Example("FROM node:20\nCOPY . .\n", contextFiles: ["package.json", ".env.example"]),
            Example("FROM node:20 AS build\nCOPY . .\nRUN npm ci && npm run build\nFROM nginx:1.27\nCOPY --from=build /dist /usr/share/nginx/html\n",
                    contextFiles: ["package.json", ".env", ".git/"]),
            Example("FROM node:20\nCOPY . .\n"),
        ],
        fixes: [
            FixExample(
                "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
                "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n", .unsafe,
                contextFiles: ["package.json", "server.js", ".env", ".git/", "node_modules/"],
                dockerignoreAfter: "# Added by dockwright fix (DW303): kept out of the image\n.env\n.git\nnode_modules\n"),
            FixExample(
                "FROM python:3.12\nCOPY . /srv\n", "FROM python:3.12\nCOPY . /srv\n", .unsafe,
                contextFiles: ["main.py", "deploy/id_rsa", "__pycache__/"], dockerignore: "*.log",
                dockerignoreAfter: "*.log\n# Added by dockwright fix (DW303): kept out of the image\ndeploy/id_rsa\n__pycache__\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        guard let listing = context.buildContext else { return [] }
        let matcher = DockerignoreMatcher(listing.dockerignore ?? "")
        let unwanted = listing.derived(UnwantedFiles.self).filter { !matcher.excludes($0.path) }
        guard !unwanted.isEmpty, let final = context.stages.finalStageIndex else { return [] }
        let chain = Set(context.stages.baseChain(ofStage: final))
        let scope = context.stages.argScope
        var sources: [String] = []
        var findings: [(range: TextRange, keyword: String, source: String, shipped: [Unwanted])] = []
        for stage in context.stages.stages {
            for instruction in stage.instructions where instruction.kind == .copy || instruction.kind == .add {
                if instruction.flag(named: "from") != nil { continue }
                guard let environment = scope.variables(before: instruction) else { continue }
                let tokens: [Token]
                switch instruction.arguments {
                case .words(let words), .execForm(let words): tokens = words
                default: continue
                }
                var reported = false
                for token in tokens.dropLast() where !token.text.hasPrefix("<<") {
                    guard let source = scope.expander.evaluate(token.text, environment: environment).value,
                          !CopySource(source).isRemote else { continue }
                    var path = DockerignoreMatcher.cleaned(source)
                    while path.hasPrefix("/") { path.removeFirst() }
                    if path == "." || path == "*" { path = "" }
                    sources.append(path)
                    guard chain.contains(stage.index), !reported else { continue }
                    let shipped = unwanted.filter { path.isEmpty || $0.path.hasPrefix(path + "/") }
                    guard !shipped.isEmpty else { continue }
                    reported = true
                    findings.append((token.range, instruction.kind == .add ? "ADD" : "COPY", source, shipped))
                }
            }
        }
        guard !findings.isEmpty else { return [] }
        let fix = Self.fix(unwanted: unwanted, sources: sources, listing: listing, context: context)
        return findings.map { finding in
            Violation(
                range: finding.range,
                message: Self.message(finding.keyword, finding.source, finding.shipped, listing: listing, fix: fix),
                fix: fix)
        }
    }
}

// MARK: - Helpers

private extension ContextShipsUnwantedFilesRule {
    /// A path that should not reach an image, and why.
    struct Unwanted: Sendable {
        enum Kind: Int { case secret, history, dependencies }
        let path: String
        let kind: Kind
        /// Whether it is a folder (listed by name only).
        let isFolder: Bool
    }

    static let secretNames: Set<String> = [".env", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".netrc", ".git-credentials", ".pypirc"]
    static let secretSuffixes = [".pem", ".key", ".p12", ".pfx"]
    static let templateSuffixes = [".example", ".sample", ".template", ".dist", ".defaults"]
    static let regeneratedFolders: Set<String> = ["node_modules", "__pycache__", "target", ".venv"]

    /// The unwanted paths of the context, secrets first, then `.git`, then dependency
    /// folders: one scan of the files per listing, whatever the ignore file says.
    enum UnwantedFiles: BuildContextFact {
        static func compute(from listing: BuildContextListing) -> [Unwanted] { unwanted(in: listing) }
    }

    static func unwanted(in listing: BuildContextListing) -> [Unwanted] {
        var found: [Unwanted] = []
        for file in listing.files {
            // A context may hold thousands of files: an ASCII path is read over its bytes.
            if let asciiAnswer = file.utf8.withContiguousStorageIfAvailable(isSecretASCIIPath), let isSecret = asciiAnswer {
                if isSecret { found.append(Unwanted(path: file, kind: .secret, isFolder: false)) }
                continue
            }
            let name = file.split(separator: "/").last.map(String.init) ?? file
            let isTemplate = templateSuffixes.contains { name.hasSuffix($0) }
            let isSecret = secretNames.contains(name) || (name.hasPrefix(".env.") && !isTemplate)
                || secretSuffixes.contains { name.hasSuffix($0) } || file.hasSuffix(".aws/credentials")
                || (name.hasPrefix("id_") && !name.contains(".") && file.contains(".ssh/"))
            if isSecret { found.append(Unwanted(path: file, kind: .secret, isFolder: false)) }
        }
        for folder in listing.unlistedFolders {
            let name = folder.split(separator: "/").last.map(String.init) ?? folder
            if name == ".git" {
                found.append(Unwanted(path: folder, kind: .history, isFolder: true))
            } else if regeneratedFolders.contains(name) {
                found.append(Unwanted(path: folder, kind: .dependencies, isFolder: true))
            }
        }
        return found.sorted { ($0.kind.rawValue, $0.path) < ($1.kind.rawValue, $1.path) }
    }

    /// The secret test above for a path whose bytes are all ASCII (each byte is then a
    /// Character, so prefixes, suffixes and equality read the same); nil for any other
    /// path, and for one ending in `/` or empty, whose name `split` reads differently.
    static func isSecretASCIIPath(_ path: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard let last = path.last, last != UInt8(ascii: "/"), path.allSatisfy({ $0 < 0x80 }) else { return nil }
        let nameStart = (path.lastIndex(of: UInt8(ascii: "/")) ?? -1) + 1
        let name = UnsafeBufferPointer(rebasing: path[nameStart...])
        func hasSuffix(_ bytes: UnsafeBufferPointer<UInt8>, _ suffix: [UInt8]) -> Bool {
            bytes.count >= suffix.count && bytes[(bytes.count - suffix.count)...].elementsEqual(suffix)
        }
        func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8]) -> Bool {
            bytes.count >= prefix.count && bytes[..<prefix.count].elementsEqual(prefix)
        }
        let isTemplate = templateSuffixBytes.contains { hasSuffix(name, $0) }
        if secretNameBytes.contains(where: { name.elementsEqual($0) }) || (hasPrefix(name, envPrefixBytes) && !isTemplate)
            || secretSuffixBytes.contains(where: { hasSuffix(name, $0) }) || hasSuffix(path, awsCredentialsBytes) {
            return true
        }
        guard hasPrefix(name, keyPrefixBytes), !name.contains(UInt8(ascii: ".")) else { return false }
        let marker = sshFolderBytes
        return path.count >= marker.count && (0...(path.count - marker.count)).contains { start in
            path[start..<(start + marker.count)].elementsEqual(marker)
        }
    }

    static let secretNameBytes = secretNames.map { Array($0.utf8) }
    static let secretSuffixBytes = secretSuffixes.map { Array($0.utf8) }
    static let templateSuffixBytes = templateSuffixes.map { Array($0.utf8) }
    static let envPrefixBytes = Array(".env.".utf8)
    static let awsCredentialsBytes = Array(".aws/credentials".utf8)
    static let keyPrefixBytes = Array("id_".utf8)
    static let sshFolderBytes = Array(".ssh/".utf8)

    static func message(_ keyword: String, _ source: String, _ shipped: [Unwanted], listing: BuildContextListing,
                        fix: Fix?) -> String {
        let secrets = shipped.filter { $0.kind == .secret }
        var parts: [String] = []
        if !secrets.isEmpty {
            let shown = secrets.prefix(3).map { "`\($0.path)`" }.joined(separator: ", ")
            parts.append("\(secrets.count) secret file\(secrets.count == 1 ? "" : "s") (\(shown)\(secrets.count > 3 ? ", …" : ""))")
        }
        let folders = shipped.filter(\.isFolder)
        if !folders.isEmpty {
            parts.append(folders.prefix(4).map { "`\($0.path)/`" }.joined(separator: ", ") + (folders.count > 4 ? ", …" : ""))
        }
        let ignore = listing.dockerignore == nil ? "there is no .dockerignore" : "`\(listing.dockerignoreName)` lets them through"
        let action = fix == nil ? "exclude them in `\(listing.dockerignoreName)`"
            : "`dockwright fix --unsafe` adds \(shipped.count == 1 ? "it" : "them") to `\(listing.dockerignoreName)`"
        return "`\(keyword) \(source)` ships \(parts.joined(separator: " and ")) into the image: \(ignore); \(action)"
    }

    /// The ignore-file lines that exclude what the build does not need.
    static func fix(unwanted: [Unwanted], sources: [String], listing: BuildContextListing, context: RuleContext) -> Fix? {
        let programs = Set(context.runScripts.flatMap { $0.script?.commands.compactMap(\.name) ?? [] })
        let bindsContext = context.syntax.instructions.contains { RunMount.bindsBuildContext($0) }
        guard !bindsContext else { return nil }
        var lines: [String] = []
        for item in unwanted {
            let name = item.path.split(separator: "/").last.map(String.init) ?? item.path
            let named = sources.contains { !$0.isEmpty && ($0 == item.path || $0.hasPrefix(item.path + "/")
                || (hasGlob($0) && item.path.hasPrefix(String($0.prefix { !"*?[".contains($0) })))) }
            guard !named, !hasGlob(item.path), !item.path.hasPrefix("!"), !item.path.hasPrefix("#"),
                  item.path.first?.isWhitespace != true, item.path.last?.isWhitespace != true else { continue }
            switch name {
            case ".git": guard !programs.contains("git") else { continue }
            case "node_modules": guard !programs.isDisjoint(with: ["npm", "yarn", "pnpm"]) else { continue }
            case "target": guard !programs.isDisjoint(with: ["mvn", "mvnw", "gradle", "gradlew", "cargo"]) else { continue }
            case ".venv": guard !programs.isDisjoint(with: ["virtualenv", "uv", "poetry", "pipenv"])
                || context.runScripts.contains(where: { String(decoding: $0.text.bytes, as: UTF8.self).contains("-m venv") })
                else { continue }
            default: break
            }
            lines.append(item.path + "\n")
        }
        guard !lines.isEmpty else { return nil }
        let edit = FileEdit(
            target: .dockerignore, original: listing.dockerignore,
            appendedLines: ["# Added by dockwright fix (DW303): kept out of the image\n"] + lines)
        let shown = lines.prefix(3).map { "`\($0.dropLast())`" }.joined(separator: ", ") + (lines.count > 3 ? ", …" : "")
        return Fix(title: "Add \(shown) to \(listing.dockerignoreName)", applicability: .unsafe, edits: [], fileEdits: [edit])
    }

    static func hasGlob(_ path: String) -> Bool { path.contains { "*?[\\".contains($0) } }
}
