// swift-tools-version:6.0
// Backpay verification toolkit. Apache-2.0.
//
// Dependencies, and why each earns its place:
// - libsodium (ISC, system library via pkg-config): Ed25519, BLAKE2b, SHA-2 and scrypt; the same
//   primitives minisign uses, so our signatures are byte-identical to the stock tool's.
// - swift-argument-parser (Apache-2.0): the command-line surface, help and usage errors (exit 64).
import PackageDescription

let package = Package(
    name: "backpay-verify",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "backpay-verify", targets: ["backpay-verify"]),
        .library(name: "Schema", targets: ["Schema"]),
        .library(name: "Anon", targets: ["Anon"]),
        .library(name: "Verify", targets: ["Verify"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]
        ),
        .target(
            name: "Schema",
            dependencies: ["CSodium"]
        ),
        .target(name: "Anon", dependencies: ["Schema", "CSodium"]),
        .target(name: "Verify", dependencies: ["Schema", "Anon", "CSodium"]),
        .executableTarget(
            name: "backpay-verify",
            dependencies: [
                "Schema", "Anon", "Verify",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "SchemaTests", dependencies: ["Schema", "TestSupport"]),
        .testTarget(name: "AnonTests", dependencies: ["Anon", "Schema", "TestSupport"], exclude: ["lp_crosscheck.py"]),
        .testTarget(name: "VerifyTests", dependencies: ["Verify", "Anon", "Schema", "CSodium", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["backpay-verify"]),
    ]
)
