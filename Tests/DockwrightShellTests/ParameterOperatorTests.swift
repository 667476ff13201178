import DockwrightShell
import DockwrightSyntax
import Testing

/// One operator set and one implementation: a `${…}` gives the same value in a
/// Dockerfile word (BuildKit's expansion) and in a RUN script (the shell layer).
@Suite struct ParameterOperatorTests {
    static let environment: VariableEnvironment = ["V": "1.2.3", "EMPTY": "", "LIST": "a,b,c", "PATHS": "/usr/local/bin"]

    static let words = [
        "${V:-x}", "${EMPTY:-x}", "${UNSET:-x}", "${EMPTY-x}", "${V:+y}", "${EMPTY:+y}", "${EMPTY+y}", "${UNSET+y}",
        "${V#*.}", "${V##*.}", "${V%.*}", "${V%%.*}", "${PATHS#/usr}", "${LIST/,/ }", "${LIST//,/ }", "${V//./-}",
        "${V/?/x}", "${V}",
    ]

    @Test(arguments: words)
    func aParameterHasOneValueInADockerfileWordAndInAScript(word: String) throws {
        let dockerfile = VariableExpander().evaluate(word, environment: Self.environment).value
        let script = try #require(parseScript("echo \(word)")?.commands.first)
        let shell = ExpandedWord.expand(Array(script.arguments), environment: Self.environment).map(\.value).joined(separator: " ")
        #expect(dockerfile != nil)
        #expect(shell == dockerfile)
    }

    @Test func theOperatorsReadAsPOSIXDefines() {
        #expect(ParameterOperator.useDefaultIfEmpty.apply(to: "", operand: { "d" }) == .value("d"))
        #expect(ParameterOperator.useDefault.apply(to: "", operand: { "d" }) == .value(""))
        #expect(ParameterOperator.useAlternative.apply(to: nil, operand: { "a" }) == .value(""))
        #expect(ParameterOperator.requireNonEmpty.apply(to: "", operand: { nil }) == .missingRequired(isUnset: false))
        #expect(ParameterOperator.removeLongestSuffix.apply(to: "a.b.c", operand: { ".*" }) == .value("a"))
        #expect(ParameterOperator.replaceAll.apply(to: "a,b", operand: { "," }, replacement: " ") == .value("a b"))
        // The operand is not asked for when the value decides.
        #expect(ParameterOperator.useDefault.apply(to: "set", operand: { nil }) == .value("set"))
        #expect(ParameterOperator.useDefault.apply(to: nil, operand: { nil }) == .unknownOperand)
    }

    /// What only the running shell knows stays unknown in a script: a bracket glob, a
    /// variable the environment does not show under a pattern.
    @Test func aScriptPatternBeyondBuildKitsIsUnknown() throws {
        for word in ["${V#[0-9]}", "${UNSET#x}", "$UNSET"] {
            let script = try #require(parseScript("echo \(word)")?.commands.first)
            #expect(!ExpandedWord.expand(Array(script.arguments), environment: Self.environment)[0].isLiteral)
        }
    }
}
