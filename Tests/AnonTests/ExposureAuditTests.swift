import Testing
import TestSupport
@testable import Anon

/// The shortcuts of the builder's audit (flows stopped at the room a check needs, one probe instead of a
/// bisection, proofs kept between lifts) must give exactly the verdicts of the whole intervals. The law is
/// checked on many small random tables and patterns, against `TableAudit.intervals` + `DisclosureCheck`.
@Suite("ExposureAudit") struct ExposureAuditTests {
    /// A random table whose margins are the sums of the cells (one member per cell, so counts add up too),
    /// with some empty cells, small counts (primaries) and zero counters.
    struct Case {
        let table: LinkedTable
        let values: [MeasureValues]
        let requirements: [Int: [Measure: ProtectionRequirement]]
        let payloadCount: Int64

        init(_ rng: inout SplitMix64) throws {
            let nt = Int(rng.next(2...5)), nm = Int(rng.next(2...5))
            var vals: [Position: MeasureValues] = [:]
            for i in 0..<nt {
                for j in 0..<nm where rng.next(0...9) > 0 || (i == 0 && j == 0) {
                    var v = MeasureValues()
                    v[.members] = rng.next(0...2) == 0 ? rng.next(1...4) : rng.next(5...30)
                    v[.memberDays] = v[.members] * rng.next(1...7)
                    for m in Measure.counters { v[m] = rng.next(0...5) == 0 ? 0 : v[.members] * rng.next(1...50) }
                    v[.sessions] = max(1, v[.sessions])
                    for p in [Position.cell(tool: "t\(i)", model: "m\(j)"), .tool("t\(i)"), .model("m\(j)"), .total] {
                        var a = vals[p] ?? MeasureValues()
                        for m in Measure.allCases { a[m] += v[m] }
                        vals[p] = a
                    }
                }
            }
            table = LinkedTable(positions: Array(vals.keys))
            values = table.positions.map { vals[$0]! }
            let policy = try Policy()
            var req: [Int: [Measure: ProtectionRequirement]] = [:]
            for (i, v) in values.enumerated() {
                if v[.members] < 5 {
                    req[i] = PrimaryRules.requirements(value: v, dominance: [], status: PrimaryStatus(frequency: true, dominance: []), policy: policy)
                } else if rng.next(0...5) == 0 {
                    // A dominance-like need on one counter: the upper end must reach past the value.
                    let m = Measure.counters[Int(rng.next(0...5))]
                    req[i] = [m: ProtectionRequirement(lowerAtMost: nil, upperAtLeast: v[m] + rng.next(0...40))]
                }
            }
            requirements = req
            payloadCount = vals[.total]![.memberDays]
        }

        func published(_ suppressed: [Bool]) -> PublishedTable {
            PublishedTable(table: table, values: values.indices.map { suppressed[$0] ? nil : values[$0] }, payloadCount: payloadCount)
        }

        /// The reference: whole intervals, then the disclosure checks.
        func reference(_ suppressed: [Bool]) throws -> (exposures: [Exposure], findings: [TableAudit.Finding]) {
            let (iv, findings) = try TableAudit.intervals(published(suppressed))
            return (DisclosureCheck.exposures(table: table, intervals: iv, k: 5, requirements: requirements), findings)
        }
    }

    @Test("exposures and isSafe give the verdict of the whole intervals") func shortcutsAgree() throws {
        var rng = SplitMix64(seed: 7)
        var exposedSeen = 0, safeSeen = 0
        for _ in 0..<300 {
            let c = try Case(&rng)
            // From sparse patterns (mostly exposed) to dense ones (mostly safe).
            let share = rng.next(2...10)
            let suppressed = c.values.indices.map { _ in rng.next(0...9) < share }
            let want = try c.reference(suppressed)
            let got = try TableAudit.exposures(c.published(suppressed), k: 5, requirements: c.requirements)
            #expect(got.exposures == want.exposures && got.findings == want.findings)
            let safe = want.exposures.isEmpty && want.findings.isEmpty
            #expect(try TableAudit.isSafe(c.published(suppressed), k: 5, requirements: c.requirements) == safe)
            if safe { safeSeen += 1 } else { exposedSeen += 1 }
        }
        // Both verdicts must actually occur, or the law says little.
        #expect(exposedSeen > 20 && safeSeen > 20, "\(exposedSeen) exposed, \(safeSeen) safe")
    }

    @Test("a run of lifts keeps the pattern the from-scratch audit keeps") func liftsAgree() throws {
        var rng = SplitMix64(seed: 11)
        var kept = 0, refused = 0
        for _ in 0..<150 {
            let c = try Case(&rng)
            // Start from a safe pattern, as prune does: everything but a few large positions suppressed.
            var suppressed = c.values.indices.map { _ in rng.next(0...9) < 8 }
            guard try TableAudit.isSafe(c.published(suppressed), k: 5, requirements: c.requirements) else { continue }
            var audit = try #require(LiftAudit(table: c.table, values: c.values, suppressed: suppressed, k: 5,
                                               requirements: c.requirements, payloadCount: c.payloadCount))
            for x in suppressed.indices.shuffled(using: &rng) where suppressed[x] {
                var trial = suppressed
                trial[x] = false
                let want = try c.reference(trial)
                let safe = want.exposures.isEmpty && want.findings.isEmpty
                #expect(try audit.lift(x) == safe)
                if safe { suppressed = trial; kept += 1 } else { refused += 1 }
                #expect(audit.suppressed == suppressed)
            }
        }
        #expect(kept > 20 && refused > 20, "\(kept) kept, \(refused) refused")
    }
}
