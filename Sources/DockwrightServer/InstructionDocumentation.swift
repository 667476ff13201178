import DockwrightCore
import DockwrightRules
import DockwrightSyntax

/// What each Dockerfile instruction does (Docker's reference in one sentence each),
/// and which rules check it, read off the rules' own triggering examples so the list
/// can never drift from the rules.
enum InstructionDocumentation {
    /// One sentence per instruction, after Docker's Dockerfile reference.
    static func summary(of kind: InstructionKind) -> String {
        switch kind {
        case .add: return "Copies files, folders, remote URLs or Git repositories into the image, extracting local tar archives."
        case .arg: return "Declares a build argument, set with `--build-arg`, visible to the instructions after it."
        case .cmd: return "Sets the default command (or the default arguments of `ENTRYPOINT`) a container runs."
        case .copy: return "Copies files and folders from the build context or another stage into the image."
        case .entrypoint: return "Sets the executable a container runs; `CMD` supplies its default arguments."
        case .env: return "Sets environment variables for the following instructions and the running container."
        case .expose: return "Documents the ports the container listens on; it publishes nothing by itself."
        case .from: return "Starts a build stage from a base image (or another stage), optionally naming it with `AS`."
        case .healthcheck: return "Tells the runtime how to test that the container still works, or turns an inherited check off."
        case .label: return "Adds key-value metadata to the image."
        case .maintainer: return "Sets the image's author field; deprecated in favour of `LABEL org.opencontainers.image.authors`."
        case .onbuild: return "Adds an instruction that runs later, when another build uses this image as its base."
        case .run: return "Runs a command in a new layer, in the shell (shell form) or directly (exec form)."
        case .shell: return "Sets the shell used by the shell form of `RUN`, `CMD` and `ENTRYPOINT`."
        case .stopsignal: return "Sets the signal sent to stop the container."
        case .user: return "Sets the user (and group) for the following instructions and the running container."
        case .volume: return "Declares mount points for externally mounted volumes."
        case .workdir: return "Sets the working directory for the following instructions and the running container."
        }
    }

    /// The rules whose triggering examples flag this kind of instruction, by code.
    static func rules(for kind: InstructionKind) -> [RuleDescription] {
        rulesByKind[kind] ?? []
    }

    private static let rulesByKind: [InstructionKind: [RuleDescription]] = {
        var result: [InstructionKind: [RuleDescription]] = [:]
        for rule in BuiltinRules.all {
            let description = rule.description
            var kinds: Set<InstructionKind> = []
            for example in description.triggering {
                let (code, markers) = example.strippedCodeAndMarkers
                let syntax = DockerfileSyntax.parse(code)
                for marker in markers {
                    guard let instruction = syntax.instructions.first(where: {
                        $0.range.start <= marker && marker < $0.range.end
                    }) else { continue }
                    if let kind = instruction.kind { kinds.insert(kind) }
                    // A finding inside `ONBUILD RUN …` is about the RUN.
                    if let trigger = instruction.trigger, trigger.range.start <= marker, let kind = trigger.kind {
                        kinds.insert(kind)
                    }
                }
            }
            for kind in kinds { result[kind, default: []].append(description) }
        }
        return result.mapValues { $0.sorted { $0.code < $1.code } }
    }()
}
