/// Integer maximum flow (Dinic), exact over Int64, for the audit's feasibility intervals.
///
/// Why max-flow and not a general min-cost flow: each interval end minimises or maximises a single
/// suppressed value, and in the residual network of a feasible table that is exactly a maximum flow
/// between the value's two endpoints (docs/release-format.md). Capacities at or above `infinity` mean "unbounded";
/// they never grow past it, so no sum can overflow while real capacities stay below 2^53.
///
/// The audit runs thousands of flows on one small network (a few dozen nodes), so the arcs sit in flat
/// arrays and the search state is kept between calls: a flow allocates nothing.
struct FlowNetwork {
    static let infinity: Int64 = 1 << 62

    private(set) var head: [Int]
    private(set) var to: [Int] = []
    private(set) var next: [Int] = []
    var capacity: [Int64] = []
    // Scratch of one search, reused by every call.
    private var level: [Int]
    private var iter: [Int]
    private var queue: [Int]
    private var path: [Int] = []

    init(nodes: Int) {
        head = Array(repeating: -1, count: nodes)
        level = Array(repeating: -1, count: nodes)
        iter = Array(repeating: -1, count: nodes)
        queue = Array(repeating: 0, count: nodes)
    }

    var nodeCount: Int { head.count }

    /// Adds arc u→v with capacity `cap` and its reverse v→u with capacity `reverseCap`; returns the
    /// forward arc's index (the reverse arc is index ^ 1).
    @discardableResult
    mutating func addArc(_ u: Int, _ v: Int, _ cap: Int64, reverseCap: Int64 = 0) -> Int {
        let e = to.count
        to.append(v); capacity.append(cap); next.append(head[u]); head[u] = e
        to.append(u); capacity.append(reverseCap); next.append(head[v]); head[v] = e + 1
        return e
    }

    @inline(__always) private static func addCapped(_ a: Int64, _ b: Int64) -> Int64 {
        a >= infinity ? infinity : min(infinity, a + b)
    }

    /// True when `t` is reachable from `s` over arcs whose capacity is unbounded.
    mutating func unboundedPath(from s: Int, to t: Int, capacities cap: [Int64]) -> Bool {
        for i in level.indices { level[i] = -1 }
        var qt = 0
        queue[qt] = s; qt += 1; level[s] = 0
        while qt > 0 {
            qt -= 1
            let u = queue[qt]
            if u == t { return true }
            var e = head[u]
            while e >= 0 {
                let v = to[e]
                if cap[e] >= FlowNetwork.infinity, level[v] < 0 { level[v] = 0; queue[qt] = v; qt += 1 }
                e = next[e]
            }
        }
        return false
    }

    /// Maximum flow from `s` to `t`, at most `limit`, on the capacities `cap` (updated to the residual).
    mutating func maxFlow(from s: Int, to t: Int, capacities cap: inout [Int64], limit: Int64 = infinity) -> Int64 {
        if s == t { return limit }
        // The scratch arrays are moved into locals for the search and back after it: a local array's
        // writes need no uniqueness check each time, a stored property's do (a fifth of the audit's flow
        // time went to those checks).
        var level: [Int] = [], iter: [Int] = [], queue: [Int] = [], path: [Int] = []
        swap(&level, &self.level); swap(&iter, &self.iter); swap(&queue, &self.queue); swap(&path, &self.path)
        defer { swap(&level, &self.level); swap(&iter, &self.iter); swap(&queue, &self.queue); swap(&path, &self.path) }
        let head = self.head, to = self.to, next = self.next
        var total: Int64 = 0
        while total < limit {
            for i in level.indices { level[i] = -1 }
            level[s] = 0
            var qh = 0, qt = 0
            queue[qt] = s; qt += 1
            while qh < qt {
                let u = queue[qh]; qh += 1
                var e = head[u]
                while e >= 0 {
                    let v = to[e]
                    if cap[e] > 0, level[v] < 0 { level[v] = level[u] + 1; queue[qt] = v; qt += 1 }
                    e = next[e]
                }
            }
            if level[t] < 0 { break }
            for i in head.indices { iter[i] = head[i] }
            while total < limit {
                let pushed = FlowNetwork.augment(s, t, limit - total, &cap, to: to, next: next, level: &level, iter: &iter, path: &path)
                if pushed == 0 { break }
                total += pushed
            }
        }
        return total
    }

    /// One blocking-flow augmentation by iterative DFS along the level graph.
    private static func augment(_ s: Int, _ t: Int, _ want: Int64, _ cap: inout [Int64], to: [Int], next: [Int],
                                level: inout [Int], iter: inout [Int], path: inout [Int]) -> Int64 {
        path.removeAll(keepingCapacity: true)   // arcs
        var u = s
        while true {
            if u == t {
                var f = want
                for e in path { f = min(f, cap[e]) }
                for e in path {
                    if cap[e] < FlowNetwork.infinity { cap[e] -= f }
                    cap[e ^ 1] = FlowNetwork.addCapped(cap[e ^ 1], f)
                }
                return f
            }
            var advanced = false
            while iter[u] >= 0 {
                let e = iter[u]
                let v = to[e]
                if cap[e] > 0, level[v] == level[u] + 1 {
                    path.append(e); u = v; advanced = true
                    break
                }
                iter[u] = next[e]
            }
            if !advanced {
                // Dead end: prune this node and retreat.
                level[u] = -1
                guard let e = path.popLast() else { return 0 }
                u = to[e ^ 1]
                iter[u] = next[iter[u]]
            }
        }
    }
}
