import CSodium

/// SHA-256 (libsodium `crypto_hash_sha256`) and the Merkle root of a release's input payloads.
public enum Merkle {
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        // crypto_hash_sha256 cannot fail for in-memory input; sodium_init is not needed for hashing.
        _ = bytes.withUnsafeBufferPointer { b in crypto_hash_sha256(&out, b.baseAddress, UInt64(b.count)) }
        return out
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var s: [UInt8] = []
        s.reserveCapacity(bytes.count * 2)
        for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
        return String(decoding: s, as: UTF8.self)
    }

    /// `sha256:<hex>` of a file's bytes (the `previous` link of a release).
    public static func fileDigest(_ bytes: [UInt8]) -> String { "sha256:" + hex(sha256(bytes)) }

    /// The Merkle tree hash of RFC 6962 §2.1 over `leaves` (each the canonical bytes of one payload, in
    /// the order given): leaf = SHA-256(0x00 ‖ bytes), node = SHA-256(0x01 ‖ left ‖ right), the left
    /// subtree holding the largest power of two below n leaves. Domain separation keeps a leaf from
    /// passing for a node. The empty tree hashes the empty string.
    public static func root(_ leaves: [[UInt8]]) -> [UInt8] {
        if leaves.isEmpty { return sha256([]) }
        var level = leaves.map { sha256([0] + $0) }
        return subtree(&level, 0, level.count)
    }

    private static func subtree(_ hashes: inout [[UInt8]], _ lo: Int, _ n: Int) -> [UInt8] {
        if n == 1 { return hashes[lo] }
        var k = 1
        while k << 1 < n { k <<= 1 }
        let left = subtree(&hashes, lo, k), right = subtree(&hashes, lo + k, n - k)
        return sha256([1] + left + right)
    }
}
