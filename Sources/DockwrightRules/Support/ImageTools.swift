/// What the full variant of an official image ships that its slim or alpine sibling lacks,
/// kept as reviewed data so ``PreferSmallBaseRule`` (DW003) only suggests a smaller base a
/// stage can still build on, or installs what the stage calls.
///
/// Each layer is copied from the Dockerfile that builds it (the URL above it); a program is
/// listed with the Debian package (and the Alpine package) that provides it. Programs a
/// layer installs only to remove them again (the `savedAptMark` pattern of the slim
/// variants) are not listed: the published image does not have them.
struct ImageTool: Hashable, Sendable {
    /// The program as a RUN calls it.
    let program: String
    /// The Debian package that installs it.
    let debianPackage: String
    /// The Alpine package that installs it, or nil when the alpine variant has no
    /// replacement worth suggesting (a compiler: such stages never move to musl).
    let alpinePackage: String?
    /// Whether BusyBox, which every alpine variant has, already provides the program.
    let inBusyBox: Bool

    init(_ program: String, debian: String, alpine: String? = nil, busyBox: Bool = false) {
        self.program = program
        self.debianPackage = debian
        self.alpinePackage = alpine
        self.inBusyBox = busyBox
    }
}

enum ImageTools {
    /// buildpack-deps `<suite>-curl`, the base of every full variant.
    /// https://github.com/docker-library/buildpack-deps/blob/master/debian/bookworm/curl/Dockerfile
    static let buildpackCurl: [ImageTool] = [
        ImageTool("curl", debian: "curl", alpine: "curl"),
        // BusyBox wget lacks most GNU options (`--progress`, `--no-verbose`...): GNU wget is installed.
        ImageTool("wget", debian: "wget", alpine: "wget"),
        ImageTool("gpg", debian: "gnupg", alpine: "gnupg"),
        ImageTool("gpg-agent", debian: "gnupg", alpine: "gnupg"),
        ImageTool("gpgconf", debian: "gnupg", alpine: "gnupg"),
        ImageTool("dirmngr", debian: "dirmngr", alpine: "gnupg"),
    ]

    /// buildpack-deps `<suite>-scm`, on top of `-curl`.
    /// https://github.com/docker-library/buildpack-deps/blob/master/debian/bookworm/scm/Dockerfile
    static let buildpackSCM: [ImageTool] = [
        ImageTool("git", debian: "git", alpine: "git"),
        ImageTool("hg", debian: "mercurial", alpine: "mercurial"),
        ImageTool("svn", debian: "subversion", alpine: "subversion"),
        ImageTool("ssh", debian: "openssh-client", alpine: "openssh-client"),
        ImageTool("scp", debian: "openssh-client", alpine: "openssh-client"),
        ImageTool("sftp", debian: "openssh-client", alpine: "openssh-client"),
        ImageTool("ssh-keygen", debian: "openssh-client", alpine: "openssh-keygen"),
        ImageTool("ssh-keyscan", debian: "openssh-client", alpine: "openssh-client"),
        ImageTool("ssh-agent", debian: "openssh-client", alpine: "openssh-client"),
        ImageTool("ssh-add", debian: "openssh-client", alpine: "openssh-client"),
        ImageTool("ps", debian: "procps", busyBox: true),
        ImageTool("pgrep", debian: "procps", busyBox: true),
        ImageTool("pkill", debian: "procps", busyBox: true),
        ImageTool("top", debian: "procps", busyBox: true),
        ImageTool("free", debian: "procps", busyBox: true),
        ImageTool("watch", debian: "procps", busyBox: true),
        ImageTool("uptime", debian: "procps", busyBox: true),
        ImageTool("vmstat", debian: "procps", alpine: "procps"),
        ImageTool("sysctl", debian: "procps", busyBox: true),
    ]

