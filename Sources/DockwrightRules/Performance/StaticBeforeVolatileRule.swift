import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags OS package installs placed after a COPY or ADD of local files they do not read.
public struct StaticBeforeVolatileRule: Rule {
    public static let description = RuleDescription(
        code: "DW002", name: "static-before-volatile", category: .performance,
        summary: "Install OS packages before copying local files", severity: .info, fix: .sometimes,
        rationale: """
            ## Why
            A COPY or ADD of local files changes whenever those files do, and every layer after \
            it is rebuilt. OS packages change rarely and are slow to install; when their RUN \
            comes after such a COPY, each edit to the copied files reinstalls them. Placing the \
            package install first keeps it cached.

            Only a RUN made of package-manager commands (apt-get, apt, aptitude, apk, yum, dnf, \
            microdnf, tdnf, zypper, dpkg) and plain setup (`rm`/`mkdir` of absolute paths, \
            `useradd`, `update-ca-certificates`, `echo` into absolute paths, `set`, `export`, …) \
            is considered, and it is reported only when it can move above a COPY or ADD of the \
            build context: a finding always comes with its rewrite. The walk up from the RUN \
            passes LABEL, EXPOSE, CMD, ENTRYPOINT, HEALTHCHECK, STOPSIGNAL and ONBUILD; an ENV \
            or ARG whose variable the RUN does not read (neither in its script, nor one its \
            package manager reads such as `DEBIAN_FRONTEND`, nor `PATH`, the proxies or the \
            locale); an ENV or ARG the RUN does read, which then moves along with it, when \
            that changes no value anything sees: no instruction it passes refers to or sets \
            its variable (a COPY's `--chown=$USER_NAME`, a `LABEL version=$VERSION`), and none \
            sets a variable its own value reads (`ENV http_proxy=http://$CACHE_HOST` below an `ENV \
            CACHE_HOST=…` stays); an absolute WORKDIR when the RUN names no relative path; one USER; other \
            install RUNs, which move along in order; and every COPY or ADD whose destination \
            the RUN cannot read or write. What the RUN reads comes from its script's effects: \
            the paths it names, the scripts it runs, keyrings named with `signed-by=`, local \
            `.deb`/`.rpm`/`.apk` files, and the configuration its package manager reads on its \
            own (apt's `sources.list*`, `preferences*`, `apt.conf.d` and keyrings; yum and dnf's \
            `/etc/yum.repos.d` and `/etc/pki/rpm-gpg`; apk's `repositories` and `keys`; …). What \
            it writes includes the system folders packages install into (`/etc`, the `bin` and \
            `lib` folders, `/var/lib`, `/var/cache`, `/root`). So `COPY x.repo /etc/yum.repos.d/` \
            keeps `yum install` below it, while `COPY app.jar /opt/app/` does not. The walk stops \
            at anything else (SHELL, VOLUME, another RUN, a heredoc COPY, a destination in a \
            WORKDIR the Dockerfile does not show). A RUN that bind-mounts the build context is \
            not considered.

            ## Fix safety
            The fix moves the RUN, with the comments right above it, just above the earliest \
            COPY or ADD of the build context it can pass, together with the install RUNs and \
            the ENVs and ARGs it read that it passed, in order; when it passed a USER, that USER is repeated above the moved RUNs, \
            so they keep their user, WORKDIR, and every variable they read. It is unsafe because \
            a package install can read files its script does not name (a maintainer script \
            reading `/opt`), which changes the layer contents.

            ## References
            Docker docs, "Optimize cache usage in builds: order your layers".
            """,
        triggering: [
            Example("FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\n↓RUN apt-get update && apt-get install -y --no-install-recommends curl\n"),
            Example("FROM alpine:3.20\nWORKDIR /srv\nCOPY config.yml ./\nLABEL org.opencontainers.image.title=app\nADD bin/ ./bin/\n↓RUN apk add --no-cache ca-certificates\n"),
            Example("FROM centos:7\nCOPY app.jar /opt/app/\nUSER root\n↓RUN yum install -y --enablerepo=extras java-11-openjdk\n"),
            Example("FROM fedora:40\nWORKDIR /opt/app\nCOPY app.sh ./\n↓RUN <<EOF\ndnf install -y jq\ndnf clean all\nEOF\n"),
            Example("FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nFROM nginx:1.27\nCOPY nginx.conf /srv/nginx.conf\nCOPY --from=build /app/dist /usr/share/nginx/html\n↓RUN apt-get update && apt-get install -y curl\n"),
            Example("FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nENV DEBIAN_FRONTEND=noninteractive\n↓RUN apt-get update && apt-get install -y curl\n"),
            Example("FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nARG TOOL_VERSION=1.4.2\n↓RUN apt-get update && apt-get install -y tool=$TOOL_VERSION\n"),
        ],
        nonTriggering: [
            Example("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nWORKDIR /app\nCOPY . .\n"),
            Example("FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y ./vendor/tool.deb\n"),
            Example("FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y make && make\n"),
            Example("FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nLABEL org.opencontainers.image.version=$TOOL_VERSION\nARG TOOL_VERSION=1.4.2\nRUN apt-get update && apt-get install -y tool=$TOOL_VERSION\n"),
            Example("FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nENV CACHE_HOST=cache:3142\nENV http_proxy=http://$CACHE_HOST\nRUN apt-get update && apt-get install -y curl\n"),
            Example("FROM debian:bookworm-slim\nCOPY apt.conf /etc/apt/apt.conf.d/90proxy\nRUN apt-get update && apt-get install -y curl\n"),
            Example("FROM centos:7\nCOPY virt7.repo /etc/yum.repos.d/\nRUN yum install -y --enablerepo=virt7 docker\n"),
            Example("FROM python:3.12-slim\nCOPY . .\nRUN apt-get update && apt-get install -y gcc\n"),
            Example("FROM debian:bookworm-slim\nCOPY --from=build /out /app\nRUN apt-get update && apt-get install -y curl\n"),
            Example("FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN --mount=type=bind,target=/ctx apt-get install -y curl\n"),
        ],
        fixes: [
            FixExample(
                "FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\n# tools\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\nCMD [\"./run.sh\"]\n",
                "FROM debian:bookworm-slim\nWORKDIR /app\n# tools\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\nCOPY . .\nCMD [\"./run.sh\"]\n",
                .unsafe),
            FixExample(
                "FROM alpine:3.20\nWORKDIR /srv\nCOPY config.yml ./\nLABEL org.opencontainers.image.title=app\nADD bin/ ./bin/\nRUN apk add --no-cache ca-certificates\n",
                "FROM alpine:3.20\nWORKDIR /srv\nRUN apk add --no-cache ca-certificates\nCOPY config.yml ./\nLABEL org.opencontainers.image.title=app\nADD bin/ ./bin/\n",
                .unsafe),
            FixExample(
                "FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN apt-get update\nRUN apt-get install -y curl\n",
                "FROM debian:bookworm-slim\nWORKDIR /app\nRUN apt-get update\nRUN apt-get install -y curl\nCOPY . .\n",
                .unsafe),
            FixExample(
                "FROM centos:7\nCOPY app.jar /opt/app/\nUSER root\nRUN yum install -y java-11-openjdk\nUSER app\n",
                "FROM centos:7\nUSER root\nRUN yum install -y java-11-openjdk\nCOPY app.jar /opt/app/\nUSER root\nUSER app\n",
                .unsafe),
            FixExample(
                "FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get update && apt-get install -y curl\n",
                "FROM debian:bookworm-slim\nWORKDIR /app\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get update && apt-get install -y curl\nCOPY . .\n",
                .unsafe),
        ]
    )

