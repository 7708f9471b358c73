/// SHA-256 (libcrypto, see `SHA256`) and the Merkle root of a release's input payloads.
public enum Merkle {
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] { SHA256.hash(bytes) }

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
        root(count: leaves.count) { i, out in leafHash(leaves[i], into: out) }
    }

    /// The same root over `count` leaves whose hashes `leaf(i, out)` writes (32 bytes) — the leaves'
    /// bytes need not be held at once. Hashes live in one flat buffer, not an array per node.
    public static func root(count: Int, leaf: (Int, UnsafeMutablePointer<UInt8>) -> Void) -> [UInt8] {
        if count == 0 { return sha256([]) }
        var hashes = [UInt8](repeating: 0, count: count * 32)
        hashes.withUnsafeMutableBufferPointer { h in for i in 0..<count { leaf(i, h.baseAddress! + i * 32) } }
        var out = [UInt8](repeating: 0, count: 32)
        hashes.withUnsafeMutableBufferPointer { h in
            out.withUnsafeMutableBufferPointer { o in subtree(h.baseAddress!, 0, count, into: o.baseAddress!) }
        }
        return out
    }

    /// SHA-256(0x00 ‖ bytes), written to `out`.
    public static func leafHash(_ bytes: [UInt8], into out: UnsafeMutablePointer<UInt8>) {
        bytes.withUnsafeBufferPointer { leafHash(UnsafeRawBufferPointer($0), into: out) }
    }

    public static func leafHash(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>) {
        SHA256.hash(prefix: 0, bytes, into: out)
    }

    private static func subtree(_ hashes: UnsafeMutablePointer<UInt8>, _ lo: Int, _ n: Int, into out: UnsafeMutablePointer<UInt8>) {
        if n == 1 { out.update(from: hashes + lo * 32, count: 32); return }
        var k = 1
        while k << 1 < n { k <<= 1 }
        // The two children on the stack, hashed behind the 0x01 prefix: no array per node.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { children in
            subtree(hashes, lo, k, into: children.baseAddress!)
            subtree(hashes, lo + k, n - k, into: children.baseAddress! + 32)
            SHA256.hash(prefix: 1, UnsafeRawBufferPointer(children), into: out)
        }
    }
}
