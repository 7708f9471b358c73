/// A place in the weekly linked table: an interior cell, a margin or the grand total.
public enum Position: Hashable, Sendable, Comparable, CustomStringConvertible {
    case cell(tool: String, model: String)
    case tool(String)
    case model(String)
    case total

    public var description: String {
        switch self {
        case .cell(let t, let m): return "\(t) × \(m)"
        case .tool(let t): return "tool \(t)"
        case .model(let m): return "model \(m)"
        case .total: return "total"
        }
    }

    /// Cells first (by tool, then model), then tool margins, model margins and the total: the order of
    /// release documents and of every report.
    var sortKey: (Int, String, String) {
        switch self {
        case .cell(let t, let m): return (0, t, m)
        case .tool(let t): return (1, t, "")
        case .model(let m): return (2, m, "")
        case .total: return (3, "", "")
        }
    }

    public static func < (a: Position, b: Position) -> Bool { a.sortKey < b.sortKey }

    public var isMargin: Bool { if case .cell = self { return false } else { return true } }
}
