/// How a Docker Hub official image names its smaller variants, kept as data: to support
/// another image, add one entry to ``official``.
///
/// Tags are read as `version[-flavor…][-suite]`, e.g. `3.12`, `8.3-fpm-bookworm`,
/// `21-jdk-jammy`: the version is words starting with a digit or the image's aliases
/// (`lts`, `rc`, `bookworm` for debian), flavors are the image's own words (`fpm`, `jdk`),
/// and the suite is a Debian or Ubuntu code name. A tag with other words is left alone.
struct ImageVariants: Sendable {
    /// Where `slim` goes in a tag.
    enum SlimPosition: Sendable {
        /// `3.12-slim-bookworm` (python, ruby, rust, perl, pypy).
        case afterVersion
        /// `17-jdk-slim-bookworm` (openjdk).
        case afterFlavor
        /// `20-bookworm-slim` (node, debian, erlang).
        case atEnd
    }

    /// Where the slim variant puts `slim`, or nil when the image has none.
    let slim: SlimPosition?
    /// Whether the image has `-alpine` variants.
    let hasAlpine: Bool
    /// Whether the alpine variant replaces the default without surprises. It is built on
    /// musl instead of glibc: Python wheels, Ruby gems and Rust targets differ there, so
    /// those images get `-slim` instead.
    let isAlpineDropIn: Bool
    /// Words that stand for a version.
    let versionAliases: Set<String>
    /// The image's own variant words, written between the version and the suite.
    let flavors: Set<String>
    /// The flavors that have an alpine variant; nil when all do.
    let alpineFlavors: Set<String>?
    /// The tag of the slim and alpine variants when no version is written (no tag, or `latest`).
    let untaggedSlim: String?
    let untaggedAlpine: String?
    /// The first version published with an alpine variant (`[1, 6]` for golang 1.6): an
    /// older numeric version has no `-alpine` tag to move to.
    let alpineSince: [Int]

    init(
        slim: SlimPosition?, hasAlpine: Bool, isAlpineDropIn: Bool = true, versionAliases: Set<String> = [],
        flavors: Set<String> = [], alpineFlavors: Set<String>? = nil, untaggedSlim: String? = nil,
        untaggedAlpine: String? = nil, alpineSince: [Int] = []
    ) {
        self.alpineSince = alpineSince
        self.slim = slim
        self.hasAlpine = hasAlpine
        self.isAlpineDropIn = isAlpineDropIn
        self.versionAliases = versionAliases
        self.flavors = flavors
        self.alpineFlavors = alpineFlavors
        self.untaggedSlim = untaggedSlim
        self.untaggedAlpine = untaggedAlpine
    }

    /// Debian and Ubuntu code names that end a tag, e.g. `python:3.12-bookworm`.
    static let suites: Set<String> = [
        "stretch", "buster", "bullseye", "bookworm", "trixie", "forky", "sid", "bionic", "focal", "jammy", "noble",
    ]

    /// Node.js release lines by name (`node:iron`).
    static let nodeCodeNames: Set<String> = [
        "lts", "current", "argon", "boron", "carbon", "dubnium", "erbium", "fermium", "gallium", "hydrogen", "iron",
        "jod", "krypton",
    ]

    /// The official images with smaller variants, by repository name.
    static let official: [String: ImageVariants] = [
        "python": ImageVariants(
            slim: .afterVersion, hasAlpine: true, isAlpineDropIn: false, versionAliases: ["rc"],
            untaggedSlim: "slim", untaggedAlpine: "alpine"),
        "pypy": ImageVariants(slim: .afterVersion, hasAlpine: false, untaggedSlim: "slim"),
        // Alpine variants start with node 6 (docker-library/node, 2016); 0.x, 4 and 5 tags have none.
        // https://github.com/docker-library/official-images/blob/master/library/node
        "node": ImageVariants(
            slim: .atEnd, hasAlpine: true, versionAliases: nodeCodeNames, untaggedSlim: "slim",
            untaggedAlpine: "alpine", alpineSince: [6]),
        "ruby": ImageVariants(
            slim: .afterVersion, hasAlpine: true, isAlpineDropIn: false, versionAliases: ["rc"], untaggedSlim: "slim",
            untaggedAlpine: "alpine"),
        // Alpine variants start with Go 1.6. https://github.com/docker-library/official-images/blob/master/library/golang
        "golang": ImageVariants(
            slim: nil, hasAlpine: true, versionAliases: ["rc"], untaggedAlpine: "alpine", alpineSince: [1, 6]),
        "php": ImageVariants(
            slim: nil, hasAlpine: true, versionAliases: ["rc"], flavors: ["cli", "fpm", "zts", "apache"],
            alpineFlavors: ["cli", "fpm", "zts"], untaggedAlpine: "alpine"),
        "perl": ImageVariants(slim: .afterVersion, hasAlpine: false, flavors: ["threaded"], untaggedSlim: "slim"),
        "rust": ImageVariants(
            slim: .afterVersion, hasAlpine: true, isAlpineDropIn: false, untaggedSlim: "slim",
            untaggedAlpine: "alpine"),
        "openjdk": ImageVariants(slim: .afterFlavor, hasAlpine: false, versionAliases: ["ea"], flavors: ["jdk", "jre"]),
        "eclipse-temurin": ImageVariants(slim: nil, hasAlpine: true, flavors: ["jdk", "jre"]),
        "debian": ImageVariants(
            slim: .atEnd, hasAlpine: false,
            versionAliases: suites.union(["stable", "oldstable", "oldoldstable", "testing", "unstable"]),
            untaggedSlim: "stable-slim"),
        "erlang": ImageVariants(slim: .atEnd, hasAlpine: true, untaggedSlim: "slim", untaggedAlpine: "alpine"),
        "nginx": ImageVariants(
            slim: nil, hasAlpine: true, versionAliases: ["mainline", "stable"], untaggedAlpine: "alpine"),
        "httpd": ImageVariants(slim: nil, hasAlpine: true, untaggedAlpine: "alpine"),
    ]

