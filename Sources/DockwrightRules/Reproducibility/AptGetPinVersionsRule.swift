import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags each package that `apt-get install` installs without `=version`.
public struct AptGetPinVersionsRule: Rule {
    public static let description = RuleDescription(
        code: "DL3008", name: "apt-get-pin-versions", category: .reproducibility,
        summary: "Pin the versions of packages `apt-get install` installs", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `apt-get install curl` installs whatever version the mirror has on the day of the \
            build, so two builds of the same Dockerfile can differ. `curl=7.88.1-10+deb12u5` \
            says which one the image was tested with. Each package word of `apt-get install` \
            without a pin is reported on its own.

            Like hadolint, a word counts as pinned when it has `=` (a version), `/` (a release, \
            `curl/bookworm-backports`, or a path) or ends in `.deb`; the value of \
            `-t`/`--target-release` is not a package. dockwright also skips the values of \
            the other options that take one (`-o`, `-c`, `-a`).

            Many teams find pins impractical, since Debian drops old versions from its \
            mirrors. The whole family of version-pinning rules goes off with \
            `"version-pinning": false` in `.dockwright.json` (see the README).

            Differences from hadolint:
            - ARG and ENV values are substituted first: `ARG PACKAGES="curl=7.88.1 wget=1.21.3"` \
            then `apt-get install $PACKAGES` is pinned, and `curl=${CURL_VERSION}` is pinned \
            whatever the value. Plain assignments the script makes before the command are \
            read too (`buildDeps='gcc make'; apt-get install -y $buildDeps` reports `gcc`), \
            as hadolint reports such a word without looking inside. A word that is nothing \
            but a variable or command substitution whose value dockwright cannot know (an ARG \
            without a default, a list built from such a variable, `$(cat packages.txt)`) is \
            not reported, since it may hold pinned packages; hadolint reports it.
            - Commands behind `sudo`, `env` and similar wrappers, or called by path \
            (`/usr/bin/apt-get`), are checked too.
            - Heredoc `RUN` bodies and `ONBUILD RUN` are checked like any script.
            - A glob (`apt-get install android-tools*`) is not reported: apt matches it \
            against many packages, and no single `=<version>` can pin it (`glob`).
            - Words of an instruction a trailing `\\` swallowed into the RUN (`COPY . /app` \
            after an empty continuation line, which DW103 reports) are not packages \
            (`swallowed-instruction`).

            ## References
            hadolint DL3008.
            """,
        triggering: [
            Example("FROM debian:12\nRUN apt-get update && apt-get install -y ↓curl wget=1.21.3-1+b2 ↓git\n"),
            Example("FROM debian:12\nRUN apt-get install -y --no-install-recommends ca-certificates=20230311 ↓git\n"),
            Example("FROM debian:12\nARG PACKAGES=\"curl=7.88.1-10 wget\"\nRUN apt-get install -y ↓$PACKAGES\n"),
            Example("FROM debian:12\nRUN sudo apt-get install -y ↓curl\n"),
            Example("FROM debian:12\nRUN buildDeps='gcc make' && apt-get install -y ↓$buildDeps\n"),
            Example("FROM debian:12\nRUN apt-get install -y ↓lib${NAME}-dev\n"),
            Example("FROM debian:12\nONBUILD RUN apt-get install -y ↓curl\n"),
        ],
        nonTriggering: [
            Example("FROM debian:12\nRUN apt-get install -y curl=7.88.1-10+deb12u5\n"),
            Example("FROM debian:12\nRUN apt-get install -y 'android-tools*' curl=7.88.1-10+deb12u5\n"),
            Example("FROM debian:12\nARG CURL_VERSION=7.88.1-10+deb12u5\nRUN apt-get install -y curl=${CURL_VERSION}\n"),
            Example("FROM debian:12\nARG CURL_VERSION\nRUN apt-get install -y curl=\"$CURL_VERSION\"\n"),
            Example("FROM debian:12\nARG PACKAGES=\"curl=7.88.1-10 wget=1.21.3-1\"\nRUN apt-get install -y $PACKAGES\n"),
            Example("FROM debian:12\nARG PACKAGES\nRUN apt-get install -y $PACKAGES\n"),
            Example("FROM debian:12\nCOPY packages.txt /tmp/\nRUN apt-get install -y $(cat /tmp/packages.txt)\n"),
            Example("FROM debian:12\nRUN deps='gcc=4:12.2.0-3 make=4.3-4.1'; apt-get install -y $deps\n"),
            Example("FROM debian:12\nRUN apt-get install -y -t bookworm-backports curl=8.5.0-2~bpo12+1\n"),
            Example("FROM debian:12\nRUN apt-get install -y curl/bookworm-backports ./vendor/tool_1.0_amd64.deb\n"),
            Example("FROM debian:12\nRUN apt-get install -y /tmp/tool.deb\n"),
            Example("FROM debian:12\nRUN apt-get install -y -o Dpkg::Options::=--force-confold tzdata=2024a-0+deb12u1\n"),
            Example("FROM debian:12\nRUN apt-get update && apt-get upgrade -y\n"),
            Example("FROM debian:12\nSHELL [\"pwsh\", \"-Command\"]\nRUN apt-get install -y curl\n"),
            Example("FROM debian:12\nRUN buildDeps=\"$PHP_EXTRA_BUILD_DEPS gcc make\" && apt-get install -y $buildDeps\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for command in context.model.packageManagerCommands
        where command.manager == .aptGet && command.subcommand == "install" {
            violations += PackageManagerCommands.unpinnedPackageViolations(
                of: command, operands: PackageManagerCommands.operandsBeforeSwallowedInstruction(command), in: context,
                isPinned: Self.isPinned)
        }
        return violations
    }

    /// Mirrors hadolint DL3008's `versionFixed`: `=`, `/` or a `.deb` file; and a glob
    /// (`android-tools*`), which apt matches against many packages and no single
    /// `=<version>` can pin, so asking for one would be wrong advice.
    static func isPinned(_ package: String) -> Bool {
        package.contains("=") || package.contains("/") || package.hasSuffix(".deb")
            || package.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }
}
