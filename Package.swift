// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "dockwright",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dockwright", targets: ["dockwright"]),
        .library(name: "DockwrightSyntax", targets: ["DockwrightSyntax"]),
    ],
    targets: [
        .target(name: "DockwrightSyntax"),
        .target(name: "DockwrightCLI", dependencies: ["DockwrightSyntax"]),
        .executableTarget(name: "dockwright", dependencies: ["DockwrightCLI"]),
        .testTarget(name: "DockwrightSyntaxTests", dependencies: ["DockwrightSyntax"]),
        .testTarget(name: "DockwrightCLITests", dependencies: ["DockwrightCLI", "DockwrightSyntax"]),
    ]
)
