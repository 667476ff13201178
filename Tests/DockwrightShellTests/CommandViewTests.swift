import DockwrightShell
import DockwrightSyntax
import Testing

@Suite struct CommandViewTests {
    private func views(_ script: String) -> [CommandView] {
        parseScript(script).map { Array($0.commands) } ?? []
    }

    @Test func wrappersAreSkipped() {
        let commands = views("sudo -E -u root env DEBIAN_FRONTEND=noninteractive nice -n 10 apt-get install -y curl")
        #expect(commands.first?.name == "apt-get")
        #expect(commands.first?.wrappers == ["sudo", "env", "nice"])
        #expect(views("timeout 30 /usr/bin/curl -fsSL x").first?.name == "curl")
        #expect(views("xargs -n 1 -P 4 rm -f").first?.name == "rm")
        #expect(views("command -v apt-get").first?.name == "command")
        #expect(views("exec nginx -g 'daemon off;'").first?.name == "nginx")
    }

    @Test func flagsShortCombinedAndLong() throws {
        let command = try #require(views("apt-get -qy --no-install-recommends -o Dpkg::Options::=--force-confold install curl").first)
        #expect(command.hasFlag("y", "yes"))
        #expect(command.hasFlag("no-install-recommends"))
        #expect(!command.hasFlag("purge"))
        // Which options take values is the package table's knowledge, not the generic view's.
        #expect(command.packageInstallation?.subcommand == "install")
        #expect(views("apt-get -qy install curl").first?.subcommand == "install")
        #expect(command.flagValue("o") == "Dpkg::Options::=--force-confold")
        #expect(views("pip install --no-cache-dir=1 x").first?.flagValue("no-cache-dir") == "1")
        #expect(views("echo -- -y").first?.hasFlag("y") == false)
        #expect(views("seq -1 3").first?.positionalArguments == ["-1", "3"])
    }

    @Test func andOrPositionAndPipelines() throws {
        let commands = views("a && b | c || d &")
        #expect(commands.map { $0.name ?? "" } == ["a", "b", "c", "d"])
        #expect(commands[1].context.operatorBefore == .and)
        #expect(commands[2].context.pipelineIndex == 1)
        #expect(commands[2].context.pipelineLength == 2)
        #expect(commands[3].context.operatorBefore == .or)
        #expect(commands[3].context.isLastInAndOrList)
        #expect(commands[3].context.isBackground)
    }

    @Test func enclosuresTellWhereStateChangesStay() {
        let commands = views("cd /a; (cd /b); { cd /c; }; x=$(cd /d); f() { cd /e; }; if true; then cd /f; fi")
        #expect(commands.map(\.context.runsInMainShell) == [true, false, true, false, false, true, true])
    }
}

@Suite struct PackageInstallationTests {
    private func installations(_ script: String) -> [PackageInstallation] {
        (parseScript(script).map { Array($0.commands) } ?? []).compactMap(\.packageInstallation)
    }

    /// DW001's reader and the package rules share one spec per tool: these flags take a
    /// value in both (the command-line reader's old table had 6 of apt's 9, 10 of dnf's 21).
    @Test func flagValuesAreNotPackages() throws {
        #expect(installations("apt-get install -y -a arm64 curl").first?.packages.map(\.name) == ["curl"])
        #expect(installations("dnf --setopt=x=1 --repoid extras install -y nginx").first?.packages.map(\.name) == ["nginx"])
        #expect(installations("pip install --root-user-action ignore flask").first?.packages.map(\.name) == ["flask"])
        #expect(installations("dnf --disableexcludes all install -y nginx").first?.packages.map(\.name) == ["nginx"])
        #expect(installations("apt-get -P nocheck install -y curl").first?.packages.map(\.name) == ["curl"])
        #expect(PackageManager.dnf.spec.flagsWithValues.contains("--repoid"))
        #expect(PackageManager.aptGet.spec.flagsWithValues == PackageManager.apt.spec.flagsWithValues)
    }

    /// One reading of `${…}` in shell words for every rule (the command rules lacked `/`,
    /// the package rules `:+`, both `#` and `%`); case conversion stays unknown.
    @Test func parameterOperatorsHaveOneReading() throws {
        let script = try #require(parseScript("echo $A ${A:-d} ${U:-d} ${A:+s} ${U:+s} ${L//,/ } ${A%x} ${A^^}"))
        let parameters = script.commands[0].arguments.compactMap { word -> ShellParameterExpansion? in
            if case .parameter(let expansion)? = word.parts.first { return expansion }
            return nil
        }
        let values = parameters.map { $0.value(in: ["A": "a", "L": "x,y"]) { $0.literalValue } }
        #expect(values == ["a", "a", "d", "s", "", "x y", "a", nil])
    }

