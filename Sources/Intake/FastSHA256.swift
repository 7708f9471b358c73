import COpenSSL
import CSHA256Lanes

/// SHA-256 (FIPS 180-4) for the hot paths: the Merkle leaves of a release (every payload's bytes) and the
/// nodes above them. OpenSSL's libcrypto uses the CPU's SHA extensions where present, about four times
/// portable C (Benchmarks/README.md), and `CSHA256Lanes` hashes four messages at once. Everything else hashes
/// with Core's plain `SHA256`, and the law tests (Tests/AnonTests/SHA256Tests.swift) check this one against
/// it byte for byte, lanes on and off. A value: the state is a plain C struct, so a copy hashes on
/// independently and nothing is allocated or freed.
package struct FastSHA256: Sendable {
    package static let byteCount = 32

    private var state = SHA256_CTX()

    package init() {
        // SHA256_Init only fills in the initial hash values; it cannot fail.
        SHA256_Init(&state)
    }

    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        SHA256_Update(&state, base, bytes.count)
    }

    package mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    package mutating func update(byte: UInt8) {
        var b = byte
        SHA256_Update(&state, &b, 1)
    }

    /// Writes the 32-byte digest to `out`.
    package consuming func finalize(into out: UnsafeMutablePointer<UInt8>) {
        SHA256_Final(out, &state)
    }

    package consuming func finalize() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.byteCount) { b, n in
            finalize(into: b.baseAddress!)
            n = Self.byteCount
        }
    }

    /// SHA-256(0x01 ‖ `left` ‖ `right`) of two 32-byte hashes, written to `out`: an RFC 6962 inner node.
    /// Its 65 bytes pad to exactly two blocks, which are laid out here and compressed directly: a release
    /// of 10^7 entries hashes 4.5 million nodes, and the streaming interface's buffering and padding logic
    /// cost as much as the compression itself.
    package static func node(_ left: UnsafeRawPointer, _ right: UnsafeRawPointer, into out: UnsafeMutablePointer<UInt8>) {
        var ctx = SHA256_CTX()
        SHA256_Init(&ctx)
        withUnsafeTemporaryAllocation(byteCount: 128, alignment: 16) { block in
            let b = block.baseAddress!
            b.initializeMemory(as: UInt8.self, repeating: 0, count: 128)
            b.storeBytes(of: 0x01, as: UInt8.self)
            (b + 1).copyMemory(from: left, byteCount: 32)
            (b + 33).copyMemory(from: right, byteCount: 32)
            b.storeBytes(of: 0x80, toByteOffset: 65, as: UInt8.self)
            // The message length in bits (65 × 8 = 520), big-endian, ends the second block.
            b.storeBytes(of: 0x02, toByteOffset: 126, as: UInt8.self)
            b.storeBytes(of: 0x08, toByteOffset: 127, as: UInt8.self)
            let bytes = b.assumingMemoryBound(to: UInt8.self)
            SHA256_Transform(&ctx, bytes)
            SHA256_Transform(&ctx, bytes + 64)
        }
        withUnsafeBytes(of: &ctx.h) { h in
            for i in 0..<8 {
                let w = h.load(fromByteOffset: 4 * i, as: UInt32.self)
                for j in 0..<4 { out[4 * i + j] = UInt8(truncatingIfNeeded: w >> (24 - 8 * j)) }
            }
        }
    }

    /// SHA-256(`prefix` ‖ `bytes`) written to `out`, without copying `bytes` behind the prefix: the RFC 6962
    /// leaf (prefix 0x00) and node (prefix 0x01) hashes.
    package static func hash(prefix: UInt8, _ bytes: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>) {
        var h = FastSHA256()
        h.update(byte: prefix)
        h.update(bytes)
        h.finalize(into: out)
    }

    /// Whether this CPU hashes four messages at once (the x86 SHA extensions, `CSHA256Lanes`). Without
    /// them, `hash(prefix:each:lengths:count:into:)` and `nodes(_:count:into:)` hash one message at a time.
    #if arch(x86_64)
    package static let hasLanes: Bool = bp_sha256_lanes_available() != 0
    #else
    package static let hasLanes = false
    #endif

    /// SHA-256(`prefix` ‖ message i) for the `count` messages starting at `starts[i]` of `lengths[i]`
    /// bytes, written to `out[32 i ..< 32 i + 32]`: the RFC 6962 leaves of a batch of payloads, hashed four
    /// at a time where the CPU allows (about 1.8× one at a time on payload-sized messages).
    /// `lanes: false` hashes one at a time, as on a CPU without the extensions (the tests compare both).
    package static func hash(prefix: UInt8, each starts: UnsafePointer<UnsafePointer<UInt8>?>, lengths: UnsafePointer<Int>,
                            count: Int, into out: UnsafeMutablePointer<UInt8>, lanes: Bool = hasLanes) {
        guard count > 0 else { return }
        if lanes {
            precondition(hasLanes, "this CPU has no SHA extensions")
            #if arch(x86_64)
            bp_sha256_prefixed(prefix, starts, lengths, count, out)
            return
            #endif
        }
        for i in 0..<count {
            hash(prefix: prefix, UnsafeRawBufferPointer(start: starts[i], count: lengths[i]), into: out + 32 * i)
        }
    }

    /// RFC 6962 inner nodes of consecutive pairs: `out[32 i ..< 32 i + 32]` = SHA-256(0x01 ‖ `pairs[64 i ..<
    /// 64 i + 64]`), for i in 0..<`count`. One level of a tree at a time; `out` may be `pairs`.
    package static func nodes(_ pairs: UnsafePointer<UInt8>, count: Int, into out: UnsafeMutablePointer<UInt8>,
                             lanes: Bool = hasLanes) {
        guard count > 0 else { return }
        if lanes {
            precondition(hasLanes, "this CPU has no SHA extensions")
            #if arch(x86_64)
            bp_sha256_nodes(pairs, count, out)
            return
            #endif
        }
        // Node i is written after pair i is read and lies at or before it, so working in place is safe here too.
        for i in 0..<count { node(pairs + 64 * i, pairs + 64 * i + 32, into: out + 32 * i) }
    }
}
