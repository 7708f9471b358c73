import Core
import Testing
import TestSupport
import Schema
@testable import Anon

/// `InsiderLiftAudit` keeps what it proved from one lift to the next; the law is that every lift gets the
/// verdict the whole `backpay-attacker/2` audit gives the same pattern. Checked on many small random weeks
/// with known zeros (a tool that never reports cache tokens), rare cells, dominant members and coalitions
/// of one and two.
@Suite("InsiderLiftAudit") struct InsiderLiftAuditTests {
    static let week = ISOWeek(year: 2026, week: 24)!

    /// A random week of payloads: members with one to three habitual pairs, a few heavy users, a tool that
    /// never caches and a model that never creates cache.
    static func randomWeek(_ rng: inout SplitMix64) throws -> WeekTable {
        let tools = ["aider", "claude-code", "codex", "zed"].prefix(Int(rng.next(2...4)))
        let models = ["gpt-5", "kimi-k2", "o3", "qwen3-coder", "sonnet"].prefix(Int(rng.next(2...5)))
        var payloads: [Payload] = []
        for member in 0..<Int(rng.next(6...40)) {
            let pairs = (0..<Int(rng.next(1...3))).map { _ in (tools.randomElement(using: &rng)!, models.randomElement(using: &rng)!) }
            let scale: Int64 = rng.next(0...7) == 0 ? rng.next(20...300) : 1
            for day in 0..<7 where rng.next(0...2) > 0 {
                var seen = Set<String>(), entries: [PayloadEntry] = []
                for (t, m) in pairs where seen.insert(t + "/" + m).inserted {
                    let input = rng.next(100...9_000) * scale
                    let caches = t != "aider" && rng.next(0...4) > 0
                    entries.append(PayloadEntry(tool: t, model: m, inputTokens: input, outputTokens: rng.next(0...3) == 0 ? 0 : input / Int64(rng.next(5...30)),
                                                cacheReadTokens: caches ? input * rng.next(1...9) : 0,
                                                cacheCreationTokens: caches && m != "o3" ? input / 10 : 0,
                                                costCents: input / 1000, sessions: rng.next(1...6)))
                }
                payloads.append(Payload(panelist: "m\(member)", date: week.days[day], entries: entries))
            }
        }
        return try WeekTable(week: week, payloads: payloads)
    }

    /// A policy with k 5 or 6, p and the protection percentage anywhere in their usual ranges, the
    /// homogeneity rule now and then.
    static func randomPolicy(_ rng: inout SplitMix64, coalition: Int) throws -> Policy {
        try Policy(k: rng.next(0...3) == 0 ? 6 : 5, p: Int(rng.next(5...40)), protectionPercent: Int(rng.next(10...60)),
                   coalition: coalition, homogeneity: rng.next(0...3) == 0)
    }

    /// The builder's model-2 audit of a week (`ReleaseBuilder.build` with format 2).
    static func insiderAudit(_ table: WeekTable, policy: Policy) -> (audit: InsiderAudit, primaries: [Int]) {
        let linked = LinkedTable(positions: Array(table.values.keys))
        let values = linked.positions.map { table.values[$0]! }
        let counters = Measure.counters.filter { $0 != .costCents }
        let status = PrimaryRules.evaluate(table, policy: policy, counters: counters)
        var byIndex: [Int: PrimaryStatus] = [:]
        for (i, p) in linked.positions.enumerated() { byIndex[i] = status[p]! }
        let audit = InsiderAudit(table: linked, values: values, counters: counters, policy: policy, payloadCount: Int64(table.payloadCount),
                                 status: byIndex, contributions: table.contributions)
        return (audit, linked.positions.indices.filter { byIndex[$0]!.isPrimary })
    }

