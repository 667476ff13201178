import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags a gem that `gem install` installs without a version.
public struct PinGemVersionsRule: Rule {
    public static let description = RuleDescription(
        code: "DL3028", name: "pin-gem-versions", category: .reproducibility,
        summary: "Pin versions in `gem install`", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `gem install bundler` installs the newest release on the day of the build, so \
            rebuilding the same commit can bring a new major version. `bundler:2.5.9` or \
            `-v 2.5.9` says which one the image was made with.

            Each unpinned gem is reported at its own word. `-v`/`--version` pins every gem \
            of the command; `name:version`, `.gem` files and paths are pinned.

            Differences from hadolint:
            - Option values (`-n /usr/local/bin`, `--source URL`) are never taken for gems, \
            and the build options after `--` are not read.
            - Options without a value do not hide the gems: hadolint does not report \
            `gem install --no-document bundler` or `gem install -N bundler`.
            - ARG and ENV values are substituted first, and a variable nothing in the \
            Dockerfile sets is not judged.

            ## References
            hadolint DL3028.
            """,
        triggering: [
            Example("FROM ruby:3.3\nRUN gem install ↓bundler\n"),
            Example("FROM ruby:3.3\nRUN gem install --no-document rails:7.1.3 ↓puma\n"),
            Example("FROM ruby:3.3\nRUN gem i -n /usr/local/bin ↓rake\n"),
            Example("FROM ruby:3.3\nRUN gem install -N ↓bundler\n"),
        ],
        nonTriggering: [
            Example("FROM ruby:3.3\nRUN gem install bundler:2.5.9 && gem install rails -v 7.1.3\n"),
            Example("FROM ruby:3.3\nRUN gem install --version=7.1.3 rails\n"),
            Example("FROM ruby:3.3\nARG BUNDLER_VERSION=2.5.9\nRUN gem install bundler:${BUNDLER_VERSION}\n"),
            Example("FROM ruby:3.3\nRUN gem install ./vendor/app-1.0.gem\n"),
            Example("FROM ruby:3.3\nRUN gem install pg:1.5.6 -- --with-pg-config=/usr/bin/pg_config\n"),
            Example("FROM ruby:3.3\nRUN gem update --system && bundle install\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for command in context.model.scriptCommands(named: ["gem"]) {
            guard let install = command.gemInstall, !install.items.hasFlag("-v", "--version") else { continue }
            for operand in install.operands where LanguagePin.gem(operand) == false {
                let shown = operand.displayText
                violations.append(Violation(
                    range: command.range(of: operand.word),
                    message: "`\(shown)` is installed without a version; pin it: `\(shown):<version>`"))
            }
        }
        return violations
    }
}
