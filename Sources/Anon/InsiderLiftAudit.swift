/// `LiftAudit` for `backpay-attacker/2`: the audit behind `SecondarySuppression.prune`'s lifts in a format-2
/// build. Each lift gets exactly the verdict `InsiderAudit.exposures(suppressed:)` gives the new pattern,
/// but most of the work is kept from one lift to the next.
///
/// - Each counter's residual network is built once around the true table, zeros closed; publishing a
///   position closes its arcs. The network a whole audit would build for the new pattern differs only by
///   arcs of capacity 0, which no flow search follows, so a check decided again here runs the same flows
///   and reaches the same verdict as in the whole audit.
/// - Publishing a position whose value is 0 on a counter changes nothing on that counter: its arcs were
///   closed already, and coalitions count only non-zero values.
/// - A check that passed on flows alone stays passed while those flows can still run: closing arcs
///   elsewhere leaves them intact, a lift only lowers what the coalitions' screen asks for (the widest
///   shares lose the lifted value's), and a coalition's loss bound only loses the lifted value's term. So
///   each (position, counter) keeps the positions its flows moved (the check without coalitions, the
///   screen, and each coalition's own flow), and a lift decides again only the checks that moved the
///   lifted position. With coalitions of two, a check that needed coalitions one by one is decided again
///   on every lift: its verdict can rest on the enumeration's budget, which is not carried over.
/// - Member counts are re-audited whole on every lift, as `InsiderAudit` does.
///
/// It also suppresses more (`suppress`), for the builder's repair rounds: suppressing a position opens its
/// arcs and can only widen every interval, so a check that passed still passes, on the same flows (they
/// lose no capacity; the newly suppressed values' arcs keep all their room, so no coalition's loss bound
/// grows). Only failed checks and the new positions' are decided, instead of a whole audit per round; and
/// the prune goes on from the repair's last state instead of auditing the safe pattern once more.
struct InsiderLiftAudit {
    private let audit: InsiderAudit
    /// Indexed like `table.positions`.
    private(set) var suppressed: [Bool]
    private var sup: [Int]
    /// One per counter, in the order of `audit.counters`.
    private var counters: [InsiderAudit.CounterAudit]
    /// What one check's verdict on the current pattern rests on.
    private enum Proof {
        /// Passed on flows that moved these positions.
        case flows([Int])
        /// Passed after coalitions of two were tried one by one: decided again on every lift that touches its
        /// counter.
        case enumerated
        case failed(Exposure)
        /// Not a check: the position is published, or 0 on the counter.
        case none

        func needsDeciding(after x: Int) -> Bool {
            switch self {
            case .flows(let moved): return moved.contains(x)
            case .enumerated, .failed: return true
            case .none: return false
            }
        }
    }
    /// By position, then counter.
    private var proofs: [[Proof]]
    private var scratch: InsiderAudit.Scratch
    /// Checks a lift left as they were without deciding them again, and checks decided again.
    private(set) var carried = 0, decided = 0

    init(_ audit: InsiderAudit, suppressed: [Bool]) throws(AnonError) {
        self.audit = audit
        self.suppressed = suppressed
        sup = suppressed.indices.filter { suppressed[$0] }
        counters = []
        // Arcs for every position, closed unless suppressed, so that `suppress` can open more.
        let every = Array(suppressed.indices)
        for m in audit.counters { counters.append(try audit.counterAudit(m, sup: sup, arcs: every)) }
        proofs = Array(repeating: Array(repeating: .none, count: audit.counters.count), count: suppressed.count)
        scratch = InsiderAudit.Scratch(memberCount: audit.memberCount)
        for i in counters.indices {
            let m = counters[i].measure
            for x in sup where audit.values[x][m] != 0 { proofs[x][i] = decide(x, counter: i) }
        }
    }

    /// The check of `x` on counter `i`, on the current pattern.
    private mutating func decide(_ x: Int, counter i: Int) -> Proof {
        counters[i].residual.moved = []
        defer { counters[i].residual.moved = nil }
        let (e, flowsAlone) = audit.exposure(of: x, &counters[i], suppressed: suppressed, sup: sup, scratch: &scratch)
        if let e { return .failed(e) }
        return flowsAlone ? .flows(counters[i].residual.moved!) : .enumerated
    }

    /// Publishes suppressed position `x` when the audit then finds nothing exposed; tells whether it did.
    mutating func lift(_ x: Int) throws(AnonError) -> Bool {
        let values = audit.values
        // Counters on which x is 0 are left as they are (see above).
        let touched = counters.indices.filter { values[x][counters[$0].measure] != 0 }
        func publish(_ published: Bool) {
            for i in touched {
                counters[i].residual.setPublished(x, published)
                counters[i].widest += (published ? -1 : 1) * audit.widestShare(x, counters[i].measure)
            }
            suppressed[x] = !published
            sup = suppressed.indices.filter { suppressed[$0] }
        }
        publish(true)
        var renewed: [(Int, Int, Proof)] = []
        // A check that failed on a counter x leaves as it was fails again.
        var safe = !sup.contains { y in counters.indices.contains { i in !touched.contains(i) && isFailed(proofs[y][i]) } }
        // The lifted position's row and column first: a new exposure usually shows there.
        let t = audit.table
        let near = { (y: Int) in t.row[y] == t.row[x] || t.col[y] == t.col[x] }
        search: for y in sup.filter(near) + sup.filter({ !near($0) }) where safe {
            for i in touched {
                if case .none = proofs[y][i] { continue }
                guard proofs[y][i].needsDeciding(after: x) else { carried += 1; continue }
                decided += 1
                let proof = decide(y, counter: i)
                if isFailed(proof) { safe = false; break search }
                renewed.append((y, i, proof))
            }
        }
        if safe { safe = try audit.countExposures(suppressed: suppressed, firstOnly: true).isEmpty }
        guard safe else {
            publish(false)
            return false
        }
        for (y, i, p) in renewed { proofs[y][i] = p }
        proofs[x] = proofs[x].map { _ in .none }
        return true
    }

    private func isFailed(_ p: Proof) -> Bool { if case .failed = p { return true } else { return false } }

    /// Suppresses `added` too and decides again only what that can change: the checks that failed, the
    /// checks that rested on the enumeration, and the new positions' own.
    mutating func suppress(_ added: [Int]) throws(AnonError) {
        let values = audit.values
        let new = added.filter { !suppressed[$0] }
        guard !new.isEmpty else { return }
        for x in new {
            suppressed[x] = true
            for i in counters.indices where values[x][counters[i].measure] != 0 {
                counters[i].residual.setPublished(x, false)
                counters[i].widest += audit.widestShare(x, counters[i].measure)
            }
        }
        sup = suppressed.indices.filter { suppressed[$0] }
        for i in counters.indices {
            let m = counters[i].measure
            for y in sup where values[y][m] != 0 {
                switch proofs[y][i] {
                case .flows: carried += 1
                case .none, .enumerated, .failed: decided += 1; proofs[y][i] = decide(y, counter: i)
                }
            }
        }
    }

    /// Every exposure of the current pattern: the failed checks', then the member counts'.
    func exposures() throws(AnonError) -> [Exposure] {
        var out: [Exposure] = []
        for i in counters.indices { for y in sup { if case .failed(let e) = proofs[y][i] { out.append(e) } } }
        return out + (try audit.countExposures(suppressed: suppressed, firstOnly: false))
    }
}
