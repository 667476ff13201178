/// An image reference such as `alpine:3.20`, `ghcr.io/org/app@sha256:…` or
/// `localhost:5000/tools/x:tag`, split and normalised as Docker does it.
///
/// Parsing mirrors `reference.ParseNormalizedNamed` (distribution/reference), which
/// BuildKit calls on a FROM image:
/// - the first path component is a registry (domain) when it contains `.` or `:`, is
///   `localhost`, or has an upper-case letter; otherwise the registry is `docker.io`;
/// - `index.docker.io` is `docker.io`, and a single-component Docker Hub name gets the
///   `library/` prefix of official images;
/// - the tag follows the `:` after the path, the digest (`algorithm:hex`) follows `@`.
///
/// An invalid reference is still returned, with ``error`` set and its parts split as
/// well as the text allows, so rules can both report the error and look at the tag.
public struct ImageReference: Hashable, Sendable {
    /// The reference as parsed, e.g. `alpine:3.20` (after any ARG substitution).
    public let text: String
    /// Where the reference is written, when it comes from the source.
    public var range: TextRange? {
        hasRange ? TextRange(start: Int(rangeStart), end: Int(rangeEnd)) : nil
    }
    /// The range in 32 bits, as ``Token`` keeps its own: every stage and base image
    /// holds a reference.
    private let rangeStart: UInt32
    private let rangeEnd: UInt32
    private let hasRange: Bool
    /// What parsing the text found, in one shared box: the references of one text
    /// (every `FROM ubuntu:24.04` of a file) share it, so a stage keeps 40 bytes of
    /// reference rather than 128 (issue 13; ``moved(to:)``).
    private let parts: Parts

    /// The parts of a parsed reference, which depend on its text only.
    private final class Parts: Sendable {
        let hasExplicitDomain: Bool
        let domain: String
        let path: String
        let tag: String?
        let digest: String?
        let error: ImageReferenceError?

        init(
            domain: String, path: String, tag: String?, digest: String?, hasExplicitDomain: Bool,
            error: ImageReferenceError?
        ) {
            self.domain = domain
            self.path = path
            self.tag = tag
            self.digest = digest
            self.hasExplicitDomain = hasExplicitDomain
            self.error = error
        }
    }

    /// Whether the text names its registry (`ghcr.io/x`) rather than implying Docker Hub.
    public var hasExplicitDomain: Bool { parts.hasExplicitDomain }
    /// The registry after normalisation, e.g. `docker.io` or `localhost:5000`.
    public var domain: String { parts.domain }
    /// The repository path after normalisation, e.g. `library/alpine`.
    public var path: String { parts.path }
    /// The tag, e.g. `3.20`, or nil when none is written.
    public var tag: String? { parts.tag }
    /// The digest, e.g. `sha256:…`, or nil when none is written.
    public var digest: String? { parts.digest }
    /// Why the reference is invalid, or nil when Docker accepts it.
    public var error: ImageReferenceError? { parts.error }

    /// Docker Hub's registry name.
    public static let defaultDomain = "docker.io"
    /// The prefix of Docker Hub's official images.
    public static let officialRepositoryPrefix = "library/"

    /// Creates a reference from its parts; ``parse(_:range:)`` is the usual way in.
    public init(
        text: String, range: TextRange?, domain: String, path: String, tag: String?, digest: String?,
        hasExplicitDomain: Bool, error: ImageReferenceError?
    ) {
        self.init(
            text: text, range: range,
            parts: Parts(
                domain: domain, path: path, tag: tag, digest: digest, hasExplicitDomain: hasExplicitDomain,
                error: error))
    }

    private init(text: String, range: TextRange?, parts: Parts) {
        self.text = text
        rangeStart = UInt32(clamping: range?.start ?? 0)
        rangeEnd = UInt32(clamping: range?.end ?? 0)
        hasRange = range != nil
        self.parts = parts
    }

    /// The same reference written at `range`, sharing the parsed parts: what the stage
    /// graph gives each FROM of an image it already parsed.
    public func moved(to range: TextRange?) -> ImageReference {
        ImageReference(text: text, range: range, parts: parts)
    }

