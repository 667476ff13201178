import DockwrightCore
import DockwrightSyntax

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// dockwright as a docker CLI plugin: an executable named `docker-lint` in
/// `~/.docker/cli-plugins/` makes `docker lint …` run `docker-lint lint …`. docker
/// first asks `docker-lint docker-cli-plugin-metadata` for the JSON below
/// (docker/cli `cli-plugins/manager`: `SchemaVersion` "0.1.0" and `Vendor` required).
enum DockerPlugin {
    /// The plugin's file name; docker finds plugins by the `docker-` prefix.
    static let executableName = "docker-lint"
    /// The word after `docker`.
    static let commandName = "lint"
    /// What docker runs to read the metadata.
    static let metadataCommand = "docker-cli-plugin-metadata"

    /// The plugin metadata docker reads.
    static var metadata: String {
        let json = BuildKitDump.jsonString
        return """
            {"SchemaVersion": "0.1.0", "Vendor": "dockwright", "Version": \(json(ToolInfo.version)), \
            "ShortDescription": "Lint and fix Dockerfiles (dockwright)", "URL": \(json(ToolInfo.informationURI))}

            """
    }

    /// The last component of `argv[0]`.
    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    static let options: [OptionSpec] = [
        OptionSpec(names: ["--directory"], value: "DIR",
                   help: "where to put the link (default: $DOCKER_CONFIG/cli-plugins, else ~/.docker/cli-plugins)"),
        OptionSpec(names: ["--help", "-h"], value: nil, help: "show this help"),
    ]

    /// `dockwright install-docker-plugin`: links `docker-lint` to this executable.
    static func install(_ arguments: [String], output: OutputStream, errors: OutputStream) -> ExitCode {
        let parsed: ParsedArguments
        do {
            parsed = try ArgumentParser.parse(arguments, options: options, command: "install-docker-plugin")
        } catch {
            errors.write(error.message + "\n")
            return .failure
        }
        if parsed.has("--help") {
            output.write(ArgumentParser.commandHelp("install-docker-plugin [--directory DIR]", options) + """

                Links \(executableName) to this dockwright, so 'docker lint PATH' lints and
                'docker lint fix PATH' fixes. Run it again after moving dockwright.

                """)
            return .success
        }
        guard parsed.positional.isEmpty else {
            errors.write("dockwright install-docker-plugin: unexpected argument '\(parsed.positional[0])'\n")
            return .failure
        }
        guard let folder = parsed.value("--directory") ?? defaultFolder() else {
            errors.write("dockwright install-docker-plugin: neither DOCKER_CONFIG nor HOME is set; use --directory\n")
            return .failure
        }
        guard let target = executablePath() else {
            errors.write("dockwright install-docker-plugin: cannot tell where this executable is\n")
            return .failure
        }
        guard makeFolders(folder) else {
            errors.write("\(RawPath.display(folder)): cannot create the folder: \(String(cString: strerror(errno)))\n")
            return .failure
        }
        let link = folder + "/" + executableName
        if let status = RawPath.status(link, followingLinks: false) {
            // Replace an earlier link; never a file someone put there.
            guard (status.st_mode & S_IFMT) == S_IFLNK else {
                errors.write("\(RawPath.display(link)): exists and is not a link; remove it first\n")
                return .failure
            }
            RawPath.remove(link)
        }
        guard RawPath.withCString(target, { target in RawPath.withCString(link) { symlink(target, $0) } }) == 0 else {
            errors.write("\(RawPath.display(link)): cannot create the link: \(String(cString: strerror(errno)))\n")
            return .failure
        }
        output.write("Linked \(RawPath.display(link)) -> \(RawPath.display(target))\nTry: docker lint --help\n")
        return .success
    }

    private static func defaultFolder() -> String? {
        if let config = getenv("DOCKER_CONFIG").map({ String(cString: $0) }), !config.isEmpty { return config + "/cli-plugins" }
        if let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty { return home + "/.docker/cli-plugins" }
        return nil
    }

    /// `mkdir -p`.
    private static func makeFolders(_ path: String) -> Bool {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if RawPath.withCString(prefix, { mkdir($0, 0o755) }) != 0 && errno != EEXIST { return false }
        }
        return RawPath.status(path).map { ($0.st_mode & S_IFMT) == S_IFDIR } ?? false
    }

    /// The absolute path of the running executable.
    private static func executablePath() -> String? {
        #if os(Linux)
        return FileWriter.realPath("/proc/self/exe")
        #else
        var size = UInt32(PATH_MAX)
        var buffer = [CChar](repeating: 0, count: Int(size))
        guard _NSGetExecutablePath(&buffer, &size) == 0 else { return nil }
        return FileWriter.realPath(RawPath.string(buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }))
        #endif
    }
}
