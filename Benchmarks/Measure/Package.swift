// swift-tools-version:6.0
// Measurements that time the toolkit's internals rather than check them, kept out of the unit-test
// targets (a test never times anything). Run with `make measure` (Benchmarks/README.md).
import Foundation
import PackageDescription

// A path dependency is identified by its folder's name, which differs between clones and worktrees.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

let package = Package(
    name: "backpay-measure",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "../..")],
    targets: [
        // libsodium's SHA-256, the reference the libcrypto one is timed against (the root's CSodium is not a product).
        .systemLibrary(name: "CSodiumMeasure", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .executableTarget(name: "backpay-measure", dependencies: [
            .product(name: "Anon", package: rootIdentity), "CSodiumMeasure",
        ]),
    ]
)
