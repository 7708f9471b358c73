/// The weekly table as the attacker sees its structure: cells, both margins and the total, with the
/// relations that tie them (docs/release-format.md).
///
/// Additive values form a circulation: node S → tool row (tool margin), tool row → model column (cell),
/// model column → node T (model margin), T → S (grand total). Flow conservation at each node is exactly
/// "cells sum to their margins, margins sum to the total". The same positions, seen as an
/// (tools + 1) × (models + 1) grid whose last row and column are the margins, give the rectangles the
/// suppression heuristic works with.
public struct LinkedTable: Sendable {
    public let tools: [String]
    public let models: [String]
    /// Positions in release order; every other array is indexed like this one.
    public let positions: [Position]
    public let index: [Position: Int]
    /// Circulation endpoints of each position.
    let from: [Int]
    let to: [Int]
    /// Grid coordinates: row in 0...tools.count (last = model margins), column in 0...models.count.
    let row: [Int]
    let col: [Int]
    /// Position index at grid (r, c), or -1 for an empty (known-zero) cell.
    let grid: [Int]

    var nodeCount: Int { tools.count + models.count + 2 }
    var gridColumns: Int { models.count + 1 }
    var sNode: Int { tools.count + models.count + 1 }
    var tNode: Int { tools.count + models.count }

    /// - Parameter positions: every listed position; margins and total of each tool and model that has a
    ///   cell must be present (callers check this with `missingPositions`).
    public init(positions unsorted: [Position]) {
        let positions = unsorted.sorted()
        self.positions = positions
        var tools = Set<String>(), models = Set<String>()
        for p in positions {
            switch p {
            case .cell(let t, let m): tools.insert(t); models.insert(m)
            case .tool(let t): tools.insert(t)
            case .model(let m): models.insert(m)
            case .total: break
            }
        }
        self.tools = tools.sorted(); self.models = models.sorted()
        let ti = Dictionary(uniqueKeysWithValues: self.tools.enumerated().map { ($1, $0) })
        let mi = Dictionary(uniqueKeysWithValues: self.models.enumerated().map { ($1, $0) })
        let nt = self.tools.count, nm = self.models.count
        let s = nt + nm + 1, t = nt + nm
        var index: [Position: Int] = [:], from: [Int] = [], to: [Int] = [], row: [Int] = [], col: [Int] = []
        var grid = Array(repeating: -1, count: (nt + 1) * (nm + 1))
        for (k, p) in positions.enumerated() {
            index[p] = k
            let (f, g, r, c): (Int, Int, Int, Int)
            switch p {
            case .cell(let tool, let model): (f, g, r, c) = (ti[tool]!, nt + mi[model]!, ti[tool]!, mi[model]!)
            case .tool(let tool): (f, g, r, c) = (s, ti[tool]!, ti[tool]!, nm)
            case .model(let model): (f, g, r, c) = (nt + mi[model]!, t, nt, mi[model]!)
            case .total: (f, g, r, c) = (t, s, nt, nm)
            }
            from.append(f); to.append(g); row.append(r); col.append(c)
            grid[r * (nm + 1) + c] = k
        }
        self.index = index; self.from = from; self.to = to; self.row = row; self.col = col; self.grid = grid
    }

    /// Margins or the total that a complete table must list but this one does not.
    public var missingPositions: [Position] {
        var need: [Position] = [.total] + tools.map { .tool($0) } + models.map { .model($0) }
        need.removeAll { index[$0] != nil }
        return need
    }

    @inline(__always) func at(_ r: Int, _ c: Int) -> Int { grid[r * gridColumns + c] }

    /// +1 where raising the value raises the grid's signed sum, -1 on the margin row or column (not both):
    /// with y = sign·x every grid row and column sums to zero.
    @inline(__always) func sign(_ k: Int) -> Int { (row[k] == tools.count ? -1 : 1) * (col[k] == models.count ? -1 : 1) }
}