    public static func == (lhs: ImageReference, rhs: ImageReference) -> Bool {
        guard lhs.text == rhs.text, lhs.range == rhs.range else { return false }
        if lhs.parts === rhs.parts { return true }
        return lhs.hasExplicitDomain == rhs.hasExplicitDomain && lhs.domain == rhs.domain && lhs.path == rhs.path
            && lhs.tag == rhs.tag && lhs.digest == rhs.digest && lhs.error == rhs.error
    }

    public func hash(into hasher: inout Hasher) {
        // Equal references have equal texts and ranges; the parts only refine.
        hasher.combine(text)
        hasher.combine(range)
    }

    // MARK: - Derived names

    /// Whether Docker accepts the reference.
    public var isValid: Bool { error == nil }

    /// Whether this is `scratch`, the empty image, which BuildKit recognises by exact
    /// spelling before it parses references.
    public var isScratch: Bool { text == "scratch" }

    /// Registry and path, e.g. `docker.io/library/alpine`.
    public var fullName: String { domain.isEmpty ? path : "\(domain)/\(path)" }

    /// The short name Docker shows, e.g. `alpine`, `user/app` or `ghcr.io/org/app`
    /// (distribution's `FamiliarName`).
    public var familiarName: String {
        guard domain == Self.defaultDomain else { return fullName }
        if path.hasPrefix(Self.officialRepositoryPrefix) {
            let remainder = path.dropFirst(Self.officialRepositoryPrefix.count)
            if !remainder.utf8.contains(UInt8(ascii: "/")) { return String(remainder) }
        }
        return path
    }

    /// The full reference BuildKit pulls: the full name with the tag (`latest` when
    /// neither tag nor digest is written) and digest, e.g. `docker.io/library/alpine:latest`.
    public var normalizedString: String {
        var output = fullName
        if let tag {
            output += ":" + tag
        } else if digest == nil {
            output += ":latest"
        }
        if let digest { output += "@" + digest }
        return output
    }

    /// The familiar name with the tag and digest as written, e.g. `alpine:3.20`.
    public var familiarString: String {
        var output = familiarName
        if let tag { output += ":" + tag }
        if let digest { output += "@" + digest }
        return output
    }

    /// Whether this is a Docker Hub official image (`docker.io/library/…`).
    public var isOfficialImage: Bool {
        domain == Self.defaultDomain && path.hasPrefix(Self.officialRepositoryPrefix)
    }

    // MARK: - Parsing

    /// Parses `text` as `ParseNormalizedNamed` does; never fails, see ``error``.
    public static func parse(_ text: String, range: TextRange? = nil) -> ImageReference {
        let split = splitDockerDomain(text)
        let parts = splitRemainder(split.remainder[...])
        var reference = ImageReference(
            text: text, range: range, domain: split.domain, path: parts.path, tag: parts.tag, digest: parts.digest,
            hasExplicitDomain: split.hasExplicitDomain, error: nil)
        if text.isEmpty {
            reference = reference.with(error: ImageReferenceError(.empty, message: "invalid reference format"))
            return reference
        }
        if text.utf8.count == 64 && text.utf8.allSatisfy(isLowercaseHexDigit) {
            return reference.with(error: ImageReferenceError(
                .hexadecimalIdentifier,
                message: "invalid repository name (\(text)), cannot specify 64-byte hexadecimal strings"))
        }
        let remote = split.remainder[..<(split.remainder.utf8.firstIndex(of: UInt8(ascii: ":")) ?? split.remainder.endIndex)]
        if changesWhenLowered(remote) {
            return reference.with(error: ImageReferenceError(
                .uppercaseRepository,
                message: "invalid reference format: repository name (\(remote)) must be lowercase"))
        }
        switch parseFull(split.domain + "/" + split.remainder) {
        case .success(let parsed):
            return ImageReference(
                text: text, range: range, domain: parsed.domain, path: parsed.path, tag: parsed.tag,
                digest: parsed.digest, hasExplicitDomain: split.hasExplicitDomain, error: nil)
        case .failure(let error):
            return reference.with(error: error)
        }
    }

