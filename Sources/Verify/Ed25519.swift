import CSodium

/// Ed25519 (RFC 8032, pure) through libsodium. Verification is libsodium 1.0.18's: canonical S (S < L),
/// canonical public key, no small-order key or R, cofactorless equation (docs/signature-format.md).
public enum Ed25519 {
    public static let publicKeyBytes = Int(crypto_sign_PUBLICKEYBYTES)
    public static let secretKeyBytes = Int(crypto_sign_SECRETKEYBYTES)
    public static let seedBytes = Int(crypto_sign_SEEDBYTES)
    public static let signatureBytes = Int(crypto_sign_BYTES)

    /// A public key: 32 bytes that encode a point of prime order (checked on creation).
    public struct PublicKey: Hashable, Sendable {
        public let rawRepresentation: [UInt8]

        /// Why 32 bytes are not a usable public key.
        public enum Problem: Error, Hashable, Sendable {
            case wrongLength(Int)
            /// Small order, not canonical, or not on the curve: a key under which forgeries are possible.
            case invalidPoint
        }

        public init(rawRepresentation raw: [UInt8]) throws(Problem) {
            guard raw.count == Ed25519.publicKeyBytes else { throw .wrongLength(raw.count) }
            sodiumReady()
            // Rejects small-order points (e.g. the identity, under which `identity ‖ 0` verifies for every
            // message), non-canonical encodings and points off the main subgroup.
            let ok = withPointer(raw) { p, _ in crypto_core_ed25519_is_valid_point(p) == 1 }
            guard ok else { throw .invalidPoint }
            rawRepresentation = raw
        }

        /// The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian.
        static let orderL: [UInt8] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
        ]

        /// Whether S (the second half of a 64-byte signature) is below L. libsodium rejects S ≥ L too; this
        /// lets a verifier say *why* (a malleated copy S + L of some signature) instead of "does not match".
        public static func hasCanonicalScalar(_ signature: [UInt8]) -> Bool {
            guard signature.count == Ed25519.signatureBytes else { return false }
            for i in stride(from: 31, through: 0, by: -1) {
                let s = signature[32 + i], l = orderL[i]
                if s != l { return s < l }
            }
            return false  // S == L
        }

        /// Whether `signature` is a valid Ed25519 signature of `message` under this key.
        public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
            guard signature.count == Ed25519.signatureBytes else { return false }
            sodiumReady()
            return withPointer(signature) { s, _ in
                withPointer(message) { m, mlen in
                    withPointer(rawRepresentation) { k, _ in crypto_sign_verify_detached(s, m, UInt64(mlen), k) == 0 }
                }
            }
        }
    }

    /// A secret key: libsodium's 64 bytes `seed ‖ public key`, held in wiped memory.
    public final class SecretKey: Sendable {
        let bytes: SecureBytes
        public let publicKey: PublicKey

        /// Why bytes are not a usable secret key.
        public enum Problem: Error, Hashable, Sendable {
            case wrongLength(Int)
            /// The stored public half is not the one the seed derives: signing would produce signatures
            /// under a key nobody holds (libsodium reads the public key from the secret key's second half).
            case inconsistent
            case invalidPublicKey
        }

        /// A fresh random key.
        public static func generate() -> SecretKey {
            let seed = SecureBytes(count: Ed25519.seedBytes) { randombytes_buf($0.baseAddress!, $0.count) }
            do { return try SecretKey(seed: seed) } catch {
                // A 32-byte seed always derives a prime-order key; anything else is a broken libsodium.
                fatalError("libsodium derived an invalid Ed25519 key from a random seed: \(error)")
            }
        }

        /// The key a 32-byte seed derives (RFC 8032 §5.1.5).
        public init(seed: SecureBytes) throws(Problem) {
            guard seed.count == Ed25519.seedBytes else { throw .wrongLength(seed.count) }
            var pk = [UInt8](repeating: 0, count: Ed25519.publicKeyBytes)
            let sk = SecureBytes(count: Ed25519.secretKeyBytes) { skp in
                seed.withUnsafeBytes { s in
                    pk.withUnsafeMutableBufferPointer { p in
                        _ = crypto_sign_seed_keypair(p.baseAddress!, skp.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                                     s.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    }
                }
            }
            guard let key = try? PublicKey(rawRepresentation: pk) else { throw .invalidPublicKey }
            bytes = sk
            publicKey = key
        }

        /// A key from libsodium's 64-byte form; its public half must be the one its seed derives.
        public convenience init(libsodiumSecretKey sk: SecureBytes) throws(Problem) {
            guard sk.count == Ed25519.secretKeyBytes else { throw .wrongLength(sk.count) }
            try self.init(seed: sk.slice(0..<Ed25519.seedBytes))
            let stored = sk.withUnsafeBytes { Array($0[Ed25519.seedBytes...]) }
            guard Sodium.constantTimeEqual(stored, publicKey.rawRepresentation) else { throw .inconsistent }
        }

        /// The deterministic Ed25519 signature of `message` (RFC 8032 §5.1.6).
        public func signature(for message: [UInt8]) -> [UInt8] {
            var sig = [UInt8](repeating: 0, count: Ed25519.signatureBytes)
            bytes.withUnsafeBytes { sk in
                sig.withUnsafeMutableBufferPointer { s in
                    withPointer(message) { m, mlen in
                        _ = crypto_sign_detached(s.baseAddress!, nil, m, UInt64(mlen),
                                                 sk.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    }
                }
            }
            return sig
        }

        /// Runs `body` over the 64 secret bytes (for writing a key file); do not let them escape.
        public func withLibsodiumSecretKey<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R { bytes.withUnsafeBytes(body) }
    }
}
