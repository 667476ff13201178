import DockwrightCore
import DockwrightRules
import DockwrightShell
import DockwrightSyntax
import Foundation
import Testing

/// The cases DL3059's examples cannot show: every reason to report without a fix,
/// three-way merges, and merged scripts that run the same commands as the originals.
@Suite struct MergeConsecutiveRunsRuleTests {
    /// A Dockerfile whose last RUN is reported without a fix, and a phrase of the reason.
    struct Refusal: Sendable, CustomTestStringConvertible {
        let dockerfile: String
        let reason: String
        var testDescription: String { dockerfile.replacingOccurrences(of: "\n", with: "⏎") }
    }

    static let refusals: [Refusal] = [
        // Not shell form, or not a shell we model.
        Refusal(dockerfile: "FROM a\nRUN [\"echo\", \"a\"]\nRUN b\n", reason: "exec form"),
        Refusal(dockerfile: "FROM a\nRUN a\nRUN [\"echo\", \"b\"]\n", reason: "exec form"),
        Refusal(dockerfile: "FROM a\nRUN <<EOF\na\nEOF\nRUN b\n", reason: "heredoc"),
        Refusal(dockerfile: "FROM a\nRUN a\nRUN cat <<EOF > /x\nb\nEOF\n", reason: "heredoc"),
        Refusal(dockerfile: "FROM a\nSHELL [\"pwsh\", \"-Command\"]\nRUN a\nRUN b\n", reason: "not a POSIX shell"),
        Refusal(dockerfile: "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN a\nRUN b\n", reason: "not a POSIX shell"),
        Refusal(dockerfile: "FROM a\nRUN echo $(\nRUN b\n", reason: "could not be parsed"),
        // Mounts whose writes each RUN sees afresh.
        Refusal(dockerfile: "FROM a\nRUN --mount=type=tmpfs,target=/t a\nRUN --mount=type=tmpfs,target=/t b\n", reason: "`tmpfs`"),
        Refusal(dockerfile: "FROM a\nRUN --mount=target=/src,rw a\nRUN --mount=target=/src,rw b\n", reason: "writable bind"),
        Refusal(dockerfile: "FROM a\nRUN --mount=type=bind,target=/src,readwrite=true a\nRUN --mount=type=bind,target=/src,readwrite=true b\n", reason: "writable bind"),
        // Suppressions that merging would move or widen.
        Refusal(dockerfile: "FROM a\nRUN a\n# hadolint ignore=DL3008\nRUN b\n", reason: "between them"),
        Refusal(dockerfile: "FROM a\nRUN a\n# dockwright global ignore=DL3008\nRUN b\n", reason: "between them"),
        Refusal(dockerfile: "FROM a\n# hadolint ignore=DL3008\n# why\nRUN a\nRUN b\n", reason: "above the previous"),
        // State the first script leaves for the second.
        Refusal(dockerfile: "FROM a\nRUN cd /src\nRUN make\n", reason: "changes directory with `cd`"),
        Refusal(dockerfile: "FROM a\nRUN mkdir /src && cd /src\nRUN make\n", reason: "`cd`"),
        Refusal(dockerfile: "FROM a\nRUN if true; then cd /src; fi\nRUN make\n", reason: "`cd`"),
        Refusal(dockerfile: "FROM a\nRUN export A=1\nRUN echo $A\n", reason: "`export`"),
        Refusal(dockerfile: "FROM a\nRUN A=1\nRUN echo $A\n", reason: "sets variables"),
        Refusal(dockerfile: "FROM a\nRUN set -e\nRUN false; true\n", reason: "`set`"),
        Refusal(dockerfile: "FROM a\nRUN . /etc/profile\nRUN b\n", reason: "sources a file"),
        Refusal(dockerfile: "FROM a\nRUN source /etc/profile\nRUN b\n", reason: "sources a file"),
        Refusal(dockerfile: "FROM a\nRUN test -f /x || exit 0\nRUN b\n", reason: "`exit`"),
        Refusal(dockerfile: "FROM a\nRUN exec a\nRUN b\n", reason: "`exec`"),
        Refusal(dockerfile: "FROM a\nRUN a &\nRUN b\n", reason: "background"),
        Refusal(dockerfile: "FROM a\nRUN a # note\nRUN b\n", reason: "ends with a comment"),
        Refusal(dockerfile: "FROM a\nRUN trap 'rm -f /x' EXIT\nRUN b\n", reason: "`trap`"),
        Refusal(dockerfile: "FROM a\nRUN umask 077\nRUN touch /x\n", reason: "`umask`"),
        Refusal(dockerfile: "FROM a\nRUN f() { echo; }\nRUN f\n", reason: "defines commands"),
        Refusal(dockerfile: "FROM a\nRUN alias ll='ls -l'\nRUN b\n", reason: "defines commands"),
        Refusal(dockerfile: "FROM a\nRUN eval \"$(cat /env)\"\nRUN b\n", reason: "`eval`"),
        Refusal(dockerfile: "FROM a\nRUN read -r v < /etc/hostname\nRUN echo $v\n", reason: "`read`"),
        Refusal(dockerfile: "FROM a\nRUN printf -v x %s 1\nRUN echo $x\n", reason: "`printf -v`"),
        Refusal(dockerfile: "FROM a\nRUN for f in a b; do touch $f; done\nRUN echo $f\n", reason: "loop variable"),
        Refusal(dockerfile: "FROM a\nRUN while false; do x=1; done\nRUN echo $x\n", reason: "assignment"),
        Refusal(dockerfile: "FROM a\nRUN : ${X:=1}\nRUN echo $X\n", reason: "`${X:=…}`"),
        Refusal(dockerfile: "FROM a\nRUN echo $((n=1))\nRUN echo $n\n", reason: "arithmetic"),
        // Shapes `&&` cannot follow.
        Refusal(dockerfile: "FROM a\nSHELL [\"/bin/sh\", \"-ec\"]\nRUN a;\nRUN b\n", reason: "ends with `;`"),
        Refusal(dockerfile: "FROM a\nRUN a\nRUN b; c # note\n", reason: "ends with a comment"),
        Refusal(
            dockerfile: "FROM a\nSHELL [\"/bin/bash\", \"-euo\", \"pipefail\", \"-c\"]\nRUN if a; then b; c; fi\nRUN d\n",
            reason: "`-e`"),
        Refusal(
            dockerfile: "FROM a\nSHELL [\"/bin/sh\", \"-o\", \"errexit\", \"-c\"]\nRUN { a; b; }\nRUN d\n", reason: "`-e`"),
        Refusal(
            dockerfile: "FROM a AS base\nSHELL [\"/bin/sh\", \"-ec\"]\nFROM base\nRUN a || (b; c)\nRUN d\n",
            reason: "`-e`"),
    ]

