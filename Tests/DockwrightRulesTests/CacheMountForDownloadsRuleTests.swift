import DockwrightCore
import DockwrightRules
import DockwrightSyntax
import Testing

/// DW300 against the cleanup rules: with every rule on, `fix --unsafe` reaches a fixed
/// point where the cache mounts stay and no cleanup rule asks for the cleanup back.
@Suite struct CacheMountForDownloadsRuleTests {
    private static let linter = Linter(rules: BuiltinRules.all.map { $0.init() })

    private func fixed(_ text: String) -> String {
        let result = Self.linter.fix(SourceFile(path: "Dockerfile", text: text), level: .unsafe)
        #expect(!result.didNotConverge)
        return String(decoding: result.output, as: UTF8.self)
    }

    @Test(arguments: [
        "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
        "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1 && rm -rf /var/lib/apt/lists/*\n",
        "FROM python:3.12\nRUN pip install flask==3.0.3\n",
        "FROM alpine:3.20\nRUN apk add curl=8.9.1-r0\n",
        "FROM alpine:3.20\nRUN apk update && apk add --no-cache curl=8.9.1-r0 && rm -rf /var/cache/apk/*\n",
        "FROM centos:7\nRUN yum install -y httpd-2.4.6\n",
        "FROM fedora:40\nRUN dnf install -y httpd-2.4.59 && dnf clean all\n",
        "FROM node:20\nRUN yarn install && yarn cache clean\n",
        "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /tmp/* /var/lib/apt/lists/*\n",
    ])
    func unsafeFixReachesAFixedPointWithTheCleanupRules(_ text: String) {
        let once = fixed(text)
        #expect(once.contains("--mount=type=cache"))
        #expect(fixed(once) == once)
        let remaining = Self.linter.lint(SourceFile(path: "Dockerfile", text: once)).diagnostics.map(\.code)
        for code in ["DW300", "DL3009", "DL3019", "DL3032", "DL3040", "DL3042", "DL3060"] {
            #expect(!remaining.contains(code), "\(code) still fires on \(once)")
        }
    }

    @Test func keepsTheOtherPathsOfAnRm() {
        let output = fixed("FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /tmp/* /var/lib/apt/lists/*\n")
        #expect(output.contains("rm -rf /tmp/*\n"))
        #expect(!output.contains("/var/lib/apt/lists/*"))
    }

    @Test func noFixWhenAnRmWouldRemoveTheMountPoint() {
        let text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/cache/* /var/lib/apt/lists/*\n"
        let diagnostics = Linter(rules: [CacheMountForDownloadsRule()]).lint(SourceFile(path: "Dockerfile", text: text)).diagnostics
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.fix == nil)
    }

    @Test func noAptFixWhenALaterRunInstallsFromTheListsOfThisOne() {
        let text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y wget\n"
        let diagnostics = Linter(rules: [CacheMountForDownloadsRule()]).lint(SourceFile(path: "Dockerfile", text: text)).diagnostics
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.fix == nil)
        // Its twin, where the later RUN updates for itself, gets the fix.
        let twin = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get update && apt-get install -y wget\n"
        let twinDiagnostics = Linter(rules: [CacheMountForDownloadsRule()]).lint(SourceFile(path: "Dockerfile", text: twin)).diagnostics
        #expect(twinDiagnostics.count == 2)
        #expect(twinDiagnostics.allSatisfy { $0.fix != nil })
    }
}
