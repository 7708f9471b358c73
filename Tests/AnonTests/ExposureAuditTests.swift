import Testing
import TestSupport
@testable import Anon

/// The shortcuts of the builder's audit (flows stopped at the room a check needs, one probe instead of a
/// bisection, proofs kept between lifts) must give exactly the verdicts of the whole intervals. The law is
/// checked on many small random tables and patterns, against `TableAudit.intervals` + `DisclosureCheck`.
@Suite("ExposureAudit") struct ExposureAuditTests {
    /// A random table with some empty cells, small counts (primaries) and zero counters. Counters add up;
    /// member counts overlap at random (a margin's count anywhere from its largest cell's to their sum),
    /// as distinct counts do, so that counts can pin values too.
    struct Case {
        let table: LinkedTable
        let values: [MeasureValues]
        let requirements: [Int: [Measure: ProtectionRequirement]]
        let payloadCount: Int64
        /// The members threshold of the audit: sometimes above the primaries', so that member bounds
        /// expose values on their own.
        let k: Int

        /// `payloadShift` ≠ 0 makes the payload count disagree with the total's member-days, so the true
        /// counts are no solution once the total is suppressed (the lift audit's other path).
        init(_ rng: inout SplitMix64, payloadShift: Int64 = 0) throws {
            k = rng.next(0...1) == 0 ? 5 : Int(rng.next(6...12))
            let nt = Int(rng.next(2...5)), nm = Int(rng.next(2...5))
            var vals: [Position: MeasureValues] = [:]
            var parts: [Position: [MeasureValues]] = [:]
            for i in 0..<nt {
                for j in 0..<nm where rng.next(0...9) > 0 || (i == 0 && j == 0) {
                    var v = MeasureValues()
                    v[.members] = rng.next(0...2) == 0 ? rng.next(1...4) : rng.next(5...30)
                    v[.memberDays] = v[.members] * rng.next(1...7)
                    for m in Measure.counters { v[m] = rng.next(0...5) == 0 ? 0 : v[.members] * rng.next(1...50) }
                    v[.sessions] = max(1, v[.sessions])
                    vals[.cell(tool: "t\(i)", model: "m\(j)")] = v
                    parts[.tool("t\(i)"), default: []].append(v)
                    parts[.model("m\(j)"), default: []].append(v)
                }
            }
            func combine(_ ps: [MeasureValues], within: [[MeasureValues]]) -> MeasureValues {
                var a = MeasureValues()
                for m in Measure.counters { a[m] = within[0].reduce(0) { $0 + $1[m] } }
                // Counts: at least the largest part's, at most the sum over each way of splitting.
                func range(_ m: Measure) -> (Int64, Int64) {
                    (ps.map { $0[m] }.max()!, within.map { $0.reduce(0) { $0 + $1[m] } }.min()!)
                }
                let (mLo, mHi) = range(.members)
                a[.members] = rng.next(mLo...mHi)
                let (dLo, dHi) = range(.memberDays)
                a[.memberDays] = rng.next(max(dLo, a[.members])...min(dHi, 7 * a[.members]))
                return a
            }
            var toolMargins: [MeasureValues] = [], modelMargins: [MeasureValues] = []
            for (p, ps) in parts.sorted(by: { $0.key < $1.key }) {
                vals[p] = combine(ps, within: [ps])
                if case .tool = p { toolMargins.append(vals[p]!) } else { modelMargins.append(vals[p]!) }
            }
            vals[.total] = combine(toolMargins + modelMargins, within: [toolMargins, modelMargins])
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
            payloadCount = vals[.total]![.memberDays] + payloadShift
        }

        func published(_ suppressed: [Bool]) -> PublishedTable {
            PublishedTable(table: table, values: values.indices.map { suppressed[$0] ? nil : values[$0] }, payloadCount: payloadCount)
        }

        /// The reference: whole intervals, then the disclosure checks.
        func reference(_ suppressed: [Bool]) throws -> (exposures: [Exposure], findings: [TableAudit.Finding]) {
            let (iv, findings) = try TableAudit.intervals(published(suppressed))
            return (DisclosureCheck.exposures(table: table, intervals: iv, k: k, requirements: requirements), findings)
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
            let got = try TableAudit.exposures(c.published(suppressed), k: c.k, requirements: c.requirements)
            #expect(got.exposures == want.exposures && got.findings == want.findings)
            let safe = want.exposures.isEmpty && want.findings.isEmpty
            #expect(try TableAudit.isSafe(c.published(suppressed), k: c.k, requirements: c.requirements) == safe)
            if safe { safeSeen += 1 } else { exposedSeen += 1 }
        }
        // Both verdicts must actually occur, or the law says little.
        #expect(exposedSeen > 20 && safeSeen > 20, "\(exposedSeen) exposed, \(safeSeen) safe")
    }

    @Test("a run of lifts keeps the pattern the from-scratch audit keeps") func liftsAgree() throws {
        var rng = SplitMix64(seed: 11)
        var kept = 0, refused = 0
        for round in 0..<150 {
            let c = try Case(&rng, payloadShift: round % 3 == 0 ? 1 : 0)
            // Start from a safe pattern, as prune does: everything but a few large positions suppressed.
            var suppressed = c.values.indices.map { _ in rng.next(0...9) < 8 }
            if round % 3 == 0 { suppressed[c.table.index[.total]!] = false }
            guard try TableAudit.isSafe(c.published(suppressed), k: c.k, requirements: c.requirements) else { continue }
            var audit = try #require(LiftAudit(table: c.table, values: c.values, suppressed: suppressed, k: c.k,
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

    @Test("pinning suppressed counts to their values gives the bounds of publishing them") func pinningIsPublishing() throws {
        var rng = SplitMix64(seed: 13)
        var compared = 0
        for _ in 0..<200 {
            let c = try Case(&rng)
            #expect(CountBounds.fits(c.table, values: c.values, payloadCount: c.payloadCount))
            let suppressed = c.values.indices.map { _ in rng.next(0...9) < 7 }
            var pinned = suppressed.indices.filter { suppressed[$0] }.shuffled(using: &rng)
            pinned = Array(pinned.prefix(Int(rng.next(1...3))))
            var counts = CountBounds(c.published(suppressed))
            for x in pinned { counts.pin(x, to: c.values[x]) }
            var trial = suppressed
            for x in pinned { trial[x] = false }
            let want = try CountBounds(c.published(trial)).intervals()
            guard let top = try counts.greatest() else { #expect(want == nil); continue }
            var got: [Int: [Measure: Interval]] = [:]
            for (v, (x, m)) in counts.variables.enumerated() where trial[x] { got[x, default: [:]][m] = try counts.interval(v, top: top) }
            #expect(got == want ?? [:])
            compared += got.count
        }
        #expect(compared > 200)
    }
}