    private func with(error: ImageReferenceError) -> ImageReference {
        ImageReference(
            text: text, range: range, domain: domain, path: path, tag: tag, digest: digest,
            hasExplicitDomain: hasExplicitDomain, error: error)
    }

    /// `splitDockerDomain`: the registry and the rest, with Docker Hub's defaults applied.
    ///
    /// This and the other splits search UTF-8 bytes, as Go's `strings.Index` does: a
    /// search by Character cost about 700 instructions a character here, and a reference
    /// was parsed for every FROM and every base image a rule asks about.
    private static func splitDockerDomain(
        _ name: String
    ) -> (domain: String, remainder: String, hasExplicitDomain: Bool) {
        var domain = defaultDomain
        var remainder = name
        var hasExplicitDomain = false
        if let slash = name.utf8.firstIndex(of: UInt8(ascii: "/")) {
            let first = name[..<slash]
            if first.utf8.contains(UInt8(ascii: ".")) || first.utf8.contains(UInt8(ascii: ":")) || first == "localhost"
                || changesWhenLowered(first) {
                domain = String(first)
                remainder = String(name[name.utf8.index(after: slash)...])
                hasExplicitDomain = true
            }
        }
        if domain == "index.docker.io" { domain = defaultDomain }
        if domain == defaultDomain && !remainder.utf8.contains(UInt8(ascii: "/")) {
            remainder = officialRepositoryPrefix + remainder
        }
        return (domain, remainder, hasExplicitDomain)
    }