    /// buildpack-deps `<suite>`, on top of `-scm`: compilers, build tools and headers.
    /// https://github.com/docker-library/buildpack-deps/blob/master/debian/bookworm/Dockerfile
    static let buildpackFull: [ImageTool] = [
        ImageTool("gcc", debian: "gcc"),
        ImageTool("cc", debian: "gcc"),
        ImageTool("cpp", debian: "cpp"),
        ImageTool("g++", debian: "g++"),
        ImageTool("c++", debian: "g++"),
        ImageTool("make", debian: "make"),
        ImageTool("autoconf", debian: "autoconf"),
        ImageTool("autoreconf", debian: "autoconf"),
        ImageTool("autoheader", debian: "autoconf"),
        ImageTool("automake", debian: "automake"),
        ImageTool("aclocal", debian: "automake"),
        ImageTool("libtool", debian: "libtool"),
        ImageTool("libtoolize", debian: "libtool"),
        ImageTool("pkg-config", debian: "pkg-config"),
        ImageTool("dpkg-architecture", debian: "dpkg-dev"),
        ImageTool("dpkg-buildpackage", debian: "dpkg-dev"),
        ImageTool("dpkg-source", debian: "dpkg-dev"),
        ImageTool("patch", debian: "patch", busyBox: true),
        ImageTool("file", debian: "file", alpine: "file"),
        ImageTool("unzip", debian: "unzip", busyBox: true),
        ImageTool("xz", debian: "xz-utils", alpine: "xz"),
        ImageTool("unxz", debian: "xz-utils", busyBox: true),
        ImageTool("xzcat", debian: "xz-utils", busyBox: true),
        ImageTool("bzip2", debian: "bzip2", busyBox: true),
        ImageTool("bunzip2", debian: "bzip2", busyBox: true),
        ImageTool("bzcat", debian: "bzip2", busyBox: true),
        ImageTool("convert", debian: "imagemagick", alpine: "imagemagick"),
        ImageTool("identify", debian: "imagemagick", alpine: "imagemagick"),
        ImageTool("mogrify", debian: "imagemagick", alpine: "imagemagick"),
        ImageTool("mysql_config", debian: "default-libmysqlclient-dev"),
        ImageTool("mariadb_config", debian: "default-libmysqlclient-dev"),
        ImageTool("pg_config", debian: "libpq-dev"),
        ImageTool("curl-config", debian: "libcurl4-openssl-dev"),
        ImageTool("xml2-config", debian: "libxml2-dev"),
        ImageTool("xslt-config", debian: "libxslt1-dev"),
        // libglib2.0-dev depends on libglib2.0-dev-bin, whose tools are Python: python3 comes with it,
        // and node-gyp finds it there.
        ImageTool("python3", debian: "python3", alpine: "python3"),
        // dpkg-dev depends on the full perl; slim keeps perl-base, which has /usr/bin/perl, so only
        // alpine lacks it.
    ]

    /// openjdk's full variants add archivers to the buildpack-deps layer they start from
    /// (`-scm` for jdk, `-curl` for jre).
    /// https://github.com/docker-library/openjdk/blob/837d7bc624f7e0fbedd9020a6e0da089601ea745/8/jdk/buster/Dockerfile
    static let openjdkArchivers: [ImageTool] = [
        ImageTool("unzip", debian: "unzip", busyBox: true),
        ImageTool("xz", debian: "xz-utils", alpine: "xz"),
        ImageTool("unxz", debian: "xz-utils", busyBox: true),
        ImageTool("bzip2", debian: "bzip2", busyBox: true),
        ImageTool("bunzip2", debian: "bzip2", busyBox: true),
    ]

    /// golang's full variant adds a C toolchain to buildpack-deps `-scm` (for cgo).
    /// https://github.com/docker-library/golang/blob/master/1.23/bookworm/Dockerfile
    static let golangToolchain: [ImageTool] = [
        ImageTool("gcc", debian: "gcc"),
        ImageTool("cc", debian: "gcc"),
        ImageTool("g++", debian: "g++"),
        ImageTool("c++", debian: "g++"),
        ImageTool("make", debian: "make"),
        ImageTool("pkg-config", debian: "pkg-config"),
    ]

    /// eclipse-temurin's Ubuntu variants keep curl, wget and gnupg; its alpine variants keep
    /// gnupg and coreutils but neither curl nor GNU wget.
    /// https://github.com/adoptium/containers/blob/main/21/jdk/ubuntu/noble/Dockerfile
    /// https://github.com/adoptium/containers/blob/main/21/jdk/alpine/3.22/Dockerfile
    static let temurinUbuntu: [ImageTool] = [
        ImageTool("curl", debian: "curl", alpine: "curl"),
        ImageTool("wget", debian: "wget", alpine: "wget"),
    ]

    /// What every Debian or Ubuntu image has and Alpine's BusyBox does not: bash and the
    /// shadow tools (BusyBox has `adduser`/`addgroup`, not `useradd`/`groupadd`).
    /// https://git.alpinelinux.org/aports/tree/main/busybox/busyboxconfig
    static let debianBase: [ImageTool] = [
        ImageTool("bash", debian: "bash", alpine: "bash"),
        ImageTool("useradd", debian: "passwd", alpine: "shadow"),
        ImageTool("groupadd", debian: "passwd", alpine: "shadow"),
        ImageTool("usermod", debian: "passwd", alpine: "shadow"),
        ImageTool("userdel", debian: "passwd", alpine: "shadow"),
        ImageTool("groupmod", debian: "passwd", alpine: "shadow"),
        ImageTool("groupdel", debian: "passwd", alpine: "shadow"),
        ImageTool("perl", debian: "perl-base", alpine: "perl"),
    ]

