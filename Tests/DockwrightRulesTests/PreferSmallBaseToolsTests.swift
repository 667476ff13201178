import DockwrightCore
import DockwrightRules
import Testing

/// DW003 only moves a final image to a smaller base its RUNs still work on: the tools the
/// full variant had are installed by the rewrite, and stages that need what slim or musl
/// cannot give keep their base.
@Suite struct PreferSmallBaseToolsTests {
    static let rule = RuleCase(rule: PreferSmallBaseRule.self)
    static let aptPrefix = "apt-get update && apt-get install -y --no-install-recommends "
    static let aptSuffix = " && rm -rf /var/lib/apt/lists/* && "

    @Test func downloadersTheFullImageHadAreInstalledOnSlim() throws {
        let before = "FROM openjdk:8\nRUN wget -q -O /tmp/a.tgz https://example.com/a.tgz && curl -fsSLO https://example.com/b\n"
        let after = "FROM openjdk:8-slim\nRUN \(Self.aptPrefix)ca-certificates curl wget\(Self.aptSuffix)"
            + "wget -q -O /tmp/a.tgz https://example.com/a.tgz && curl -fsSLO https://example.com/b\n"
        #expect(Self.rule.fixed(before, level: .unsafe) == after)
        let message = try #require(Self.rule.diagnostics(before).first).message
        #expect(message.contains("install `ca-certificates`, `curl` and `wget`"))
        // The twin that calls nothing slim lacks keeps the plain tag rewrite.
        let plain = "FROM openjdk:8\nRUN java -version\n"
        #expect(Self.rule.fixed(plain, level: .unsafe) == "FROM openjdk:8-slim\nRUN java -version\n")
    }

    @Test func aPipedDownloadOnASuiteTagInstallsCurl() {
        let before = "FROM openjdk:17-bullseye\nRUN curl -fsSL https://example.com/x.tgz | tar -xz -C /opt\n"
        let after = "FROM openjdk:17-slim-bullseye\nRUN \(Self.aptPrefix)ca-certificates curl\(Self.aptSuffix)"
            + "curl -fsSL https://example.com/x.tgz | tar -xz -C /opt\n"
        #expect(Self.rule.fixed(before, level: .unsafe) == after)
    }

    @Test func toolsTheStageInstallsItselfNeedNothing() {
        let before = "FROM python:3.12\nRUN apt-get update && apt-get install -y curl && curl -fsSLO https://example.com/x\n"
        #expect(Self.rule.fixed(before, level: .unsafe) == before.replacingFirst("python:3.12", with: "python:3.12-slim"))
        // python's own interpreter is on every variant.
        let python = "FROM python:3.12\nRUN python3 -m compileall /app\n"
        #expect(Self.rule.fixed(python, level: .unsafe) == python.replacingFirst("python:3.12", with: "python:3.12-slim"))
    }

    @Test func javaPackagesNeedTheManFoldersSlimDeletes() {
        #expect(Self.rule.diagnostics("FROM debian:buster\nRUN apt-get update && apt-get install -y openjdk-11-jre-headless\n").isEmpty)
        #expect(Self.rule.diagnostics("FROM node:20\nRUN apt-get update && apt-get install -y default-jre postgresql-client\n").isEmpty)
        let twin = "FROM debian:buster\nRUN apt-get update && apt-get install -y libpq5\n"
        #expect(Self.rule.fixed(twin, level: .unsafe) == twin.replacingFirst("debian:buster", with: "debian:buster-slim"))
    }

    @Test func languageInstallsThatMayCompileKeepTheFullImage() {
        // npm, pip and bundle may build native extensions with the full image's compilers
        // and headers; which ones is not in the Dockerfile.
        #expect(Self.rule.diagnostics("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n").isEmpty)
        #expect(Self.rule.diagnostics("FROM python:3.9\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n").isEmpty)
        #expect(Self.rule.diagnostics("FROM ruby:3.3\nCOPY Gemfile* ./\nRUN bundle install\n").isEmpty)
        #expect(Self.rule.diagnostics("FROM node:20\nONBUILD RUN npm install\n").isEmpty)
        // Twins: installs that cannot compile, or that bring their own compiler.
        let scripts = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci --ignore-scripts\n"
        #expect(Self.rule.fixed(scripts, level: .unsafe) == scripts.replacingFirst("node:20", with: "node:20-slim"))
        let own = "FROM python:3.9\nRUN apt-get update && apt-get install -y gcc && pip install -r requirements.txt\n"
        #expect(Self.rule.fixed(own, level: .unsafe) == own.replacingFirst("python:3.9", with: "python:3.9-slim"))
        // rust's slim variant keeps gcc.
        let cargo = "FROM rust:1.79\nRUN cargo install ripgrep\n"
        #expect(Self.rule.fixed(cargo, level: .unsafe) == cargo.replacingFirst("rust:1.79", with: "rust:1.79-slim"))
    }

