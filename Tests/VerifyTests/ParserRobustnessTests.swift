import Testing
import TestSupport
@testable import Verify

/// The key and signature parsers are pure functions over untrusted bytes: whatever they are fed, they
/// return a value or throw their typed error, and never trap. (The libFuzzer target in Fuzz/ calls the same
/// functions; this property test runs in every `swift test`.)
@Suite("parser robustness")
struct ParserRobustnessTests {
    static func seeds() throws -> [[UInt8]] {
        let key = T.key(seed: 3)
        let release = T.release("2026-W24", sequence: 1, previous: nil)
        let sig = try MinisignSignature.sign(release, with: key, trustedComment: ReleaseClaims(header: try ReleaseHeader.read(release), timestamp: 1).description)
        return [key.publicKey.fileBytes, try key.fileBytes(passphrase: nil), sig.fileBytes,
                try SSHSignature.sign(release, with: key.key).fileBytes, release, Array(sig.trustedComment.utf8)]
    }

    static func feed(_ bytes: [UInt8]) {
        _ = try? MinisignPublicKey.parse(bytes)
        _ = try? MinisignPublicKey.parseBase64(bytes)
        if let f = try? MinisignSecretKeyFile.parse(bytes), !f.isEncrypted { _ = try? f.decrypt(passphrase: nil) }
        if let s = try? MinisignSignature.parse(bytes) { _ = s.verify(bytes, publicKey: T.key(seed: 3).publicKey) }
        if let s = try? SSHSignature.parse(bytes) { _ = s.verify(bytes, namespace: "backpay-release", publicKey: s.publicKey) }
        _ = try? ReleaseHeader.read(bytes)
        _ = ReleaseClaims.parse(String(decoding: bytes, as: UTF8.self))
        _ = Base64.decode(bytes)
    }

    @Test("mutated valid files never crash a parser")
    func mutations() throws {
        var rng = SplitMix64(seed: 0x5EED_0001)
        for seed in try Self.seeds() {
            for _ in 0..<400 {
                var b = seed
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    switch Int.random(in: 0..<5, using: &rng) {
                    case 0 where !b.isEmpty: b[Int.random(in: 0..<b.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                    case 1 where !b.isEmpty: b.remove(at: Int.random(in: 0..<b.count, using: &rng))
                    case 2: b.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...b.count, using: &rng))
                    case 3 where !b.isEmpty: b = Array(b.prefix(Int.random(in: 0..<b.count, using: &rng)))
                    default: b += b.suffix(Int.random(in: 0...min(64, b.count), using: &rng))
                    }
                }
                Self.feed(b)
            }
        }
    }

    @Test("random bytes never crash a parser")
    func random() {
        var rng = SplitMix64(seed: 0x5EED_0002)
        for _ in 0..<2000 {
            let n = Int.random(in: 0..<600, using: &rng)
            Self.feed((0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
    }

    @Test("structured random: valid-looking lines with random base64 payloads never crash")
    func structured() {
        var rng = SplitMix64(seed: 0x5EED_0003)
        for _ in 0..<1000 {
            let blob = (0..<Int.random(in: 0..<180, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let b64 = Base64.encode(blob)
            Self.feed(Array("untrusted comment: x\n\(b64)\n".utf8))
            Self.feed(Array("untrusted comment: x\n\(b64)\ntrusted comment: y\n\(b64)\n".utf8))
            Self.feed(Array("-----BEGIN SSH SIGNATURE-----\n\(Base64.encode(Array("SSHSIG".utf8) + blob))\n-----END SSH SIGNATURE-----\n".utf8))
        }
    }
}
