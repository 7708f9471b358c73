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
        .library(name: "Core", targets: ["Core"]),
        .library(name: "Schema", targets: ["Schema"]),
        .library(name: "Anon", targets: ["Anon"]),
        .library(name: "Intake", targets: ["Intake"]),
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
        // Targets in the order data flows through them (docs/architecture.md); a target imports only those
        // above it.
        //
        // The strict JSON reader and canonical writer, files (the one opener, atomic outputs, scratch files),
        // the one line reader, calendar days and ISO weeks, the one SHA-256 and hex, secret wiping. Everything
        // else stands on it, so it links nothing but the C library.
        .target(name: "Core"),
        // Payload schemas: compile, validate (the payload hot path), lint, diff, gate, consent.
        .target(name: "Schema", dependencies: ["Core"]),
        // Disclosure control as pure math: a week's table in, a protected table and its audit out. No I/O,
        // no hashing, no unsafe code, so that the privacy argument can be read on its own.
        .target(name: "Anon", dependencies: ["Core"]),
        // Our own SHA-256 compression, four messages at a time with the x86 SHA extensions (C: Swift has no
        // intrinsics for them); see its header for why no library does it.
        .target(name: "CSHA256Lanes"),
        // Streaming a week's rows into Anon's table: validation on worker threads, member interning, paged
        // storage, Merkle leaves and the fold above them. The unsafe and performance code lives here, behind
        // `package` access, each piece law-tested against the plain code it replaces.
        .target(name: "Intake", dependencies: ["Core", "Schema", "Anon", "COpenSSL", "CSHA256Lanes"]),
        // The one release document type and its one decoder, the builder's assembly and the auditor's report,
        // the chain, keys, signatures (libsodium) and the verifier that runs the audit itself.
        .target(name: "Verify", dependencies: ["Core", "Schema", "Anon", "Intake", "CSodium"]),
        // Inclusion and consistency proofs, signed notes, checkpoints and cosignatures (docs/transparency-format.md).
        .target(name: "Transparency", dependencies: ["Core", "Schema", "Anon", "Intake", "Verify"]),
        .executableTarget(
            name: "backpay-verify",
            dependencies: [
                "Core", "Schema", "Anon", "Intake", "Verify", "Transparency",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Timings of internals (libcrypto against libsodium SHA-256, the audit at scale): measurements, not
        // tests, so they live outside the test targets (`make measure`, Benchmarks/README.md).
        .executableTarget(name: "backpay-measure", dependencies: ["Core", "Anon", "Intake", "CSodium"],
                          path: "Benchmarks/Measure/Sources/backpay-measure"),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "SchemaTests", dependencies: ["Core", "Schema", "TestSupport"]),
        .testTarget(name: "AnonTests", dependencies: ["Core", "Anon", "Intake", "Verify", "Schema", "CSodium", "TestSupport"], exclude: ["lp_crosscheck.py"]),
        .testTarget(name: "VerifyTests", dependencies: ["Core", "Verify", "Anon", "Intake", "Schema", "CSodium", "TestSupport"]),
        .testTarget(name: "TransparencyTests", dependencies: ["Core", "Transparency", "Verify", "Anon", "Intake", "Schema", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["backpay-verify"]),
    ]
)
