import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags a `pip install` that keeps pip's download cache in the image.
public struct PipNoCacheDirRule: Rule {
    public static let description = RuleDescription(
        code: "DL3042", name: "pip-no-cache-dir", category: .size,
        summary: "Use `pip install --no-cache-dir` so the download cache stays out of the image",
        severity: .warning, fix: .sometimes,
        rationale: """
            ## Why
            pip keeps every wheel it downloads or builds in `~/.cache/pip`. In an image that \
            cache is dead weight, often tens or hundreds of megabytes, committed in the same \
            layer as the install, so a later `rm` cannot shrink the image. `--no-cache-dir` \
            stops pip writing it.

            Not reported, as in hadolint: `PIP_NO_CACHE_DIR` set by an ENV or ARG of the \
            stage (or of a stage it is built on) or in the script itself \
            (`PIP_NO_CACHE_DIR=1 pip install …`, `export PIP_NO_CACHE_DIR=1`); a cache or \
            tmpfs `--mount` on the pip cache (`/root/.cache/pip`, any `…/.cache/pip` or \
            `…/.cache`, `PIP_CACHE_DIR` or `--cache-dir`); and `pipx` and `pipenv`, which \
            manage their own environments.

            Differences from hadolint:
            - pip disables its cache for any boolean value of `PIP_NO_CACHE_DIR`, `0` and \
            `false` included (a backwards-compatibility quirk of pip's option parser), so \
            every such value counts, where hadolint accepts only true-looking ones.
            - A cache mount on a folder above pip's cache (`/root/.cache`) counts, where \
            hadolint wants the mount on `.cache/pip` itself.
            - `sudo pip install` and programs called by path (`/venv/bin/pip`) are read \
            like `pip install`.
            - pip accepts any unambiguous prefix of a long option, so `--no-cache` and \
            `--no-cache-d` disable the cache too; hadolint wants the whole word \
            (`option-prefix`).
            - `uv pip install` is left alone: uv has its own cache and flags.
            - Scripts for PowerShell or cmd are not read (hadolint reads them as POSIX shell).

            ## Fix safety
            The fix inserts `--no-cache-dir` right after `install`. It only stops pip \
            writing its cache, which nothing in the build reads afterwards (a later pip in \
            another `RUN` would only download again), so it is safe. It is offered when \
            `install` is written literally.

            ## References
            hadolint DL3042; pip's documentation on caching.
            """,
        triggering: [
            Example("FROM python:3.12\nRUN ↓pip install flask==3.0.3\n"),
            Example("FROM python:3.12\nRUN ↓python3 -m pip install -r requirements.txt\n"),
            Example("FROM python:3.12\nRUN pip install --no-cache-dir -U pip && ↓pip install -r requirements.txt\n"),
            Example("FROM python:3.12\nENV PIP_NO_CACHE_DIR=\nRUN ↓pip install flask==3.0.3\n"),
            Example("FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12\nRUN ↓pip install flask==3.0.3\n"),
            Example("FROM python:3.12\nRUN --mount=type=cache,target=/root/.npm ↓pip install flask==3.0.3\n"),
        ],
        nonTriggering: [
            Example("FROM python:3.12\nRUN pip install --no-cache-dir flask==3.0.3\n"),
            Example("FROM python:3.12\nRUN pip --no-cache-dir install flask==3.0.3\n"),
            Example("FROM python:3.12\nRUN pip install --no-cache flask==3.0.3 && pip3 install --no-cache-d gunicorn==22.0.0\n"),
            Example("FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0.3\n"),
            Example("FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=off\nFROM base\nRUN pip install flask==3.0.3\n"),
            Example("FROM python:3.12\nARG PIP_NO_CACHE_DIR=true\nRUN pip install flask==3.0.3\n"),
            Example("FROM python:3.12\nRUN PIP_NO_CACHE_DIR=1 pip install flask==3.0.3\n"),
            Example("FROM python:3.12\nRUN export PIP_NO_CACHE_DIR=yes && pip install flask==3.0.3\n"),
            Example("FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask==3.0.3\n"),
            Example("FROM python:3.12\nRUN --mount=type=cache,target=/home/app/.cache pip install --user flask==3.0.3\n"),
            Example("FROM python:3.12\nENV PIP_CACHE_DIR=/pip-cache\nRUN --mount=type=cache,target=/pip-cache pip install flask==3.0.3\n"),
            Example("FROM python:3.12\nRUN pipx install black==24.4.2 && pipenv install --deploy\n"),
            Example("FROM python:3.12\nRUN uv pip install --system flask==3.0.3\n"),
            Example("FROM python:3.12\nRUN pip download flask==3.0.3 && pip freeze\n"),
            Example("FROM python:3.12-windowsservercore\nSHELL [\"powershell\", \"-Command\"]\nRUN pip install flask==3.0.3\n"),
        ],
        fixes: [
            FixExample(
                "FROM python:3.12\nRUN pip install flask==3.0.3\n",
                "FROM python:3.12\nRUN pip install --no-cache-dir flask==3.0.3\n", .safe),
            FixExample(
                "FROM python:3.12\nRUN python -m pip install \\\n      # the app\n      -r requirements.txt \\\n && sudo pip3 install -U  pip==24.0\n",
                "FROM python:3.12\nRUN python -m pip install --no-cache-dir \\\n      # the app\n      -r requirements.txt \\\n && sudo pip3 install --no-cache-dir -U  pip==24.0\n",
                .safe),
            FixExample(
                "FROM python:3.12\nRUN <<EOF\npip install \"flask==3.0.3\"\nEOF\n",
                "FROM python:3.12\nRUN <<EOF\npip install --no-cache-dir \"flask==3.0.3\"\nEOF\n", .safe),
        ]
    )

