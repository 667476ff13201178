import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags a package that `npm install` installs without a version.
public struct PinNpmVersionsRule: Rule {
    public static let description = RuleDescription(
        code: "DL3016", name: "pin-npm-versions", category: .reproducibility,
        summary: "Pin versions in `npm install`", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `npm install -g typescript` installs whatever release is newest on the day of \
            the build, so rebuilding the same commit can bring a new major version. \
            `typescript@5.4.5` says which one the image was made with. A bare \
            `npm install` or `npm ci` installs what `package.json` and the lock file say, \
            and is not reported.

            Each unpinned package is reported at its own word. Accepted as pinned: \
            `name@version` (scoped too: `@types/node@20`), git URLs with `#ref`, tarballs \
            (`.tgz`, `.tar`, `.tar.gz`) and folders (`./lib`, `/src`, `~/x`, `file:…`).

            Differences from hadolint:
            - `@latest` is a moving tag, not a version, and is reported.
            - ARG and ENV values are substituted first (`typescript@$TS_VERSION` is pinned, \
            as in hadolint; `$PACKAGES` holding pinned specs is too), and a variable \
            nothing in the Dockerfile sets is not judged.
            - The aliases `npm i` and `npm add` are read, options before the subcommand \
            (`npm --prefix /app install x`) are understood, and option values \
            (`--registry URL`, `--prefix DIR`) are never taken for packages.
            - Hosted-git shorthands (`github:user/repo`, `user/repo`) count as pinned with \
            a `#ref`.
            - Scripts for PowerShell or cmd are not read (hadolint reads them as POSIX shell).

            ## References
            hadolint DL3016.
            """,
        triggering: [
            Example("FROM node:20\nRUN npm install -g ↓typescript\n"),
            Example("FROM node:20\nRUN npm install --save-dev eslint@9.1.0 ↓prettier\n"),
            Example("FROM node:20\nRUN npm i -g ↓@angular/cli\n"),
            Example("FROM node:20\nRUN npm install -g ↓npm@latest\n"),
            Example("FROM node:20\nRUN npm --prefix /app install ↓express\n"),
            Example("FROM node:20\nRUN npm install ↓git+https://github.com/user/repo.git\n"),
            Example("FROM node:20\nRUN npm install --registry https://registry.example.com ↓left-pad\n"),
        ],
        nonTriggering: [
            Example("FROM node:20\nRUN npm install && npm ci --omit=dev\n"),
            Example("FROM node:20\nRUN npm install -g typescript@5.4.5 @types/node@20.12.7\n"),
            Example("FROM node:20\nARG TS_VERSION=5.4.5\nRUN npm install -g typescript@${TS_VERSION}\n"),
            Example("FROM node:20\nRUN npm install git+https://github.com/user/repo.git#v1.0.0 ./lib /tmp/pkg.tgz\n"),
            Example("FROM node:20\nRUN npm install github:user/repo#semver:^1.0\n"),
            Example("FROM node:20\nARG PACKAGES\nRUN npm install -g $PACKAGES\n"),
            Example("FROM node:20\nRUN npm run build && npm uninstall left-pad\n"),
            Example("FROM stefanscherer/node-windows:10\nRUN npm install -g nodemon\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for command in context.model.scriptCommands(named: ["npm"]) {
            guard let install = command.npmInstall else { continue }
            for operand in install.operands where LanguagePin.npm(operand) == false {
                let shown = operand.displayText
                let message: String
                if shown.hasSuffix("@latest") {
                    message = "`\(shown)` follows a moving tag; pin a version: `\(shown.dropLast(7))@<version>`"
                } else if shown.contains("/") && !shown.hasPrefix("@") {
                    message = "`\(shown)` installs whatever its default branch holds; pin a ref: `…#<tag>`"
                } else {
                    message = "`\(shown)` is installed without a version; pin it: `\(shown)@<version>`"
                }
                violations.append(Violation(range: command.range(of: operand.word), message: message))
            }
        }
        return violations
    }
}