    public init() {}

    /// The message, its program and copy kept apart: a file of many installs after
    /// copies has a finding per install, and the whole sentence took 160 bytes each.
    static let runsAfterCopy = MessageTemplate(
        eachGapItsOwnPart: "`", "` runs after `",
        "`, so every change to the copied files reinstalls the packages; install them before the copy")

    public func check(_ context: RuleContext) -> [Violation] {
        let workingDirectories = LayerOrdering.workingDirectories(context)
        // At most one finding per RUN that has a COPY or ADD above it in its stage (a move
        // needs one to cross), and a file of installs after copies has nearly one each:
        // sized once, at the first finding, the array never holds its old and its doubled
        // copy at once. Sized for every RUN up front, a file with no finding held a
        // finding's room per RUN while the rule ran, at the lint's peak (issue 13).
        var violations: [Violation] = []
        for stage in context.stages.stages {
            // Each stage's instructions are walked upward from each install RUN, never past
            // the first instruction the RUN depends on: the walk stops at every RUN that
            // is not itself an install and after `maximumCarriedRuns` installs, so each
            // instruction is passed by a bounded number of walks.
            var installs = RecentInstalls()
            // An install can only move above a COPY or ADD, and a walk up from a later one
            // finds its last target at the stage's first COPY or ADD, whatever the RUNs above
            // it are: the RUNs before it are not read as installs, nor their effects computed.
            var followsCopy = false
            for (index, run) in stage.instructions.enumerated() {
                if run.kind == .copy || run.kind == .add { followsCopy = true }
                guard run.kind == .run, followsCopy, let install = InstallRun(run, context) else { continue }
                installs.append(install, at: index)
                guard let plan = movePlan(for: install, at: index, in: stage, installs: installs,
                                          workingDirectories: workingDirectories, context) else { continue }
                let target = plan.target
                let copyText = ([target.keyword.text] + target.values).joined(separator: " ")
                if violations.isEmpty { violations.reserveCapacity(Self.runsBelowACopy(in: context.stages.stages)) }
                violations.append(Violation(
                    range: run.keyword.range, message: Self.runsAfterCopy, with: [install.firstProgram, copyText],
                    fix: context.fix(.unsafe, title: Self.moveTitle(plan)) { moveEdits(plan, context) }))
            }
        }
        return violations
    }
}

