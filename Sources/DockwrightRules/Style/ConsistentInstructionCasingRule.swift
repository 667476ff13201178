import DockwrightCore
import DockwrightSyntax

/// Flags an instruction keyword whose case differs from the file's majority.
public struct ConsistentInstructionCasingRule: Rule {
    public static let description = RuleDescription(
        code: "DW102", name: "consistent-instruction-casing", category: .style,
        summary: "Instruction keywords should all use the same case", severity: .warning, fix: .always,
        rationale: """
            ## Why
            Keywords are case-insensitive, and a file that mixes `RUN` and `run` (or `Run`) \
            reads as if written by several hands. The file's own majority decides.

            The vote and the checks mirror BuildKit: the keywords of the stages count, \
            `FROM` and every instruction after it, each as lower case or upper case (a \
            mixed-case keyword such as `Run` casts no vote); upper case wins a tie. Then every \
            keyword not in the winning case is reported, mixed-case ones included. `ARG`s \
            before the first `FROM` neither vote nor are checked, and the instruction inside \
            an `ONBUILD` is not checked, as BuildKit does not look at them.

            ## Fix safety
            The fix rewrites the keyword in the majority case. Keywords are case-insensitive, \
            so the build is the same.

            ## References
            BuildKit check `ConsistentInstructionCasing`.
            """,
        triggering: [
            Example("FROM alpine:3.20\n↓run apk add --no-cache curl\nCMD [\"curl\"]\n"),
            Example("from alpine:3.20\n↓RUN apk add --no-cache curl\ncmd [\"curl\"]\n"),
            Example("FROM alpine:3.20\n↓Run true\n"),
            Example("↓from alpine:3.20\nRUN true\n"),
        ],
        nonTriggering: [
            Example("FROM alpine:3.20\nRUN true\n"),
            Example("from alpine:3.20\nrun true\n"),
            Example("arg BASE=alpine:3.20\nFROM ${BASE}\nRUN true\n"),
            Example("FROM alpine:3.20\nONBUILD run true\n"),
        ],
        fixes: [
            FixExample(
                "FROM alpine:3.20\nrun apk add curl \\\n  && true\nCMD [\"curl\"]\n",
                "FROM alpine:3.20\nRUN apk add curl \\\n  && true\nCMD [\"curl\"]\n", .safe),
            FixExample("from alpine:3.20\nrun true\nCmd true\n", "from alpine:3.20\nrun true\ncmd true\n", .safe),
        ],
        buildKitCheckName: "ConsistentInstructionCasing"
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        // Mirrors BuildKit's validateCommandCasing over the stages' FROM and commands.
        var lower = 0
        var upper = 0
        Self.forEachKeyword(in: context.stages) { keyword in
            if keyword.text == keyword.text.lowercased() {
                lower += 1
            } else if keyword.text == keyword.text.uppercased() {
                upper += 1
            }
        }
        let isMajorityLower = lower > upper
        var violations: [Violation] = []
        Self.forEachKeyword(in: context.stages) { keyword in
            let expected = isMajorityLower ? keyword.text.lowercased() : keyword.text.uppercased()
            guard keyword.text != expected else { return }
            violations.append(Violation(
                range: keyword.range,
                message: "`\(keyword.text)` should be `\(expected)`, the case of most instructions in the file",
                fix: context.fix {
                    Fix(title: "Write `\(expected)`", applicability: .safe, edits: [Edit(range: keyword.range, replacement: expected)])
                }))
        }
        return violations
    }

    /// Calls `body` with the keyword of each stage's FROM and known instruction, in order,
    /// read in place: the file's keywords gathered into arrays first took a copy of every
    /// instruction of a large file twice over.
    private static func forEachKeyword(in stages: StageGraph, _ body: (Token) -> Void) {
        for stage in stages.stages {
            if stage.from.kind != nil { body(stage.from.keyword) }
            for instruction in stage.instructions where instruction.kind != nil { body(instruction.keyword) }
        }
    }
}
