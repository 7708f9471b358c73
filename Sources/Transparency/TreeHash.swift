import Intake
import Core
import Anon

/// A 32-byte SHA-256 hash of a tree node or leaf (RFC 6962 §2.1).
public typealias TreeHash = [UInt8]

/// RFC 6962 §2.1 hashing: leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right). The same
/// hashing as a release's `inputs.merkle_root` (Anon's `Merkle`), and as Go's `sumdb/tlog` (`RecordHash`,
/// `NodeHash`), so proofs made here check there.
public enum RFC6962 {
    public static let hashBytes = 32

    /// SHA-256(0x00 ‖ data).
    public static func leafHash(_ data: [UInt8]) -> TreeHash {
        [UInt8](unsafeUninitializedCapacity: hashBytes) { out, n in
            Merkle.leafHash(data, into: out.baseAddress!)
            n = hashBytes
        }
    }

    /// SHA-256(0x01 ‖ left ‖ right) of two 32-byte hashes.
    public static func nodeHash(_ left: TreeHash, _ right: TreeHash) -> TreeHash {
        precondition(left.count == hashBytes && right.count == hashBytes, "tree hashes are 32 bytes")
        return [UInt8](unsafeUninitializedCapacity: hashBytes) { out, n in
            left.withUnsafeBytes { l in right.withUnsafeBytes { r in FastSHA256.node(l.baseAddress!, r.baseAddress!, into: out.baseAddress!) } }
            n = hashBytes
        }
    }

    /// The hash of the empty tree: SHA-256 of nothing.
    public static var emptyTreeHash: TreeHash { SHA256.hash([]) }

    /// The largest power of two strictly below `n` (n ≥ 2): where RFC 6962 splits a tree of n leaves.
    @inline(__always)
    static func split(_ n: Int) -> Int {
        precondition(n >= 2)
        return 1 << (Int.bitWidth - 1 - (n - 1).leadingZeroBitCount)
    }
}

/// An RFC 6962 tree held whole in memory, level by level, to answer many proofs: level 0 is the leaf
/// hashes, level l + 1 the hashes of the pairs of level l (an odd last hash has no node above it; the
/// lopsided right edge is hashed on demand). About 64 bytes a leaf, whatever the leaves' data.
///
/// Every perfect subtree of an RFC 6962 tree starts at a multiple of its size (the left side of each split
/// is the largest power of two, and the splits below it divide it), so such a subtree is one stored hash.
public struct MerkleTree: Sendable {
    /// levels[l] holds ⌊n / 2^l⌋ hashes of 32 bytes, back to back.
    private var levels: [[UInt8]]
    public let size: Int
    /// The hashes of the ranges lo..<size on the tree's right edge that are not perfect subtrees (at most
    /// log2 n of them), by lo: every proof whose path crosses the right edge needs one, and recomputing it
    /// would cost up to log2 n node hashes per proof.
    private var rightEdge: [Int: TreeHash] = [:]

    /// A tree over leaf hashes given back to back (32 bytes each), in leaf order.
    public init(leafHashes: [UInt8]) {
        precondition(leafHashes.count % RFC6962.hashBytes == 0, "leaf hashes are 32 bytes each")
        size = leafHashes.count / RFC6962.hashBytes
        levels = [leafHashes]
        var width = size
        while width > 1 {
            let pairs = width / 2
            var next = [UInt8](repeating: 0, count: pairs * RFC6962.hashBytes)
            levels[levels.count - 1].withUnsafeBufferPointer { below in
                next.withUnsafeMutableBufferPointer { FastSHA256.nodes(below.baseAddress!, count: pairs, into: $0.baseAddress!) }
            }
            levels.append(next)
            width = pairs
        }
        // Deepest first, so each range's right half is already known.
        var starts: [Int] = []
        var lo = 0
        while size - lo > 1, (size - lo) & (size - lo - 1) != 0 {
            starts.append(lo)
            lo += RFC6962.split(size - lo)
        }
        for lo in starts.reversed() { rightEdge[lo] = hash(lo..<size) }
    }

    /// A tree over the leaves' data (small trees: the log, tests).
    public init(leaves: [[UInt8]]) {
        self.init(leafHashes: leaves.flatMap { RFC6962.leafHash($0) })
    }

    /// The hash of leaf `index`.
    public func leafHash(_ index: Int) -> TreeHash { stored(level: 0, index) }

