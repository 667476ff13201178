import DockwrightCore
import DockwrightSyntax

/// One port of an EXPOSE instruction after variable substitution, split the way
/// BuildKit's `parsePort` (dockerfile2llb/convert_expose.go) splits it before it runs
/// the `ExposeProtoCasing` and `ExposeInvalidFormat` checks.
struct ExposePortSpec {
    /// The word as written, e.g. `80/TCP` or `${PORT}/tcp`.
    let token: Token
    /// The port after substitution (`ProcessWords`), e.g. `80/TCP`.
    let port: String
    /// The part before the last two `:`-separated parts, e.g. `127.0.0.1`; empty when none.
    let hostIP: String
    /// The part before the container port, e.g. `8080` in `8080:80`; empty when none.
    let hostPort: String
    /// The container port with its protocol, the last `:`-separated part, e.g. `80/tcp`.
    let containerPort: String
    /// The protocol as written after the container port's first `/`; empty when none.
    let proto: String

    /// Every port of every EXPOSE in the file's stages, in source order, that BuildKit
    /// would lint: a word whose expansion fails, that has no port before `/`, or whose
    /// protocol is not tcp, udp or sctp in any case is an error there, not a warning.
    /// EXPOSE inside ONBUILD is skipped: BuildKit expands it only where a stage runs
    /// the trigger.
    static func all(in context: RuleContext) -> [ExposePortSpec] {
        let scope = context.stages.argScope
        var specs: [ExposePortSpec] = []
        for stage in context.stages.stages {
            for instruction in stage.instructions where instruction.kind == .expose {
                guard case .words(let tokens) = instruction.arguments,
                    let environment = scope.variables(before: instruction)
                else { continue }
                for token in tokens {
                    // BuildKit expands each word with `ProcessWords`, which may split it.
                    guard case .success(let ports) = scope.expander.expandWords(token.text, environment: environment)
                    else { continue }
                    for port in ports {
                        if let spec = ExposePortSpec(token: token, port: port) { specs.append(spec) }
                    }
                }
            }
        }
        return specs
    }

    /// Splits `port` as `splitParts` and `splitProtoPort` do; nil where BuildKit fails
    /// before linting.
    init?(token: Token, port: String) {
        let parts = port.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1:
            (hostIP, hostPort, containerPort) = ("", "", parts[0])
        case 2:
            (hostIP, hostPort, containerPort) = ("", parts[0], parts[1])
        default:
            // `[::1]:80:80`: everything before the last two parts is the address.
            hostIP = parts.dropLast(2).joined(separator: ":")
            (hostPort, containerPort) = (parts[parts.count - 2], parts[parts.count - 1])
        }
        let number: Substring
        if let slash = containerPort.firstIndex(of: "/") {
            number = containerPort[..<slash]
            proto = String(containerPort[containerPort.index(after: slash)...])
        } else {
            number = Substring(containerPort)
            proto = ""
        }
        guard !number.isEmpty, ["", "tcp", "udp", "sctp"].contains(proto.lowercased()) else { return nil }
        self.token = token
        self.port = port
    }

    /// Whether `text` is a port number BuildKit accepts (`parsePortNumber`: 0 to 65535).
    static func isPortNumber(_ text: some StringProtocol) -> Bool {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text)
        else { return false }
        return value <= 65535
    }

    /// Whether BuildKit's `ExposeInvalidFormat` fires: an address or a host port is given.
    var hasHostPart: Bool { !hostIP.isEmpty || !hostPort.isEmpty }

    /// Whether the word is written exactly as it expands: no variables, quotes or
    /// escapes, and no line continuation inside, so its bytes can be edited directly.
    func isLiteral(in context: RuleContext) -> Bool {
        guard token.text == port, context.syntax.source.text(in: token.range) == port else { return false }
        let escape = context.style.escapeCharacter
        return !port.contains { $0 == "$" || $0 == "\"" || $0 == "'" || $0 == escape }
    }
}