/// A RUN made only of package-manager commands and plain setup, with what it reads and writes.
private struct InstallRun {
    let instruction: InstructionSyntax
    let effects: ScriptEffects
    let firstProgram: String
    /// The names the script refers to as `$NAME` or `${NAME…}`, read once: the walk asks
    /// about every ENV and ARG it passes.
    let referencedVariables: Set<String>

    init?(_ run: InstructionSyntax, _ context: RuleContext) {
        guard let runScript = context.runScript(of: run), let script = runScript.script,
              !RunMount.bindsBuildContext(run),
              let first = script.commands.first(where: { LayerOrdering.systemPackageManagers.contains($0.name ?? "") }),
              script.commands.allSatisfy({ LayerOrdering.isSystemSetup($0, copiedFolders: []) })
        else { return nil }
        let effects = context.model.effects(of: runScript)
        guard effects.isComplete, effects.programs.allSatisfy(\.isResolved) else { return nil }
        self.instruction = run
        self.effects = effects
        self.firstProgram = first.name ?? ""
        self.referencedVariables = LayerOrdering.variablesReferenced(in: script.text.string)
    }

    /// Whether the RUN may read or write anything under `folder`.
    func touches(_ folder: LayerOrdering.ImagePath) -> Bool {
        effects.mayRead(folder) || effects.mayWrite(folder)
    }

    /// Whether the RUN may read the variable `name`: its script names it, one of its
    /// programs reads it, or every program may (`PATH`, proxies, locale, …).
    func mayRead(variable name: String) -> Bool {
        if StaticBeforeVolatileRule.variablesEveryProgramReads.contains(name)
            || name.lowercased().hasSuffix("_proxy") || name.hasPrefix("LC_") || name.hasPrefix("LD_") {
            return true
        }
        if referencedVariables.contains(name) { return true }
        return effects.environmentReads.contains { read in
            read.hasSuffix("*") ? name.hasPrefix(String(read.dropLast())) : read == name
        }
    }

    /// Whether the RUN's paths do not depend on its working directory.
    var ignoresWorkingDirectory: Bool {
        [effects.reads, effects.writes].allSatisfy { paths in
            paths.allSatisfy { $0.pattern.hasPrefix("/") || $0.pattern.hasPrefix("~") }
        }
    }
}

