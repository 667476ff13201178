import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags a final stage that installs compilers and builds in place, so the image ships
/// the toolchain: the job of a separate build stage.
public struct BuildToolsInFinalImageRule: Rule {
    public static let description = RuleDescription(
        code: "DW302", name: "build-tools-in-final-image", category: .size,
        summary: "Build in a separate stage so compilers stay out of the final image", severity: .info,
        isEnabledByDefault: false, fix: .sometimes,
        rationale: """
            ## Why
            Compilers, headers and build systems are needed to build, not to run. When \
            the final stage installs them and builds in place, the image ships all of \
            them: hundreds of megabytes and a larger attack surface (a compiler in a \
            production container helps an intruder more than anyone else). A build stage \
            that installs the tools and builds, and a final stage that copies only the \
            results with `COPY --from=build`, keeps them out.

            The rule reports the final stage (with the stages it is built `FROM`) when \
            both hold:
            - it installs build tools with an OS package manager (`build-essential`, \
            `gcc`, `g++`, `clang`, `make`, `cmake`, `build-base`, `alpine-sdk`, \
            `golang`, `cargo`, `rustc`, a JDK, `maven`, `gradle`; `-dev` and `-devel` \
            packages are named too, but headers alone are not reported, as images such \
            as the official ruby ones keep them on purpose), and does not remove them again (`apt-get purge`, `apk del` of the packages or \
            of their `--virtual` group, `dnf remove`, or `apt-mark auto` followed by \
            `--auto-remove`, the official images' pattern); or it is built on a toolchain \
            image (`golang`, `rust`, `gcc`, `maven`, `gradle`);
            - and it builds: `make`, `cmake`, `./configure`, `gcc`/`cc`/`clang`, `go \
            build`, `cargo build`, `mvn package`, `gradle build`, `npm run build`, \
            `pip wheel`, `python setup.py`, or, with build tools installed, a `pip`, \
            `gem`, `bundle` or `npm` install that compiles native extensions.

            The message names the tools and the build, and the shape that fixes it. Only \
            an image that runs a program (a `CMD` or `ENTRYPOINT` in the final stage or \
            the stages it is built on) is reported, and tools removed through a variable \
            (`apt-get purge -y $buildDeps`) count as removed.

            Off by default: a Dockerfile cannot say whether its image is a service or a \
            toolchain, and toolchain, CI and development images (a CRAN test \
            environment, a cross-compiler image, a dev container, the "fat" \
            `buildpack-deps` variants) ship compilers on purpose; on the corpus a third \
            of the findings were such images. Turn it on with `--select DW302`.

            A final stage that only copies a static binary from a build stage (Go built \
            with `CGO_ENABLED=0`, Rust built for a `*-musl` target) and runs it, on a \
            whole distribution (`debian`, `ubuntu`, `alpine`, …), is reported too: the \
            binary needs none of it. `gcr.io/distroless/static-debian12` has what such a \
            binary may need (CA certificates, `/etc/passwd` with `root` and `nonroot`, \
            tzdata); `scratch` has nothing (the CA certificates then need a \
            `COPY --from=build /etc/ssl/certs /etc/ssl/certs`, and a named user from \
            `/etc/passwd` does not exist).

            ## Fix safety
            Building in a separate stage has no fix: what the build produces, and so \
            what to copy into the final stage, is not in the Dockerfile. For the static \
            binary, the unsafe fix replaces the base image with \
            `gcr.io/distroless/static-debian12`. It is offered only when the stage holds \
            nothing but `COPY --from` of the binary (and other files), exec-form \
            `ENTRYPOINT`/`CMD` starting the copied binary, and `ENV`, `LABEL`, `EXPOSE`, \
            `WORKDIR`, `ARG`, `VOLUME`, `STOPSIGNAL`, and a `USER` that exists there \
            (`root`, `nonroot` or a number): no `RUN`, no shell-form command, no \
            `HEALTHCHECK`, as distroless has no shell. It is unsafe: a program the \
            binary starts at run time, or a file it reads from the old base, is gone.

            ## References
            Docker's "Multi-stage builds" and "Building best practices" (don't install \
            unnecessary packages).
            """,
        triggering: [
            Example("FROM python:3.12-slim\nRUN apt-get update && apt-get install -y ↓gcc libpq-dev && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir psycopg2==2.9.9\nCMD [\"python\", \"app.py\"]\n"),
            Example("↓FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n"),
            Example("FROM alpine:3.20\nRUN apk add --no-cache ↓build-base\nCOPY . /src\nRUN make -C /src\nCMD [\"/src/app\"]\n"),
            Example("FROM golang:1.22 AS build\nENV CGO_ENABLED=0\nRUN go build -o /out/app .\n↓FROM debian:12\nCOPY --from=build /out/app /usr/local/bin/app\nUSER nonroot\nENTRYPOINT [\"/usr/local/bin/app\"]\n"),
        ],
        nonTriggering: [
            Example("FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nCMD [\"/app\"]\n"),
            Example("FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps build-base \\\n && make -C /src \\\n && apk del .build-deps\n"),
            Example("FROM debian:12\nRUN apt-get update && apt-get install -y gcc && gcc --version\nRUN apt-get purge -y gcc\n"),
            Example("FROM debian:12\nRUN buildDeps='gcc make' && apt-get update && apt-get install -y gcc make && make \\\n && apt-get purge -y $buildDeps\nCMD [\"/app\"]\n"),
            Example("FROM fedora:40\nRUN dnf install -y gcc cmake && cmake --version\n"),
            Example("FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n"),
            Example("FROM golang:1.22\nRUN go version\n"),
            Example("FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM debian:12\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n"),
            Example("FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM debian:12\nCOPY --from=build /out/app /app\nRUN apt-get update\nENTRYPOINT [\"/app\"]\n"),
            Example("FROM debian:12\nRUN savedAptMark=\"$(apt-mark showmanual)\" && apt-get update && apt-get install -y gcc make \\\n && make \\\n && apt-mark auto '.*' > /dev/null && apt-mark manual $savedAptMark \\\n && apt-get purge -y --auto-remove\n"),
        ],
        fixes: [
            FixExample(
                "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\n"
                    + "FROM debian:12-slim\nCOPY --from=build /out/app /app\nUSER 65532\nENTRYPOINT [\"/app\"]\n",
                "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\n"
                    + "FROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app\nUSER 65532\nENTRYPOINT [\"/app\"]\n",
                .unsafe),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let graph = context.stages
        guard let final = graph.finalStageIndex else { return [] }
        let chain = Set(graph.baseChain(ofStage: final))
        // A toolchain or CI image (no program to run) is meant to ship its tools.
        guard Self.runsAProgram(chain: chain, in: graph) else { return [] }
        var installed: [Installed] = []
        var removed: Set<String> = []
        var builds: [String] = []
        var nativeBuilds: [String] = []
        for run in context.runScripts where chain.contains(run.stageIndex) {
            guard let script = run.script else { continue }
            let clearsAutoInstalled = script.commands.contains { $0.name == "apt-mark" && $0.subcommand == "auto" }
            var installedHere: [Installed] = []
            for command in context.model.packageManagerCommands(of: run) {
                let verb = command.subcommand ?? ""
                if ["install", "add"].contains(verb) {
                    let group = command.view.flagValue("virtual", "t")
                    for word in command.operands {
                        guard let value = word.literalValue, !value.hasPrefix("-"), Self.isBuildTool(Self.packageName(value))
                        else { continue }
                        installedHere.append(Installed(name: Self.packageName(value), group: group, range: command.range(of: word)))
                    }
                } else if ["purge", "remove", "del", "erase", "autoremove"].contains(verb) {
                    removed.formUnion(command.operands.compactMap(\.literalValue).map(Self.packageName))
                    // `apt-get purge -y $buildDeps`: a list we cannot read may hold every tool so far.
                    if command.operands.contains(where: { $0.literalValue == nil }) {
                        installed.removeAll()
                        installedHere.removeAll()
                    }
                    if clearsAutoInstalled, verb == "autoremove" || command.hasFlag("auto-remove", "autoremove") {
                        // `apt-mark auto '.*'` then `--auto-remove`: what this RUN installed goes again.
                        installedHere.removeAll()
                    }
                }
            }
            installed += installedHere
            for view in script.commands {
                if let build = Self.buildStep(view) { builds.append(build) }
                if let build = Self.nativeBuildStep(view) { nativeBuilds.append(build) }
            }
        }
        installed.removeAll { removed.contains($0.name) || $0.group.map(removed.contains) == true }
        // Headers alone are often kept on purpose (the official ruby images keep `zlib-dev` so
        // gems can build later): only a compiler or build system left behind is reported.
        if installed.contains(where: { !Self.isHeaderPackage($0.name) }), let first = installed.first,
           let build = (builds + nativeBuilds).first {
            var names: [String] = []
            for item in installed where !names.contains(item.name) { names.append(item.name) }
            let shown = names.prefix(4).map { "`\($0)`" }.joined(separator: ", ") + (names.count > 4 ? " and more" : "")
            return [Violation(
                range: first.range,
                message: "the final stage installs \(shown) and builds (`\(build)`), so the image ships the build tools; "
                    + "install and build in a first stage (`FROM \(Self.baseText(of: final, in: context)) AS build`) and "
                    + "`COPY --from=build` only what the build produced into the final stage")]
        }
        if let violation = Self.staticBinaryOnDistribution(final, context: context) { return [violation] }
        guard let root = graph.rootStage(of: final), let image = root.baseImage, image.isValid, image.isOfficialImage,
              let name = image.path.split(separator: "/").last.map(String.init), Self.toolchainImages.contains(name),
              let build = builds.first else { return [] }
        return [Violation(
            range: root.from.range,
            message: "the final stage runs on `\(image.familiarString)`, a whole toolchain, to ship what `\(build)` builds; "
                + "build in a `FROM \(image.familiarString) AS build` stage and `COPY --from=build` the result into a small "
                + "runtime image (`gcr.io/distroless/static-debian12` for a static binary, a JRE or slim image otherwise)")]
    }
}

// MARK: - Helpers

private extension BuildToolsInFinalImageRule {
    /// A build tool an install command names.
    struct Installed {
        let name: String
        /// apk's `--virtual` group, removed as one.
        let group: String?
        let range: TextRange
    }