    /// A smaller variant of an image tag.
    struct Suggestion: Hashable, Sendable {
        /// The tag to use instead.
        let tag: String
        /// Whether it is the alpine (musl) variant rather than the slim Debian one.
        let isAlpine: Bool
    }

    /// The smaller variants to use instead of `tag` (nil for `latest`), best first; empty
    /// when the tag is already small, unknown, or has no suitable smaller variant.
    ///
    /// - Parameters:
    ///   - usesApt: the image installs Debian packages, which only the slim variant keeps.
    ///   - buildsNativeCode: the image compiles or installs native code (compilers, npm or
    ///     pip installs, cgo), which must not move from glibc to musl.
    ///   - mayNeedGlibc: the image receives binaries built elsewhere, which may need glibc.
    func smallerTags(than tag: String?, usesApt: Bool, buildsNativeCode: Bool, mayNeedGlibc: Bool) -> [Suggestion] {
        guard let parsed = parse(tag ?? "latest") else { return [] }
        let slimTag = slimVariant(of: parsed).map { Suggestion(tag: $0, isAlpine: false) }
        let alpineTag = alpineVariant(of: parsed).map { Suggestion(tag: $0, isAlpine: true) }
        if usesApt || buildsNativeCode || !isAlpineDropIn { return [slimTag].compactMap { $0 } }
        // Binaries copied in from a glibc image are safer on slim; an image without slim
        // keeps its alpine suggestion (its copies are usually static files).
        if mayNeedGlibc { return [slimTag ?? alpineTag].compactMap { $0 } }
        return [alpineTag, slimTag].compactMap { $0 }
    }

    /// The words of a tag, split into version, flavors and suite.
    struct ParsedTag {
        var version: [String]
        var flavors: [String]
        var suite: String?
    }

    /// Splits a tag, or nil when it is already small or has words this entry does not know.
    func parse(_ tag: String) -> ParsedTag? {
        if tag == "latest" { return ParsedTag(version: [], flavors: [], suite: nil) }
        let words = tag.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard !words.contains(where: { $0 == "slim" || $0.hasPrefix("alpine") }) else { return nil }
        var index = 0
        var parsed = ParsedTag(version: [], flavors: [], suite: nil)
        while index < words.count, words[index].first?.isNumber == true || versionAliases.contains(words[index]) {
            parsed.version.append(words[index])
            index += 1
        }
        while index < words.count, flavors.contains(words[index]) {
            parsed.flavors.append(words[index])
            index += 1
        }
        if index < words.count, Self.suites.contains(words[index]) {
            parsed.suite = words[index]
            index += 1
        }
        return index == words.count ? parsed : nil
    }

    private func slimVariant(of tag: ParsedTag) -> String? {
        guard let slim else { return nil }
        if tag.version.isEmpty && tag.flavors.isEmpty && tag.suite == nil { return untaggedSlim }
        let suite = tag.suite.map { [$0] } ?? []
        switch slim {
        case .afterVersion: return (tag.version + ["slim"] + tag.flavors + suite).joined(separator: "-")
        case .afterFlavor: return (tag.version + tag.flavors + ["slim"] + suite).joined(separator: "-")
        case .atEnd: return (tag.version + tag.flavors + suite + ["slim"]).joined(separator: "-")
        }
    }

    private func alpineVariant(of tag: ParsedTag) -> String? {
        guard hasAlpine, isPublishedOnAlpine(tag.version) else { return nil }
        if let alpineFlavors, !tag.flavors.allSatisfy(alpineFlavors.contains) { return nil }
        // The alpine variant replaces the Debian suite.
        if tag.version.isEmpty && tag.flavors.isEmpty { return untaggedAlpine }
        return (tag.version + tag.flavors + ["alpine"]).joined(separator: "-")
    }

    /// Whether a version has alpine tags: aliases, versions from ``alpineSince`` on, and
    /// floating tags that reach it (`golang:1` is the newest 1.x) do.
    private func isPublishedOnAlpine(_ version: [String]) -> Bool {
        guard let first = version.first, first.first?.isNumber == true else { return true }
        let numbers = first.split(separator: ".").map { Int($0) ?? 0 }
        for (index, floor) in alpineSince.enumerated() {
            guard index < numbers.count else { return true }
            if numbers[index] != floor { return numbers[index] > floor }
        }
        return true
    }
}
