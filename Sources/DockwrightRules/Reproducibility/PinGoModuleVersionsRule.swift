import DockwrightCore
import DockwrightModel
import DockwrightShell
import DockwrightSyntax

/// Flags `go install`, `go get` or `go run` of a module without a version.
public struct PinGoModuleVersionsRule: Rule {
    public static let description = RuleDescription(
        code: "DL3062", name: "pin-go-module-versions", category: .reproducibility,
        summary: "Pin module versions in `go install`, `go get` and `go run`", severity: .warning, fix: .none,
        rationale: """
            ## Why
            `go install golang.org/x/tools/gopls@latest` (or without any `@`) resolves the \
            newest release on the day of the build, so rebuilding the same commit can bring \
            different code. `@v0.15.3` says which version the image was made with. \
            `@latest`, `@upgrade`, `@patch` and `@none` are queries, not versions; a branch \
            or commit (`@master`, `@a1b2c3d`) is accepted, as in hadolint.

            Differences from hadolint:
            - Only module paths are judged: their first element has a dot \
            (`github.com/…`, `golang.org/…`). Local packages (`.`, `./cmd/x`), files \
            (`go run main.go`), the standard library (`std`, `cmd`) and GOPATH packages \
            are not reported.
            - Go's flags are read as Go reads them: the value of `-tags netgo` or \
            `-o /bin/x` is not a package, and for `go run` only the package is checked, \
            not the program's arguments after it.
            - Quotes are removed before judging: `"golang.org/x/tools/gopls@latest"` is \
            reported.
            - ARG and ENV values are substituted first (`@${VERSION}` is pinned), and a \
            variable nothing in the Dockerfile sets is not judged.

            ## References
            hadolint DL3062.
            """,
        triggering: [
            Example("FROM golang:1.22\nRUN go install ↓golang.org/x/tools/gopls@latest\n"),
            Example("FROM golang:1.22\nRUN go install -tags netgo ↓github.com/go-delve/delve/cmd/dlv\n"),
            Example("FROM golang:1.22\nRUN go get -u ↓github.com/pkg/errors\n"),
            Example("FROM golang:1.22\nRUN GOBIN=/build CGO_ENABLED=0 go install ↓\"golang.org/x/tools/gopls@latest\"\n"),
            Example("FROM golang:1.22\nRUN go run ↓github.com/swaggo/swag/cmd/swag@upgrade init -g main.go\n"),
        ],
        nonTriggering: [
            Example("FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@v0.15.3\n"),
            Example("FROM golang:1.22\nARG DLV_VERSION=v1.22.1\nRUN go install github.com/go-delve/delve/cmd/dlv@${DLV_VERSION}\n"),
            Example("FROM golang:1.22\nRUN go install ./... && go run main.go && go install std\n"),
            Example("FROM golang:1.22\nRUN go run ./cmd/gen github.com/not/a/package\n"),
            Example("FROM golang:1.22\nRUN go mod download && go build -o /bin/app github.com/org/app\n"),
            Example("FROM golang:1.22\nRUN go get github.com/org/tool@master\n"),
            Example("FROM golang:1.22\nRUN export GOPATH=/gopath && go get k8petstore && go install k8petstore\n"),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for command in context.model.scriptCommands(named: ["go"]) {
            guard let install = command.goInstall else { continue }
            for operand in install.operands where LanguagePin.go(operand) == false {
                let shown = operand.displayText
                let path = shown.split(separator: "@", maxSplits: 1).first.map(String.init) ?? shown
                let message = shown.contains("@")
                    ? "`\(shown)` resolves to whatever is newest; pin a version: `\(path)@<version>`"
                    : "`\(shown)` is installed without a version; pin it: `\(path)@<version>`"
                violations.append(Violation(range: command.range(of: operand.word), message: message))
            }
        }
        return violations
    }
}
