import DockwrightCore
import DockwrightModel
import DockwrightSyntax

/// Flags `$VAR` in an instruction BuildKit expands when no ARG or ENV declares it there.
public struct DeclareVariablesBeforeUseRule: Rule {
    public static let description = RuleDescription(
        code: "DW124", name: "declare-variables-before-use", category: .correctness,
        summary: "Declare variables with ARG or ENV before using them", severity: .warning, fix: .none,
        rationale: """
            ## Why
            Docker substitutes variables itself in ADD, COPY, ENV, LABEL, WORKDIR, USER, \
            VOLUME, STOPSIGNAL, in ARG defaults and in `RUN --mount` options. A name that no \
            ARG or ENV declares at that point of the stage is replaced by an empty string, \
            silently: `COPY app-$VERSION.jar /app.jar` copies `app-.jar`. The usual causes \
            are a global ARG (declared before the first FROM) used inside a stage without \
            `ARG VERSION` there, a platform ARG (`TARGETARCH`) not declared in the stage, \
            a variable declared only in another stage, and typos. BuildKit reports these as \
            `UndefinedVar`, with a suggestion when a defined name is within two edits.

            Shell-form RUN, CMD and ENTRYPOINT are not checked: the shell expands those \
            variables at run time, from an environment the Dockerfile does not fully show. \
            Nor are EXPOSE (BuildKit does not check it), HEALTHCHECK and exec-form \
            commands (never substituted), ONBUILD triggers (they are expanded where a \
            child image runs them) and heredoc bodies of COPY and ADD.

            **Differences from BuildKit.** BuildKit also knows the ENV of the base image, \
            which a linter cannot see: `JAVA_HOME` is defined in a stage \
            `FROM eclipse-temurin`, `GOPATH` in one `FROM golang`. So in a stage built on an \
            image (rather than on `scratch`), a name is reported only when the file shows \
            it is a mistake:
            - a global ARG used in a stage without `ARG NAME` there, unless the stage's \
            FROM uses it (`FROM ruby:${RUBY_VERSION}`: the image likely sets `RUBY_VERSION`);
            - a platform ARG (`TARGETARCH`, …) not declared in the stage;
            - a name only an ARG of another stage declares;
            - a likely typo of `PATH` or of a name the file declares: one character added, \
            dropped or changed, or two neighbours swapped (`PAHT`, `APP_HOEM`; not `GOPATH` \
            for `PATH`).

            Names the stage only sets later, often `ENV LD_LIBRARY_PATH=$LD_LIBRARY_PATH:/x` \
            appending to the image's value, names set by ENV in other stages, and names \
            the file never declares (`$HOME`) may come from the image and are left alone. \
            In a stage built on `scratch` every undefined name is reported, as BuildKit \
            does. Everywhere, an ARG whose default refers to its own name \
            (`ARG V=${V:-1}`, a deliberate fallback) is not reported.

            A name used as `${NAME:-default}` is still reported, as BuildKit does: without \
            an ARG the default is always used, and `--build-arg NAME=…` has no effect.

            ## References
            BuildKit check `UndefinedVar` (`reportUnmatchedVariables` in \
            `dockerfile2llb/convert.go`; suggestions from `util/suggest`); docker/buildx#2751 \
            and moby/buildkit#5449 on the base-image ENV. hadolint has no equivalent.
            """,
        triggering: [
            Example("ARG VERSION=1.2\nFROM alpine\nCOPY app-↓$VERSION.tar.gz /opt/\n"),
            Example("FROM --platform=$BUILDPLATFORM golang:1.22\nRUN go env\nCOPY bin/↓${TARGETARCH}/app /app\n"),
            Example("FROM alpine AS build\nARG OUT=/out\nFROM alpine\nCOPY --from=build ↓$OUT /app\n"),
            Example("FROM alpine\nENV APP_HOME=/app\nWORKDIR ↓$APP_HOEM\n"),
            Example("FROM alpine\nENV PATH=↓$PAHT:/app/bin\n"),
            Example("FROM scratch\nCOPY ↓$foo .\n"),
            Example("FROM scratch\nARG VERSION=↓$foo\n"),
            Example("FROM scratch\nENV A=1 B=↓$A\n"),
            Example("FROM scratch\nLABEL version=↓${VERSION:-dev}\n"),
            Example("FROM scratch\nENV LD_LIBRARY_PATH=↓$LD_LIBRARY_PATH:/opt/lib\n"),
            Example("ARG UID=1000 GID=1000\nFROM alpine\nCOPY --chown=↓$UID:↓$GID app /app\n"),
            Example("ARG CACHE=pip\nFROM python:3.12\nRUN --mount=type=cache,id=↓$CACHE,target=/root/.cache pip install x\n"),
        ],
        nonTriggering: [
            Example("FROM alpine AS base\nARG foo\nCOPY $foo .\n"),
            Example("ARG VERSION=1.2\nFROM alpine\nARG VERSION\nCOPY app-$VERSION.tar.gz /opt/\n"),
            Example("FROM python AS base\nARG VERSION=$PYTHON_VERSION\n"),
            Example("FROM eclipse-temurin:21\nENV PATH=$JAVA_HOME/bin:$PATH\n"),
            Example("FROM golang:1.22\nENV PATH=/go/bin:$PATH\nWORKDIR $GOPATH/src/app\n"),
            Example("ARG RUBY_VERSION=3.4\nFROM ruby:$RUBY_VERSION-slim\nENV PATH=/bundle/ruby/$RUBY_VERSION/bin:$PATH\n"),
            Example("FROM nvidia/cuda:12.4.1-base-ubuntu22.04\nENV LD_LIBRARY_PATH=${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/opt/lib\n"),
            Example("FROM alpine AS a\nENV TOOL_HOME=/opt/tool\nFROM alpine\nCOPY x $TOOL_HOME/\n"),
            Example("ARG FLAVOR=silverblue\nFROM fedora\nARG FLAVOR=\"${FLAVOR:-silverblue}\"\n"),
            Example("FROM alpine\nENV ROLE=web\nWORKDIR $HOME\n"),
            Example("FROM alpine\nRUN echo $HOME $UNDEFINED\nCMD echo $UNDEFINED\n"),
            Example("FROM alpine\nENV A=1\nENV B=$A\n"),
            Example("FROM alpine\nARG A=1 B=$A\n"),
            Example("FROM alpine AS base\nARG VERSION=1\nFROM base\nCOPY app-$VERSION /app\n"),
            Example("FROM alpine\nEXPOSE $PORT\nHEALTHCHECK CMD curl localhost:$PORT\n"),
            Example("FROM scratch\nCOPY app '/$literal'\n"),
            Example("FROM alpine\nONBUILD COPY $SRC /app\n"),
            Example("FROM alpine\nCOPY <<EOF /run.sh\necho $HOME\nEOF\n"),
            Example("FROM alpine\nARG BUILDKIT_SBOM_SCAN_STAGE=true\nFROM scratch\nLABEL x=$BUILDKIT_SBOM_SCAN_STAGE\n"),
        ],
        buildKitCheckName: "UndefinedVar"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        let scope = context.stages.argScope
        let file = FileNames(context)
        var violations: [Violation] = []
        for stage in context.stages.stages {
            let knowsWholeEnvironment = !scope.inheritsImageEnvironment(stageIndex: stage.index)
            let evidence = Evidence(stage: stage, file: file, context: context)
            for instruction in stage.instructions {
                // Only a word with a `$` can name a variable; an ARG word without one only
                // changes what the instruction's later words see. An instruction with no
                // such word needs no environment.
                let words = Self.words(of: instruction)
                guard words.contains(where: { $0.text.utf8.contains(UInt8(ascii: "$")) }),
                      var environment = context.model.variables(before: instruction) else { continue }
                for word in words {
                    // A word with no `$` names no variable; only an ARG declaration needs its value.
                    guard word.declaresArgument != nil || word.text.utf8.contains(UInt8(ascii: "$")) else { continue }
                    let expansion = scope.expander.evaluate(word.text, environment: environment)
                    for name in expansion.undefinedNames where !environment.isDeclaredArgument(name) {
                        // `ARG X=${X:-default}` is a deliberate idiom, not a mistake.
                        guard !Self.nonEnvironmentArguments.contains(name), name != word.declaresArgument else {
                            continue
                        }
                        let suggestion = BuildKitSuggestion.closest(to: name, among: environment.keys)
                        let (explanation, isEvident) = evidence.explain(name, suggestion: suggestion)
                        // Where the stage starts from an image, a name the file does not
                        // otherwise know may be in the image's ENV: report only evident mistakes.
                        guard knowsWholeEnvironment || isEvident else { continue }
                        let range = VariableReferenceLocator.reference(
                            to: name, in: word.range, of: context.syntax.source) ?? word.range
                        var message = "Usage of undefined variable `$\(name)`"
                        if let suggestion { message += " (did you mean `$\(suggestion)`?)" }
                        violations.append(Violation(range: range, message: message + explanation))
                    }
                    // BuildKit declares an ARG's names one after the other.
                    if let argument = word.declaresArgument {
                        environment.declareArgument(argument)
                        if let value = expansion.value, word.hasDefault {
                            environment[argument] = value
                        } else if !word.hasDefault, let global = scope.globalEnvironment[argument] {
                            environment[argument] = global
                        }
                    }
                }
            }
        }
        return violations
    }
}

