// The libFuzzer entry point, compiled only by scripts/fuzz.sh with
// `swiftc -sanitize=fuzzer,address`. It sits outside Sources/ because libFuzzer
// supplies `main`: as a package target, every `swift build` would try to link it.
// The properties themselves live in the DockwrightFuzzing target, so the replay
// test in Tests/DockwrightFuzzingTests checks saved crashers the same way.
import DockwrightFuzzing

/// Called by libFuzzer once per input; a broken property aborts, and libFuzzer
/// saves the input that broke it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        try FuzzProperties.check(bytes)
    } catch {
        fatalError("fuzz property broken: \(error.description)")
    }
    return 0
}