    /// Whether lowering `text` changes it (Go's `strings.ToLower(s) != s`). ASCII text,
    /// nearly every reference, is answered from its bytes: lowering builds a new string,
    /// and each reference asked this twice.
    private static func changesWhenLowered(_ text: Substring) -> Bool {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return text.lowercased() != text }
        return text.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
    }

    /// Splits `path[:tag][@digest]` at the first `@` and the first `:` before it.
    private static func splitRemainder(_ text: Substring) -> (path: String, tag: String?, digest: String?) {
        var nameAndTag = text
        var digest: String?
        if let at = text.utf8.firstIndex(of: UInt8(ascii: "@")) {
            nameAndTag = text[..<at]
            digest = String(text[text.utf8.index(after: at)...])
        }
        guard let colon = nameAndTag.utf8.firstIndex(of: UInt8(ascii: ":")) else { return (String(nameAndTag), nil, digest) }
        return (String(nameAndTag[..<colon]), String(nameAndTag[nameAndTag.utf8.index(after: colon)...]), digest)
    }

    private struct ParsedReference {
        let domain: String
        let path: String
        let tag: String?
        let digest: String?

        init(domain: String, parts: (path: ArraySlice<UInt8>, tag: ArraySlice<UInt8>?, digest: ArraySlice<UInt8>?)) {
            self.domain = domain
            path = ImageReference.string(parts.path)
            tag = parts.tag.map(ImageReference.string)
            digest = parts.digest.map(ImageReference.string)
        }
    }

    /// distribution's `Parse` on `domain/remainder`: the anchored reference grammar,
    /// then the length limit and the digest check.
    private static func parseFull(_ text: String) -> Result<ParsedReference, ImageReferenceError> {
        guard let parsed = matchReference(text) else {
            if matchReference(text.lowercased()) != nil {
                return .failure(ImageReferenceError(.uppercaseRepository, message: "repository name must be lowercase"))
            }
            return .failure(ImageReferenceError(.invalidFormat, message: "invalid reference format"))
        }
        // The length of `domain/path`, or of the path alone without a domain.
        let nameLength = parsed.domain.isEmpty
            ? parsed.path.utf8.count : parsed.domain.utf8.count + 1 + parsed.path.utf8.count
        if nameLength > 255 {
            return .failure(ImageReferenceError(
                .nameTooLong, message: "repository name must not be more than 255 characters"))
        }
        if let digest = parsed.digest, let error = validateDigest(digest) {
            return .failure(error)
        }
        return .success(parsed)
    }

    /// `ReferenceRegexp`: `[domain/]path[:tag][@digest]`. Like the regular expression,
    /// it first tries the first component as the domain, then the whole name as a path.
    ///
    /// Matched on one copy of the bytes, slices of it all the way down: a String per
    /// part and an array per path component cost more than the grammar itself, for
    /// every FROM of every file.
    private static func matchReference(_ text: String) -> ParsedReference? {
        let bytes = Array(text.utf8)
        let all = bytes[...]
        if let slash = all.firstIndex(of: UInt8(ascii: "/")), isDomainAndPort(all[..<slash]) {
            let parts = splitRemainder(bytes: all[(slash + 1)...])
            if isValid(parts) {
                return ParsedReference(domain: string(all[..<slash]), parts: parts)
            }
        }
        let parts = splitRemainder(bytes: all)
        guard isValid(parts) else { return nil }
        return ParsedReference(domain: "", parts: parts)
    }

    /// ``splitRemainder(_:)`` on bytes.
    private static func splitRemainder(
        bytes text: ArraySlice<UInt8>
    ) -> (path: ArraySlice<UInt8>, tag: ArraySlice<UInt8>?, digest: ArraySlice<UInt8>?) {
        var nameAndTag = text
        var digest: ArraySlice<UInt8>?
        if let at = text.firstIndex(of: UInt8(ascii: "@")) {
            nameAndTag = text[..<at]
            digest = text[(at + 1)...]
        }
        guard let colon = nameAndTag.firstIndex(of: UInt8(ascii: ":")) else { return (nameAndTag, nil, digest) }
        return (nameAndTag[..<colon], nameAndTag[(colon + 1)...], digest)
    }

    private static func isValid(
        _ parts: (path: ArraySlice<UInt8>, tag: ArraySlice<UInt8>?, digest: ArraySlice<UInt8>?)
    ) -> Bool {
        var componentStart = parts.path.startIndex
        for index in parts.path.indices where parts.path[index] == UInt8(ascii: "/") {
            guard isPathComponent(parts.path[componentStart..<index]) else { return false }
            componentStart = index + 1
        }
        guard isPathComponent(parts.path[componentStart...]) else { return false }
        if let tag = parts.tag, !isTag(tag) { return false }
        if let digest = parts.digest, !isDigestPattern(digest) { return false }
        return true
    }

    private static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Grammar

    /// `alpha-numeric (separator alpha-numeric)*`, where alpha-numeric is `[a-z0-9]+`
    /// and a separator is `.`, `_`, `__` or a run of `-`.
    private static func isPathComponent(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        let end = bytes.endIndex
        func skipAlphanumerics() -> Bool {
            let start = index
            while index < end && isLowerAlphanumeric(bytes[index]) { index += 1 }
            return index > start
        }
        guard skipAlphanumerics() else { return false }
        while index < end {
            switch bytes[index] {
            case UInt8(ascii: "."):
                index += 1
            case UInt8(ascii: "_"):
                index += 1
                if index < end && bytes[index] == UInt8(ascii: "_") { index += 1 }
            case UInt8(ascii: "-"):
                while index < end && bytes[index] == UInt8(ascii: "-") { index += 1 }
            default:
                return false
            }
            guard skipAlphanumerics() else { return false }
        }
        return true
    }

    /// `[\w][\w.-]{0,127}`.
    private static func isTag(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, isWordCharacter(first), bytes.count <= 128 else { return false }
        return bytes.dropFirst().allSatisfy {
            isWordCharacter($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
        }
    }

    /// `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[[:xdigit:]]{32,}`.
    private static func isDigestPattern(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let encoded = bytes[(colon + 1)...]
        guard encoded.count >= 32, encoded.allSatisfy(isHexDigit) else { return false }
        let algorithm = bytes[..<colon]
        // Each component starts with a letter; an empty algorithm or a trailing
        // separator leaves a component expected.
        var expectsComponent = true
        for byte in algorithm {
            if expectsComponent {
                guard GoText.isASCIILetter(byte) else { return false }
                expectsComponent = false
            } else if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: ".") {
                expectsComponent = true
            } else if !(GoText.isASCIILetter(byte) || GoText.isASCIIDigit(byte)) {
                return false
            }
        }
        return !expectsComponent
    }

    /// `host [':' port]`, where host is a domain name (`[a-zA-Z0-9]` components with
    /// inner `-`, joined by `.`) or a bracketed IPv6 address.
    private static func isDomainAndPort(_ bytes: ArraySlice<UInt8>) -> Bool {
        let start = bytes.startIndex
        var hostEnd = bytes.endIndex
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")), close > start + 1 else { return false }
            let inner = bytes[(start + 1)..<close]
            guard inner.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") }) else { return false }
            hostEnd = close + 1
        } else {
            hostEnd = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
            var componentStart = start
            for index in start..<hostEnd where bytes[index] == UInt8(ascii: ".") {
                guard isDomainComponent(bytes[componentStart..<index]) else { return false }
                componentStart = index + 1
            }
            guard isDomainComponent(bytes[componentStart..<hostEnd]) else { return false }
        }
        if hostEnd == bytes.endIndex { return true }
        guard bytes[hostEnd] == UInt8(ascii: ":") else { return false }
        let port = bytes[(hostEnd + 1)...]
        return !port.isEmpty && port.allSatisfy(GoText.isASCIIDigit)
    }

    /// `[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]`.
    private static func isDomainComponent(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        func isAlphanumeric(_ byte: UInt8) -> Bool { GoText.isASCIILetter(byte) || GoText.isASCIIDigit(byte) }
        return isAlphanumeric(first) && isAlphanumeric(last)
            && bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// go-digest's `Digest.Validate`: a known algorithm with a lower-case hex value of
    /// its exact length.
    private static func validateDigest(_ digest: String) -> ImageReferenceError? {
        let bytes = Array(digest.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else {
            return ImageReferenceError(.invalidDigestFormat, message: "invalid checksum digest format")
        }
        let algorithm = String(decoding: bytes[..<colon], as: UTF8.self)
        let encoded = bytes[(colon + 1)...]
        let lengths = ["sha256": 64, "sha384": 96, "sha512": 128]
        guard let length = lengths[algorithm] else {
            if isKnownDigestShape(bytes, colon: colon) {
                return ImageReferenceError(.unsupportedDigestAlgorithm, message: "unsupported digest algorithm")
            }
            return ImageReferenceError(.invalidDigestFormat, message: "invalid checksum digest format")
        }
        if encoded.count != length {
            return ImageReferenceError(.invalidDigestLength, message: "invalid checksum digest length")
        }
        if !encoded.allSatisfy(isLowercaseHexDigit) {
            return ImageReferenceError(.invalidDigestFormat, message: "invalid checksum digest format")
        }
        return nil
    }

    /// go-digest's `DigestRegexp`: `[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+`.
    private static func isKnownDigestShape(_ bytes: [UInt8], colon: Int) -> Bool {
        let algorithm = bytes[..<colon]
        let components = algorithm.split(omittingEmptySubsequences: false) {
            $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
        guard components.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isLowerAlphanumeric) }) else { return false }
        let encoded = bytes[(colon + 1)...]
        return !encoded.isEmpty && encoded.allSatisfy {
            GoText.isASCIILetter($0) || GoText.isASCIIDigit($0) || $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "_")
                || $0 == UInt8(ascii: "-")
        }
    }

    // MARK: - Character classes

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || GoText.isASCIIDigit(byte)
    }

    private static func isWordCharacter(_ byte: UInt8) -> Bool {
        GoText.isASCIILetter(byte) || GoText.isASCIIDigit(byte) || byte == UInt8(ascii: "_")
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        GoText.isASCIIDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }

    private static func isLowercaseHexDigit(_ byte: UInt8) -> Bool {
        GoText.isASCIIDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
    }
}
