import DockwrightCore
import DockwrightShell
import DockwrightSyntax

/// Flags each package that `dnf install` or `microdnf install` installs without a version.
public struct DnfPinVersionsRule: Rule {
    public static let description = RuleDescription(
        code: "DL3041", name: "dnf-pin-versions", category: .reproducibility,
        summary: "Pin the versions of packages `dnf install` installs", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `dnf install httpd` installs whatever version the repositories have on the day of \
            the build. `httpd-2.4.57` (rpm's `name-version[-release]`) says which one the \
            image was tested with. Each package word without one is reported on its own, \
            for `dnf` and `microdnf`. As in hadolint, a version is a dash followed by version \
            characters only (letters, digits, `.~^_:+`) with a part that starts with a digit; \
            `.rpm` files carry their version, and the modules of `dnf module install` need a \
            `:stream`. The whole family of version-pinning rules goes off with \
            `"version-pinning": false` in `.dockwright.json`.

            Differences from hadolint: ARG and ENV values are substituted first \
            (`httpd-${HTTPD_VERSION}` is pinned), and a word that is nothing but a variable \
            or a command substitution dockwright cannot know (`$(<extra-packages)`, \
            `$(cat packages.txt)`) is not reported, since it may list pinned packages; \
            hadolint reports it. Commands behind `sudo` or called by path are checked too.

            ## References
            hadolint DL3041.
            """,
        triggering: [
            Example("FROM fedora:40\nRUN dnf install -y ↓httpd php-8.3.8 && dnf clean all\n"),
            Example("FROM fedora:40\nRUN microdnf install -y ↓python3-devel ↓gcc-c++ && microdnf clean all\n"),
            Example("FROM fedora:40\nRUN dnf module install -y ↓nodejs && dnf clean all\n"),
            Example("FROM fedora:40\nONBUILD RUN dnf install -y ↓httpd && dnf clean all\n"),
        ],
        nonTriggering: [
            Example("FROM fedora:40\nRUN dnf install -y httpd-2.4.59-1.fc40 && dnf clean all\n"),
            Example("FROM fedora:40\nARG HTTPD_VERSION=2.4.59\nRUN dnf install -y \"httpd-${HTTPD_VERSION}\" && dnf clean all\n"),
            Example("FROM fedora:40\nRUN dnf install -y https://example.com/tool-1.0.x86_64.rpm && dnf clean all\n"),
            Example("FROM fedora:40\nCOPY extra-packages .\nRUN dnf -y install $(<extra-packages) && dnf clean all\n"),
            Example("FROM fedora:40\nRUN dnf module install -y nodejs:20 && dnf group install -y \"Development Tools\" && dnf clean all\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        RPMPinning.violations(in: context, managers: [.dnf, .microdnf], example: "httpd-2.4.57")
    }
}