    public init() {}

    /// Whether a flag is `--no-cache-dir` or a prefix of it that pip's option parser
    /// (optparse) accepts: unambiguous from `--no-ca` on (`--no-clean`, `--no-color`,
    /// `--no-compile` part earlier).
    static func disablesCacheFlag(_ item: OptionScanner.Item) -> Bool {
        guard case .flag(let name, _, _) = item else { return false }
        return name.hasPrefix("--no-ca") && "--no-cache-dir".hasPrefix(name)
    }

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        var exemptScripts: [Int: Bool] = [:]
        for command in context.model.scriptCommands(named: ScriptCommand.mayRunPip) {
            guard let (install, launcher) = command.pipInstall, launcher == .pip else { continue }
            if install.items.contains(where: Self.disablesCacheFlag) { continue }
            if let value = command.environment?["PIP_NO_CACHE_DIR"], Self.disablesCache(value) { continue }
            let start = command.run.instruction.range.start
            let setInScript = exemptScripts[start] ?? Self.scriptSetsNoCacheDir(command.script)
            exemptScripts[start] = setInScript
            if setInScript || Self.hasCacheMount(install, command) { continue }
            var fix: Fix?
            if install.subcommand.word.literalValue == "install" {
                let end = command.range(of: install.subcommand.word).end
                fix = Fix(title: "Add `--no-cache-dir`", applicability: .safe, edits: [.insert(" --no-cache-dir", at: end)])
            }
            violations.append(Violation(
                range: command.range(of: command.view.nameWord),
                message: "`pip install` leaves its download cache in the image; add `--no-cache-dir`", fix: fix))
        }
        return violations
    }
}

// MARK: - Helpers

private extension PipNoCacheDirRule {
    /// pip parses `PIP_NO_CACHE_DIR` with `strtobool` and disables the cache for true
    /// and false values alike (`_handle_no_cache_dir`); other values are an error.
    static func disablesCache(_ value: String) -> Bool {
        ["y", "yes", "t", "true", "on", "1", "n", "no", "f", "false", "off", "0"].contains(value.lowercased())
    }

    /// Whether the script sets `PIP_NO_CACHE_DIR` (an assignment, `export` or `env`),
    /// hadolint's search of the script text for `PIP_NO_CACHE_DIR=<value>`.
    static func scriptSetsNoCacheDir(_ script: ShellScript) -> Bool {
        let needle = Array("PIP_NO_CACHE_DIR=".utf8)
        let bytes = script.text.bytes
        guard bytes.count >= needle.count else { return false }
        var offset = 0
        while offset + needle.count <= bytes.count {
            if bytes[offset..<(offset + needle.count)].elementsEqual(needle) {
                var end = offset + needle.count
                while end < bytes.count, bytes[end] != 0x20, bytes[end] != 0x09, bytes[end] != 0x0A, bytes[end] != 0x3B,
                      bytes[end] != 0x26 {
                    end += 1
                }
                let value = String(decoding: bytes[(offset + needle.count)..<end], as: UTF8.self)
                    .filter { $0 != "\"" && $0 != "'" }
                if disablesCache(value) { return true }
                offset = end
            } else {
                offset += 1
            }
        }
        return false
    }

    /// Whether a cache or tmpfs mount holds pip's cache, so nothing of it reaches the layer.
    static func hasCacheMount(_ install: LanguageInstall, _ command: ScriptCommand) -> Bool {
        let instruction = command.run.instruction
        var paths = ["/root/.cache/pip"]
        if let home = command.environment?["HOME"] { paths.append(home + "/.cache/pip") }
        if let directory = command.environment?["PIP_CACHE_DIR"] { paths.append(directory) }
        if let directory = install.items.flagValue("--cache-dir"), directory.isLiteral { paths.append(directory.value) }
        if paths.contains(where: { RunMount.isCached($0, in: instruction) }) { return true }
        // Another user's home: `/home/app/.cache` or `/home/app/.cache/pip`.
        return RunMount.mounts(of: instruction).contains { mount in
            guard mount.type == .cache || mount.type == .tmpfs, var target = mount.target else { return false }
            while target.count > 1 && target.hasSuffix("/") { target.removeLast() }
            return target.hasSuffix("/.cache/pip") || target.hasSuffix("/.cache")
        }
    }
}
