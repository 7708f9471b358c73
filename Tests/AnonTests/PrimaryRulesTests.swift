import Intake
import Core
import Testing
import Schema
@testable import Anon

@Suite("PrimaryRules") struct PrimaryRulesTests {
    @Test("the p% rule in integers: the handbook's 50,000 / 49,000 / 100,000 fails, the boundary passes")
    func pPercent() {
        #expect(PrimaryRules.failsDominance(DominanceInput(total: 100_000, largest: 50_000, second: 49_000), p: 10))
        // 100·(T − x1 − x2) == p·x1 is not "<": safe.
        #expect(!PrimaryRules.failsDominance(DominanceInput(total: 1_050, largest: 500, second: 500), p: 10))
        #expect(PrimaryRules.failsDominance(DominanceInput(total: 1_049, largest: 500, second: 500), p: 10))
        // One or two contributors with a positive value always fail; an all-zero counter never does.
        #expect(PrimaryRules.failsDominance(DominanceInput(total: 7, largest: 4, second: 3), p: 10))
        #expect(!PrimaryRules.failsDominance(DominanceInput(total: 0, largest: 0, second: 0), p: 10))
        // No overflow near the top of the exact range.
        #expect(!PrimaryRules.failsDominance(DominanceInput(total: maxExactValue, largest: maxExactValue / 4, second: maxExactValue / 4), p: 99))
    }

    @Test("sums stop at maxExactValue: 2^53 − 1 is summed, one more is an overflow, and so is wrapping past Int64")
    func checkedSums() throws {
        #expect(maxExactValue == (1 << 53) - 1)
        #expect(try checkedAdd(maxExactValue - 5, 5, "total", .inputTokens) == maxExactValue)
        #expect(throws: AnonError.self) { try checkedAdd(maxExactValue, 1, "total", .inputTokens) }
        #expect(throws: AnonError.self) { try checkedAdd(.max, 1, "total", .inputTokens) }
    }

    @Test("k below 5, p or protection outside 1…99 are refused")
    func policy() {
        #expect(throws: AnonError.self) { try Policy(k: 4) }
        #expect(throws: AnonError.self) { try Policy(p: 0) }
        #expect(throws: AnonError.self) { try Policy(protectionPercent: 100) }
        #expect((try? Policy(k: 7))?.k == 7)
    }

    @Test("protection intervals: ±30 % rounded outwards, never below the attacker's bound; p% upper level")
    func requirements() throws {
        var v = MeasureValues()
        v[.members] = 3; v[.inputTokens] = 1001; v[.sessions] = 1; v[.costCents] = 10
        let dom = Array(repeating: DominanceInput(total: 1001, largest: 900, second: 100), count: 6)
        let r = PrimaryRules.requirements(value: v, dominance: dom, status: PrimaryStatus(frequency: true, dominance: [.inputTokens]), policy: try Policy())
        #expect(r[.members] == ProtectionRequirement(lowerAtMost: nil, upperAtLeast: 5))
        // 1001·0.7 = 700.7 → 700; 1001·1.3 = 1301.3 → 1302; p%: 900 + 100 + 90 = 1090 < 1302.
        #expect(r[.inputTokens] == ProtectionRequirement(lowerAtMost: 700, upperAtLeast: 1302))
        #expect(r[.sessions] == ProtectionRequirement(lowerAtMost: 1, upperAtLeast: 2))
        let d = PrimaryRules.requirements(value: v, dominance: dom, status: PrimaryStatus(frequency: false, dominance: [.inputTokens]), policy: try Policy())
        #expect(d == [.inputTokens: ProtectionRequirement(lowerAtMost: nil, upperAtLeast: 1090)])
    }
}

@Suite("Aggregation") struct AggregationTests {
    let week = ISOWeek(year: 2026, week: 24)!
    func e(_ t: String, _ m: String, _ input: Int64 = 10) -> PayloadEntry {
        PayloadEntry(tool: t, model: m, inputTokens: input, outputTokens: 1, cacheReadTokens: 0, cacheCreationTokens: 0, costCents: 5, sessions: 1)
    }

    @Test("members are distinct panelists, member-days distinct payloads per position, counters summed per member first")
    func counts() throws {
        let d = week.days
        let t = try WeekTable(week: week, payloads: [
            Payload(panelist: "a", date: d[0], entries: [e("aider", "o3", 100), e("aider", "gpt-5", 50)]),
            Payload(panelist: "a", date: d[1], entries: [e("aider", "o3", 200)]),
            Payload(panelist: "b", date: d[0], entries: [e("aider", "o3", 7)]),
        ])
        let cell = t.values[.cell(tool: "aider", model: "o3")]!
        #expect(cell[.members] == 2 && cell[.memberDays] == 3 && cell[.inputTokens] == 307)
        let tool = t.values[.tool("aider")]!
        // One member-day with two models counts once in the tool margin: not additive.
        #expect(tool[.members] == 2 && tool[.memberDays] == 3 && tool[.inputTokens] == 357)
        #expect(t.values[.total]![.memberDays] == 3 && t.payloadCount == 3 && t.entryCount == 4)
        #expect(t.dominance[.cell(tool: "aider", model: "o3")]![0] == DominanceInput(total: 307, largest: 300, second: 7))
    }

    @Test("negative counters, repeated pairs and two payloads for one member-day are errors")
    func errors() {
        let d = week.days[0]
        var neg = e("aider", "o3"); neg.costCents = -1
        #expect(throws: AnonError.self) { try WeekTable(week: week, payloads: [Payload(panelist: "a", date: d, entries: [neg])]) }
        #expect(throws: AnonError.self) { try WeekTable(week: week, payloads: [Payload(panelist: "a", date: d, entries: [e("aider", "o3"), e("aider", "o3")])]) }
        #expect(throws: AnonError.self) { try WeekTable(week: week, payloads: [Payload(panelist: "a", date: d, entries: [e("aider", "o3")]), Payload(panelist: "a", date: d, entries: [e("zed", "o3")])]) }
        #expect(throws: AnonError.self) { try WeekTable(week: week, payloads: [Payload(panelist: "a", date: d, entries: [])]) }
    }
}

@Suite("Merkle") struct MerkleTests {
    @Test("RFC 6962 tree hash: leaf and node prefixes, unbalanced split")
    func vectors() {
        #expect(Hex.encode(SHA256Tests.fold([[]])) == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
        #expect(Hex.encode(SHA256Tests.fold([Array("a".utf8), Array("b".utf8), Array("c".utf8)])) == "36642e73c2540ab121e3a6bf9545b0a24982cd830eb13d3cd19de3ce6c021ec1")
        #expect(Hex.encode(SHA256Tests.fold([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