    private func stored(level: Int, _ i: Int) -> TreeHash {
        Array(levels[level][(i * RFC6962.hashBytes)..<((i + 1) * RFC6962.hashBytes)])
    }

    /// The root of the whole tree (RFC 6962 MTH).
    public var root: TreeHash { hash(0..<size) }

    /// The root of the tree of the first `n` leaves: what the log's checkpoint at size n signed.
    public func root(size n: Int) -> TreeHash {
        precondition(n >= 0 && n <= size)
        return hash(0..<n)
    }

    /// MTH(D[lo..<hi]) for a range that RFC 6962's recursion reaches from the root.
    func hash(_ r: Range<Int>) -> TreeHash {
        let n = r.count
        if n == 0 { return RFC6962.emptyTreeHash }
        if n & (n - 1) == 0 {
            let level = n.trailingZeroBitCount
            return stored(level: level, r.lowerBound >> level)
        }
        if r.upperBound == size, let known = rightEdge[r.lowerBound] { return known }
        let k = RFC6962.split(n)
        return RFC6962.nodeHash(hash(r.lowerBound..<(r.lowerBound + k)), hash((r.lowerBound + k)..<r.upperBound))
    }

    /// The audit path of leaf `index` in the tree of the first `treeSize` leaves (RFC 6962 §2.1.1 PATH),
    /// from the leaf's sibling up to a child of the root.
    public func inclusionProof(index: Int, treeSize: Int? = nil) -> [TreeHash] {
        let n = treeSize ?? size
        precondition(index >= 0 && index < n && n <= size)
        var path: [TreeHash] = []
        path.reserveCapacity(64 - n.leadingZeroBitCount)
        func walk(_ r: Range<Int>) {
            guard r.count > 1 else { return }
            let k = RFC6962.split(r.count), mid = r.lowerBound + k
            if index < mid { walk(r.lowerBound..<mid); path.append(hash(mid..<r.upperBound)) }
            else { walk(mid..<r.upperBound); path.append(hash(r.lowerBound..<mid)) }
        }
        walk(0..<n)
        return path
    }

    /// Hands the audit path of leaf `index` in the whole tree to `body`, hash by hash, leaf's sibling first,
    /// straight from the stored levels: no hash is computed or copied (every sibling in the whole tree is a
    /// perfect subtree, stored, or a range of the right edge, kept). For proving every leaf of a large tree.
    public func forEachProofHash(index: Int, _ body: (UnsafeRawBufferPointer) -> Void) {
        precondition(index >= 0 && index < size)
        withUnsafeTemporaryAllocation(of: (Int, Int).self, capacity: 64) { siblings in
            var count = 0, lo = 0, hi = size
            while hi - lo > 1 {
                let mid = lo + RFC6962.split(hi - lo)
                if index < mid { siblings[count] = (mid, hi); hi = mid } else { siblings[count] = (lo, mid); lo = mid }
                count += 1
            }
            for j in stride(from: count - 1, through: 0, by: -1) {
                let (a, b) = siblings[j]
                let n = b - a
                if n & (n - 1) == 0 {
                    let level = n.trailingZeroBitCount, at = (a >> level) * RFC6962.hashBytes
                    levels[level].withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[at..<(at + RFC6962.hashBytes)])) }
                } else {
                    let h = rightEdge[a] ?? hash(a..<b)
                    h.withUnsafeBytes(body)
                }
            }
        }
    }

    /// The consistency proof between the trees of the first `oldSize` and `newSize` leaves (RFC 6962
    /// §2.1.2 PROOF): empty when the sizes are equal or the old tree is empty.
    public func consistencyProof(from oldSize: Int, to newSize: Int? = nil) -> [TreeHash] {
        let n = newSize ?? size
        precondition(oldSize >= 0 && oldSize <= n && n <= size)
        guard oldSize > 0, oldSize < n else { return [] }
        var path: [TreeHash] = []
        func sub(_ m: Int, _ r: Range<Int>, _ complete: Bool) {
            if m == r.count {
                if !complete { path.append(hash(r)) }
                return
            }
            let k = RFC6962.split(r.count), mid = r.lowerBound + k
            if m <= k { sub(m, r.lowerBound..<mid, complete); path.append(hash(mid..<r.upperBound)) }
            else { sub(m - k, mid..<r.upperBound, false); path.append(hash(r.lowerBound..<mid)) }
        }
        sub(oldSize, 0..<n, true)
        return path
    }
}
