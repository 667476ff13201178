import DockwrightOutput
import Testing

@Suite struct UnifiedDiffTests {
    @Test func aChangedLineShowsWithItsContext() {
        let old = Array("a\nb\nc\nd\ne\nf\ng\nh\n".utf8)
        let new = Array("a\nb\nc\nD\ne\nf\ng\nh\n".utf8)
        #expect(UnifiedDiff.render(old: old, new: new, path: "Dockerfile") == """
            --- Dockerfile
            +++ Dockerfile
            @@ -1,7 +1,7 @@
             a
             b
             c
            -d
            +D
             e
             f
             g

            """)
    }

    @Test func insertionsDeletionsAndAMissingFinalNewline() {
        let diff = UnifiedDiff.render(old: Array("x\ny".utf8), new: Array("w\nx\n".utf8), path: "D")
        #expect(diff == "--- D\n+++ D\n@@ -1,2 +1,2 @@\n+w\n x\n-y\n\\ No newline at end of file\n")
    }

    @Test func equalInputsGiveNoDiff() {
        #expect(UnifiedDiff.render(old: Array("a\n".utf8), new: Array("a\n".utf8), path: "D").isEmpty)
    }
}
