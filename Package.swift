// swift-tools-version:6.0
// Backpay verification toolkit. Apache-2.0.
//
// Dependencies, and why each earns its place:
// - libsodium (ISC, system library via pkg-config): Ed25519, BLAKE2b, SHA-2 and scrypt; the same
//   primitives minisign uses, so our signatures are byte-identical to the stock tool's.
// - OpenSSL's libcrypto (Apache-2.0, system library via pkg-config): SHA-256 only, because it uses the
//   CPU's SHA extensions (AVX2 without them) where libsodium's is portable C; the Merkle leaves of
//   `release build` hash every input payload (228 MB at 10^6 entries), measured in Benchmarks/README.md.
//   Where the CPU has the SHA extensions, the leaves and nodes are hashed four at a time by our own
//   CSHA256Lanes instead (its header says why no library), and libcrypto hashes single messages.
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
        .library(name: "Transparency", targets: ["Transparency"]),
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
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .target(
            name: "Schema",
            dependencies: ["CSodium"]
        ),
        // Our own SHA-256 compression, four messages at a time with the x86 SHA extensions (C: Swift has no
        // intrinsics for them); see its header for why no library does it.
        .target(name: "CSHA256Lanes"),
        .target(name: "Anon", dependencies: ["Schema", "CSodium", "COpenSSL", "CSHA256Lanes"]),
        .target(name: "Verify", dependencies: ["Schema", "Anon", "CSodium"]),
        // Inclusion and consistency proofs, signed notes, checkpoints and cosignatures (docs/transparency-format.md).
        .target(name: "Transparency", dependencies: ["Schema", "Anon", "Verify"]),
        .executableTarget(
            name: "backpay-verify",
            dependencies: [
                "Schema", "Anon", "Verify", "Transparency",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "SchemaTests", dependencies: ["Schema", "TestSupport"]),
        .testTarget(name: "AnonTests", dependencies: ["Anon", "Schema", "CSodium", "TestSupport"], exclude: ["lp_crosscheck.py"]),
        .testTarget(name: "VerifyTests", dependencies: ["Verify", "Anon", "Schema", "CSodium", "TestSupport"]),
        .testTarget(name: "TransparencyTests", dependencies: ["Transparency", "Verify", "Anon", "Schema", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["backpay-verify"]),
    ]
)
