import DockwrightCore
import DockwrightRules
import DockwrightSyntax
import Testing

/// The tag grammar of every image DW003 knows, which stages count as final, and when the
/// fix steps back.
@Suite struct PreferSmallBaseRuleTests {
    static let rule = RuleCase(rule: PreferSmallBaseRule.self)

    /// A final-stage base image, whether the stage uses apt, and the reference the fix writes
    /// (nil: not reported).
    struct Case: Sendable, CustomTestStringConvertible {
        let image: String
        var usesApt = false
        let expected: String?
        var testDescription: String { "\(image)\(usesApt ? " + apt" : "") → \(expected ?? "nothing")" }
    }

    static let cases: [Case] = [
        Case(image: "python:3.12", expected: "python:3.12-slim"),
        Case(image: "python:3.12.4-bookworm", expected: "python:3.12.4-slim-bookworm"),
        Case(image: "python", expected: "python:slim"),
        Case(image: "python:latest", expected: "python:slim"),
        Case(image: "python:bookworm", expected: "python:slim-bookworm"),
        Case(image: "python:3.13-rc", expected: "python:3.13-rc-slim"),
        Case(image: "python:3.12-slim", expected: nil),
        Case(image: "python:3.12-alpine3.20", expected: nil),
        Case(image: "python:3.12-windowsservercore-ltsc2022", expected: nil),
        Case(image: "node:20", expected: "node:20-alpine"),
        Case(image: "node:20", usesApt: true, expected: "node:20-slim"),
        Case(image: "node:20-bookworm", expected: "node:20-alpine"),
        Case(image: "node:20-bookworm", usesApt: true, expected: "node:20-bookworm-slim"),
        Case(image: "node:20-onbuild", expected: nil),
        Case(image: "node:iron", expected: "node:iron-alpine"),
        Case(image: "node", expected: "node:alpine"),
        Case(image: "ruby:3.3", expected: "ruby:3.3-slim"),
        Case(image: "golang:1.22", expected: "golang:1.22-alpine"),
        Case(image: "golang:1.22-bookworm", expected: "golang:1.22-alpine"),
        Case(image: "golang:1.22", usesApt: true, expected: nil),
        Case(image: "php:8.3", expected: "php:8.3-alpine"),
        Case(image: "php:8.3-fpm-bookworm", expected: "php:8.3-fpm-alpine"),
        Case(image: "php:fpm", expected: "php:fpm-alpine"),
        Case(image: "php:8.3-apache", expected: nil),
        Case(image: "perl:5.40", expected: "perl:5.40-slim"),
        Case(image: "perl:5.40-threaded-bookworm", expected: "perl:5.40-slim-threaded-bookworm"),
        Case(image: "rust:1.79", expected: "rust:1.79-slim"),
        Case(image: "openjdk:17-jdk", expected: "openjdk:17-jdk-slim"),
        Case(image: "openjdk:17-jdk-bookworm", usesApt: true, expected: "openjdk:17-jdk-slim-bookworm"),
        Case(image: "eclipse-temurin:21", expected: "eclipse-temurin:21-alpine"),
        Case(image: "eclipse-temurin:21-jre-noble", expected: "eclipse-temurin:21-jre-alpine"),
        Case(image: "eclipse-temurin:21-jre-noble", usesApt: true, expected: nil),
        Case(image: "eclipse-temurin:21-ubi9-minimal", expected: nil),
        Case(image: "debian", expected: "debian:stable-slim"),
        Case(image: "debian:12", usesApt: true, expected: "debian:12-slim"),
        Case(image: "debian:bookworm-20240612", expected: "debian:bookworm-20240612-slim"),
        Case(image: "debian:bookworm-slim", expected: nil),
        Case(image: "nginx:1.27", expected: "nginx:1.27-alpine"),
        Case(image: "nginx:stable-bookworm", expected: "nginx:stable-alpine"),
        Case(image: "nginx:1.27-perl", expected: nil),
        Case(image: "httpd:2.4", expected: "httpd:2.4-alpine"),
        Case(image: "erlang:26", expected: "erlang:26-alpine"),
        Case(image: "pypy:3.10", expected: "pypy:3.10-slim"),
        Case(image: "docker.io/library/python:3.12", expected: "docker.io/library/python:3.12-slim"),
        Case(image: "index.docker.io/library/node:20", expected: "index.docker.io/library/node:20-alpine"),
        Case(image: "ghcr.io/acme/python:3.12", expected: nil),
        Case(image: "library-mirror.example.com/python:3.12", expected: nil),
        Case(image: "ubuntu:24.04", expected: nil),
        Case(image: "scratch", expected: nil),
    ]

    @Test(arguments: cases)
    func tagsBecomeTheirSmallerVariant(_ test: Case) {
        let run = test.usesApt ? "RUN apt-get update && apt-get install -y curl\n" : "RUN echo ok\n"
        let before = "FROM \(test.image)\n\(run)"
        #expect(Self.rule.diagnostics(before).count == (test.expected == nil ? 0 : 1))
        let after = test.expected.map { "FROM \($0)\n\(run)" } ?? before
        #expect(Self.rule.fixed(before, level: .unsafe) == after)
    }

    @Test(arguments: [
        "FROM python:3.12@sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
        "ARG TAG=3.12\nFROM python:$TAG\n",
        "ARG BASE=python:3.12\nFROM ${BASE}\n",
        "FROM \"python:3.12\"\n",
    ])
    func digestsVariablesAndQuotesAreReportedWithoutAFix(_ dockerfile: String) throws {
        let diagnostic = try #require(Self.rule.diagnostics(dockerfile).first)
        #expect(diagnostic.fix == nil)
        #expect(diagnostic.message.contains("python:3.12-slim"))
    }

    @Test func onlyTheFinalStageAndItsBasesCount() {
        #expect(Self.rule.diagnostics("FROM python:3.12 AS build\nRUN pip wheel x\nFROM alpine:3.20\n").isEmpty)
        let chain = "FROM python:3.12 AS base\nFROM base AS build\nRUN apt-get install -y gcc\nFROM base\nCMD [\"x\"]\n"
        #expect(Self.rule.fixed(chain, level: .unsafe) == chain.replacingFirst("python:3.12", with: "python:3.12-slim"))
        // apt in a build stage built on the same base does not decide for the final image.
        let node = "FROM node:20 AS base\nFROM base AS build\nRUN apt-get install -y python3\nFROM base\n"
        #expect(Self.rule.fixed(node, level: .unsafe) == node.replacingFirst("node:20", with: "node:20-alpine"))
    }

    @Test func binariesFromGlibcStagesKeepSlim() {
        let fromDebian = "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM node:20\nCOPY --from=build /app /app\n"
        #expect(Self.rule.fixed(fromDebian, level: .unsafe) == fromDebian.replacingFirst("FROM node:20", with: "FROM node:20-slim"))
        let fromAlpine = "FROM golang:1.22-alpine AS build\nRUN go build -o /app .\nFROM node:20\nCOPY --from=build /app /app\n"
        #expect(Self.rule.fixed(fromAlpine, level: .unsafe) == fromAlpine.replacingFirst("FROM node:20", with: "FROM node:20-alpine"))
    }

    @Test func crlfAndPlatformAreKept() {
        let before = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\r\nFROM --platform=linux/arm64 node:20 AS app\r\n"
        let after = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\r\nFROM --platform=linux/arm64 node:20-alpine AS app\r\n"
        #expect(Self.rule.fixed(before, level: .unsafe) == after)
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
