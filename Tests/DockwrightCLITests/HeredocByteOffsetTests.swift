import DockwrightCLI
import Testing

/// Positions inside heredoc bodies map through source offsets: invalid UTF-8 in a
/// body (which decoding would widen to three bytes per byte) moves no finding and
/// no fix (issue 11, item 2).
@Suite struct HeredocByteOffsetTests {
    private let input = Array("FROM debian:12-slim\nRUN <<EOF\necho ".utf8) + [0xFF, 0xFF, 0xFF, 0xFF]
        + Array("\napt-get install -y curl\nEOF\n".utf8)

    @Test func findingsAfterInvalidBytesInABodyKeepTheirPlace() {
        let result = runToolBytes(["lint", "-f", "gnu", "--select", "DL3008,DL3015", "-"], standardInput: input)
        let report = String(decoding: result.output, as: UTF8.self)
        #expect(report.contains("<stdin>:4.1-4.16: note: `apt-get install` also installs recommended packages"))
        #expect(report.contains("<stdin>:4.20-4.24: warning: `curl` is installed without a version"))
    }

    @Test func fixesAfterInvalidBytesInABodyEditTheRightBytes() {
        let result = runToolBytes(["fix", "--unsafe", "--select", "DL3015", "-"], standardInput: input)
        #expect(result.output == Array("FROM debian:12-slim\nRUN <<EOF\necho ".utf8) + [0xFF, 0xFF, 0xFF, 0xFF]
            + Array("\napt-get install --no-install-recommends -y curl\nEOF\n".utf8))
    }

    @Test func aHeredocInAShellFormRunMapsTheSameWay() {
        let shellForm = Array("FROM debian:12-slim\nRUN cat <<EOF > /x && apt-get install -y curl\n".utf8) + [0xFE, 0xFE]
            + Array("\nEOF\n".utf8)
        let result = runToolBytes(["lint", "-f", "gnu", "--select", "DL3008", "-"], standardInput: shellForm)
        #expect(String(decoding: result.output, as: UTF8.self).contains("<stdin>:2.42-2.46: warning: `curl`"))
    }
}