    /// Official images that are a toolchain rather than a runtime.
    static let toolchainImages: Set<String> = ["golang", "rust", "gcc", "maven", "gradle"]

    static let buildTools: Set<String> = [
        "build-essential", "gcc", "g++", "gcc-c++", "clang", "llvm", "make", "cmake", "build-base", "alpine-sdk",
        "golang", "golang-go", "go", "cargo", "rustc", "rust", "maven", "gradle", "default-jdk",
        "default-jdk-headless", "autoconf", "automake", "libtool", "ninja-build", "meson",
    ]

    /// A package operand without its version or architecture (`gcc=4:12.2` → `gcc`).
    static func packageName(_ operand: String) -> String {
        var name = Substring(operand)
        if let equals = name.firstIndex(where: { $0 == "=" || $0 == "<" || $0 == ">" || $0 == "~" }) { name = name[..<equals] }
        if let colon = name.firstIndex(of: ":") { name = name[..<colon] }
        return String(name)
    }

    static func isHeaderPackage(_ name: String) -> Bool { name.hasSuffix("-dev") || name.hasSuffix("-devel") }

    static func isBuildTool(_ name: String) -> Bool {
        buildTools.contains(name) || name.hasSuffix("-dev") || name.hasSuffix("-devel") || name.hasSuffix("-jdk")
            || name.hasSuffix("-jdk-headless") || (name.hasPrefix("openjdk") && !name.contains("jre"))
    }

