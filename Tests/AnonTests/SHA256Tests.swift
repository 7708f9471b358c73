import CSodium
import Testing
import TestSupport
@testable import Anon

@Suite("SHA256") struct SHA256Tests {
    /// FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA2_Additional.pdf") and the one-million-'a' message.
    static let vectors: [(String, [UInt8], String)] = [
        ("abc", Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("empty", [], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("448 bits", Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("896 bits", Array("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8),
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        ("one million a", [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000),
         "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ]

    @Test("the FIPS 180-4 example messages hash to their published digests", arguments: vectors.indices)
    func nistVectors(_ i: Int) {
        let (name, message, digest) = Self.vectors[i]
        #expect(Merkle.hex(SHA256.hash(message)) == digest, "\(name)")
    }

    @Test("one million 'a' fed in uneven chunks hashes like the whole message")
    func incremental() {
        var h = SHA256()
        var left = 1_000_000, rng = SplitMix64(seed: 7), chunk = 0
        while left > 0 {
            chunk = min(left, Int(rng.next(0...300)))
            h.update([UInt8](repeating: UInt8(ascii: "a"), count: chunk))
            left -= chunk
        }
        #expect(Merkle.hex(h.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("a copied hasher continues on its own")
    func valueSemantics() {
        var a = SHA256()
        a.update(Array("ab".utf8))
        var b = a
        a.update(Array("c".utf8))
        b.update(Array("d".utf8))
        #expect(a.finalize() == SHA256.hash(Array("abc".utf8)))
        #expect(b.finalize() == SHA256.hash(Array("abd".utf8)))
    }

    @Test("the digest equals libsodium's crypto_hash_sha256 on random messages of 0 to 4096 bytes")
    func matchesLibsodium() {
        var rng = SplitMix64(seed: 180_4)
        // The first failing length is reported, not hundreds.
        var firstMismatch: String?
        for _ in 0..<500 where firstMismatch == nil {
            let n = Int(rng.next(0...4096))
            let message = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let prefix = UInt8(truncatingIfNeeded: rng.next())
            var prefixed = [UInt8](repeating: 0, count: 32)
            message.withUnsafeBytes { m in prefixed.withUnsafeMutableBufferPointer { SHA256.hash(prefix: prefix, m, into: $0.baseAddress!) } }
            if SHA256.hash(message) != Self.sodium(message) { firstMismatch = "length \(n)" }
            if prefixed != Self.sodium([prefix] + message) { firstMismatch = "prefix \(prefix), length \(n)" }
        }
        #expect(firstMismatch == nil)
    }

    @Test("an inner node, laid out as two blocks, is SHA-256(0x01 ‖ left ‖ right) as libsodium computes it")
    func nodeMatchesLibsodium() {
        var rng = SplitMix64(seed: 65)
        for _ in 0..<200 {
            let l = (0..<32).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, r = (0..<32).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            #expect(Merkle.node(l, r) == Self.sodium([1] + l + r))
        }
    }

    @Test("the Merkle root, folded leaf by leaf, equals RFC 6962's recursive tree hash built on libsodium, for 1 to 70 random leaves")
    func merkleMatchesLibsodium() {
        var rng = SplitMix64(seed: 6962)
        let firstMismatch = (1...70).first { count in
            let leaves = (0..<count).map { _ in (0..<Int(rng.next(0...600))).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
            return Merkle.root(leaves) != Self.sodiumTree(leaves[...])
        }
        #expect(firstMismatch == nil, "leaf count")
    }

    @Test("the tree hash cut into pieces at the tree's own split points and folded on threads equals the reference, for 1 to 70 leaves and 1 to 80 pieces")
    func parallelTreeHashMatches() {
        var rng = SplitMix64(seed: 6963)
        for count in 1...70 {
            let leaves = (0..<count).map { _ in (0..<Int(rng.next(0...80))).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
            let reference = Self.sodiumTree(leaves[...])
            for pieces in [1, 2, 3, 8, 80] {
                let got = Merkle.treeHash(of: 0..<count, pieces: pieces) { range in Merkle.root(Array(leaves[range])) }
                #expect(got == reference, "\(count) leaves, \(pieces) pieces")
            }
        }
    }

    static func sodium(_ message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        _ = message.withUnsafeBufferPointer { crypto_hash_sha256(&out, $0.baseAddress, UInt64($0.count)) }
        return out
    }

    /// RFC 6962 §2.1 written straight from the text, as the reference.
    static func sodiumTree(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        if leaves.count == 1 { return sodium([0] + leaves.first!) }
        var k = 1
        while k * 2 < leaves.count { k *= 2 }
        let mid = leaves.startIndex + k
        return sodium([1] + sodiumTree(leaves[..<mid]) + sodiumTree(leaves[mid...]))
    }
}
