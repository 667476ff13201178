import DockwrightSyntax

/// One image reference in a Dockerfile that `pin` looks at: a FROM image, a
/// `COPY --from=<image>` or a `RUN --mount=from=<image>`, and what to do with it.
struct PinSite {
    /// What `pin` does with a reference.
    enum Plan: Equatable {
        /// Tagged, no digest: add one.
        case pin
        /// Tagged and pinned: `--check` and `--refresh` compare the digest with the tag's.
        case verify(writtenDigest: String)
        /// No tag, or `latest`: reported (DL3006/DL3007), pinned only with `--allow-latest`.
        case floating(isLatest: Bool)
        /// Left alone, with the reason shown to the user.
        case skip(String)
    }

    /// The reference, parsed as Docker normalises it.
    let reference: ImageReference?
    /// Where the reference is written.
    let range: TextRange
    /// The reference text as written in the file.
    let written: String
    /// What to do with it.
    let plan: Plan
    /// `FROM`, `COPY --from` or `RUN --mount`, for messages.
    let origin: String

    /// The image references of a parsed file, in source order, each once.
    static func sites(in syntax: DockerfileSyntax, graph: StageGraph? = nil) -> [PinSite] {
        let graph = graph ?? StageGraph(syntax: syntax)
        let source = syntax.source
        var sites: [PinSite] = []
        var seen = Set<TextRange>()
        func add(_ site: PinSite) {
            guard seen.insert(site.range).inserted else { return }
            sites.append(site)
        }
        for stage in graph.stages {
            if let token = stage.baseToken {
                add(site(for: stage.base, token: token, resolved: stage.baseName, graph: graph, source: source))
            }
            for dependency in stage.dependencies {
                let origin = dependency.kind == .copy ? "COPY --from" : "RUN --mount"
                let written = source.text(in: dependency.range)
                switch dependency.source {
                case .stage:
                    add(PinSite(reference: nil, range: dependency.range, written: written,
                                plan: .skip("names a build stage"), origin: origin))
                case .invalid:
                    add(PinSite(reference: nil, range: dependency.range, written: written,
                                plan: .skip("is built from a variable"), origin: origin))
                case .image(let reference):
                    // A quoted or escaped flag value cannot be edited in place.
                    let plan = written == dependency.reference
                        ? plan(for: reference) : .skip("is written with quotes or escapes")
                    add(PinSite(reference: reference, range: dependency.range, written: written, plan: plan,
                                origin: origin))
                }
            }
        }
        return sites.sorted { $0.range.start < $1.range.start }
    }

    private static func site(
        for base: Stage.Base, token: Token, resolved: String?, graph: StageGraph, source: SourceFile
    ) -> PinSite {
        switch base {
        case .stage:
            return PinSite(reference: nil, range: token.range, written: token.text, plan: .skip("names a build stage"),
                           origin: "FROM")
        case .unresolved:
            return PinSite(reference: nil, range: token.range, written: token.text,
                           plan: .skip("is built from an ARG without a value"), origin: "FROM")
        case .image(let reference):
            if reference.isScratch {
                return PinSite(reference: nil, range: token.range, written: token.text,
                               plan: .skip("is the empty image"), origin: "FROM")
            }
            // `ARG BASE=python:3.12` … `FROM ${BASE}`: the whole reference is the ARG's
            // default, so the pin goes there; `--build-arg BASE=…` replaces tag and digest
            // together, and the pin can never outlive the tag it was made for.
            if let argument = wholeArgumentDefault(of: token, in: graph.argScope, source: source),
               argument.value == resolved {
                return PinSite(reference: ImageReference.parse(argument.value, range: argument.range), range: argument.range,
                               written: argument.value, plan: plan(for: ImageReference.parse(argument.value)),
                               origin: "ARG")
            }
            // `FROM python:${VERSION}`: a digest written here would stay when someone
            // builds with another --build-arg, silently building the default version.
            guard token.text == resolved else {
                let why = token.text.contains("$") ? "is built from an ARG" : "is written with quotes or escapes"
                return PinSite(reference: reference, range: token.range, written: token.text, plan: .skip(why),
                               origin: "FROM")
            }
            return PinSite(reference: reference, range: token.range, written: token.text, plan: plan(for: reference),
                           origin: "FROM")
        }
    }

    /// For a FROM image written as just `$NAME` or `${NAME}`: the default of the one
    /// global `ARG NAME=value` that declares it, when written plainly (no quotes,
    /// escapes or variables), and where that value is in the file.
    private static func wholeArgumentDefault(
        of token: Token, in scope: ArgScope, source: SourceFile
    ) -> (value: String, range: TextRange)? {
        var name = Substring(token.text)
        guard name.hasPrefix("$") else { return nil }
        name = name.dropFirst()
        if name.hasPrefix("{") {
            guard name.hasSuffix("}") else { return nil }
            name = name.dropFirst().dropLast()
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        let declarations = scope.globalDeclarations.filter { $0.name == name }
        guard declarations.count == 1, let declaration = declarations.first, let value = declaration.defaultValue,
              !value.isEmpty, declaration.token.text == name + "=" + value,
              !value.contains(where: { "\"'$\\` \t".contains($0) })
        else { return nil }
        let end = declaration.token.range.end
        let range = TextRange(start: end - value.utf8.count, end: end)
        // A value split by a line continuation is not where the arithmetic says: leave it.
        guard source.text(in: range) == value else { return nil }
        return (value, range)
    }

    private static func plan(for reference: ImageReference) -> Plan {
        if let error = reference.error { return .skip("is not a valid reference: \(error.message)") }
        switch (reference.tag, reference.digest) {
        case (nil, .some):
            return .skip("is pinned by digest alone; there is no tag to check it against")
        case (.some(let tag), .some(let digest)) where tag != "latest":
            return .verify(writtenDigest: digest)
        case (.some("latest"), _):
            return .floating(isLatest: true)
        case (.some, nil):
            return .pin
        default:
            return .floating(isLatest: false)
        }
    }
}
