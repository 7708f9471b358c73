/// The RFC 6962 tree hash of leaves handed over one at a time, in order, holding one hash per level.
///
/// The tree of n leaves is the perfect tree of the largest power of two below n on the left and the tree
/// of the rest on the right, so the perfect subtrees completed so far (the binary digits of n, at most
/// log2 n of them) are all that must be kept; folding them from the right at the end gives the root.
struct MerkleFold {
    private var stack: [(hash: InlineArray<32, UInt8>, size: Int)] = []
    private(set) var count = 0

    mutating func append(leafHash: InlineArray<32, UInt8>) {
        var h = leafHash, size = 1
        while let top = stack.last, top.size == size {
            stack.removeLast()
            h = Self.node(top.hash, h)
            size *= 2
        }
        stack.append((h, size))
        count += 1
    }

    /// The root; the empty tree hashes the empty string.
    func root() -> [UInt8] {
        guard var h = stack.last?.hash else { return Merkle.sha256([]) }
        for i in stride(from: stack.count - 2, through: 0, by: -1) { h = Self.node(stack[i].hash, h) }
        return (0..<32).map { h[$0] }
    }

    /// SHA-256(0x01 ‖ left ‖ right).
    static func node(_ l: InlineArray<32, UInt8>, _ r: InlineArray<32, UInt8>) -> InlineArray<32, UInt8> {
        var (l, r) = (l, r)
        var out = InlineArray<32, UInt8>(repeating: 0)
        withUnsafeBytes(of: &l) { lb in
            withUnsafeBytes(of: &r) { rb in
                withUnsafeMutableBytes(of: &out) { o in SHA256.node(lb.baseAddress!, rb.baseAddress!, into: o.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
            }
        }
        return out
    }
}