    @Test(arguments: refusals)
    func reportsWithoutAFix(_ refusal: Refusal) throws {
        let diagnostics = Self.diagnostics(refusal.dockerfile)
        let last = try #require(diagnostics.last, "expected a finding")
        #expect(diagnostics.count == 1)
        #expect(last.fix == nil)
        #expect(last.message.contains(refusal.reason), "\(last.message)")
        #expect(Self.fixed(refusal.dockerfile) == refusal.dockerfile)
    }

    static let unreported = [
        "FROM a\nRUN --mount=type=cache,target=/c a\nRUN b\n",
        "FROM a\nRUN --network=none a\nRUN --network=host b\n",
        "FROM a\nRUN a\nENV X=1\nRUN b\n",
        "FROM a\nRUN a\nFROM a\nRUN b\n",
        "FROM a\nONBUILD RUN a\nONBUILD RUN b\n",
        "FROM a\nRUN a\nONBUILD RUN b\n",
    ]

    @Test(arguments: unreported)
    func reportsNothing(_ dockerfile: String) {
        #expect(Self.diagnostics(dockerfile).isEmpty)
    }

    /// A Dockerfile and what the safe fixes make of it.
    struct Merge: Sendable, CustomTestStringConvertible {
        let before: String
        let after: String
        var testDescription: String { before.replacingOccurrences(of: "\n", with: "⏎") }
    }

