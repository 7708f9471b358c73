@testable import Intake
import Testing
import TestSupport
@testable import Anon

@Suite("member index") struct MemberIndexTests {
    /// Ranks by a plain comparison sort of (hi, lo), the reference.
    static func referenceRanks(_ ids: [(UInt64, UInt64)]) -> [Int32] {
        let order = ids.indices.sorted { ids[$0].0 != ids[$1].0 ? ids[$0].0 < ids[$1].0 : ids[$0].1 < ids[$1].1 }
        var rank = [Int32](repeating: 0, count: ids.count)
        for (r, m) in order.enumerated() { rank[m] = Int32(r) }
        return rank
    }

    @Test("ranks follow id order: random ids, ids crowding one bucket, ids equal in their high word, and tiny indexes",
          arguments: [0, 1, 2, 3, 17, 1000, 70_000])
    func ranksFollowIdOrder(_ n: Int) {
        var rng = SplitMix64(seed: UInt64(n) &+ 11)
        var ids: [(UInt64, UInt64)] = []
        for i in 0..<n {
            switch i % 4 {
            case 0, 1: ids.append((rng.next(), rng.next()))
            // The same top 16 bits: one bucket holds a quarter of the members (the comparison sort path).
            case 2: ids.append((0xABCD << 48 | rng.next() >> 16, rng.next()))
            // The same high word: only the low word orders them.
            default: ids.append((0x1234_5678_9ABC_DEF0, rng.next()))
            }
        }
        var index = MemberIndex()
        for (h, l) in ids { _ = index.intern(h, l) }
        #expect(index.count == Set(ids.map { "\($0.0)-\($0.1)" }).count)
        let unique = (0..<index.count).map { (index.hi[$0], index.lo[$0]) }
        #expect(index.ranks() == Self.referenceRanks(unique))
    }
}
