@testable import DockwrightShell
import Testing

/// The byte-level fast paths for ASCII words give the answers the Character-level
/// reading gives; a word that is not ASCII takes the Character path, with the same shape
/// of answer.
@Suite struct ASCIIFastPathTests {
    @Test func pathNormalizationResolvesDotsAndSlashesWhetherOrNotThePathIsASCII() {
        #expect(ImagePath.normalizedPath("/a//b/./c/../d/") == "/a/b/d")
        #expect(ImagePath.normalizedPath("/../../x") == "/x")
        #expect(ImagePath.relativeNormalizedPath("a/..") == "")
        #expect(ImagePath.relativeNormalizedPath("") == "")
        #expect(ImagePath.relativeNormalizedPath("./.../x") == ".../x")
        #expect(ImagePath.normalizedPath("/é//b/./c/../d/") == "/é/b/d")
        #expect(ImagePath.absolute("/opt").appending("../srv/./app") == .absolute("/srv/app"))
    }

    @Test func aFlagStartsWithADashAndIsNotANumber() {
        #expect(CommandView.isFlag("-v"))
        #expect(CommandView.isFlag("--target=dir"))
        #expect(!CommandView.isFlag("-"))
        #expect(!CommandView.isFlag("-12"))
        #expect(!CommandView.isFlag("-1.5"))
        #expect(!CommandView.isFlag("x-y"))
        #expect(CommandView.isFlag("-é"))
        // A dash with a combining accent is one Character, not a dash and a flag name.
        #expect(!CommandView.isFlag("-\u{301}"))
    }

    @Test func anEqualsSignSplitsALongFlagFromItsValueInAnyText() {
        #expect(ProgramSpec.pip.scanner.positions(of: ["--target=/t", "--target=/é"]) == [
            .flag(name: "--target", value: .attached("/t"), wordIndex: 0),
            .flag(name: "--target", value: .attached("/é"), wordIndex: 1),
        ])
    }

    @Test func localPackagesArePathsAndArchivesOfAnyCase() {
        #expect(EffectsWalker.isLocalPackage("./dist/app", pip: false))
        #expect(EffectsWalker.isLocalPackage("tool_1.0_amd64.DEB", pip: false))
        #expect(EffectsWalker.isLocalPackage("paquet-é.whl", pip: true))
        #expect(!EffectsWalker.isLocalPackage("https://example.com/tool.deb", pip: false))
        #expect(!EffectsWalker.isLocalPackage("git+https://example.com/repo", pip: true))
        #expect(!EffectsWalker.isLocalPackage("requests", pip: true))
        #expect(EffectsWalker.isLocalPackage("vendor/pkg", pip: true))
        #expect(!EffectsWalker.isLocalPackage("vendor/pkg", pip: false))
    }

    @Test func pathLikeArgumentsHaveASlashOrADotButNoURLOrAssignment() {
        #expect(EffectsWalker.looksLikePath("build/out", startsWithExpansion: false))
        #expect(EffectsWalker.looksLikePath("..", startsWithExpansion: false))
        #expect(EffectsWalker.looksLikePath("~", startsWithExpansion: false))
        #expect(!EffectsWalker.looksLikePath("", startsWithExpansion: false))
        #expect(!EffectsWalker.looksLikePath("host:8080/x", startsWithExpansion: false))
        #expect(EffectsWalker.looksLikePath("host:8080/x", startsWithExpansion: true))
        #expect(!EffectsWalker.looksLikePath("key=a/b", startsWithExpansion: false))
        #expect(!EffectsWalker.looksLikePath("@scope/pkg", startsWithExpansion: false))
        #expect(!EffectsWalker.looksLikePath("s3://bucket/key", startsWithExpansion: false))
        #expect(EffectsWalker.looksLikePath("données/x", startsWithExpansion: false))
    }
}