    static let merges: [Merge] = [
        // A subshell or a substitution keeps its `cd` to itself.
        Merge(before: "FROM a\nRUN (cd /src && make)\nRUN b\n", after: "FROM a\nRUN (cd /src && make) && \\\n    b\n"),
        Merge(before: "FROM a\nRUN echo $(cd /src && pwd)\nRUN b\n", after: "FROM a\nRUN echo $(cd /src && pwd) && \\\n    b\n"),
        // `-e` only matters for a compound command at the end of the first script.
        Merge(
            before: "FROM a\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN a; b | c\nRUN d\n",
            after: "FROM a\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN a; b | c && \\\n    d\n"),
        Merge(
            before: "FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN if a; then b; fi\nRUN d\n",
            after: "FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN if a; then b; fi && \\\n    d\n"),
        // Read-only bind mounts and cache mounts are shared the same way merged or not.
        Merge(
            before: "FROM a\nRUN --mount=target=/src a\nRUN --mount=target=/src b\n",
            after: "FROM a\nRUN --mount=target=/src a && \\\n    b\n"),
        // Flags in another order are the same flags; the first RUN's spelling is kept.
        Merge(
            before: "FROM a\nRUN --network=none --mount=type=cache,target=/c a\nRUN --mount=type=cache,target=/c --network=none b\n",
            after: "FROM a\nRUN --network=none --mount=type=cache,target=/c a && \\\n    b\n"),
        // A background job in the second script is wrapped with its `&` as the separator.
        Merge(before: "FROM a\nRUN a\nRUN b &\n", after: "FROM a\nRUN a && \\\n    { b & }\n"),
        // The second script's interior comment lines and continuation layout are kept.
        Merge(
            before: "FROM a\nRUN a\nRUN \\\n# first b\n    b \\\n    && c\n",
            after: "FROM a\nRUN a && \\\n# first b\n    b \\\n    && c\n"),
        // Lists are braced: a trailing `;` stays legal, and `||` reads unambiguously.
        Merge(before: "FROM a\nRUN a;\nRUN b\n", after: "FROM a\nRUN { a; } && \\\n    b\n"),
        Merge(before: "FROM a\nRUN a || true\nRUN b\n", after: "FROM a\nRUN { a || true; } && \\\n    b\n"),
        // Under `-e` the first script is never braced; `a; b && c` keeps `-e` for `a`.
        Merge(
            before: "FROM a\nSHELL [\"/bin/sh\", \"-ec\"]\nRUN a; b\nRUN c || d\n",
            after: "FROM a\nSHELL [\"/bin/sh\", \"-ec\"]\nRUN a; b && \\\n    { c || d; }\n"),
        // Braces follow the RUN boundaries through a chain.
        Merge(
            before: "FROM a\nRUN a\nRUN b || c\nRUN d; e\nRUN f\n",
            after: "FROM a\nRUN a && \\\n    { b || c; } && \\\n    { d; e; } && \\\n    f\n"),
        // Lower-case keywords; the blank line between RUNs goes.
        Merge(before: "from a\nrun a\nrun b\n\nrun c\n", after: "from a\nrun a && \\\n    b && \\\n    c\n"),
    ]

    @Test(arguments: merges)
    func mergesWhereTheMeaningIsKept(_ merge: Merge) {
        #expect(Self.fixed(merge.before) == merge.after)
    }

    @Test func pipelineLastCommandIsNotTheMainShell() {
        // sh and bash run every part of a pipeline in a subshell, but the merge stays
        // conservative and refuses `read` anywhere outside a subshell.
        let diagnostics = Self.diagnostics("FROM a\nRUN a | while read -r l; do echo $l; done\nRUN b\n")
        #expect(diagnostics.count == 1 && diagnostics.first?.fix == nil)
    }

    @Test func threeWayMergeTakesOnePass() {
        let before = "FROM a\nRUN a\n# then b\nRUN b\n\n# then c\nRUN c\nRUN d\n"
        let result = Self.linter.fix(SourceFile(path: "Dockerfile", text: before), level: .safe, maximumPasses: 1)
        let output = String(decoding: result.output, as: UTF8.self)
        #expect(output == "FROM a\nRUN a && \\\n# then b\n    b && \\\n# then c\n    c && \\\n    d\n")
        #expect(result.applied.count == 3)
        #expect(Self.diagnostics(output).isEmpty)
    }

