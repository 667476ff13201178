import DockwrightShell
import DockwrightSyntax
import Testing

/// The effects walker on real RUN shapes: what a script reads, writes and runs.
@Suite struct ScriptEffectsTests {
    static let app = ImagePath.absolute("/app")

    static func effects(
        _ script: String, in folder: ImagePath = app, variables: VariableEnvironment = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> ScriptEffects {
        parseScript(script, sourceLocation: sourceLocation)?.effects(workingDirectory: folder, variables: variables)
            ?? .unknown
    }

    /// The resolved paths of effects with `reason`, as text (`/abs`, `~/x`, `@anchor/x`, `?pattern`).
    static func paths(_ effects: PathEffects, _ reason: PathEffect.Reason? = nil) -> [String] {
        effects.filter { reason == nil || $0.reason == reason }.map { effect in
            guard let path = effect.path else { return "?" + effect.pattern }
            switch path {
            case .absolute(let text): return text
            case .home(let text): return "~/" + text
            case .relative(_, let text): return "@" + text
            }
        }
    }

    // MARK: - Reads

    @Test func argumentsThatArePathsAreReadInTheWorkingDirectory() {
        let effects = Self.effects("cat config/app.yml ./VERSION /etc/os-release && grep -q x notes && node build/x.js")
        #expect(Self.paths(effects.reads, .argument) == [
            "/app/config/app.yml", "/app/VERSION", "/etc/os-release", "/app/notes",
        ])
        #expect(Self.paths(effects.reads, .script) == ["/app/build/x.js"])
        // Arguments of other programs count when they look like paths.
        #expect(Self.paths(Self.effects("myapp --config=/etc/my.conf build/in output").reads) == [
            "/etc/my.conf", "/app/build/in",
        ])
    }

    @Test func inputRedirectionAndCommandSubstitutionAreReads() {
        let effects = Self.effects("psql < schema.sql && echo \"$(cat /run/secret)\"")
        #expect(Self.paths(effects.reads, .inputRedirection) == ["/app/schema.sql"])
        #expect(Self.paths(effects.reads, .argument) == ["/run/secret"])
    }

    @Test func scriptsRunAreRead() {
        let effects = Self.effects("sh install.sh && ./configure --prefix=/usr && bash -c 'source env.sh; make' && python3 tools/gen.py -v && . ./lib.sh")
        #expect(Self.paths(effects.reads, .script) == [
            "/app/install.sh", "/app/configure", "/app/env.sh", "/app/tools/gen.py", "/app/lib.sh",
        ])
        #expect(effects.programs.map(\.name) == ["sh", "./configure", "bash", "make", "python3"])
        // Inside a `sh -c` body, effects point at the body's word.
        #expect(effects.programs[3].range == effects.reads.filter { $0.reason == .script }[2].range)
        #expect(effects.isComplete)
    }

    @Test func requirementAndConstraintFilesAreRead() {
        let effects = Self.effects(
            "pip install -r requirements/prod.txt -c constraints.txt --requirement=dev.txt && python -m pip install -rextra.txt")
        #expect(Self.paths(effects.reads, .requirementFile) == [
            "/app/requirements/prod.txt", "/app/constraints.txt", "/app/dev.txt", "/app/extra.txt",
        ])
    }

    @Test func keyringsNamedBySignedByAreRead() {
        let effects = Self.effects(
            "echo \"deb [arch=amd64 signed-by=/usr/share/keyrings/docker.gpg] https://download.docker.com/linux/debian bookworm stable\" > /etc/apt/sources.list.d/docker.list")
        #expect(Self.paths(effects.reads, .keyring) == ["/usr/share/keyrings/docker.gpg"])
        #expect(Self.paths(effects.writes, .outputRedirection) == ["/etc/apt/sources.list.d/docker.list"])
        #expect(effects.programs.isEmpty)
    }

    @Test func localPackagesAreReadButRepositoryPackagesAreNot() {
        let effects = Self.effects(
            "apt-get install -y ./vendor/tool.deb curl libfoo/bookworm-backports && dpkg -i /tmp/x.deb && yum localinstall -y pkg.rpm && pip install dist/app-1.0-py3-none-any.whl requests && rpm --import RPM-GPG-KEY")
        #expect(Self.paths(effects.reads, .localPackage) == ["/app/vendor/tool.deb", "/tmp/x.deb", "/app/dist/app-1.0-py3-none-any.whl"])
        #expect(Self.paths(effects.reads, .keyring) == ["/app/RPM-GPG-KEY"])
    }

    /// Every call shares its package manager's table, but each of its paths is reported at
    /// that call, in source order among the script's other paths.
    @Test func packageManagerTablesAreReportedAtEachCall() {
        let effects = Self.effects("apt-get update && touch /x && apt-get install -y curl && npm ci")
        let writes = Array(effects.writes)
        #expect(writes.count == effects.writes.count)
        #expect(writes.indices.allSatisfy { effects.writes[$0] == writes[$0] })
        let touched = writes.firstIndex { $0.path == .absolute("/x") }
        let systemWrites = writes.indices.filter { writes[$0].path == .absolute("/usr/lib") }
        #expect(systemWrites.count == 2)
        #expect(touched.map { systemWrites[0] < $0 && $0 < systemWrites[1] } == true)
        #expect(writes[systemWrites[0]].range != writes[systemWrites[1]].range)
        let sources = effects.reads.filter { $0.path == .absolute("/etc/apt/sources.list") }
        #expect(sources.count == 2 && sources[0].range != sources[1].range)
        #expect(effects.reads.contains { $0.path == .absolute("/app/package.json") })
        // The same effects listed one by one are equal, and hash the same.
        #expect(PathEffects(Array(effects.reads)) == effects.reads)
        #expect(PathEffects(Array(effects.reads)).hashValue == effects.reads.hashValue)
        #expect(effects.environmentReads.filter { $0 == "DEBIAN_FRONTEND" }.count == 1)
        #expect(effects.environmentReads.contains("NPM_CONFIG_*"))
    }

    @Test func packageManagersReadTheirConfiguration() {
        let apt = Self.paths(Self.effects("apt-get update && apt-get install -y curl").reads, .packageManagerConfiguration)
        #expect(apt.contains("/etc/apt/sources.list.d") && apt.contains("/etc/apt/preferences.d")
            && apt.contains("/etc/apt/apt.conf.d") && apt.contains("/usr/share/keyrings"))
        let yum = Self.paths(Self.effects("yum install -y jq --enablerepo=extra").reads, .packageManagerConfiguration)
        #expect(yum.contains("/etc/yum.repos.d") && yum.contains("/etc/pki/rpm-gpg") && yum.contains("/etc/dnf/dnf.conf"))
        let apk = Self.paths(Self.effects("apk add --no-cache git").reads, .packageManagerConfiguration)
        #expect(apk.contains("/etc/apk/repositories") && apk.contains("/etc/apk/keys"))
        let npm = Self.effects("npm ci")
        #expect(Self.paths(npm.reads, .packageManagerConfiguration).contains("/app/.npmrc"))
        #expect(Self.paths(npm.reads, .packageManagerConfiguration).contains("/app/package-lock.json"))
        #expect(Self.paths(npm.reads, .packageManagerConfiguration).contains("~/.npmrc"))
        #expect(npm.environmentReads.contains("NPM_CONFIG_*"))
        let pip = Self.effects("pip install flask", variables: ["HOME": "/home/app"])
        #expect(Self.paths(pip.reads, .packageManagerConfiguration).contains("/home/app/.config/pip/pip.conf"))
        #expect(pip.environmentReads.contains("PIP_*"))
        let go = Self.paths(Self.effects("go mod download").reads, .packageManagerConfiguration)
        #expect(go.contains("/app/go.mod") && go.contains("/app/go.sum"))
        let cargo = Self.paths(Self.effects("cargo fetch").reads, .packageManagerConfiguration)
        #expect(cargo.contains("/app/.cargo/config.toml") && cargo.contains("/app/Cargo.lock"))
        let maven = Self.paths(Self.effects("mvn -s settings.xml dependency:go-offline").reads)
        #expect(maven.contains("/app/settings.xml") && maven.contains("/app/pom.xml") && maven.contains("~/.m2/settings.xml"))
        let nuget = Self.paths(Self.effects("dotnet restore").reads, .packageManagerConfiguration)
        #expect(nuget.contains("/app/NuGet.Config"))
        let bundle = Self.paths(Self.effects("bundle install").reads, .packageManagerConfiguration)
        #expect(bundle.contains("/app/Gemfile") && bundle.contains("/app/Gemfile.lock"))
    }

    // MARK: - Writes

    @Test func downloadsWriteTheirOutput() {
        let effects = Self.effects(
            "curl -fsSL https://x.example/key.gpg -o /tmp/key.gpg && curl -fsSLO https://x.example/tool.tar.gz && wget -q https://x.example/a/b.zip && wget -qO- https://x.example/i.sh | sh && wget -O /usr/local/bin/jq https://x.example/jq")
        #expect(Self.paths(effects.writes, .download) == [
            "/tmp/key.gpg", "/app/tool.tar.gz", "/app/b.zip", "/usr/local/bin/jq",
        ])
    }

    @Test func fileCommandsWriteTheirTargets() {
        let effects = Self.effects(
            "mkdir -p /opt/app/logs && cp -r conf/ /etc/app/ && mv build/out /usr/local/bin/tool && rm -rf /var/lib/apt/lists/* && chmod +x /entrypoint.sh && chown -R app:app /data && tar -xzf /tmp/t.tgz -C /opt && echo hi > out.txt")
        #expect(Self.paths(effects.writes, .creation) == ["/opt/app/logs"])
        #expect(Self.paths(effects.writes, .copyDestination) == ["/etc/app", "/usr/local/bin/tool"])
        #expect(Self.paths(effects.writes, .deletion) == ["/app/build/out", "/var/lib/apt/lists/*"])
        #expect(Self.paths(effects.writes, .modification) == ["/entrypoint.sh", "/data"])
        #expect(Self.paths(effects.writes, .extraction) == ["/opt"])
        #expect(Self.paths(effects.writes, .outputRedirection) == ["/app/out.txt"])
        #expect(Self.paths(effects.reads, .argument).contains("/app/conf"))
        #expect(Self.paths(effects.reads, .argument).contains("/tmp/t.tgz"))
        let deletion = effects.writes.first { $0.reason == .deletion && $0.pattern.hasSuffix("*") }
        #expect(deletion?.isResolved == false)
    }

    @Test func oldStyleTarAndUnzipExtract() {
        let effects = Self.effects("tar xzf node.tgz && unzip -q dist.zip -d /srv/www && unzip a.zip")
        #expect(Self.paths(effects.writes, .extraction) == ["/app", "/srv/www", "/app"])
        #expect(Self.paths(effects.reads, .argument) == ["/app/node.tgz", "/app/dist.zip", "/app/a.zip"])
    }

    @Test func packageInstallsWriteSystemFolders() {
        let effects = Self.effects("apt-get install -y curl")
        #expect(Self.paths(effects.writes, .installation).contains("/usr/bin"))
        // Every verb of a system package manager may change system folders.
        #expect(Self.paths(Self.effects("apt-get update && apt-get dist-upgrade -y").writes, .installation)
            .contains("/usr/bin"))
        #expect(Self.paths(Self.effects("pip download flask").writes, .installation).isEmpty)
    }

    @Test func xargsAndFindDeleteWriteUnknownOrBelowPaths() {
        let effects = Self.effects("find /usr/local -name '*.pyc' -delete && ls | xargs rm -f && find . -type f -exec chmod 644 {} +")
        #expect(Self.paths(effects.writes, .deletion) == ["/usr/local/*", "?*"])
        #expect(Self.paths(effects.writes, .modification) == ["/app/*"])
        #expect(effects.programs.map(\.name).contains("chmod"))
        #expect(effects.programs.first { $0.name == "rm" }?.wrappers == ["xargs"])
    }

    // MARK: - Working directory and variables

    @Test func cdChangesWhereLaterPathsResolve() {
        let effects = Self.effects("cd /src && make && cd web && npm ci && cd .. && cat VERSION")
        #expect(Self.paths(effects.reads, .argument).contains("/src/Makefile"))
        #expect(Self.paths(effects.reads, .packageManagerConfiguration).contains("/src/web/package.json"))
        #expect(Self.paths(effects.reads, .argument).last == "/src/VERSION")
        #expect(effects.programs.first { $0.name == "npm" }?.workingDirectory == .absolute("/src/web"))
    }

    @Test func cdInASubshellDoesNotLeaveIt() {
        let effects = Self.effects("(cd /tmp && tar xf a.tar) && cat b")
        #expect(Self.paths(effects.writes, .extraction) == ["/tmp"])
        #expect(Self.paths(effects.reads, .argument).last == "/app/b")
    }

    @Test func anUnknownCdMakesTheFolderUnknown() {
        let effects = Self.effects("cd \"$SRC\" && cat VERSION")
        guard case .relative(_, let path)? = effects.reads.first?.path else {
            Issue.record("expected a path relative to an unknown folder")
            return
        }
        #expect(path == "VERSION")
        // The folder may be any folder, so the read may be anywhere, but not in another
        // folder of the same unknown one.
        #expect(effects.reads.first?.mayOverlap(.absolute("/etc")) == true)
        if case .relative(let anchor, _)? = effects.reads.first?.path {
            #expect(effects.reads.first?.mayOverlap(.relative(anchor: anchor, path: "src")) == false)
        }
    }

    @Test func knownVariablesResolveAndUnknownOnesKeepAPattern() {
        let effects = Self.effects(
            "cp app.conf $CONF_DIR/ && DEST=/opt/x && mkdir -p \"$DEST/bin\" $OTHER/lib && cat ${NAME}.txt",
            variables: ["CONF_DIR": "/etc/app"])
        #expect(Self.paths(effects.writes, .copyDestination) == ["/etc/app"])
        #expect(Self.paths(effects.writes, .creation) == ["/opt/x/bin", "?*/lib"])
        let unresolved = effects.writes.first { $0.pattern == "*/lib" }
        #expect(unresolved?.isResolved == false && unresolved?.path == nil)
        #expect(Self.paths(effects.reads, .argument) == ["/app/app.conf", "?*.txt"])
    }

    @Test func globsAreKeptAsPatterns() {
        let effects = Self.effects("cp /tmp/certs/*.crt /usr/local/share/ca-certificates/")
        let source = effects.reads.first { $0.reason == .argument }
        #expect(source?.pattern == "/tmp/certs/*.crt" && source?.isResolved == false)
        #expect(source?.mayOverlap(.absolute("/tmp/certs/site.crt")) == true)
        #expect(source?.mayOverlap(.absolute("/tmp/other")) == false)
    }

    @Test func homeFolderPathsResolveThroughHOME() {
        #expect(Self.paths(Self.effects("cat ~/.profile").reads) == ["~/.profile"])
        #expect(Self.paths(Self.effects("cat ~/.profile", variables: ["HOME": "/home/u"]).reads) == ["/home/u/.profile"])
        #expect(Self.paths(Self.effects("cat $HOME/.bashrc").reads) == ["~/.bashrc"])
        #expect(ImagePath.home(".npmrc").mayOverlap(.absolute("/root")))
        #expect(!ImagePath.home(".npmrc").mayOverlap(.absolute("/app")))
    }

    // MARK: - Programs

    @Test func programsAreSeenThroughWrappersButBuiltinsAreNot() {
        let effects = Self.effects(
            "set -eux; export A=1; sudo -u app env X=1 npm ci && echo ok && cd /x && sh -c 'apt-get update && curl -fsS https://x.example' && find . -exec touch {} +")
        #expect(effects.programs.map(\.name) == ["npm", "sh", "apt-get", "curl", "find", "touch"])
        #expect(effects.programs[0].wrappers == ["sudo", "env"])
    }

    @Test func aShellBodyKnownOnlyAtRunTimeMakesTheEffectsIncomplete() {
        #expect(!Self.effects("sh -c \"$CMD\"").isComplete)
        #expect(!Self.effects("eval \"$(ssh-agent)\"").isComplete)
        #expect(Self.effects("sh -c 'make install'").isComplete)
    }

    @Test func stateLeaksAreTheWalkersToo() {
        let effects = Self.effects("cd /src && export PATH=/x:$PATH")
        #expect(effects.stateLeaks.map(\.kind) == [.changesDirectory, .changesVariables])
    }

    @Test func aValueDoubledPastTheSubstitutionLimitIsUnknown() {
        // 40 doublings would be a terabyte; the walker stops following the value past the
        // expander's limit. 11 doublings of 8 bytes (16 KiB) are still followed.
        func doubled(_ times: Int) -> String {
            "A=xxxxxxxx" + String(repeating: "; A=$A$A", count: times) + "; cat /d/$A"
        }
        let long = Self.effects(doubled(40))
        #expect(Self.paths(long.reads, .argument) == ["/d/*"])
        let short = Self.effects(doubled(11))
        #expect(Self.paths(short.reads, .argument) == ["/d/" + String(repeating: "x", count: 16_384)])
    }

    @Test func aLongEnvironmentValueIsUnknownInScripts() {
        let limit = VariableExpander.maximumSubstitutionLength
        let long = Self.effects("cat /d/$A", variables: ["A": String(repeating: "x", count: limit + 1)])
        #expect(Self.paths(long.reads, .argument) == ["/d/*"])
        let short = Self.effects("cat /d/$A", variables: ["A": String(repeating: "x", count: limit)])
        #expect(Self.paths(short.reads, .argument) == ["/d/" + String(repeating: "x", count: limit)])
    }

    @Test func aLongScriptIsWalkedInLinearTime() {
        // Thousands of `cd` and file commands: a quadratic pass would show up as a timeout.
        let script = (0..<4_000).map { "cd /d\($0) && cat f\($0) > /tmp/o\($0)" }.joined(separator: " && ")
        let effects = Self.effects(script)
        #expect(effects.reads.count == 4_000 && effects.writes.count == 4_000)
    }

    /// A redirection's substitution comes after the words' substitutions in the command
    /// list's pre-order though it is written before them, so the walker finds commands by
    /// a sorted search of their ranges: every command is still seen with its writes.
    @Test func commandsOutOfSourceOrderAreFound() {
        let script = "touch /b > $(mkdir /d) $(mkdir /e)"
        let starts = parseScript(script)?.commands.map(\.command.range.lowerBound) ?? []
        #expect(starts.count == 3 && starts != starts.sorted())
        let effects = Self.effects(script)
        #expect(effects.programs.map(\.name) == ["mkdir", "touch"])
        #expect(Self.paths(effects.writes, .creation) == ["/e", "/b", "?*"])
    }

    /// Paths without glob characters are compared by their bytes, component by component,
    /// with the same answers as the split comparison globs take.
    @Test(arguments: [
        ("/etc/apt", "/etc/apt/sources.list", true), ("/etc/apt/sources.list", "/etc/apt", true),
        ("/etc/apt", "/etc/apt", true), ("/etc/apt", "/etc/aptitude", false), ("/etc//apt/", "/etc/apt/x", true),
        ("/", "/anything", true), ("/opt/f1", "/opt/f10", false), ("/opt/f1", "/opt/f*", true),
        ("/var/lib", "/var/log", false),
    ])
    func literalPathsOverlapByComponents(_ first: String, _ second: String, _ overlap: Bool) {
        #expect(ImagePath.absolute(first).mayOverlap(.absolute(second)) == overlap)
    }
}
