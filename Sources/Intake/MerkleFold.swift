import Core

/// The RFC 6962 tree hash of leaves handed over one at a time, in order, holding one hash per level.
///
/// The tree of n leaves is the perfect tree of the largest power of two below n on the left and the tree
/// of the rest on the right, so the perfect subtrees completed so far (the binary digits of n, at most
/// log2 n of them) are all that must be kept; folding them from the right at the end gives the root.
package struct MerkleFold {
    private var stack: [(hash: InlineArray<32, UInt8>, size: Int)] = []
    package private(set) var count = 0

    package init() {}

    package mutating func append(leafHash: InlineArray<32, UInt8>) {
        push(leafHash, size: 1)
    }

    /// Appends the leaves in `chunk`, overwriting it. When they make a perfect subtree of the tree being
    /// folded (a power of two of them, starting at a multiple of that power), it is hashed a level at a
    /// time: the nodes of a level do not depend on each other, so they are hashed several at a time
    /// (`SHA256.nodes`). Otherwise they are appended one by one.
    package mutating func append(chunk: UnsafeMutableBufferPointer<InlineArray<32, UInt8>>) {
        let n = chunk.count
        guard n > 1, n & (n - 1) == 0, count % n == 0 else {
            for h in chunk { append(leafHash: h) }
            return
        }
        let raw = UnsafeMutableRawPointer(chunk.baseAddress!).assumingMemoryBound(to: UInt8.self)
        precondition(MemoryLayout<InlineArray<32, UInt8>>.stride == 32, "hashes are packed")
        var level = n
        while level > 1 {
            level /= 2
            FastSHA256.nodes(raw, count: level, into: raw)
        }
        push(chunk[0], size: n)
        count += n - 1
    }

    /// Pushes the hash of a perfect subtree of `size` leaves, joining equal subtrees on the way.
    private mutating func push(_ hash: InlineArray<32, UInt8>, size: Int) {
        var h = hash, size = size
        while let top = stack.last, top.size == size {
            stack.removeLast()
            h = Self.node(top.hash, h)
            size *= 2
        }
        stack.append((h, size))
        count += 1
    }

    /// The root; the empty tree hashes the empty string.
    package func root() -> [UInt8] {
        guard var h = stack.last?.hash else { return SHA256.hash([]) }
        for i in stride(from: stack.count - 2, through: 0, by: -1) { h = Self.node(stack[i].hash, h) }
        return (0..<32).map { h[$0] }
    }

    /// SHA-256(0x01 ‖ left ‖ right).
    package static func node(_ l: InlineArray<32, UInt8>, _ r: InlineArray<32, UInt8>) -> InlineArray<32, UInt8> {
        var (l, r) = (l, r)
        var out = InlineArray<32, UInt8>(repeating: 0)
        withUnsafeBytes(of: &l) { lb in
            withUnsafeBytes(of: &r) { rb in
                withUnsafeMutableBytes(of: &out) { o in FastSHA256.node(lb.baseAddress!, rb.baseAddress!, into: o.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
            }
        }
        return out
    }
}
