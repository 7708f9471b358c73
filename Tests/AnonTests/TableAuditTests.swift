import Testing
@testable import Anon

/// Worked examples of interval auditing (docs/auditors.md), on an additive counter.
@Suite("TableAudit") struct TableAuditTests {
    let t3 = GridTable([[20, 3, 15], [12, 25, 18], [30, 10, 22]])

    @Test("a lone suppressed cell is pinned by its row: exact leak [3,3]")
    func loneCell() throws {
        let iv = try t3.intervals(suppressing: [(1, 2)])
        #expect(iv[t3.cell(1, 2)]![.inputTokens] == Interval(lo: 3, hi: 3))
    }

    @Test("one complementary cell in the row: the column still pins both")
    func pairInRow() throws {
        let iv = try t3.intervals(suppressing: [(1, 2), (1, 3)])
        #expect(iv[t3.cell(1, 2)]![.inputTokens] == Interval(lo: 3, hi: 3))
        #expect(iv[t3.cell(1, 3)]![.inputTokens] == Interval(lo: 15, hi: 15))
    }

    @Test("a suppressed rectangle gives every corner the same room, shifted by its value")
    func rectangle() throws {
        let iv = try t3.intervals(suppressing: [(1, 2), (1, 3), (2, 2), (2, 3)])
        #expect(iv[t3.cell(1, 2)]![.inputTokens] == Interval(lo: 0, hi: 18))
        #expect(iv[t3.cell(1, 3)]![.inputTokens] == Interval(lo: 0, hi: 18))
        #expect(iv[t3.cell(2, 2)]![.inputTokens] == Interval(lo: 10, hi: 28))
        #expect(iv[t3.cell(2, 3)]![.inputTokens] == Interval(lo: 15, hi: 33))
        // Sessions (value + 1 here) carry a lower bound of 1 per listed cell: the same rectangle, shifted.
        #expect(iv[t3.cell(1, 2)]![.sessions] == Interval(lo: 1, hi: 19))
    }

    @Test("the 4×4 bridge: two rectangles joined by a primary pin it; closing a cycle frees it")
    func bridge() throws {
        let g = GridTable([[10, 11, 12, 13], [14, 15, 3, 16], [17, 18, 19, 20], [21, 22, 23, 24]])
        let a = [(1, 1), (1, 2), (2, 1), (2, 2)], b = [(3, 3), (3, 4), (4, 3), (4, 4)]
        let iv = try g.intervals(suppressing: a + b + [(2, 3)])
        #expect(iv[g.cell(2, 3)]![.inputTokens] == Interval(lo: 3, hi: 3))
        for c in a + b { #expect(!iv[g.cell(c.0, c.1)]![.inputTokens]!.isExact) }
        let fixed = try g.intervals(suppressing: a + b + [(2, 3), (1, 3)])
        #expect(!fixed[g.cell(2, 3)]![.inputTokens]!.isExact)
    }

    @Test("suppressing a margin with its cell: rises without bound only along a fully suppressed cycle")
    func margins() throws {
        let iv = try t3.intervals(suppressing: [(1, 2)], also: [.tool("t1"), .model("m2"), .total])
        #expect(iv[t3.cell(1, 2)]![.inputTokens] == Interval(lo: 0, hi: nil))
        let iv2 = try t3.intervals(suppressing: [(1, 2)], also: [.tool("t1"), .tool("t2")])
        // Row margins t1 and t2 are tied through the published total and the other row margin.
        #expect(iv2[t3.cell(1, 2)]![.inputTokens] == Interval(lo: 3, hi: 3))
    }

    @Test("inconsistent published numbers are reported, not audited")
    func inconsistent() throws {
        var values = t3.values
        values[t3.cell(1, 1)][.inputTokens] += 1
        let pt = PublishedTable(table: t3.table, values: values.indices.map { $0 == t3.cell(1, 2) ? nil : values[$0] }, payloadCount: nil)
        let r = try TableAudit.intervals(pt)
        #expect(r.findings.contains(.inconsistent(.inputTokens)))
    }

    @Test("a hostile release with values near 2^53 everywhere is inconsistent, not a crash")
    func hostile() throws {
        let big = GridTable(Array(repeating: Array(repeating: Int64(1), count: 40), count: 40))
        var values = big.values
        for i in values.indices { for m in Measure.allCases { values[i][m] = maxExactValue } }
        let pt = PublishedTable(table: big.table, values: values.indices.map { $0 == big.cell(1, 1) ? nil : values[$0] }, payloadCount: maxExactValue)
        let r = try TableAudit.intervals(pt)
        #expect(r.findings.contains(.inconsistent(.inputTokens)))
    }
}
