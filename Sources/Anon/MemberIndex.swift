import Schema

/// Panelist ids → dense member numbers, for ids that are UUID text (36 bytes, hex digits and hyphens).
///
/// A UUID is held as two 64-bit words, so the index stores 16 bytes per member and never a `String`.
/// Words compare in the same order as the lower-case text, which is how releases order their leaves.
/// The probe sequence is keyed by a per-process random seed: panelist ids come from the input, and a
/// crafted export must not be able to make every lookup collide.
struct MemberIndex {
    private(set) var hi: [UInt64] = []
    private(set) var lo: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int
    private let seed: UInt64

    init() {
        slots = [Int32](repeating: -1, count: 1 << 12)
        mask = (1 << 12) - 1
        var g = SystemRandomNumberGenerator()
        seed = g.next() | 1
    }

    var count: Int { hi.count }

    /// The two words of a UUID written as 36 ASCII bytes `8-4-4-4-12` of hex digits (either case), or nil.
    static func words(_ b: UnsafeRawBufferPointer) -> (UInt64, UInt64)? { UUIDCheck.words(b, upperCase: true) }

    @inline(__always)
    private func slot(_ h: UInt64, _ l: UInt64) -> Int {
        Int(truncatingIfNeeded: ((h &* 0x9E37_79B9_7F4A_7C15) ^ l) &* seed >> 20) & mask
    }

    /// The member number of an id, adding it when new.
    mutating func intern(_ h: UInt64, _ l: UInt64) -> Int {
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

    func find(_ h: UInt64, _ l: UInt64) -> Int? {
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
    func ranks() -> [Int32] {
        // Keys are sorted with their member numbers beside them: comparing through the member number would
        // reach into `hi` and `lo` at random, a cache miss per comparison at a million members.
        var keyed = hi.indices.map { (hi[$0], lo[$0], Int32(truncatingIfNeeded: $0)) }
        keyed.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var rank = [Int32](repeating: 0, count: hi.count)
        for (r, k) in keyed.enumerated() { rank[Int(k.2)] = Int32(truncatingIfNeeded: r) }
        return rank
    }

    /// The lower-case UUID text of member `m`.
    func text(_ m: Int) -> String {
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