    /// A command that compiles or packages: what the build tools are for.
    static func buildStep(_ view: CommandView) -> String? {
        guard let name = view.name else { return nil }
        let positionals = view.positionalArguments
        let first = positionals.first ?? ""
        switch name {
        case "make", "cmake", "gcc", "g++", "cc", "c++", "clang", "ninja", "meson", "configure", "javac":
            return name
        case "go" where first == "build" || first == "install", "cargo" where first == "build" || first == "install":
            return name + " " + first
        case "mvn", "mvnw":
            return positionals.first(where: { ["package", "install", "verify", "compile"].contains($0) }).map { "mvn " + $0 }
        case "gradle", "gradlew":
            return positionals.first(where: { ["build", "assemble", "bootJar", "jar", "installDist", "shadowJar"].contains($0) })
                .map { "gradle " + $0 }
        case "npm", "yarn", "pnpm":
            if positionals.prefix(2) == ["run", "build"] { return name + " run build" }
            return name != "npm" && first == "build" ? name + " build" : nil
        case "pip" where first == "wheel", "pip3" where first == "wheel":
            return name + " wheel"
        default:
            return name.hasPrefix("python") && first == "setup.py" ? "python setup.py" : nil
        }
    }

    /// An install that compiles native extensions when compilers are present.
    static func nativeBuildStep(_ view: CommandView) -> String? {
        guard let name = view.name else { return nil }
        let first = view.positionalArguments.first ?? ""
        if (name == "pip" || name.hasPrefix("pip3")) && first == "install" { return name + " install" }
        if name.hasPrefix("python"), view.positionalArguments.prefix(2) == ["pip", "install"] { return "pip install" }
        if ["gem", "bundle", "npm", "yarn", "pnpm"].contains(name), ["install", "ci", "i"].contains(first) {
            return name + " " + first
        }
        return nil
    }