    @Test("law: every lift of a prune gets the verdict of the whole model-2 audit of the same pattern")
    func liftsAgreeWithTheWholeAudit() throws {
        var rng = SplitMix64(seed: 1313)
        var kept = 0, refused = 0, startsExposed = 0, carried = 0, decided = 0
        for round in 0..<100 {
            let table = try Self.randomWeek(&rng)
            let (audit, primaries) = Self.insiderAudit(table, policy: try Self.randomPolicy(&rng, coalition: round % 2 + 1))
            let n = audit.table.positions.count
            // From dense patterns (mostly safe, as prune starts) to sparser ones; now and then one that is
            // already exposed, whose lifts must all be refused.
            let density = rng.next(6...10)
            var suppressed = (0..<n).map { _ in rng.next(1...10) <= density }
            for p in primaries { suppressed[p] = true }
            var lifts = try InsiderLiftAudit(audit, suppressed: suppressed)
            if try !audit.exposures(suppressed: suppressed).isEmpty { startsExposed += 1 }
            // Complementary positions first, as prune lifts them, then a few primaries.
            let order = suppressed.indices.filter { suppressed[$0] && !primaries.contains($0) }.shuffled(using: &rng)
                + primaries.shuffled(using: &rng).prefix(2)
            for x in order {
                var trial = suppressed
                trial[x] = false
                let want = try audit.exposures(suppressed: trial).isEmpty
                #expect(try lifts.lift(x) == want, "round \(round), lifting \(audit.table.positions[x])")
                if want { suppressed = trial; kept += 1 } else { refused += 1 }
                #expect(lifts.suppressed == suppressed)
            }
            carried += lifts.carried; decided += lifts.decided
        }
        // Both verdicts, exposed starts, and checks both carried over and decided again must occur, or the
        // law says little.
        #expect(kept > 60 && refused > 100 && startsExposed > 5 && carried > 500 && decided > 500,
                "\(kept) kept, \(refused) refused, \(startsExposed) exposed starts, \(carried) checks carried, \(decided) decided again")
    }

    @Test("law: suppressing more, as the repair rounds do, finds exactly the whole audit's exposures, and lifts after it keep agreeing")
    func suppressingAgreesWithTheWholeAudit() throws {
        var rng = SplitMix64(seed: 2424)
        var exposedRounds = 0, safeRounds = 0, carried = 0, lifts = 0
        for round in 0..<60 {
            let table = try Self.randomWeek(&rng)
            let (audit, primaries) = Self.insiderAudit(table, policy: try Self.randomPolicy(&rng, coalition: round % 2 + 1))
            let n = audit.table.positions.count
            // From the primaries alone (exposed more often than not), a few positions at a time, as repair adds.
            var suppressed = Array(repeating: false, count: n)
            for p in primaries { suppressed[p] = true }
            var state = try InsiderLiftAudit(audit, suppressed: suppressed)
            while true {
                let whole = try audit.exposures(suppressed: suppressed)
                let found = try state.exposures()
                #expect(Set(found.map { "\($0.position) \($0.measure.key)" }) == Set(whole.map { "\($0.position) \($0.measure.key)" }),
                        "round \(round), \(suppressed.filter { $0 }.count) suppressed")
                if whole.isEmpty { safeRounds += 1 } else { exposedRounds += 1 }
                let published = suppressed.indices.filter { !suppressed[$0] }
                guard !published.isEmpty, rng.next(0...5) > 0 else { break }
                let added = Array(published.shuffled(using: &rng).prefix(Int(rng.next(1...3))))
                for x in added { suppressed[x] = true }
                try state.suppress(added)
                #expect(state.suppressed == suppressed)
            }
            // Proofs carried through the rounds must still give the whole audit's verdict on every lift.
            for x in suppressed.indices.filter({ suppressed[$0] && !primaries.contains($0) }).shuffled(using: &rng) {
                var trial = suppressed
                trial[x] = false
                let want = try audit.exposures(suppressed: trial).isEmpty
                #expect(try state.lift(x) == want, "round \(round), lifting \(audit.table.positions[x]) after the rounds")
                if want { suppressed = trial }
                lifts += 1
            }
            carried += state.carried
        }
        #expect(exposedRounds > 40 && safeRounds > 20 && carried > 200 && lifts > 100,
                "\(exposedRounds) exposed rounds, \(safeRounds) safe, \(carried) checks carried, \(lifts) lifts")
    }
}
