// swift-tools-version:6.0
// libFuzzer targets for the toolkit, kept out of the root package so that `swift build` there never
// needs the fuzzer runtime. Build and run with Fuzz/run.sh.
import Foundation
import PackageDescription

// A path dependency is identified by its folder's name, which differs between clones and worktrees.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()
let core: Target.Dependency = .product(name: "Core", package: rootIdentity)
let schema: Target.Dependency = .product(name: "Schema", package: rootIdentity)
let verify: Target.Dependency = .product(name: "Verify", package: rootIdentity)
let transparency: Target.Dependency = .product(name: "Transparency", package: rootIdentity)

let package = Package(
    name: "backpay-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(name: "fuzz-json", dependencies: [core]),
        .executableTarget(name: "fuzz-regex", dependencies: [schema]),
        .executableTarget(name: "fuzz-payload", dependencies: [core, schema]),
        .executableTarget(name: "fuzz-signature", dependencies: [core, verify]),
        .executableTarget(name: "fuzz-transparency", dependencies: [transparency]),
    ]
)
