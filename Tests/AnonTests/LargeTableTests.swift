import Testing
import TestSupport
@testable import Anon

/// A large table with about 3 % of cells below k. The law: what secondary suppression returns passes an
/// independent audit. Its timing at 10^4 cells is `backpay-measure suppression` (Benchmarks/README.md).
@Suite("large table") struct LargeTableTests {
    @Test("a large random table comes out protected") func protectedLargeTable() throws {
        var rng = SplitMix64(seed: 1)
        let nt = 24, nm = 24
        var cells: [(tool: String, model: String, value: MeasureValues)] = []
        for i in 0..<nt {
            for j in 0..<nm {
                var v = MeasureValues()
                let members = rng.next(0...99) < 3 ? rng.next(1...4) : rng.next(5...60)
                v[.members] = members; v[.memberDays] = members * rng.next(1...7)
                for m in Measure.counters { v[m] = members * rng.next(1000...100000) }
                v[.sessions] = v[.memberDays] * 2
                cells.append(("t\(i)", "m\(j)", v))
            }
        }
        let (table, values) = linkedTable(cells)
        let (primaries, req) = frequencyPrimaries(values, policy: try Policy())
        let total = values[table.index[.total]!]
        let r = try SecondarySuppression.protect(table: table, values: values, primaries: primaries, requirements: req, k: 5, payloadCount: total[.memberDays])
        let sup = r.suppressed.filter { $0 }.count
        let pub = PublishedTable(table: table, values: values.indices.map { r.suppressed[$0] ? nil : values[$0] }, payloadCount: total[.memberDays])
        let audit = try TableAudit.intervals(pub)
        let exposed = DisclosureCheck.exposures(table: table, intervals: audit.intervals, k: 5, requirements: req)
        #expect(audit.findings.isEmpty && exposed.isEmpty, "\(exposed.map(\.message))")
        #expect(primaries.count > 5 && sup > primaries.count)
    }
}
