/// Why a Merkle proof does not prove what it claims.
public enum ProofFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The index is not below the tree size.
    case indexOutOfRange(index: Int, size: Int)
    /// The proof has more or fewer hashes than the tree's shape calls for.
    case wrongLength(expected: Int, found: Int)
    /// The hashes lead to another root.
    case rootMismatch
    /// The old tree is larger than the new one.
    case sizesReversed(old: Int, new: Int)

    public var description: String {
        switch self {
        case .indexOutOfRange(let i, let n): return "index \(i) is not in a tree of \(n) leaves"
        case .wrongLength(let e, let f): return "proof has \(f) hashes; a proof for this index and size has \(e)"
        case .rootMismatch: return "the proof's hashes lead to another root hash"
        case .sizesReversed(let o, let n): return "the old tree (\(o) leaves) is larger than the new one (\(n) leaves)"
        }
    }
}

/// Verification of RFC 6962 proofs, as RFC 9162 §2.1.3.2 and §2.1.4.2 give it. The lengths are checked
/// first, so a truncated or padded proof is told apart from a wrong one.
public enum ProofCheck {
    /// Hashes in an inclusion proof for `index` in a tree of `size` leaves.
    public static func inclusionProofLength(index: Int, size: Int) -> Int {
        // RFC 6962's PATH recursion, counted: one hash per split on the way down to the leaf.
        var i = index, n = size, count = 0
        while n > 1 {
            let k = RFC6962.split(n)
            count += 1
            if i < k { n = k } else { i -= k; n -= k }
        }
        return count
    }

    /// Checks that `proof` leads from `leafHash` at `index` to `root` in a tree of `size` leaves.
    public static func verifyInclusion(leafHash: TreeHash, index: Int, size: Int, proof: [TreeHash], root: TreeHash) throws(ProofFailure) {
        guard index >= 0, index < size else { throw .indexOutOfRange(index: index, size: size) }
        let expected = inclusionProofLength(index: index, size: size)
        guard proof.count == expected else { throw .wrongLength(expected: expected, found: proof.count) }
        var fn = index, sn = size - 1
        var r = leafHash
        for p in proof {
            guard sn != 0 else { throw .wrongLength(expected: expected, found: proof.count) }
            if fn & 1 == 1 || fn == sn {
                r = RFC6962.nodeHash(p, r)
                if fn & 1 == 0 { while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 } }
            } else {
                r = RFC6962.nodeHash(r, p)
            }
            fn >>= 1; sn >>= 1
        }
        guard sn == 0, r == root else { throw .rootMismatch }
    }

    /// Checks that the tree of `oldSize` leaves with root `oldRoot` is a prefix of the tree of `newSize`
    /// leaves with root `newRoot`, by `proof` (RFC 9162 §2.1.4.2). Equal sizes need an empty proof and
    /// equal roots; the empty tree is a prefix of every tree.
    public static func verifyConsistency(oldSize: Int, oldRoot: TreeHash, newSize: Int, newRoot: TreeHash, proof: [TreeHash]) throws(ProofFailure) {
        guard oldSize >= 0 else { throw .indexOutOfRange(index: oldSize, size: newSize) }
        guard oldSize <= newSize else { throw .sizesReversed(old: oldSize, new: newSize) }
        if oldSize == 0 || oldSize == newSize {
            guard proof.isEmpty else { throw .wrongLength(expected: 0, found: proof.count) }
            guard oldSize == 0 || oldRoot == newRoot else { throw .rootMismatch }
            return
        }
        let expected = consistencyProofLength(oldSize: oldSize, newSize: newSize)
        guard proof.count == expected else { throw .wrongLength(expected: expected, found: proof.count) }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1, sn = newSize - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        var fr = path[0], sr = path[0]
        for c in path.dropFirst() {
            guard sn != 0 else { throw .rootMismatch }
            if fn & 1 == 1 || fn == sn {
                fr = RFC6962.nodeHash(c, fr)
                sr = RFC6962.nodeHash(c, sr)
                if fn & 1 == 0 { while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 } }
            } else {
                sr = RFC6962.nodeHash(sr, c)
            }
            fn >>= 1; sn >>= 1
        }
        guard sn == 0, fr == oldRoot, sr == newRoot else { throw .rootMismatch }
    }

    /// Hashes in a consistency proof between sizes 0 < m < n (RFC 6962 §2.1.2's recursion, counted).
    public static func consistencyProofLength(oldSize m: Int, newSize n: Int) -> Int {
        var count = 0, m = m, n = n, complete = true
        while m != n {
            let k = RFC6962.split(n)
            count += 1
            if m <= k { n = k } else { m -= k; n -= k; complete = false }
        }
        return count + (complete ? 0 : 1)
    }
}