/// The last install RUNs of a stage by position: a walk up from an install looks at no more
/// than ``StaticBeforeVolatileRule/maximumCarriedRuns`` + 1 RUNs, and stops at the first RUN
/// that is not an install, so older installs are never looked up.
/// Keeping every install of the stage (with its effects and variable names) was 8% of the
/// peak memory on a stage of thousands of installs.
private struct RecentInstalls {
    private var entries: [(index: Int, install: InstallRun)] = []

    mutating func append(_ install: InstallRun, at index: Int) {
        if entries.count > StaticBeforeVolatileRule.maximumCarriedRuns + 1 { entries.removeFirst() }
        entries.append((index, install))
    }

    subscript(index: Int) -> InstallRun? { entries.first { $0.index == index }?.install }
}

/// Where a RUN moves and what moves with it.
private struct MovePlan {
    /// The earliest COPY or ADD from the build context it moves above.
    let target: InstructionSyntax
    /// Install RUNs between the target and the RUN, and the ENVs and ARGs they read,
    /// which move along, in order.
    let carried: [InstructionSyntax]
    /// The RUN.
    let run: InstructionSyntax
    /// A USER between the target and the RUN, repeated above the moved RUNs so they keep
    /// their user.
    let user: InstructionSyntax?
}

private extension StaticBeforeVolatileRule {
    /// How many RUNs have a COPY or ADD above them in their stage: the most findings the
    /// rule can make, as every move crosses one.
    static func runsBelowACopy(in stages: [Stage]) -> Int {
        stages.reduce(0) { total, stage in
            guard let copy = stage.instructions.firstIndex(where: { $0.kind == .copy || $0.kind == .add })
            else { return total }
            return total + stage.instructions[copy...].count { $0.kind == .run }
        }
    }

    /// Instructions a RUN does not depend on, which it may move across.
    static let inertKinds: Set<InstructionKind> = [
        .label, .expose, .cmd, .entrypoint, .healthcheck, .stopsignal, .maintainer, .onbuild,
    ]

    /// How many install RUNs one move may carry along. Each walk passes the install RUNs
    /// above it, so without a bound a stage of thousands of consecutive installs would be
    /// walked once per install, and each COPY passed checked against every install carried
    /// (quadratic, and cubic with a COPY between each two); real files carry a handful,
    /// and a RUN past the bound moves above the COPYs it reached.
    static let maximumCarriedRuns = 8

    /// Variables any program may read, whatever the script names.
    static let variablesEveryProgramReads: Set<String> = [
        "PATH", "HOME", "USER", "SHELL", "ENV", "BASH_ENV", "IFS", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM",
        "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE", "GNUPGHOME", "SOURCE_DATE_EPOCH",
    ]