    /// A value past the expander's limit is unknown to every rule, whatever the operator;
    /// one at the limit is read.
    @Test func aValuePastTheSubstitutionLimitIsUnknown() throws {
        let script = try #require(parseScript("echo $A ${A:-d} ${A%x}"))
        let parameters = script.commands[0].arguments.compactMap { word -> ShellParameterExpansion? in
            if case .parameter(let expansion)? = word.parts.first { return expansion }
            return nil
        }
        let limit = VariableExpander.maximumSubstitutionLength
        let long = String(repeating: "x", count: limit + 1)
        #expect(parameters.map { $0.value(in: ["A": long]) { $0.literalValue } } == [nil, nil, nil])
        let atLimit = String(repeating: "x", count: limit)
        #expect(parameters.map { $0.value(in: ["A": atLimit]) { $0.literalValue } } == [
            atLimit, atLimit, String(atLimit.dropLast()),
        ])
    }

    @Test func aptGetWithPinsAndOptions() throws {
        let install = try #require(installations("apt-get -o Acquire::Retries=3 install -y --no-install-recommends curl=7.88.1-10 ca-certificates git/bookworm").first)
        #expect(install.manager == .aptGet)
        #expect(install.subcommand == "install")
        #expect(install.packages.map(\.name) == ["curl", "ca-certificates", "git"])
        #expect(install.packages.map(\.version) == ["7.88.1-10", nil, "bookworm"])
        #expect(installations("apt-get update").isEmpty)
    }

    @Test func apkYumZypper() {
        #expect(installations("apk add --no-cache --virtual .build-deps gcc musl-dev=1.2.4-r2").first?.packages.map(\.name) == ["gcc", "musl-dev"])
        #expect(installations("apk add --no-cache py3-pip~=23").first?.packages.first?.versionOperator == "~=")
        let yum = installations("yum install -y nginx-1.20.1 java-11-openjdk python3-devel").first?.packages
        #expect(yum?.map(\.name) == ["nginx", "java-11-openjdk", "python3-devel"])
        #expect(yum?.first?.version == "1.20.1")
        #expect(installations("microdnf install -y tar").first?.manager == .microdnf)
        #expect(installations("zypper --non-interactive in -y 'vim>=9'").first?.packages.first?.version == "9")
    }

    @Test func pipInEveryDisguise() {
        for script in ["pip install -r requirements.txt flask==3.0", "pip3 install --no-cache-dir -r requirements.txt flask==3.0",
                       "python3 -m pip install --requirement=requirements.txt flask==3.0",
                       "pip3.12 install -r requirements.txt 'flask==3.0'"] {
            let install = installations(script).first
            #expect(install?.manager == .pip, "\(script)")
            #expect(install?.requirementFiles == ["requirements.txt"], "\(script)")
            #expect(install?.packages.map(\.name) == ["flask"], "\(script)")
            #expect(install?.packages.first?.version == "3.0", "\(script)")
        }
        #expect(installations("pip install 'uvicorn[standard]>=0.30'").first?.packages.first?.name == "uvicorn")
    }

    @Test func languagePackageManagers() {
        #expect(installations("npm install -g @angular/cli@17 typescript").first?.packages.map(\.name) == ["@angular/cli", "typescript"])
        #expect(installations("npm ci --omit=dev").first?.subcommand == "ci")
        #expect(installations("yarn global add serve@14").first?.packages.first?.version == "14")
        #expect(installations("yarn --frozen-lockfile").first?.subcommand == "install")
        #expect(installations("pnpm add -D vite").first?.packages.first?.name == "vite")
        #expect(installations("gem install bundler:2.5.6 rake").first?.packages.map(\.version) == ["2.5.6", nil])
        #expect(installations("go install golang.org/x/tools/gopls@v0.15.0").first?.packages.first?.version == "v0.15.0")
        #expect(installations("cargo install --locked ripgrep@14.1.0").first?.packages.first?.name == "ripgrep")
    }
}

@Suite struct ShellEffectTests {
    @Test func downloadsPipedIntoAShell() throws {
        let script = try #require(parseScript("curl -fsSL https://x/install.sh | sudo bash -s -- --yes && wget -qO- y | tar x"))
        #expect(script.pipedDownloads.count == 1)
        #expect(script.pipedDownloads.first?.interpreter.name == "bash")
    }

    @Test func stateThatLeaksIntoTheNextCommand() throws {
        func kinds(_ text: String) -> [StateLeak.Kind] { parseScript(text)?.stateLeaks.map(\.kind) ?? [] }
        #expect(kinds("cd /app && make") == [.changesDirectory])
        #expect(kinds("(cd /app && make)").isEmpty)
        #expect(kinds("export A=1") == [.changesVariables])
        #expect(kinds("A=1") == [.changesVariables])
        #expect(kinds("A=1 make").isEmpty)
        #expect(kinds("set -eux; make") == [.changesShellOptions])
        #expect(kinds(". /etc/profile && source ~/.bashrc") == [.sourcesFile, .sourcesFile])
        #expect(kinds("umask 022") == [.changesShellOptions])
        #expect(kinds("make || exit 1") == [.endsShell])
        #expect(kinds("exec nginx") == [.endsShell])
        #expect(kinds("serve &") == [.runsInBackground])
        #expect(kinds("make # build it") == [.endsWithComment])
        #expect(kinds("alias ll='ls -l'; f() { :; }") == [.definesCommands, .definesCommands])
        #expect(kinds("echo done").isEmpty)
        // Beyond the top of the main shell: what the merge rule and the layer rules both read.
        #expect(kinds("eval \"$(ssh-agent)\"") == [.changesShellState])
        #expect(kinds("printf -v x %s 1") == [.setsVariableWithPrintf])
        #expect(kinds("for f in a b; do make $f; done") == [.setsLoopVariable])
        #expect(kinds("while read -r line; do n=1; done < f") == [.changesShellState, .assignsInCompoundCommand])
        #expect(kinds("echo ${A:=1}") == [.assignsInExpansion(name: "A", operatorText: ":=")])
        #expect(kinds("echo $((i++))") == [.assignsInArithmetic])
        #expect(kinds("(eval x; for f in a; do :; done)").isEmpty)
        #expect(ShellScript.stateChangingBuiltins["cd"] == .changesDirectory)
    }
}