// MARK: - Helpers

private extension DeclareVariablesBeforeUseRule {
    /// BuildKit's `nonEnvArgs`: ARGs that configure the build and never reach the environment.
    static let nonEnvironmentArguments: Set<String> = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"]

    /// A word BuildKit expands, and, for an ARG, the name it then declares.
    struct Word {
        let text: String
        let range: TextRange
        var declaresArgument: String?
        var hasDefault = false
    }

    /// The words of `instruction` that BuildKit substitutes variables in and reports
    /// (`SupportsSingleWordExpansion`, and `dispatchArg` for ARG defaults).
    static func words(of instruction: InstructionSyntax) -> [Word] {
        var words: [Word] = []
        func add(_ token: Token) { words.append(Word(text: token.text, range: token.range)) }
        func addFlag(_ name: String) {
            guard let flag = instruction.flag(named: name), let value = flag.value else { return }
            words.append(Word(text: value, range: flag.range))
        }
        switch instruction.kind {
        case .add, .copy:
            addFlag("chown")
            addFlag("chmod")
            if instruction.kind == .add { addFlag("checksum") }
            switch instruction.arguments {
            case .words(let tokens), .execForm(let tokens):
                // Heredoc sources (`<<EOF`) name inline files; their bodies are not checked.
                for token in tokens where !token.text.hasPrefix("<<") { add(token) }
            default: break
            }
        case .env, .label:
            guard case .keyValuePairs(let pairs, _) = instruction.arguments else { break }
            for pair in pairs {
                add(pair.key)
                add(pair.value)
            }
        case .workdir, .user, .stopsignal:
            if case .text(let token) = instruction.arguments { add(token) }
        case .volume:
            switch instruction.arguments {
            case .words(let tokens), .execForm(let tokens): tokens.forEach(add)
            case .text(let token): add(token)
            default: break
            }
        case .arg:
            guard case .words(let tokens) = instruction.arguments else { break }
            for token in tokens {
                guard let equals = token.text.firstIndex(of: "=") else {
                    if !token.text.isEmpty {
                        words.append(Word(text: "", range: token.range, declaresArgument: token.text))
                    }
                    continue
                }
                let name = String(token.text[..<equals])
                guard !name.isEmpty else { continue }
                let value = String(token.text[token.text.index(after: equals)...])
                words.append(Word(text: value, range: token.range, declaresArgument: name, hasDefault: true))
            }
        case .run:
            for flag in instruction.flags where flag.name.lowercased() == "mount" {
                if let value = flag.value { words.append(Word(text: value, range: flag.range)) }
            }
        default:
            break
        }
        return words
    }

