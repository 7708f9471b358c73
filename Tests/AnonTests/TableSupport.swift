@testable import Anon

/// A small table for audit tests: `grid[i][j]` is the input_tokens of cell (t_i, m_j) (nil = empty);
/// margins and the total are the sums; the other counters are copies (sessions one more, as sessions
/// are at least 1), and counts are large so that they never pin anything by accident.
struct GridTable {
    let table: LinkedTable
    let values: [MeasureValues]

    init(_ grid: [[Int64?]]) {
        var vals: [Position: MeasureValues] = [:]
        for (i, row) in grid.enumerated() {
            for (j, v) in row.enumerated() {
                guard let v else { continue }
                for p in [Position.cell(tool: "t\(i + 1)", model: "m\(j + 1)"), .tool("t\(i + 1)"), .model("m\(j + 1)"), .total] {
                    var mv = vals[p] ?? MeasureValues()
                    for m in Measure.counters { mv[m] += v + (m == .sessions ? 1 : 0) }
                    mv[.members] = 1000; mv[.memberDays] = 1000
                    vals[p] = mv
                }
            }
        }
        table = LinkedTable(positions: Array(vals.keys))
        values = table.positions.map { vals[$0]! }
    }

    func cell(_ i: Int, _ j: Int) -> Int { table.index[.cell(tool: "t\(i)", model: "m\(j)")]! }

    func published(suppressing cells: [(Int, Int)], also extra: [Position] = []) -> PublishedTable {
        let sup = Set(cells.map { cell($0.0, $0.1) } + extra.map { table.index[$0]! })
        return PublishedTable(table: table, values: values.indices.map { sup.contains($0) ? nil : values[$0] }, payloadCount: nil)
    }

    func intervals(suppressing cells: [(Int, Int)], also extra: [Position] = []) throws -> [Int: [Measure: Interval]] {
        try TableAudit.intervals(published(suppressing: cells, also: extra)).intervals
    }
}

/// A linked table of true values from its cells: each cell is added to its tool margin, its model margin and
/// the total.
func linkedTable(_ cells: [(tool: String, model: String, value: MeasureValues)]) -> (table: LinkedTable, values: [MeasureValues]) {
    var vals: [Position: MeasureValues] = [:]
    for (t, m, v) in cells {
        for p in [Position.cell(tool: t, model: m), .tool(t), .model(m), .total] {
            var a = vals[p] ?? MeasureValues()
            for measure in Measure.allCases { a[measure] += v[measure] }
            vals[p] = a
        }
    }
    let table = LinkedTable(positions: Array(vals.keys))
    return (table, table.positions.map { vals[$0]! })
}

/// Every position with fewer than k members as a frequency primary, with what it must leave open.
func frequencyPrimaries(_ values: [MeasureValues], policy: Policy) -> (primaries: [Int], requirements: [Int: [Measure: ProtectionRequirement]]) {
    var primaries: [Int] = [], requirements: [Int: [Measure: ProtectionRequirement]] = [:]
    for (i, v) in values.enumerated() where v[.members] < Int64(policy.k) {
        primaries.append(i)
        requirements[i] = PrimaryRules.requirements(value: v, dominance: [], status: PrimaryStatus(frequency: true, dominance: []), policy: policy)
    }
    return (primaries, requirements)
}
