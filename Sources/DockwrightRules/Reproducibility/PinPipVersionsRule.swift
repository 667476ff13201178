import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags a package that `pip install` installs without a version specifier.
public struct PinPipVersionsRule: Rule {
    public static let description = RuleDescription(
        code: "DL3013", name: "pin-pip-versions", category: .reproducibility,
        summary: "Pin versions in `pip install`", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `pip install flask` installs whatever release is newest on the day of the build, \
            so two builds of the same commit can get different code, and a new major release \
            can break the image without any change to the Dockerfile. A specifier \
            (`flask==3.0.3`, `flask~=3.0`) or a requirements or constraints file says which \
            versions the image was tested with.

            Each unpinned package is reported at its own word. Not reported: requirement \
            files (`-r`), the whole command when a constraints file (`-c`) pins versions, \
            editable installs (`-e`), wheels and archives, paths and URLs, and VCS URLs with \
            an `@ref`. `pip`, `pip3`, `pip3.12`, `python -m pip`, `pipx install` and \
            `uv pip install` are read, through wrappers like `sudo`, and the values of \
            pip's options (`--index-url URL`, `--target DIR`, `--no-binary :all:`) are never \
            taken for packages.

            Differences from hadolint:
            - ARG and ENV values are substituted first: `pip install $PACKAGES` with \
            `ARG PACKAGES="flask==3.0.3"` is pinned, while a variable nothing in the \
            Dockerfile sets is not judged at all (it is set at build time), where hadolint \
            reports it.
            - Packages next to `-r requirements.txt` are still checked (hadolint skips the \
            whole command), and so are those next to `.`.
            - Local paths without a `/` (`.[dev]`) count as pinned.
            - `uv pip install`, commands behind `sudo` and programs called by path \
            (`/venv/bin/pip`, `/opt/venv/bin/python3 -m pip`) are read too, and so are \
            pip's global options before `install` (`python3 -m pip --no-cache-dir install x`).
            - Scripts for PowerShell or cmd are not read (hadolint reads them as POSIX shell).

            ## References
            hadolint DL3013.
            """,
        triggering: [
            Example("FROM python:3.12\nRUN pip install --no-cache-dir ↓flask\n"),
            Example("FROM python:3.12\nRUN pip3 install --no-cache-dir -U ↓pip setuptools==70.0.0\n"),
            Example("FROM python:3.12\nRUN python -m pip install --no-cache-dir --index-url https://pypi.org/simple ↓'uvicorn[standard]'\n"),
            Example("FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt ↓gunicorn\n"),
            Example("FROM python:3.12\nRUN pip install --no-cache-dir ↓git+https://github.com/org/repo.git\n"),
            Example("FROM python:3.12\nARG TOOLS=\"black isort==5.13.2\"\nRUN pip install --no-cache-dir ↓$TOOLS\n"),
            Example("FROM python:3.12\nRUN sudo pip install --no-cache-dir ↓requests\n"),
            Example("FROM python:3.12\nRUN pipx install ↓black\n"),
            Example("FROM python:3.12\nRUN /opt/venv/bin/python3 -m pip --no-cache-dir install ↓radian\n"),
        ],
        nonTriggering: [
            Example("FROM python:3.12\nRUN pip install --no-cache-dir flask==3.0.3 'requests>=2.31,<3'\n"),
            Example("FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt\n"),
            Example("FROM python:3.12\nRUN pip install --no-cache-dir -c constraints.txt flask\n"),
            Example("FROM python:3.12\nRUN pip install --no-cache-dir . && pip install --no-cache-dir -e '.[dev]'\n"),
            Example("FROM python:3.12\nRUN pip install --no-cache-dir /tmp/app-1.0-py3-none-any.whl dist/app.tar.gz\n"),
            Example("FROM python:3.12\nRUN pip install --no-cache-dir git+https://github.com/org/repo.git@v1.2.0#egg=repo\n"),
            Example("FROM python:3.12\nRUN pip install --no-cache-dir --no-binary :all: --find-links wheels psycopg2==2.9.9\n"),
            Example("FROM python:3.12\nARG FLASK_VERSION=3.0.3\nRUN pip install --no-cache-dir flask==${FLASK_VERSION}\n"),
            Example("FROM python:3.12\nARG PACKAGES=\"flask==3.0.3 gunicorn==22.0.0\"\nRUN pip install --no-cache-dir $PACKAGES\n"),
            Example("FROM python:3.12\nARG PACKAGES\nRUN pip install --no-cache-dir $PACKAGES\n"),
            Example("FROM python:3.12\nRUN pip download flask && pipenv install flask\n"),
            Example("FROM python:3.12\nSHELL [\"powershell\", \"-Command\"]\nRUN pip install flask\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for command in context.model.scriptCommands(named: ScriptCommand.mayRunPip) {
            guard let (install, _) = command.pipInstall else { continue }
            // Mirrors hadolint: a constraints file may pin every package of the command.
            if install.items.hasFlag("-c", "--constraint", "--constraints") { continue }
            for operand in install.operands where LanguagePin.pip(operand) == false {
                let shown = operand.displayText
                let isVCS = LanguagePin.vcsPrefixes.contains { shown.hasPrefix($0) }
                violations.append(Violation(
                    range: command.range(of: operand.word),
                    message: isVCS
                        ? "`\(shown)` installs whatever its default branch holds; pin a ref: `…@<tag>`"
                        : "`\(shown)` is installed without a version; pin it: `\(shown)==<version>`"))
            }
        }
        return violations
    }
}