    /// The names the file declares, by kind: read only to explain an undefined name,
    /// so built on the first one. A file of many ENV lines and no undefined variable
    /// never pays for a table of its keys.
    final class FileNames {
        /// The names of a kind, each with the stages that declare it: one number for
        /// the common name declared in one stage, a set only for names in several.
        struct StagesByName {
            private var onlyStage: [String: Int] = [:]
            private var severalStages: [String: Set<Int>] = [:]

            mutating func insert(_ name: String, stage: Int) {
                if let several = severalStages[name] {
                    severalStages[name] = several.union([stage])
                } else if let only = onlyStage[name], only != stage {
                    onlyStage[name] = nil
                    severalStages[name] = [only, stage]
                } else {
                    onlyStage[name] = stage
                }
            }

            func contains(_ name: String) -> Bool { onlyStage[name] != nil || severalStages[name] != nil }

            func contains(_ name: String, inStage stage: Int) -> Bool {
                onlyStage[name] == stage || severalStages[name]?.contains(stage) == true
            }
        }

        private let context: RuleContext
        /// Names of ARGs before the first FROM.
        private(set) lazy var globalArguments: Set<String> = context.stages.argScope.globalArgumentNames
        /// Names of ARGs inside stages, with the stages that declare them.
        private(set) lazy var stageArguments: StagesByName = {
            var arguments = StagesByName()
            for declaration in context.stages.argScope.stageDeclarations {
                if let stage = declaration.stageIndex { arguments.insert(declaration.name, stage: stage) }
            }
            return arguments
        }()
        /// ENV keys, with the stages that set them.
        private(set) lazy var environmentKeys: StagesByName = {
            var keys = StagesByName()
            for stage in context.stages.stages {
                for instruction in stage.instructions where instruction.kind == .env {
                    guard case .keyValuePairs(let pairs, _) = instruction.arguments else { continue }
                    for pair in pairs { keys.insert(pair.key.text, stage: stage.index) }
                }
            }
            return keys
        }()

