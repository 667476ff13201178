// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "dockwright",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dockwright", targets: ["dockwright"]),
        .library(name: "DockwrightSyntax", targets: ["DockwrightSyntax"]),
        .library(name: "DockwrightShell", targets: ["DockwrightShell"]),
    ],
    targets: [
        .target(name: "DockwrightSyntax"),
        .target(name: "DockwrightShell", dependencies: ["DockwrightSyntax"]),
        // The semantic model rules read (stage facts, instruction views, pragmas, scripts):
        // Syntax → Shell → Model → Core/Rules, and nothing below it imports it.
        .target(name: "DockwrightModel", dependencies: ["DockwrightSyntax", "DockwrightShell"]),
        .target(name: "DockwrightCore", dependencies: ["DockwrightSyntax", "DockwrightShell", "DockwrightModel"]),
        .target(
            name: "DockwrightRules",
            dependencies: ["DockwrightSyntax", "DockwrightShell", "DockwrightModel", "DockwrightCore"]),
        .target(name: "DockwrightOutput", dependencies: ["DockwrightSyntax", "DockwrightCore"]),
        // The language server (`dockwright server`): JSON-RPC over stdio around the Linter,
        // the fix loop and rule metadata, with no rule knowledge of its own; the CLI gives
        // it each file's linter, configured as `dockwright lint` configures it.
        .target(
            name: "DockwrightServer",
            dependencies: ["DockwrightSyntax", "DockwrightModel", "DockwrightCore", "DockwrightRules"]),
        // The OCI distribution client behind `pin` and `lint --online`: the only code that
        // touches the network, and only when one of those commands asks.
        .target(name: "DockwrightRegistry", dependencies: ["DockwrightSyntax"]),
        .target(
            name: "DockwrightCLI",
            dependencies: [
                "DockwrightSyntax", "DockwrightShell", "DockwrightCore", "DockwrightRules", "DockwrightOutput",
                "DockwrightServer",
                "DockwrightRegistry",
            ]),
        // The properties scripts/fuzz.sh checks on every input; its libFuzzer entry
        // point lives in scripts/fuzz/, outside the package, since it has no `main`.
        .target(name: "DockwrightFuzzing", dependencies: ["DockwrightSyntax", "DockwrightCore", "DockwrightRules"]),
        .executableTarget(
            name: "dockwright", dependencies: ["DockwrightCLI"],
            // Start-up is most of what editor on-save waits for: a static standard library
            // halves it, and a position-dependent executable spares the dynamic loader
            // relocating all Swift metadata at every start. FoundationEssentials' own
            // dependencies are not linked automatically when static.
            linkerSettings: [
                .unsafeFlags(
                    [
                        "-static-stdlib", "-Xclang-linker", "-no-pie",
                        "-Xlinker", "-l_FoundationCollections", "-Xlinker", "-l_FoundationCShims",
                        "-Xlinker", "-lswiftSynchronization",
                    ],
                    .when(platforms: [.linux])),
            ]),
        .testTarget(name: "DockwrightSyntaxTests", dependencies: ["DockwrightSyntax"]),
        .testTarget(name: "DockwrightShellTests", dependencies: ["DockwrightShell", "DockwrightSyntax"]),
        .testTarget(
            name: "DockwrightModelTests", dependencies: ["DockwrightModel", "DockwrightShell", "DockwrightSyntax"]),
        .testTarget(name: "DockwrightCoreTests", dependencies: ["DockwrightCore", "DockwrightSyntax", "DockwrightOutput"]),
        .testTarget(
            name: "DockwrightRulesTests",
            dependencies: [
                "DockwrightRules", "DockwrightCore", "DockwrightSyntax", "DockwrightShell", "DockwrightCLI",
                "DockwrightOutput",
            ]),
        .testTarget(name: "DockwrightCLITests", dependencies: ["DockwrightCLI", "DockwrightSyntax"]),
        .testTarget(name: "DockwrightRegistryTests", dependencies: ["DockwrightRegistry", "DockwrightCLI", "DockwrightSyntax"]),
        .testTarget(
            name: "DockwrightServerTests",
            dependencies: ["DockwrightServer", "DockwrightCLI", "DockwrightCore", "DockwrightRules", "DockwrightSyntax"]),
        .testTarget(
            name: "DockwrightFuzzingTests", dependencies: ["DockwrightFuzzing", "DockwrightSyntax"],
            exclude: ["FuzzRegressions"]),
    ]
)
