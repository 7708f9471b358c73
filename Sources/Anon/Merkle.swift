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
        var fold = MerkleFold()
        for l in leaves { fold.append(leafHash: MerkleLeaf(canonicalBytes: l).bytes) }
        return fold.root()
    }

    /// SHA-256(0x00 ‖ bytes), written to `out`.
    public static func leafHash(_ bytes: [UInt8], into out: UnsafeMutablePointer<UInt8>) {
        bytes.withUnsafeBufferPointer { leafHash(UnsafeRawBufferPointer($0), into: out) }
    }

    public static func leafHash(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>) {
        SHA256.hash(prefix: 0, bytes, into: out)
    }
}
