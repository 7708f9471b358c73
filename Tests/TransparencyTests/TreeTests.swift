import Intake
import Testing
import Anon
import TestSupport
@testable import Transparency

@Suite("RFC 6962 tree hashing, inclusion and consistency proofs")
struct TreeTests {
    struct Vectors {
        let leaves: [[UInt8]]
        let roots: [(Int, String)]
        let inclusion: [(index: Int, size: Int, path: [String])]
        let consistency: [(old: Int, new: Int, proof: [String])]
    }

    func vectors() throws -> Vectors {
        let j = try TT.json("rfc6962.json") as! [String: Any]
        return Vectors(
            leaves: (j["leaves"] as! [String]).map(TT.bytes),
            roots: (j["roots"] as! [[String: Any]]).map { ($0["size"] as! Int, $0["root"] as! String) },
            inclusion: (j["inclusion"] as! [[String: Any]]).map { ($0["index"] as! Int, $0["size"] as! Int, $0["path"] as! [String]) },
            consistency: (j["consistency"] as! [[String: Any]]).map { ($0["old"] as! Int, $0["new"] as! Int, $0["proof"] as! [String]) })
    }

    @Test("roots of every prefix of the reference tree are RFC 6962's")
    func roots() throws {
        let v = try vectors()
        let tree = MerkleTree(leaves: v.leaves)
        for (n, root) in v.roots { #expect(TT.hex(tree.root(size: n)) == root, "size \(n)") }
        #expect(TT.hex(RFC6962.emptyTreeHash) == v.roots[0].1)
    }

    @Test("inclusion proofs match the vectors and verify")
    func inclusionVectors() throws {
        let v = try vectors()
        let tree = MerkleTree(leaves: v.leaves)
        for c in v.inclusion {
            let path = tree.inclusionProof(index: c.index, treeSize: c.size)
            #expect(path.map(TT.hex) == c.path, "leaf \(c.index) of \(c.size)")
            try ProofCheck.verifyInclusion(leafHash: tree.leafHash(c.index), index: c.index, size: c.size, proof: path, root: tree.root(size: c.size))
        }
    }

    @Test("consistency proofs match the vectors and verify")
    func consistencyVectors() throws {
        let v = try vectors()
        let tree = MerkleTree(leaves: v.leaves)
        for c in v.consistency {
            let proof = tree.consistencyProof(from: c.old, to: c.new)
            #expect(proof.map(TT.hex) == c.proof, "\(c.old) -> \(c.new)")
            try ProofCheck.verifyConsistency(oldSize: c.old, oldRoot: tree.root(size: c.old), newSize: c.new, newRoot: tree.root(size: c.new), proof: proof)
        }
    }

    /// A random tree of up to `max` leaves.
    func randomTree(_ g: inout SplitMix64, max: Int) -> MerkleTree {
        let n = Int.random(in: 1...max, using: &g)
        return MerkleTree(leaves: (0..<n).map { i in [UInt8(truncatingIfNeeded: i), UInt8(truncatingIfNeeded: i >> 8), UInt8.random(in: 0...255, using: &g)] })
    }

    @Test("any leaf of any size: the generated proof verifies, and any changed hash, index, size, length or root fails")
    func inclusionLaw() throws {
        var g = SplitMix64(seed: 6962)
        for round in 0..<300 {
            let tree = randomTree(&g, max: round < 100 ? 40 : 1100)
            let size = Int.random(in: 1...tree.size, using: &g)
            let index = Int.random(in: 0..<size, using: &g)
            let root = tree.root(size: size), leaf = tree.leafHash(index)
            let path = tree.inclusionProof(index: index, treeSize: size)
            #expect(path.count == ProofCheck.inclusionProofLength(index: index, size: size))
            try ProofCheck.verifyInclusion(leafHash: leaf, index: index, size: size, proof: path, root: root)
            if !path.isEmpty {
                var bad = path
                let k = Int.random(in: 0..<bad.count, using: &g)
                bad[k][Int.random(in: 0..<32, using: &g)] ^= 1
                #expect(throws: ProofFailure.rootMismatch) { try ProofCheck.verifyInclusion(leafHash: leaf, index: index, size: size, proof: bad, root: root) }
                #expect(throws: ProofFailure.self) { try ProofCheck.verifyInclusion(leafHash: leaf, index: index, size: size, proof: Array(path.dropLast()), root: root) }
                if path.count > 1 {
                    #expect(throws: ProofFailure.rootMismatch) { try ProofCheck.verifyInclusion(leafHash: leaf, index: index, size: size, proof: path.reversed(), root: root) }
                }
            }
            #expect(throws: ProofFailure.self) { try ProofCheck.verifyInclusion(leafHash: leaf, index: index, size: size, proof: path + [leaf], root: root) }
            var otherLeaf = leaf; otherLeaf[0] ^= 0x80
            #expect(throws: ProofFailure.self) { try ProofCheck.verifyInclusion(leafHash: otherLeaf, index: index, size: size, proof: path, root: root) }
            if size > 1 {
                let other = (index + 1) % size
                if ProofCheck.inclusionProofLength(index: other, size: size) == path.count {
                    #expect(throws: ProofFailure.self) { try ProofCheck.verifyInclusion(leafHash: leaf, index: other, size: size, proof: path, root: root) }
                }
            }
            #expect(throws: ProofFailure.self) { try ProofCheck.verifyInclusion(leafHash: leaf, index: size, size: size, proof: path, root: root) }
        }
    }

    @Test("any two sizes: the consistency proof verifies, and a changed hash, root or size fails")
    func consistencyLaw() throws {
        var g = SplitMix64(seed: 9162)
        for round in 0..<300 {
            let tree = randomTree(&g, max: round < 100 ? 40 : 1100)
            let new = Int.random(in: 1...tree.size, using: &g)
            let old = Int.random(in: 1...new, using: &g)
            let (oldRoot, newRoot) = (tree.root(size: old), tree.root(size: new))
            let proof = tree.consistencyProof(from: old, to: new)
            try ProofCheck.verifyConsistency(oldSize: old, oldRoot: oldRoot, newSize: new, newRoot: newRoot, proof: proof)
            var badRoot = oldRoot; badRoot[3] ^= 4
            #expect(throws: ProofFailure.self) { try ProofCheck.verifyConsistency(oldSize: old, oldRoot: badRoot, newSize: new, newRoot: newRoot, proof: proof) }
            if !proof.isEmpty {
                var bad = proof
                bad[Int.random(in: 0..<bad.count, using: &g)][7] ^= 2
                #expect(throws: ProofFailure.self) { try ProofCheck.verifyConsistency(oldSize: old, oldRoot: oldRoot, newSize: new, newRoot: newRoot, proof: bad) }
                #expect(throws: ProofFailure.self) { try ProofCheck.verifyConsistency(oldSize: old, oldRoot: oldRoot, newSize: new, newRoot: newRoot, proof: Array(proof.dropFirst())) }
            }
            if old < new {
                // Two trees that share no prefix are not consistent, whatever the proof.
                let other = MerkleTree(leaves: (0..<new).map { [UInt8(truncatingIfNeeded: $0), 0xFF] })
                #expect(throws: ProofFailure.self) { try ProofCheck.verifyConsistency(oldSize: old, oldRoot: oldRoot, newSize: new, newRoot: other.root(size: new), proof: proof) }
            }
        }
        #expect(throws: ProofFailure.sizesReversed(old: 3, new: 2)) { try ProofCheck.verifyConsistency(oldSize: 3, oldRoot: [], newSize: 2, newRoot: [], proof: []) }
    }

    @Test("the stored-path walk gives the same audit path as RFC 6962's PATH, for every leaf")
    func storedPathWalk() {
        var g = SplitMix64(seed: 2)
        for n in [1, 2, 3, 5, 8, 13, 100, 255, 256, 257, Int.random(in: 300...2000, using: &g)] {
            let tree = MerkleTree(leaves: (0..<n).map { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] })
            for i in 0..<n {
                var walked: [TreeHash] = []
                tree.forEachProofHash(index: i) { walked.append(Array($0)) }
                #expect(walked == tree.inclusionProof(index: i), "leaf \(i) of \(n)")
            }
        }
    }

    @Test("the tree's root is the release's Merkle fold of the same leaves (one hashing for releases and proofs)")
    func sameAsReleaseRoot() {
        var g = SplitMix64(seed: 1)
        for n in [1, 2, 3, 255, 256, 257, 1000] {
            let leaves = (0..<n).map { _ in (0..<Int.random(in: 0...40, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) } }
            var fold = MerkleFold()
            for l in leaves { fold.append(leafHash: MerkleLeaf(canonicalBytes: l).bytes) }
            #expect(MerkleTree(leaves: leaves).root == fold.root())
        }
    }
}