    @Test func scriptsWhoseProgramsCannotBeReadKeepTheFullImage() {
        #expect(Self.rule.diagnostics("FROM ruby:3.3\nCOPY setup.sh /tmp/\nRUN bash /tmp/setup.sh\n").isEmpty)
        #expect(Self.rule.diagnostics("FROM python:3.12\nCOPY . .\nRUN ./install.sh\n").isEmpty)
        // `sh -c` is read like any script; debian's slim lacks no program.
        let inline = "FROM python:3.12\nRUN sh -c 'echo ok'\n"
        #expect(Self.rule.fixed(inline, level: .unsafe) == inline.replacingFirst("python:3.12", with: "python:3.12-slim"))
        let debian = "FROM debian:12\nCOPY setup.sh /tmp/\nRUN bash /tmp/setup.sh\n"
        #expect(Self.rule.fixed(debian, level: .unsafe) == debian.replacingFirst("debian:12", with: "debian:12-slim"))
    }

    @Test func nativeBuildsNeverMoveToMusl() {
        // Compilers the full image had are installed on slim.
        let native = "FROM node:lts-bookworm\nRUN make -C native && g++ -o tool tool.cc\n"
        let fixed = "FROM node:lts-bookworm-slim\nRUN \(Self.aptPrefix)g++ make\(Self.aptSuffix)"
            + "make -C native && g++ -o tool tool.cc\n"
        #expect(Self.rule.fixed(native, level: .unsafe) == fixed)
        // A shared library copied in is native code too.
        let library = "FROM node:20\nCOPY libaddon.so.1 /usr/lib/\n"
        #expect(Self.rule.fixed(library, level: .unsafe) == library.replacingFirst("node:20", with: "node:20-slim"))
        // go build without a slim variant to fall back to: not reported.
        #expect(Self.rule.diagnostics("FROM golang:1.22\nRUN go build -o /app .\n").isEmpty)
        // The twin without native code still moves to alpine.
        let plain = "FROM node:20\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n"
        #expect(Self.rule.fixed(plain, level: .unsafe) == plain.replacingFirst("node:20", with: "node:20-alpine"))
    }

    @Test func alpineGetsTheDebianToolsItLacks() {
        let before = "FROM node:20\nRUN groupadd -r app && useradd -r -g app app\n"
        let after = "FROM node:20-alpine\nRUN apk add --no-cache shadow && groupadd -r app && useradd -r -g app app\n"
        #expect(Self.rule.fixed(before, level: .unsafe) == after)
        // BusyBox has ps and unzip: nothing to install.
        let busyBox = "FROM node:20\nRUN ps && unzip -l /a.zip\n"
        #expect(Self.rule.fixed(busyBox, level: .unsafe) == busyBox.replacingFirst("node:20", with: "node:20-alpine"))
        // A bash SHELL keeps Debian.
        let bash = "FROM node:20\nSHELL [\"/bin/bash\", \"-c\"]\nRUN echo ok\n"
        #expect(Self.rule.fixed(bash, level: .unsafe) == bash.replacingFirst("node:20", with: "node:20-slim"))
    }

    @Test func noRunAsRootToInstallInMeansNoFinding() {
        #expect(Self.rule.diagnostics("FROM python:3.12\nUSER app\nRUN curl -fsSLO https://example.com/x\n").isEmpty)
        #expect(Self.rule.diagnostics("FROM python:3.12\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n").isEmpty)
        // With a RUN before it, the health check's curl is installed there.
        let twin = "FROM python:3.12\nRUN mkdir /app\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n"
        let fixed = "FROM python:3.12-slim\nRUN \(Self.aptPrefix)ca-certificates curl\(Self.aptSuffix)"
            + "mkdir /app\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n"
        #expect(Self.rule.fixed(twin, level: .unsafe) == fixed)
    }

    @Test func tagsTheImageNeverPublishedAreNotSuggested() {
        // node has alpine tags from 6 on, golang from 1.6: older versions get slim or nothing.
        let node = "FROM node:4.1.1\nCMD [\"node\", \"app.js\"]\n"
        #expect(Self.rule.fixed(node, level: .unsafe) == node.replacingFirst("node:4.1.1", with: "node:4.1.1-slim"))
        #expect(Self.rule.diagnostics("FROM golang:1.4\nCMD [\"/app\"]\n").isEmpty)
        let golang = "FROM golang:1.6\nCMD [\"/app\"]\n"
        #expect(Self.rule.fixed(golang, level: .unsafe) == golang.replacingFirst("golang:1.6", with: "golang:1.6-alpine"))
        let floating = "FROM golang:1\nCMD [\"/app\"]\n"
        #expect(Self.rule.fixed(floating, level: .unsafe) == floating.replacingFirst("golang:1", with: "golang:1-alpine"))
    }
}
