import Intake
import Core
import CSodium
import Foundation
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
        #expect(Hex.encode(SHA256.hash(message)) == digest, "\(name)")
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
        #expect(Hex.encode(h.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
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

    @Test("law: Core's plain SHA-256 and the fast prefixed hash (libcrypto) both equal libsodium's crypto_hash_sha256 on random messages of 0 to 4096 bytes")
    func matchesLibsodium() {
        var rng = SplitMix64(seed: 180_4)
        // The first failing length is reported, not hundreds.
        var firstMismatch: String?
        for _ in 0..<500 where firstMismatch == nil {
            let n = Int(rng.next(0...4096))
            let message = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let prefix = UInt8(truncatingIfNeeded: rng.next())
            var prefixed = [UInt8](repeating: 0, count: 32)
            message.withUnsafeBytes { m in prefixed.withUnsafeMutableBufferPointer { FastSHA256.hash(prefix: prefix, m, into: $0.baseAddress!) } }
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
            return Self.fold(leaves) != Self.sodiumTree(leaves[...])
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
                let got = Merkle.treeHash(of: 0..<count, pieces: pieces) { range in Self.fold(Array(leaves[range])) }
                #expect(got == reference, "\(count) leaves, \(pieces) pieces")
            }
        }
    }

    // Several messages at once (CSHA256Lanes where the CPU has the SHA extensions). The lanes take a new
    // message as soon as one ends and pad each one themselves, so what must be covered is every length
    // around the block boundaries (55, 56, 63, 64 with the prefix byte) and every pattern of lanes ending
    // together or apart, with one, two, three or four still busy.

    /// The Merkle root of `leaves` (canonical bytes) through the one fold releases use.
    static func fold(_ leaves: [[UInt8]]) -> [UInt8] {
        var fold = MerkleFold()
        for l in leaves { fold.append(leafHash: MerkleLeaf(canonicalBytes: l).bytes) }
        return fold.root()
    }

    /// `FastSHA256.hash(prefix:each:…)` on arrays.
    static func hashEach(prefix: UInt8, _ messages: [[UInt8]], nilWhenEmpty: Bool = false, lanes: Bool = FastSHA256.hasLanes) -> [[UInt8]] {
        var out = [UInt8](repeating: 0, count: 32 * messages.count)
        let copies = messages.map { m -> UnsafeMutablePointer<UInt8>? in
            if m.isEmpty && nilWhenEmpty { return nil }
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, m.count))
            p.initialize(from: m, count: m.count)
            return p
        }
        defer { copies.forEach { $0?.deallocate() } }
        let starts = copies.map { UnsafePointer($0) }, lengths = messages.map(\.count)
        out.withUnsafeMutableBufferPointer { FastSHA256.hash(prefix: prefix, each: starts, lengths: lengths, count: messages.count, into: $0.baseAddress!, lanes: lanes) }
        return (0..<messages.count).map { Array(out[32 * $0..<32 * $0 + 32]) }
    }

    /// The paths this machine can run: four lanes where the CPU has the extensions, one at a time always.
    static let paths = FastSHA256.hasLanes ? [true, false] : [false]

    @Test("hashed together, the FIPS 180-4 messages (their first byte as the prefix) give their published digests", arguments: paths)
    func lanesNISTVectors(lanes: Bool) {
        // Every non-empty example begins with "a", so they can share one call with "a" as the prefix.
        let vectors = Self.vectors.filter { !$0.1.isEmpty }
        #expect(vectors.allSatisfy { $0.1.first == UInt8(ascii: "a") })
        let digests = Self.hashEach(prefix: UInt8(ascii: "a"), vectors.map { Array($0.1.dropFirst()) }, lanes: lanes)
        #expect(digests.map { Hex.encode($0) } == vectors.map(\.2))
    }

    @Test("many messages hashed at once equal each hashed alone: every length from 0 to 300, and random counts, lengths and prefixes")
    func lanesMatchOneAtATime() {
        var rng = SplitMix64(seed: 4_2)
        func alone(_ prefix: UInt8, _ m: [UInt8]) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: 32)
            m.withUnsafeBytes { b in out.withUnsafeMutableBufferPointer { FastSHA256.hash(prefix: prefix, b, into: $0.baseAddress!) } }
            return out
        }
        func random(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
        // Every length, in groups of 1 to 9 so that lanes end at every offset of one another.
        var length = 0, firstMismatch: String?
        while length <= 300, firstMismatch == nil {
            let group = (0..<Int(rng.next(1...9))).map { _ in defer { length += 1 }; return random(length) }
            let prefix = UInt8(truncatingIfNeeded: rng.next())
            if Self.hashEach(prefix: prefix, group, nilWhenEmpty: true) != group.map({ alone(prefix, $0) }) {
                firstMismatch = "lengths \(group.map(\.count))"
            }
        }
        for _ in 0..<300 where firstMismatch == nil {
            let count = Int(rng.next(0...13))
            let group = (0..<count).map { _ in random(Int(rng.next(0...1) == 0 ? rng.next(0...200) : rng.next(0...5000))) }
            let prefix = UInt8(truncatingIfNeeded: rng.next())
            if Self.hashEach(prefix: prefix, group) != group.map({ alone(prefix, $0) }) { firstMismatch = "lengths \(group.map(\.count))" }
        }
        #expect(firstMismatch == nil)
    }

    @Test("the inner nodes of a level, hashed together out of place or in place, equal each node hashed alone, for 0 to 37 pairs", arguments: paths)
    func lanesNodes(lanes: Bool) {
        var rng = SplitMix64(seed: 6_4)
        for count in 0...37 {
            // One spare byte, so that no buffer is empty.
            let pairs = (0..<64 * count + 1).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            var expected: [UInt8] = []
            for i in 0..<count {
                let left = Array(pairs[64 * i..<64 * i + 32]), right = Array(pairs[64 * i + 32..<64 * i + 64])
                expected += Merkle.node(left, right)
            }
            var out = [UInt8](repeating: 0, count: 32 * count + 1)
            pairs.withUnsafeBufferPointer { p in out.withUnsafeMutableBufferPointer { FastSHA256.nodes(p.baseAddress!, count: count, into: $0.baseAddress!, lanes: lanes) } }
            #expect(Array(out.prefix(32 * count)) == expected, "\(count) pairs")
            var inPlace = pairs
            inPlace.withUnsafeMutableBufferPointer { p in FastSHA256.nodes(p.baseAddress!, count: count, into: p.baseAddress!, lanes: lanes) }
            #expect(Array(inPlace.prefix(32 * count)) == expected, "\(count) pairs in place")
        }
    }

    @Test("several messages are hashed at once exactly when the CPU has the x86 SHA extensions (so this machine's tests cover the path it runs)")
    func lanesFollowTheCPU() throws {
        #if arch(x86_64) && os(Linux)
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? [])
        #expect(FastSHA256.hasLanes == flags.isSuperset(of: ["sha_ni", "ssse3", "sse4_1"]))
        #else
        #expect(!FastSHA256.hasLanes)
        #endif
    }

    @Test("folding leaves a perfect subtree at a time, each hashed level by level, equals RFC 6962's tree, for 0 to 600 leaves and chunks of 1 to 256")
    func merkleChunksMatchReference() {
        var rng = SplitMix64(seed: 6964)
        let leaves = (0..<600).map { _ in (0..<Int(rng.next(0...40))).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
        let hashes = leaves.map { MerkleLeaf(canonicalBytes: $0).bytes }
        for count in [0, 1, 2, 3, 5, 8, 31, 64, 255, 256, 257, 300, 511, 512, 513, 600] {
            let reference = count == 0 ? Self.sodium([]) : Self.sodiumTree(leaves[..<count])
            for chunk in [1, 2, 3, 4, 7, 8, 64, 256] {
                var fold = MerkleFold()
                var j = 0
                while j < count {
                    var part = Array(hashes[j..<min(count, j + chunk)])
                    part.withUnsafeMutableBufferPointer { fold.append(chunk: $0) }
                    j += part.count
                }
                #expect(fold.count == count)
                #expect(fold.root() == reference, "\(count) leaves in chunks of \(chunk)")
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
