import DockwrightCore
import DockwrightSyntax

/// Renders the rule reference, Rules.md, from the rules' own descriptions. Each bad
/// example is followed by what dockwright actually reports for it, so the
/// document cannot drift from the behaviour.
public enum RulesMarkdown {
    /// The whole document.
    public static func render(_ rules: [any Rule.Type]) -> String {
        let sorted = sortedRules(rules)
        var text = """
            # dockwright rules

            Generated from the rule descriptions in `Sources/DockwrightRules` by \
            `swift run dockwright rules --markdown > Rules.md`; a test keeps it in sync. \
            Codes starting with DL mean what hadolint's rule of that code means, so \
            `# hadolint ignore=DL3020` pragmas keep working; DW codes are dockwright's own.

            | Code | Name | Category | Severity | On by default | Fix |
            |---|---|---|---|---|---|

            """
        for rule in sorted {
            let description = rule.description
            text += "| [\(description.code)](#\(anchor(description))) | `\(description.name)` | \(description.category.title) "
                + "| \(description.severity.rawValue) | \(description.isEnabledByDefault ? "yes" : "no") | \(fixLabel(description)) |\n"
        }
        for rule in sorted {
            text += "\n" + section(rule)
        }
        return text
    }

    /// The section of one rule, as `dockwright rules CODE` prints it.
    public static func section(_ rule: any Rule.Type) -> String {
        let description = rule.description
        var text = "## \(description.code) \(description.name)\n\n"
        text += "\(description.summary).\n\n"
        text += "Category: \(description.category.title). Severity: \(description.severity.rawValue). "
            + "Fix: \(fixLabel(description)).\n\n"
        text += demoteHeadings(description.rationale) + "\n"
        if !description.triggering.isEmpty {
            text += "\n#### Bad\n"
            for example in description.triggering {
                let code = example.strippedCodeAndMarkers.code
                text += contextText(files: example.contextFiles, dockerignore: example.dockerignore)
                text += "\n```dockerfile\n\(code.hasSuffix("\n") ? code : code + "\n")```\n\n"
                let linter = Linter(rules: [rule.init()], buildContext: example.buildContext, options: description.exampleOptions)
                let diagnostics = linter.lint(SourceFile(path: "Dockerfile", text: code)).diagnostics
                    .filter { $0.code == description.code }
                for diagnostic in diagnostics {
                    text += "`Dockerfile:\(diagnostic.start.line):\(diagnostic.start.column): \(diagnostic.severity.rawValue) "
                        + "[\(diagnostic.code)] \(escape(diagnostic.message))`\n"
                }
            }
        }
        if !description.nonTriggering.isEmpty {
            text += "\n#### Good\n"
            for example in description.nonTriggering {
                let code = example.strippedCodeAndMarkers.code
                text += contextText(files: example.contextFiles, dockerignore: example.dockerignore)
                text += "\n```dockerfile\n\(code.hasSuffix("\n") ? code : code + "\n")```\n"
            }
        }
        if !description.fixes.isEmpty {
            text += "\n#### Fix\n"
            for example in description.fixes {
                let level = example.applicability == .safe ? "`dockwright fix`" : "`dockwright fix --unsafe`"
                text += contextText(files: example.contextFiles, dockerignore: example.dockerignore)
                text += "\nBefore:\n\n```dockerfile\n\(example.before)```\n\nAfter \(level):\n\n```dockerfile\n\(example.after)```\n"
                if let ignore = example.dockerignoreAfter {
                    text += "\nand the `.dockerignore` it writes:\n\n```text\n\(ignore)```\n"
                }
            }
        }
        return text
    }

    /// The build context an example runs with: its files, then its `.dockerignore`.
    private static func contextText(files: [String]?, dockerignore: String?) -> String {
        var text = ""
        if let files {
            text += "\nWith these files in the build context: " + files.map { "`\($0)`" }.joined(separator: ", ")
                + (dockerignore == nil ? ", and no `.dockerignore`.\n" : ".\n")
        }
        if let ignore = dockerignore {
            text += "\nWith this `.dockerignore`:\n\n```text\n\(ignore.hasSuffix("\n") ? ignore : ignore + "\n")```\n"
        }
        return text
    }

    private static func sortedRules(_ rules: [any Rule.Type]) -> [any Rule.Type] {
        let order = RuleCategory.allCases
        return rules.sorted { lhs, rhs in
            let left = (order.firstIndex(of: lhs.description.category) ?? 0, lhs.description.code)
            let right = (order.firstIndex(of: rhs.description.category) ?? 0, rhs.description.code)
            return left < right
        }
    }

    private static func fixLabel(_ description: RuleDescription) -> String {
        guard description.fixAvailability != .none else { return "none" }
        let levels = Set(description.fixes.map(\.applicability))
        if levels == [.safe] { return "safe" }
        if levels == [.unsafe] { return "unsafe" }
        return "safe or unsafe"
    }

    private static func anchor(_ description: RuleDescription) -> String {
        "\(description.code.lowercased())-\(description.name)"
    }

    /// Rationale headings (`## Why`) become level-4 headings inside a rule section.
    private static func demoteHeadings(_ markdown: String) -> String {
        markdown.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("## ") ? "##" + line : String(line)
        }.joined(separator: "\n")
    }

    private static func escape(_ message: String) -> String {
        message.replacingBackticks()
    }
}

private extension String {
    /// Backticks inside an inline code span would end it; use a quote instead.
    func replacingBackticks() -> String {
        String(map { $0 == "`" ? "'" : $0 })
    }
}