    /// How far an install RUN can move up: above the earliest COPY or ADD of the build
    /// context it can cross, walking up over inert instructions, other COPYs, ENVs and
    /// ARGs it does not read, a WORKDIR when it uses no relative path, a USER (kept for
    /// the moved RUNs), and install RUNs that move along. An ENV or ARG the moving RUNs
    /// read moves along too when that changes no value anything sees: no instruction it
    /// passes refers to or sets its variables, and none sets a variable its own value
    /// reads. Nil when it cannot pass any COPY of the build context: then nothing is
    /// reported.
    func movePlan(
        for install: InstallRun, at index: Int, in stage: Stage, installs: RecentInstalls,
        workingDirectories: WorkingDirectoryTable, _ context: RuleContext
    ) -> MovePlan? {
        var moving = [install]
        // What moves along, bottom up: install RUNs and the ENVs and ARGs they read.
        var carried: [InstructionSyntax] = []
        // The variables the carried ENVs and ARGs set, and those their values read.
        var carriedNames: Set<String> = []
        var carriedReferences: Set<String> = []
        var target: MovePlan?
        var user: InstructionSyntax?
        var position = index
        while position > 0 {
            position -= 1
            let instruction = stage.instructions[position]
            guard let kind = instruction.kind else { break }
            let carriesVariable = (kind == .env || kind == .arg) && LayerOrdering.variablesSet(by: instruction)
                .contains { name in moving.contains { $0.mayRead(variable: name) } }
            let movesAlong = carriesVariable || (kind == .run && user == nil && installs[position] != nil)
            // An instruction that stays would see the carried variables set above it.
            if !movesAlong,
               LayerOrdering.notices(instruction, names: carriedNames, referenced: carriedReferences) {
                return target
            }
            if Self.inertKinds.contains(kind) { continue }
            switch kind {
            case .copy, .add:
                // A heredoc COPY is inline text the RUN may read; a COPY whose destination
                // we cannot place may be anywhere.
                guard instruction.heredocs.isEmpty, LayerOrdering.copyArguments(of: instruction) != nil else {
                    return target
                }
                let workingDirectory = workingDirectories[instruction.range.start]
                    ?? .relative(anchor: instruction.range.start, path: "")
                let folder = LayerOrdering.destinationFolder(
                    of: instruction, workingDirectory: workingDirectory, scope: context.stages.argScope)
                if moving.contains(where: { $0.touches(folder) }) { return target }
                if LayerOrdering.copiesFromContext(instruction) {
                    target = MovePlan(
                        target: instruction, carried: carried.reversed(), run: install.instruction, user: user)
                }
            case .env, .arg:
                guard carriesVariable else { continue }
                // A value that names itself (`ENV PATH=/opt/bin:$PATH`) reads the value
                // from above, which the instructions it passes must not set either.
                carried.append(instruction)
                carriedNames.formUnion(LayerOrdering.variablesSet(by: instruction))
                carriedReferences.formUnion(LayerOrdering.variablesReferenced(in: instruction.logicalText.string))
            case .workdir:
                // Under a repeated USER, a WORKDIR could create its folder as another user.
                guard user == nil, moving.allSatisfy(\.ignoresWorkingDirectory),
                      let written = instruction.values.first, written.hasPrefix("/"), !written.contains("$"),
                      !moving.contains(where: { $0.touches(.absolute(LayerOrdering.normalizedPath(written))) })
                else { return target }
            case .user:
                // The moved RUNs get this USER repeated above them; a second USER, or RUNs
                // above this one (which run as another user), end the walk.
                guard user == nil, !instruction.logicalText.string.contains("$") else { return target }
                user = instruction
            case .run:
                guard movesAlong, let carriedInstall = installs[position],
                      moving.count <= Self.maximumCarriedRuns else { return target }
                moving.append(carriedInstall)
                carried.append(instruction)
            default:
                return target
            }
        }
        return target
    }

    /// The fix titles for the keywords as usually written: one constant each rather than a
    /// string per finding, as a stage of thousands of installs has as many fixes.
    static let titleByKeyword: [String: String] = [
        "COPY": "Move the package install above `COPY`", "ADD": "Move the package install above `ADD`",
    ]

    /// The title of the fix that makes ``moveEdits(_:_:)``.
    static func moveTitle(_ plan: MovePlan) -> String {
        let keyword = plan.target.keyword.text
        return titleByKeyword[keyword] ?? "Move the package install above `\(keyword)`"
    }

    /// Moves the RUN, with its comments, above the target COPY (and its comments); carried
    /// install RUNs move with it, in order, and a crossed USER is repeated above them. See
    /// ``LayerOrdering/moveEdits(_:before:in:style:)`` for blank lines.
    func moveEdits(_ plan: MovePlan, _ context: RuleContext) -> [Edit] {
        let comments = { (instruction: InstructionSyntax) in
            context.model.leadingComments(of: instruction).range(extending: instruction)
        }
        let target = comments(plan.target)
        guard plan.user != nil || !plan.carried.isEmpty else {
            return LayerOrdering.moveEdits(comments(plan.run), before: target, in: context.syntax, style: context.style)
        }
        let moved = plan.carried + [plan.run]
        var text = ""
        if let user = plan.user {
            text += LayerOrdering.movableText(user.range, in: context.syntax, style: context.style)
        }
        var edits: [Edit] = []
        for run in moved {
            let range = comments(run)
            text += LayerOrdering.movableText(range, in: context.syntax, style: context.style)
            edits.append(.delete(range))
        }
        edits.append(.insert(text, at: target.start))
        return edits
    }
}