    @Test func wrappedMiddleScriptMergesOnTheNextPass() {
        let before = "FROM a\nRUN a\nRUN b; c\nRUN d\n"
        let onePass = Self.linter.fix(SourceFile(path: "Dockerfile", text: before), level: .safe, maximumPasses: 1)
        #expect(String(decoding: onePass.output, as: UTF8.self) == "FROM a\nRUN a && \\\n    { b; c; }\nRUN d\n")
        #expect(Self.fixed(before) == "FROM a\nRUN a && \\\n    { b; c; } && \\\n    d\n")
    }

    @Test func wrappedScriptIsNotExtendedUnderErrexit() {
        // `{ b; c; } && d` would turn `-e` off inside the group; the second pass refuses.
        let shell = "SHELL [\"/bin/sh\", \"-ec\"]\n"
        let before = "FROM a\n\(shell)RUN a\nRUN b; c\nRUN d\n"
        let after = "FROM a\n\(shell)RUN a && \\\n    { b; c; }\nRUN d\n"
        #expect(Self.fixed(before) == after)
        #expect(Self.diagnostics(after).map(\.message).first?.contains("`-e`") == true)
    }

    @Test func suppressedPairIsLeftApart() {
        let before = "FROM a\nRUN a\n# dockwright ignore=DL3059\nRUN b\nRUN c\n"
        #expect(Self.diagnostics(before).count == 1)
        #expect(Self.fixed(before) == "FROM a\nRUN a\n# dockwright ignore=DL3059\nRUN b && \\\n    c\n")
    }

    @Test func keepsCRLFLineEnds() {
        let before = "FROM a\r\nRUN a\r\n# why\r\n\r\nRUN b \\\r\n  && c\r\n"
        #expect(Self.fixed(before) == "FROM a\r\nRUN a && \\\r\n# why\r\n  b \\\r\n  && c\r\n")
    }

    @Test func keepsTheBacktickEscape() {
        let before = "# escape=`\nFROM a\nRUN a `\n      && b\nRUN c\n"
        #expect(Self.fixed(before) == "# escape=`\nFROM a\nRUN a `\n      && b && `\n      c\n")
    }

    // MARK: - The merged RUN runs the same commands

    static let commandSequences = [
        "FROM a\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
        "FROM a\nRUN a || true\nRUN b; c\nRUN d | e\n",
        "FROM a\nRUN if test -f /x; then rm /x; fi\n# next\nRUN (mkdir /y && cp /a /y) || echo no\nRUN ! grep -q x /z\n",
        "FROM a\nRUN --mount=type=cache,target=/c pip install a\nRUN --mount=type=cache,target=/c pip install b\\\n  c\n",
        "FROM a\nRUN echo \"$(date)\" > /built\nRUN for_each=1 env\nRUN case $x in a) echo a;; esac\n",
    ]

    @Test(arguments: commandSequences)
    func mergedRunHasTheOriginalCommands(_ before: String) throws {
        let original = DockerfileSyntax.parse(before)
        let originalNames = RunScript.scripts(in: original).flatMap { $0.script?.commands.map(\.name) ?? [] }
        let after = Self.fixed(before)
        let merged = DockerfileSyntax.parse(after)
        #expect(!merged.hasParserErrors)
        let scripts = RunScript.scripts(in: merged)
        #expect(scripts.count == 1, "\(after)")
        let script = try #require(scripts.first?.script)
        #expect(script.commands.map(\.name) == originalNames)
    }

    // MARK: - The merged script behaves like the RUNs it replaces

    /// Script shapes with placeholder commands `P` and `Q`; a pipeline sends `P`'s error
    /// message into the pipe, so its output does not race with `Q`'s.
    static let shapes = [
        "P", "P || Q", "P && Q", "P; Q", "if P; then Q; fi", "{ P; Q; }", "(P; Q)", "! P", "P 2>&1 | Q", "P; Q;",
    ]

