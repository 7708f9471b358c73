import Dispatch

/// The RFC 6962 §2.1 Merkle tree hash of a release's input payloads: leaf = SHA-256(0x00 ‖ canonical bytes),
/// node = SHA-256(0x01 ‖ left ‖ right), the left subtree holding the largest power of two below n leaves.
/// Domain separation keeps a leaf from passing for a node; the empty tree hashes the empty string.
/// `MerkleFold` folds leaves in order; this splits the work across threads.
package enum Merkle {
    /// The RFC 6962 hash of the leaves in `range`, computed as the tree is shaped: n leaves split after
    /// the largest power of two below n, recursively, until every piece holds at most 1/`pieces` of the
    /// leaves; `fold` hashes the pieces, all at once on the available threads, and their hashes are joined
    /// up the same splits. The split points are the tree's own, so the result is the same as folding the
    /// whole range. (The tree is lopsided, 2^k leaves on the left, so the pieces are cut from the whole
    /// tree and run together rather than by nesting two-way splits, which would leave threads idle.)
    package static func treeHash(of range: Range<Int>, pieces: Int, fold: @escaping @Sendable (Range<Int>) -> [UInt8]) -> [UInt8] {
        let largest = max(1, (range.count + pieces - 1) / max(1, pieces))
        func split(_ r: Range<Int>) -> (Range<Int>, Range<Int>)? {
            guard r.count > largest, r.count > 1 else { return nil }
            let k = 1 << (Int.bitWidth - 1 - (r.count - 1).leadingZeroBitCount)
            return (r.lowerBound..<(r.lowerBound + k), (r.lowerBound + k)..<r.upperBound)
        }
        var parts: [Range<Int>] = []
        func collect(_ r: Range<Int>) {
            if let (l, rr) = split(r) { collect(l); collect(rr) } else { parts.append(r) }
        }
        collect(range)
        let out = Results(count: parts.count)
        let ranges = parts
        DispatchQueue.concurrentPerform(iterations: ranges.count) { i in out.set(i, fold(ranges[i])) }
        var next = 0
        func join(_ r: Range<Int>) -> [UInt8] {
            guard let (l, rr) = split(r) else { defer { next += 1 }; return out[next] }
            let left = join(l)
            return node(left, join(rr))
        }
        return join(range)
    }

    /// Results written by concurrent iterations, one slot each.
    private final class Results: @unchecked Sendable {
        private let slots: UnsafeMutableBufferPointer<[UInt8]>
        package init(count: Int) { slots = .allocate(capacity: count); slots.initialize(repeating: []) }
        deinit { slots.deinitialize(); slots.deallocate() }
        package func set(_ i: Int, _ v: [UInt8]) { slots[i] = v }
        package subscript(i: Int) -> [UInt8] { slots[i] }
    }

    /// An inner node: SHA-256(0x01 ‖ left ‖ right), of two 32-byte subtree hashes.
    package static func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        precondition(left.count == 32 && right.count == 32, "subtree hashes are 32 bytes")
        var out = [UInt8](repeating: 0, count: 32)
        left.withUnsafeBytes { l in right.withUnsafeBytes { r in out.withUnsafeMutableBufferPointer { FastSHA256.node(l.baseAddress!, r.baseAddress!, into: $0.baseAddress!) } } }
        return out
    }

    /// SHA-256(0x00 ‖ bytes), written to `out`.
    package static func leafHash(_ bytes: [UInt8], into out: UnsafeMutablePointer<UInt8>) {
        bytes.withUnsafeBufferPointer { leafHash(UnsafeRawBufferPointer($0), into: out) }
    }

    package static func leafHash(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>) {
        FastSHA256.hash(prefix: 0, bytes, into: out)
    }
}