        init(_ context: RuleContext) {
            self.context = context
        }
    }

    /// What the file says about an undefined name in one stage: why it is undefined,
    /// and whether that is evidence of a mistake even when the base image's ENV is unknown.
    struct Evidence {
        let stageIndex: Int
        let file: FileNames
        /// Names the FROM lines of the stage and of the stages it is built on use: an
        /// image chosen by `node:${NODE_VERSION}` may well set `NODE_VERSION` itself.
        let namesInFrom: Set<String>

        init(stage: Stage, file: FileNames, context: RuleContext) {
            stageIndex = stage.index
            self.file = file
            var names: Set<String> = []
            for walked in context.stages.baseChain(ofStage: stage.index) {
                if let token = context.stages.stages[walked].baseToken {
                    names.formUnion(context.stages.argScope.expander.referencedNames(in: token.text))
                }
            }
            namesInFrom = names
        }

        func explain(_ name: String, suggestion: String?) -> (text: String, isEvident: Bool) {
            if let suggestion, isLikelyTypo(name, of: suggestion) { return ("", true) }
            if file.globalArguments.contains(name) {
                return (
                    "; a global ARG is not visible in a stage: add `ARG \(name)` after the FROM",
                    !namesInFrom.contains(name))
            }
            if ArgScope.platformArgumentNames.contains(name) {
                return ("; platform ARGs must be declared in the stage: add `ARG \(name)` after the FROM", true)
            }
            if file.stageArguments.contains(name, inStage: stageIndex)
                || file.environmentKeys.contains(name, inStage: stageIndex) {
                // Often `ENV X=$X:/more`, appending to the image's value.
                return ("; it is only declared later in this stage: declare it before this instruction", false)
            }
            if file.stageArguments.contains(name) {
                return ("; it is declared by an ARG of another stage only: declare it in this stage", true)
            }
            if file.environmentKeys.contains(name) {
                return ("; it is set by ENV in another stage only", false)
            }
            return ("; declare it with ARG or ENV before this instruction", false)
        }

        /// Whether `name` looks like a misspelling of `suggestion`, a name the file
        /// declares or `PATH`: one character added, dropped or changed, or two neighbours
        /// swapped, in names of four characters or more (`PAHT` for `PATH`, `APP_HOEM`
        /// for `APP_HOME`; not `GOPATH` for `PATH`, `HOME` for `ROLE` or `GID` for `UID`).
        func isLikelyTypo(_ name: String, of suggestion: String) -> Bool {
            let isKnown = suggestion == "PATH" || file.globalArguments.contains(suggestion)
                || file.stageArguments.contains(suggestion) || file.environmentKeys.contains(suggestion)
            let a = Array(name.unicodeScalars)
            let b = Array(suggestion.unicodeScalars)
            guard isKnown, min(a.count, b.count) >= 4 else { return false }
            if BuildKitSuggestion.editDistance(name, suggestion) == 1 { return true }
            guard a.count == b.count else { return false }
            let differences = a.indices.filter { a[$0] != b[$0] }
            return differences.count == 2 && differences[1] == differences[0] + 1
                && a[differences[0]] == b[differences[1]] && a[differences[1]] == b[differences[0]]
        }
    }
}
