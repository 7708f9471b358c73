import Schema

/// Panelist ids → dense member numbers, for ids that are UUID text (36 bytes, hex digits and hyphens).
///
/// A UUID is held as two 64-bit words, so the index stores 16 bytes per member and never a `String`.
/// Words compare in the same order as the lower-case text, which is how releases order their leaves.
/// The probe sequence is keyed by a per-process random seed: panelist ids come from the input, and a
/// crafted export must not be able to make every lookup collide.
package struct MemberIndex {
    private(set) var hi: [UInt64] = []
    private(set) var lo: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int
    private let seed: UInt64

    package init() {
        slots = [Int32](repeating: -1, count: 1 << 12)
        mask = (1 << 12) - 1
        var g = SystemRandomNumberGenerator()
        seed = g.next() | 1
    }

    package var count: Int { hi.count }

    /// The two words of a UUID written as 36 ASCII bytes `8-4-4-4-12` of hex digits (either case), or nil.
    package static func words(_ b: UnsafeRawBufferPointer) -> (UInt64, UInt64)? { UUIDCheck.words(b, upperCase: true) }

    @inline(__always)
    private func slot(_ h: UInt64, _ l: UInt64) -> Int {
        Int(truncatingIfNeeded: ((h &* 0x9E37_79B9_7F4A_7C15) ^ l) &* seed >> 20) & mask
    }

    /// The member number of an id, adding it when new.
    package mutating func intern(_ h: UInt64, _ l: UInt64) -> Int {
        var i = slot(h, l)
        while true {
            let m = Int(slots[i])
            if m < 0 { break }
            if hi[m] == h && lo[m] == l { return m }
            i = (i + 1) & mask
        }
        let m = hi.count
        hi.append(h); lo.append(l)
        slots[i] = Int32(truncatingIfNeeded: m)
        if hi.count * 2 > slots.count { grow() }
        return m
    }

    package func find(_ h: UInt64, _ l: UInt64) -> Int? {
        var i = slot(h, l)
        while true {
            let m = Int(slots[i])
            if m < 0 { return nil }
            if hi[m] == h && lo[m] == l { return m }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for m in hi.indices {
            var i = slot(hi[m], lo[m])
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(truncatingIfNeeded: m)
        }
    }

    /// Each member's rank in id order (the order of the lower-case text).
    ///
    /// Ids are bucketed by their top bits first (one pass to count, one to place), then each bucket is
    /// sorted: member ids are random UUIDs, so a million of them leave about sixteen to a bucket, and this
    /// took a tenth of the time of one comparison sort (a few percent of a 10^7 build). A crafted export that
    /// crowds one bucket only makes that bucket's sort O(b log b). Keys are sorted with their member numbers
    /// beside them: comparing through the member number would reach into `hi` and `lo` at random.
    package func ranks() -> [Int32] {
        let n = hi.count
        guard n > 1 else { return [Int32](repeating: 0, count: n) }
        let bits = min(16, Int.bitWidth - 1 - n.leadingZeroBitCount)   // about one bucket per member, at most 2^16
        let shift = UInt64(64 - bits)
        var start = [Int](repeating: 0, count: (1 << bits) + 1)
        for h in hi { start[Int(h >> shift) + 1] += 1 }
        for b in 0..<(1 << bits) { start[b + 1] += start[b] }
        typealias Keyed = (hi: UInt64, lo: UInt64, member: Int32)
        let keyed = [Keyed](unsafeUninitializedCapacity: n) { buffer, count in
            var next = start
            for m in 0..<n {
                let b = Int(hi[m] >> shift)
                (buffer.baseAddress! + next[b]).initialize(to: (hi[m], lo[m], Int32(truncatingIfNeeded: m)))
                next[b] += 1
            }
            count = n
            for b in 0..<(1 << bits) where start[b + 1] - start[b] > 1 {
                var bucket = UnsafeMutableBufferPointer(rebasing: buffer[start[b]..<start[b + 1]])
                if bucket.count <= 32 {
                    // Insertion sort: a bucket holds a handful of ids.
                    for i in 1..<bucket.count {
                        let k = bucket[i]
                        var j = i
                        while j > 0, bucket[j - 1].hi > k.hi || (bucket[j - 1].hi == k.hi && bucket[j - 1].lo > k.lo) {
                            bucket[j] = bucket[j - 1]
                            j -= 1
                        }
                        bucket[j] = k
                    }
                } else {
                    bucket.sort { $0.hi != $1.hi ? $0.hi < $1.hi : $0.lo < $1.lo }
                }
            }
        }
        var rank = [Int32](repeating: 0, count: n)
        for (r, k) in keyed.enumerated() { rank[Int(k.member)] = Int32(truncatingIfNeeded: r) }
        return rank
    }

    /// The lower-case UUID text of member `m`.
    package func text(_ m: Int) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for n in 0..<32 {
            if n == 8 || n == 12 || n == 16 || n == 20 { out.append(0x2D) }
            let word = n < 16 ? hi[m] : lo[m]
            out.append(digits[Int(word >> UInt64(60 - 4 * (n % 16)) & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
