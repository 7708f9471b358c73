import Testing
import TestSupport
@testable import Anon
#if canImport(Glibc)
import Glibc
#endif

/// A large table with about 3 % of cells below k. The law: what secondary suppression returns passes an
/// independent audit. With ANON_SCALE=1 it also prints timings (SCALE_N=100 is the 10^4-cell case).
@Suite("ScaleMeasure") struct ScaleMeasure {
    @Test("a large random table comes out protected") func measure() throws {
        var rng = SplitMix64(seed: 1)
        let n = Int(getenvString("SCALE_N") ?? "24") ?? 24
        let talk = getenvString("ANON_SCALE") != nil
        let nt = n, nm = n
        var vals: [Position: MeasureValues] = [:]
        for i in 0..<nt {
            for j in 0..<nm {
                var v = MeasureValues()
                let members = rng.next(0...99) < 3 ? rng.next(1...4) : rng.next(5...60)
                v[.members] = members; v[.memberDays] = members * rng.next(1...7)
                for m in Measure.counters { v[m] = members * rng.next(1000...100000) }
                v[.sessions] = v[.memberDays] * 2
                for p in [Position.cell(tool: "t\(i)", model: "m\(j)"), .tool("t\(i)"), .model("m\(j)"), .total] {
                    var a = vals[p] ?? MeasureValues()
                    for m in Measure.allCases { a[m] += v[m] }
                    vals[p] = a
                }
            }
        }
        let table = LinkedTable(positions: Array(vals.keys))
        let values = table.positions.map { vals[$0]! }
        let policy = try Policy()
        var primaries: [Int] = [], req: [Int: [Measure: ProtectionRequirement]] = [:]
        for (i, v) in values.enumerated() where v[.members] < 5 {
            primaries.append(i)
            req[i] = PrimaryRules.requirements(value: v, dominance: [], status: PrimaryStatus(frequency: true, dominance: []), policy: policy)
        }
        var t0 = monotonic()
        let r = try SecondarySuppression.protect(table: table, values: values, primaries: primaries, requirements: req, k: 5, payloadCount: vals[.total]![.memberDays]) { round, exposed in if talk { print("MEASURE round \(round) exposed \(exposed) at \(monotonic() - t0)s") } }
        let build = monotonic() - t0
        let sup = r.suppressed.filter { $0 }.count
        let pub = PublishedTable(table: table, values: values.indices.map { r.suppressed[$0] ? nil : values[$0] }, payloadCount: vals[.total]![.memberDays])
        t0 = monotonic()
        let audit = try TableAudit.intervals(pub)
        let auditTime = monotonic() - t0
        let exposed = DisclosureCheck.exposures(table: table, intervals: audit.intervals, k: 5, requirements: req)
        #expect(audit.findings.isEmpty && exposed.isEmpty, "\(exposed.map(\.message))")
        #expect(primaries.count > 5 && sup > primaries.count)
        if talk {
            // A fingerprint of the pattern and the intervals, to compare runs before and after a speed-up.
            var h: UInt64 = 0xcbf29ce484222325
            func mix(_ x: Int64) { h = (h ^ UInt64(bitPattern: x)) &* 0x100000001b3 }
            for (i, s) in r.suppressed.enumerated() where s { mix(Int64(i)) }
            for i in audit.intervals.keys.sorted() { for (m, v) in audit.intervals[i]!.sorted(by: { $0.key < $1.key }) { mix(Int64(i)); mix(Int64(m.rawValue)); mix(v.lo); mix(v.hi ?? -1) } }
            print("MEASURE fingerprint=\(String(h, radix: 16))")
        }
        if talk { print("MEASURE positions=\(table.positions.count) primaries=\(primaries.count) suppressed=\(sup) rounds=\(r.rounds) build=\(build)s audit=\(auditTime)s intervals=\(audit.intervals.count)") }
    }
}

func monotonic() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