    /// Whether the final stage (or a stage it is built on) names a program to run:
    /// a `CMD` or `ENTRYPOINT` that is not empty.
    static func runsAProgram(chain: Set<Int>, in graph: StageGraph) -> Bool {
        graph.stages.contains { stage in
            chain.contains(stage.index) && stage.instructions.contains { instruction in
                guard instruction.kind == .cmd || instruction.kind == .entrypoint else { return false }
                if case .execForm(let elements) = instruction.arguments { return !elements.isEmpty }
                return true
            }
        }
    }

    /// Full distributions a static binary does not need.
    static let distributions: Set<String> = [
        "debian", "ubuntu", "alpine", "centos", "fedora", "rockylinux", "almalinux", "amazonlinux", "oraclelinux", "busybox",
    ]

    /// What replaces them: static binaries' base, with CA certificates and `nonroot`.
    static let staticBase = "gcr.io/distroless/static-debian12"

    /// A final stage on a whole distribution that only copies a static binary from a
    /// build stage and runs it (see "Fix safety" for what the fix requires).
    static func staticBinaryOnDistribution(_ final: Int, context: RuleContext) -> Violation? {
        let graph = context.stages
        let stage = graph.stages[final]
        guard stage.baseStageIndex == nil, let image = stage.baseImage, image.isValid, image.isOfficialImage,
              let name = image.path.split(separator: "/").last.map(String.init), distributions.contains(name),
              let token = stage.baseToken, !token.text.contains("$") else { return nil }
        var copied: [String: Int] = [:]
        var program: String?
        for instruction in stage.instructions {
            switch instruction.kind {
            case .copy:
                guard let dependency = stage.dependencies.first(where: { $0.kind == .copy && $0.instruction == instruction }),
                      let builder = dependency.stageIndex, builder < final,
                      case .words(let words) = instruction.arguments, words.count == 2, !words[0].text.contains("$"),
                      let destination = words.last?.text else { return nil }
                let source = words[0].text.split(separator: "/").last.map(String.init) ?? words[0].text
                copied[destination.hasSuffix("/") ? destination + source : destination] = builder
            case .entrypoint, .cmd:
                guard case .execForm(let elements) = instruction.arguments else { return nil }
                if instruction.kind == .entrypoint || program == nil { program = elements.first?.text }
            case .user:
                let user = instruction.values.first.map { String($0.prefix { $0 != ":" }) } ?? ""
                guard user == "root" || user == "nonroot" || (!user.isEmpty && user.allSatisfy(\.isNumber)) else { return nil }
            case .env, .label, .expose, .workdir, .arg, .volume, .stopsignal:
                continue
            default:
                return nil
            }
        }
        guard let program, let builder = copied[program], buildsStatically(builder, context: context) else { return nil }
        return Violation(
            range: stage.from.range,
            message: "the final stage only runs `\(program)`, a static binary, on `\(image.familiarString)`, a whole "
                + "distribution it does not need; base it on `\(staticBase)` (CA certificates, tzdata and a `nonroot` user) "
                + "or `scratch`",
            fix: Fix(title: "Base the final stage on `\(staticBase)`", applicability: .unsafe,
                     edits: [Edit(range: token.range, replacement: staticBase)]))
    }

    /// Whether a build stage (or a stage it is built on) builds a static binary: `go
    /// build` with `CGO_ENABLED=0`, or `cargo build` for a musl target.
    static func buildsStatically(_ builder: Int, context: RuleContext) -> Bool {
        let chain = Set(context.stages.baseChain(ofStage: builder))
        for command in context.model.scriptCommands where chain.contains(command.run.stageIndex) && !command.run.isOnbuildTrigger {
            let positionals = command.view.positionalArguments
            if command.name == "go", positionals.first == "build" {
                let inline = command.view.command.assignments.contains { $0.name == "CGO_ENABLED" && $0.value?.literalValue == "0" }
                let exported = command.script.commands.contains { view in
                    view.name == "export" && view.arguments.contains { $0.literalValue == "CGO_ENABLED=0" }
                }
                if inline || exported || command.environment?["CGO_ENABLED"] == "0" { return true }
            }
            if command.name == "cargo", positionals.first == "build",
               command.view.flagValue("target")?.hasSuffix("-musl") == true { return true }
        }
        return false
    }

    /// The final stage's base image as written, for the message.
    static func baseText(of stage: Int, in context: RuleContext) -> String {
        context.stages.rootStage(of: stage)?.baseImage?.familiarString ?? "<base image>"
    }
}