    /// The tools of each image's full variant that its slim variant lacks, by repository.
    /// Images missing here (debian, php, nginx, httpd: built on Debian without extra tools)
    /// lack nothing on slim.
    static let lackingOnSlim: [String: [ImageTool]] = [
        // https://github.com/docker-library/python/blob/master/3.12/bookworm/Dockerfile (FROM buildpack-deps:bookworm)
        "python": buildpackCurl + buildpackSCM + buildpackFull,
        // https://github.com/docker-library/pypy/blob/master/3.10/bookworm/Dockerfile (FROM buildpack-deps:bookworm)
        "pypy": buildpackCurl + buildpackSCM + buildpackFull,
        // https://github.com/docker-library/node/blob/main/22/bookworm/Dockerfile (FROM buildpack-deps:bookworm)
        "node": buildpackCurl + buildpackSCM + buildpackFull,
        // https://github.com/docker-library/ruby/blob/master/3.3/bookworm/Dockerfile (FROM buildpack-deps:bookworm)
        "ruby": buildpackCurl + buildpackSCM + buildpackFull,
        // https://github.com/Perl/docker-perl/blob/master/5.040.000-main-bookworm/Dockerfile (FROM buildpack-deps:bookworm)
        "perl": buildpackCurl + buildpackSCM + buildpackFull,
        // https://github.com/rust-lang/docker-rust/blob/master/stable/bookworm/Dockerfile (FROM buildpack-deps:bookworm)
        "rust": buildpackCurl + buildpackSCM + buildpackFull,
        // https://github.com/erlef/docker-erlang/blob/master/27/Dockerfile (FROM buildpack-deps:bookworm)
        "erlang": buildpackCurl + buildpackSCM + buildpackFull,
        // jdk variants start from buildpack-deps:<suite>-scm, jre from -curl; the jdk list covers both.
        "openjdk": buildpackCurl + buildpackSCM + openjdkArchivers,
    ]

    /// Programs of the listed layers that an image's own smaller variants still have: the
    /// python images install their own `python3` into /usr/local/bin on every variant.
    /// (The rule also skips these when it asks whether native builds find a compiler.)
    static let keptByImage: [String: Set<String>] = [
        "python": ["python3"],
        // rust's slim variants keep gcc and libc6-dev: rustc links with cc.
        // https://github.com/rust-lang/docker-rust/blob/master/stable/bookworm/slim/Dockerfile
        "rust": ["gcc", "cc"],
    ]

    /// The tools of each image's full variant that its alpine variant lacks, by repository.
    static let lackingOnAlpine: [String: [ImageTool]] = [
        "python": debianBase + buildpackCurl + buildpackSCM + buildpackFull,
        "node": debianBase + buildpackCurl + buildpackSCM + buildpackFull,
        "ruby": debianBase + buildpackCurl + buildpackSCM + buildpackFull,
        "rust": debianBase + buildpackCurl + buildpackSCM + buildpackFull,
        "erlang": debianBase + buildpackCurl + buildpackSCM + buildpackFull,
        // https://github.com/docker-library/golang/blob/master/1.23/bookworm/Dockerfile (FROM buildpack-deps:bookworm-scm)
        "golang": debianBase + buildpackCurl + buildpackSCM + golangToolchain,
        // php, nginx and httpd build on debian:<suite>-slim; their alpine variants keep curl
        // (php) or are checked for the Debian base only.
        // https://github.com/docker-library/php/blob/master/8.3/bookworm/cli/Dockerfile
        "php": debianBase,
        "nginx": debianBase,
        "httpd": debianBase,
        "eclipse-temurin": debianBase + temurinUbuntu,
    ]

    /// Debian packages whose maintainer scripts write to `/usr/share/man/man1`, which the
    /// slim variants delete (`path-exclude` in dpkg's config): installing them on
    /// `debian:<suite>-slim` fails with "error creating symbolic link
    /// '/usr/share/man/man1/…'". Matched by prefix.
    /// https://github.com/debuerreotype/debuerreotype/issues/10
    /// https://bugs.debian.org/863199
    static let needManFolders: [String] = [
        "default-jre", "default-jdk", "openjdk-", "ca-certificates-java", "java-common", "postgresql-client",
        "postgresql-", "libpostgresql-jdbc-java",
    ]

    /// Every tool some smaller base lacks.
    private static var toolsSomeBaseLacks: [ImageTool] {
        Array(lackingOnSlim.values.joined()) + Array(lackingOnAlpine.values.joined())
    }

    /// Every program some smaller base lacks: the only calls ``PreferSmallBaseRule`` asks
    /// about, so it keeps those rather than every command of the stage.
    static let programsSomeBaseLacks: Set<String> = Set(toolsSomeBaseLacks.map(\.program))

    /// Debian's and Alpine's meta-packages that bring a C compiler and `make`.
    static let compilerMetaPackages: Set<String> = ["build-essential", "build-base"]

    /// Every name whose install moment ``PreferSmallBaseRule`` asks about: the programs and
    /// packages of the tools some smaller base lacks, and the compiler meta-packages.
    static let namesAskedAboutInstalling: Set<String> = Set(
        toolsSomeBaseLacks.flatMap { [$0.program, $0.debianPackage] + ($0.alpinePackage.map { [$0] } ?? []) })
        .union(compilerMetaPackages)

    /// Whether installing `package` on a Debian slim image fails for want of the man folders.
    static func needsManFolders(_ package: String) -> Bool {
        needManFolders.contains { package.hasPrefix($0) }
    }
}
