import Verify
import Intake
import Testing
import TestSupport
import Schema
@testable import Anon
@testable import Verify

/// The attacks outside `backpay-attacker/1` (docs/release-format.md §8), each as rows under
/// golden/release/attacks/<case>/ → the releases we build (format 1 and 2, golden) → what an attacker of
/// model 2 gets, by a brute force that shares no code with `InsiderAudit` beyond the flow network: every
/// coalition of at most c members, the remainder table audited from scratch.
@Suite("attacks of backpay-attacker/2") struct AttackGoldenTests {
    static let dir = ReleaseGoldenTests.dir + "attacks/"
    static let example: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/examples/rows/2026-W24.jsonl"
    }()

    /// The week read as `release build` reads it, with every member's own sums.
    static func inputs(_ path: String) throws -> WeekInputs {
        var intake = WeekIntake(validator: PayloadValidator.embedded(today: ReleaseGoldenTests.today), week: ReleaseGoldenTests.w24, quarantine: false)
        intake.keepContributions = true
        try intake.read(path: path, displayName: path)
        return try intake.finish()
    }

    static func build(_ inputs: WeekInputs, format: Int, policy: Policy) throws -> ReleaseDocument {
        try ReleaseBuilder.build(inputs: inputs, policy: policy, previous: nil, formatVersion: format).0
    }

    /// The suppressed positions of a release that have rows.
    static func suppressed(_ doc: ReleaseDocument, _ table: WeekTable) -> Set<Position> {
        Set(doc.positions.filter { $0.1 == nil && table.values[$0.0] != nil }.map(\.0))
    }

    static let tokens: [Measure] = [.inputTokens, .outputTokens, .cacheReadTokens, .cacheCreationTokens]

    /// docs/release-format.md §8.1–8.2 by brute force, on the four token counters (lower bound 0 at every
    /// position, so the remainder is a plain table): one line per value an attacker of model 2 narrows below
    /// its requirement, or derives exactly. `zerosKnown` false and `coalition` 0 give model 1's attacker on
    /// these counters.
    static func attack(_ table: WeekTable, suppressed: Set<Position>, policy: Policy, counters: [Measure] = tokens,
                       coalition: Int, zerosKnown: Bool = true) throws -> [String] {
        let linked = LinkedTable(positions: Array(table.values.keys))
        let values = linked.positions.map { table.values[$0]! }
        let status = PrimaryRules.evaluate(table, policy: policy, counters: counters)
        let own = table.contributions
        var coalitions: [[Int]] = [[]]
        if coalition >= 1 { coalitions += (0..<own.memberCount).map { [$0] } }
        if coalition >= 2 { for a in 0..<own.memberCount { for b in (a + 1)..<max(a + 1, own.memberCount) { coalitions.append([a, b]) } } }
        var found: [String] = []
        let f = Int128(policy.protectionPercent), p = Int128(policy.p)
        for c in coalitions {
            var a = Array(repeating: MeasureValues(), count: linked.positions.count)
            for member in c { for r in own.records(of: member) { if let i = linked.index[r.position] { for m in counters { a[i][m] += r[m] } } } }
            for m in counters {
                let rest: [MeasureValues?] = linked.positions.indices.map { j in
                    if suppressed.contains(linked.positions[j]), !(zerosKnown && values[j][m] == 0) { return nil }
                    var v = MeasureValues(); v[m] = values[j][m] - a[j][m]; return v
                }
                let published = PublishedTable(table: linked, values: rest, payloadCount: nil, counters: [m], listedAreNonEmpty: false)
                guard let iv = TableAudit.additiveIntervals(published, measure: m) else { found.append("inconsistent \(m)"); continue }
                for (j, r) in iv {
                    let x = values[j][m], mine = a[j][m]
                    let lo = mine + r.lo, hi = r.hi.map { mine + $0 }
                    let pos = linked.positions[j]
                    if c.isEmpty, lo == hi, x > 0 { found.append("\(pos): \(m.key) exact \(x)") }
                    guard let s = status[pos], x > 0 else { continue }
                    let rest = Int128(x - mine)
                    if s.frequency, rest > 0 {
                        let needLo = Int128(mine) + floorDiv(rest * (100 - f), 100), needHi = Int128(mine) + ceilDiv(rest * (100 + f), 100)
                        if Int128(lo) > needLo || hi.map({ Int128($0) < needHi }) == true {
                            found.append("\(pos): \(m.key) [\(lo), \(hi.map(String.init) ?? "∞")] against \(c) needs lo ≤ \(needLo), hi ≥ \(needHi)")
                        }
                    }
                    if s.dominance.contains(m) {
                        let at = own.records(forPosition: pos)
                        let top = at.max { ($0[m], -$0.member) < ($1[m], -$1.member) }!
                        if !c.contains(top.member), let hi, Int128(hi - mine) < ceilDiv(Int128(top[m]) * (100 + p), 100) {
                            found.append("\(pos): \(m.key) hi \(hi) against \(c) lets them bound the largest contributor \(top[m]) within p %")
                        }
                    }
                }
            }
        }
        return found
    }

    /// Compares a release's bytes with the golden file, or writes it under UPDATE_GOLDEN.
    static func golden(_ name: String, _ doc: ReleaseDocument) throws {
        try ReleaseGoldenTests.golden(dir + name, try doc.canonicalBytes())
    }

    /// A case's rows, and the format-1 and format-2 releases built from them with the default policy (both
    /// golden: `<case>/release-1.json`, `<case>/release-2.json`).
    static func releases(_ name: String) throws -> (WeekInputs, ReleaseDocument, ReleaseDocument) {
        let inputs = try Self.inputs(dir + name + "/rows.jsonl")
        let v1 = try build(inputs, format: 1, policy: try Policy()), v2 = try build(inputs, format: 2, policy: try Policy())
        try golden(name + "/release-1.json", v1); try golden(name + "/release-2.json", v2)
        return (inputs, v1, v2)
    }

    @Test("insider: under model 1 the lone member of a cell bounds his two-member neighbour; format 2 protects it")
    func insider() throws {
        let (inputs, v1, v2) = try Self.releases("insider")
        let policy = try Policy()
        let leak = try Self.attack(inputs.table, suppressed: Self.suppressed(v1, inputs.table), policy: policy, coalition: 1)
        #expect(!leak.isEmpty, "the model-1 release was expected to leak to an insider")
        #expect(try Self.attack(inputs.table, suppressed: Self.suppressed(v1, inputs.table), policy: policy, coalition: 0, zerosKnown: false).isEmpty,
                "model 1's own attacker finds nothing in the model-1 release")
        #expect(try Self.attack(inputs.table, suppressed: Self.suppressed(v2, inputs.table), policy: policy, coalition: 1) == [])
        // The model-2 audit sees the same leak in the model-1 pattern.
        let audit = try ReleaseAuditor.audit(document: v1.asFormat2(grid: inputs.table.vocabulary), bytes: [], inputs: inputs)
        #expect(audit.findings.contains { $0.code == "under-protected" && $0.message.contains("coalition of 1") })
    }

    @Test("structural zeros: on the example week, a cache counter known to be zero pins the model-1 release; format 2 does not lean on zeros")
    func zeros() throws {
        let inputs = try Self.inputs(Self.example)
        let policy = try Policy()
        let v1 = try Self.build(inputs, format: 1, policy: policy), v2 = try Self.build(inputs, format: 2, policy: policy)
        let leak = try Self.attack(inputs.table, suppressed: Self.suppressed(v1, inputs.table), policy: policy, coalition: 0)
        #expect(leak.contains { $0.contains("cache_") }, "\(leak)")
        #expect(try Self.attack(inputs.table, suppressed: Self.suppressed(v2, inputs.table), policy: policy, coalition: 1) == [])
    }

    @Test("prices: format 2 publishes no cost, which a buyer recomputes from tokens and the price table")
    func prices() throws {
        let (inputs, v1, v2) = try Self.releases("prices")
        let policy = try Policy()
        let text1 = String(decoding: try v1.canonicalBytes(), as: UTF8.self), text2 = String(decoding: try v2.canonicalBytes(), as: UTF8.self)
        #expect(text1.contains("cost_usd_cents"))
        #expect(!text2.contains("cost_usd_cents"))
        #expect(try Self.attack(inputs.table, suppressed: Self.suppressed(v2, inputs.table), policy: policy, coalition: 1) == [])
    }

    @Test("presence: format 1 tells that someone used kiro × claude-sonnet-4-6; format 2 lists every kiro pair alike and the numbers do not prove it")
    func presence() throws {
        let (inputs, v1, v2) = try Self.releases("presence")
        let policy = try Policy()
        let kiro1 = v1.positions.filter { if case .cell("kiro", _) = $0.0 { return true } else { return false } }
        #expect(kiro1.map(\.0) == [.cell(tool: "kiro", model: "claude-sonnet-4-6")])
        let kiro2 = v2.positions.filter { if case .cell("kiro", _) = $0.0 { return true } else { return false } }
        #expect(kiro2.count == v2.grid!.models.count && kiro2.allSatisfy { $0.1 == nil })
        let alone = try ReleaseAuditor.audit(document: v2, bytes: try v2.canonicalBytes())
        #expect(alone.findings.isEmpty, "\(alone.findings)")
        #expect(alone.positions.first { $0.position == .cell(tool: "kiro", model: "claude-sonnet-4-6") }?.presentProvable == false)
        #expect(try Self.attack(inputs.table, suppressed: Self.suppressed(v2, inputs.table), policy: policy, coalition: 1) == [])
    }

    @Test("homogeneity: members = member-days = sessions = 5 is published by default and suppressed with the rule on")
    func homogeneity() throws {
        let inputs = try Self.inputs(Self.dir + "homogeneity/rows.jsonl")
        let off = try Self.build(inputs, format: 2, policy: try Policy())
        let on = try Self.build(inputs, format: 2, policy: try Policy(homogeneity: true))
        try Self.golden("homogeneity/release-2.json", off); try Self.golden("homogeneity/release-2-homogeneity.json", on)
        let cell = Position.cell(tool: "cursor", model: "gpt-5")
        let published = off.positions.first { $0.0 == cell }!.1
        #expect(published.map { $0[.members] == 5 && $0[.memberDays] == 5 && $0[.sessions] == 5 } == true)
        #expect(on.positions.first { $0.0 == cell }!.1 == nil)
        let audit = try ReleaseAuditor.audit(document: on, bytes: try on.canonicalBytes(), inputs: inputs)
        #expect(audit.findings.isEmpty, "\(audit.findings)")
    }

    @Test("law: format-2 releases of random weeks leave every token value of every primary its room against every coalition (c = 1 and 2)")
    func randomWeeks() throws {
        var rng = SplitMix64(seed: 2027)
        for round in 0..<6 {
            let coalition = round % 3 == 2 ? 2 : 1
            // Coalitions of two are tried pair by pair: smaller weeks keep that brute force short.
            let payloads = BuilderTests.randomPayloads(&rng, members: Int(rng.next(coalition == 2 ? 8...14 : 8...30)))
            let policy = try Policy(coalition: coalition)
            let inputs = try WeekInputs(payloads: payloads, week: BuilderTests.week)
            let (doc, _) = try ReleaseBuilder.build(inputs: inputs, policy: policy, previous: nil, formatVersion: 2)
            let found = try Self.attack(inputs.table, suppressed: Self.suppressed(doc, inputs.table), policy: policy, coalition: coalition)
            #expect(found.isEmpty, "round \(round), coalition \(coalition): \(found)")
            let audit = try ReleaseAuditor.audit(document: doc, bytes: try doc.canonicalBytes(), inputs: inputs)
            #expect(audit.findings.isEmpty, "round \(round): \(audit.findings)")
        }
    }
}

extension MemberContributions {
    /// Every member's record at one position.
    func records(forPosition p: Position) -> [Record] {
        (0..<memberCount).flatMap { records(of: $0).filter { $0.position == p } }
    }
}