    @Test(arguments: ["-c", "-ec"])
    func mergedScriptHasTheSameOutcome(_ shellFlags: String) throws {
        let shell = "/bin/sh"
        try #require(FileManager.default.isExecutableFile(atPath: shell), "needs \(shell)")
        var cases: [(original: [String], merged: String)] = []
        var seen: Set<String> = []
        for firstShape in Self.shapes {
            for secondShape in Self.shapes {
                // The decision does not depend on what the placeholders run, so fix once
                // with placeholders (`R` and `S` in the second script, `T` in the third).
                let second = secondShape.replacingOccurrences(of: "P", with: "R")
                    .replacingOccurrences(of: "Q", with: "S")
                let originals = [firstShape, second, "T"]
                let dockerfile = "FROM a\nSHELL [\"\(shell)\", \"\(shellFlags)\"]\n"
                    + originals.map { "RUN \($0)\n" }.joined()
                let runs = RunScript.scripts(in: DockerfileSyntax.parse(Self.fixed(dockerfile))).map(\.text.string)
                // A pair left apart runs as before; only merged scripts need checking.
                let merged: ([String], String)
                switch runs.count {
                case 1: merged = (originals, runs[0])
                case 2:
                    merged = runs[0] == originals[0]
                        ? (Array(originals[1...]), runs[1]) : (Array(originals[..<2]), runs[0])
                default: continue
                }
                for commands in Self.commandChoices {
                    let concrete = (
                        merged.0.map { Self.substitute(commands, in: $0) }, Self.substitute(commands, in: merged.1))
                    if seen.insert(concrete.1).inserted { cases.append(concrete) }
                }
            }
        }
        #expect(cases.count > 500)
        // One shell runs every case: the RUNs one by one, stopping at the first failure as
        // the build does, then the merged script; output and success must agree.
        var program = ""
        for (index, testCase) in cases.enumerated() {
            let sequential = testCase.original.map { "\(shell) \(shellFlags) '\($0)'" }.joined(separator: " && ")
            program += "echo '@ \(index) before'; { \(sequential); } 2>&1 && echo ok || echo failed\n"
            program += "echo '@ \(index) after'; \(shell) \(shellFlags) '\(testCase.merged)' 2>&1"
                + " && echo ok || echo failed\n"
        }
        let output = try Self.run(shell, program)
        var outcomes: [String: String] = [:]
        for block in output.components(separatedBy: "@ ").dropFirst() {
            let header = block.prefix { $0 != "\n" }
            outcomes[String(header)] = String(block.dropFirst(header.count))
        }
        for (index, testCase) in cases.enumerated() {
            let before = outcomes["\(index) before"]
            let after = outcomes["\(index) after"]
            #expect(before != nil && before == after, "\(testCase.original) → \(testCase.merged)")
        }
    }

    /// Every mix of succeeding and failing commands for the placeholders; the last RUN's
    /// `T` always succeeds, as its failure ends both builds the same way.
    static let commandChoices: [[Character: String]] = {
        var choices: [[Character: String]] = [["T": "echo t"]]
        for placeholder in "PQRS" {
            choices = choices.flatMap { choice in
                [true, false].map { succeeds in
                    var extended = choice
                    let name = placeholder.lowercased()
                    extended[placeholder] = succeeds ? "echo \(name)" : "cat /nonexistent/\(name)"
                    return extended
                }
            }
        }
        return choices
    }()

    static func substitute(_ commands: [Character: String], in script: String) -> String {
        String(script.flatMap { commands[$0] ?? String($0) })
    }

    // MARK: - Helpers

    static let linter = Linter(rules: [MergeConsecutiveRunsRule()])

    static func diagnostics(_ text: String) -> [Diagnostic] {
        linter.lint(SourceFile(path: "Dockerfile", text: text)).diagnostics.filter { $0.code == "DL3059" }
    }

    static func fixed(_ text: String) -> String {
        String(decoding: linter.fix(SourceFile(path: "Dockerfile", text: text), level: .safe).output, as: UTF8.self)
    }

    /// Runs `program` with `shell` from a temporary file and returns its standard output.
    static func run(_ shell: String, _ program: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dw-merge-\(UUID().uuidString).sh")
        try Data(program.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: shell)
        process.arguments = [file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
