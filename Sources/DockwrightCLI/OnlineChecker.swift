import DockwrightCore
import DockwrightRegistry
import DockwrightRules
import DockwrightSyntax
import Synchronization

/// `lint --online`: asks registries about the file's image references and reports what
/// only they know: a pinned digest its tag no longer points at, a tag or repository that
/// does not exist, and a DW003 suggestion whose smaller tag does not exist. Opt-in; a
/// plain `lint` never creates one, so it never touches the network.
final class OnlineChecker: ExternalChecker {
    private let client: RegistryClient
    private let parallelism: Int
    private let failureList = Mutex<[RegistryFailure]>([])

    /// Where the findings are documented.
    static let url = "https://github.com/dockwright/dockwright/blob/main/README.md#pinning"

    init(client: RegistryClient, parallelism: Int) {
        self.client = client
        self.parallelism = parallelism
    }

    /// The registries that could not be asked, each once, in the order they failed.
    var failures: [RegistryFailure] {
        failureList.withLock { list in
            var seen = Set<String>()
            return list.filter { seen.insert($0.registry).inserted }
        }
    }

    func findings(in context: RuleContext) -> [ExternalFinding] {
        let sites = PinSite.sites(in: context.syntax, graph: context.stages).filter {
            switch $0.plan {
            case .pin, .verify: return true
            case .floating, .skip: return false
            }
        }
        let suggestions = smallerBaseSuggestions(in: context)
        let queries = sites.compactMap(\.reference) + suggestions.map(\.reference)
        let answers = client.resolveAll(queries.map { ($0, nil) }, parallelism: parallelism)
        var findings: [ExternalFinding] = []
        for (index, answer) in answers.enumerated() {
            let resolution: TagResolution
            switch answer {
            case .failure(let failure):
                failureList.withLock { $0.append(failure) }
                continue
            case .success(let found):
                resolution = found
            }
            if index < sites.count {
                let site = sites[index]
                switch (site.plan, resolution) {
                case (_, .missing(let message)):
                    findings.append(ExternalFinding(
                        code: "DWO002", name: "unknown-image-tag", severity: .error,
                        message: message.prefix(1).uppercased() + message.dropFirst(), range: site.range, url: Self.url))
                case (.verify(let written), .found(let digest)) where written != digest:
                    findings.append(ExternalFinding(
                        code: "DWO001", name: "stale-digest", severity: .warning,
                        message: "The tag now points at \(digest); run `dockwright pin --refresh`",
                        range: site.range, url: Self.url))
                default:
                    break
                }
            } else if case .missing = resolution {
                let suggestion = suggestions[index - sites.count]
                findings.append(ExternalFinding(
                    code: "DWO003", name: "suggested-tag-missing", severity: .info,
                    message: "DW003 suggests `\(suggestion.text)`, but that tag does not exist; keep the current tag",
                    range: suggestion.range, url: Self.url))
            }
        }
        return findings
    }

    /// The references DW003 would rewrite a base image to, read from its fixes.
    private func smallerBaseSuggestions(in context: RuleContext) -> [(reference: ImageReference, text: String, range: TextRange)] {
        let source = context.syntax.source
        return PreferSmallBaseRule().check(context).compactMap { violation in
            guard let edit = violation.fix?.edits.first,
                  let stage = context.stages.stages.first(where: { $0.baseToken?.range.contains(edit.range) == true }),
                  let token = stage.baseToken
            else { return nil }
            let before = source.text(in: TextRange(start: token.range.start, end: edit.range.start))
            let after = source.text(in: TextRange(start: edit.range.end, end: token.range.end))
            let text = before + edit.replacement + after
            let reference = ImageReference.parse(text)
            guard reference.isValid, !text.contains("$") else { return nil }
            return (reference, text, token.range)
        }
    }
}

private extension TextRange {
    func contains(_ other: TextRange) -> Bool { start <= other.start && other.end <= end }
}
