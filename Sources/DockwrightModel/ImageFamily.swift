import DockwrightSyntax

/// What a base image is known to ship, for fixes that depend on its tools: the shell
/// behind `SHELL`, GNU or BusyBox `wget`.
public enum ImageFamily: Sendable {
    /// Debian, Ubuntu, RHEL-family images and the official images built on them: bash,
    /// and GNU tools when installed.
    case gnu
    /// Alpine and its `-alpine` variants, and busybox: BusyBox `ash` and applets.
    case alpine

    /// The family of the image a stage is built from (through base stages), or nil
    /// when unknown (variables, distroless, Windows, images we do not know).
    static func of(stageIndex: Int, in stages: StageGraph) -> ImageFamily? {
        guard let image = stages.rootStage(of: stageIndex)?.baseImage else { return nil }
        return of(image)
    }

    /// The family of an image reference, or nil when unknown.
    public static func of(_ image: ImageReference) -> ImageFamily? {
        guard image.isValid, !image.isScratch else { return nil }
        let name = image.path.split(separator: "/").last.map(String.init) ?? image.path
        let tag = (image.tag ?? "").lowercased()
        guard image.domain == ImageReference.defaultDomain, image.isOfficialImage else { return nil }
        if name == "alpine" || name == "busybox" || tag.containsBytes(of: "alpine") { return .alpine }
        let unknownVariants = ["distroless", "nanoserver", "windowsservercore", "servercore", "busybox", "minimal",
                               "static", "chiseled", "musl"]
        if unknownVariants.contains(where: { tag.containsBytes(of: $0) }) { return nil }
        return gnuImages.contains(name) ? .gnu : nil
    }

    /// Official images whose non-alpine variants are Debian, Ubuntu or RHEL-family.
    public static let gnuImages: Set<String> = [
        "debian", "ubuntu", "fedora", "centos", "rockylinux", "almalinux", "amazonlinux", "oraclelinux",
        "buildpack-deps", "python", "node", "golang", "ruby", "php", "perl", "rust", "openjdk", "eclipse-temurin",
        "amazoncorretto", "maven", "gradle", "elixir", "erlang", "haskell", "julia", "r-base", "swift", "gcc",
        "clojure", "groovy", "pypy", "nginx", "httpd", "postgres", "mysql", "mariadb", "redis", "mongo",
        "sapmachine", "ibmjava",
    ]
}
