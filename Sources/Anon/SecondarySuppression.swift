/// Secondary (complementary) suppression over the whole linked table: a rectangle heuristic proposes,
/// the exact audit decides, and the loop runs until no suppressed value is exposed.
///
/// The heuristic prefers, in order: a rectangle that alone gives the primary the room it needs, fewer new
/// suppressions, then fewer members in the new ones (small cells, and margins only when they must).
/// Each round adds at least one position, so the loop ends; with everything suppressed nothing is
/// exposed (every value can rise without bound), so it always ends with a safe pattern.
///
/// The goal is what a minimum-suppression optimum minimises: the fewest complementary suppressions, then
/// the fewest members hidden in them (Benchmarks/suppression_optimum.py measures the distance). Several
/// safe patterns are proposed (a rectangle per primary first, or only what the audit asks for), each is
/// pruned in more than one order, and the best is improved by local search: drop one complement or two,
/// repair what that exposes without them, prune, and keep the result when it is cheaper. A large week
/// (see `alternativesLimit`) gets one proposal, pruned once.
public struct SuppressionResult: Sendable {
    /// Indexed like `table.positions`.
    public let suppressed: [Bool]
    public let rounds: Int
}

public enum SecondarySuppression {
    /// - Parameter insiders: the `backpay-attacker/2` audit; nil for `backpay-attacker/1`. It decides every
    ///   pattern instead of the model-1 audit, and the heuristic counts a corner's room without the share its
    ///   largest contributors know.
    public static func protect(table: LinkedTable, values: [MeasureValues], primaries: [Int],
                               requirements: [Int: [Measure: ProtectionRequirement]], k: Int, payloadCount: Int64,
                               progress: ((Int, Int) -> Void)? = nil) throws(AnonError) -> SuppressionResult {
        try protect(table: table, values: values, primaries: primaries, requirements: requirements, k: k,
                    payloadCount: payloadCount, insiders: nil, progress: progress)
    }

    package static func protect(table: LinkedTable, values: [MeasureValues], primaries: [Int],
                        requirements: [Int: [Measure: ProtectionRequirement]], k: Int, payloadCount: Int64,
                        insiders: InsiderAudit?, progress: ((Int, Int) -> Void)? = nil,
                        alternativesLimit: Int = SecondarySuppression.alternativesLimit) throws(AnonError) -> SuppressionResult {
        let search = Search(table: table, values: values, primaries: primaries, requirements: requirements, k: k,
                            payloadCount: payloadCount, insiders: insiders, progress: progress)
        var primaryOnly = Array(repeating: false, count: table.positions.count)
        for p in primaries { primaryOnly[p] = true }
        // Proposal 1: one rectangle for every primary, reusing what earlier primaries already suppressed.
        var rectangles = primaryOnly
        for p in primaries.sorted() {
            addBestRectangle(for: p, needs: requirements[p] ?? [:], table: table, values: values, suppressed: &rectangles,
                             share: search.share)
        }
        // The rounds reported are those of the first proposal made: how many audits a first safe pattern took.
        var rounds = 0, extraRounds = 0
        var best: [Bool]? = nil
        // Proposal 2: only what the audit finds exposed, primaries protecting each other where they can.
        // Every alternative costs about one audit per suppressed value per lift: when proposal 1 suppresses
        // more than `alternativesLimit` positions, only proposal 2 is made, pruned most members first, so
        // large weeks keep their build time. It is the better one there: on a week of 10^6 entries the
        // rectangles suppress every position (under model 2 a corner's room shrinks by its insiders'
        // share), and lifting them back one by one was most of the build; the repair stops at a few dozen
        // complements in four audits, and the pruned pattern has fewer (16 against 21 under model 2, 11
        // against 15 under model 1).
        func large(_ pattern: [Bool]) -> Bool { pattern.filter { $0 }.count > alternativesLimit }
        func repairedPrimariesPruned() throws(AnonError) -> SuppressionResult {
            rounds = 0
            // Without forbidden positions the repair ends safe or throws.
            guard let safe = try search.repair(primaryOnly, rounds: &rounds) else { throw .cannotProtect(position: "table", measure: Measure.members.key) }
            return SuppressionResult(suppressed: try prune(table: table, values: values, primaries: primaries, requirements: requirements,
                                                           k: k, payloadCount: payloadCount, suppressed: safe.suppressed, insiders: insiders,
                                                           audit: safe.audit),
                                     rounds: rounds)
        }
        if large(rectangles) { return try repairedPrimariesPruned() }
        var starts = primaryOnly == rectangles ? [rectangles] : [rectangles, primaryOnly]
        if insiders != nil {
            // Proposal 3, model 2 only: the whole model-1 search's pattern for the same requirements, which
            // the model-2 audit then repairs. Model 1 asks less, and its cheaper audits let the search get
            // close to its optimum; what insiders and known zeros add is usually a few repairs away. On the
            // benchmark's week of 499 members it takes the builder from 19 complements to 17 (optimum 16).
            // Only ever extra: the model-2 audit decides, so a model-1 search that fails leaves this one as it was.
            if let outside = try? protect(table: table, values: values, primaries: primaries, requirements: requirements, k: k,
                                          payloadCount: payloadCount, insiders: nil, alternativesLimit: alternativesLimit),
               !starts.contains(outside.suppressed) { starts.append(outside.suppressed) }
        }
        for i in starts.indices {
            var taken = 0
            let repaired = try search.repair(starts[i], rounds: &taken)
            if i == 0 { rounds = taken }
            guard let safe = repaired else { continue }
            if i == 0, large(safe.suppressed) { return try repairedPrimariesPruned() }
            for order in search.pruneOrders(safe.suppressed) {
                let pruned = try prune(table: table, values: values, primaries: primaries, requirements: requirements,
                                       k: k, payloadCount: payloadCount, suppressed: safe.suppressed, insiders: insiders,
                                       audit: safe.audit, order: order)
                if best == nil || search.cost(pruned) < search.cost(best!) { best = pruned }
            }
        }
        guard var best else {
            // The first proposal always ends safe or throws; a second one is only ever extra.
            throw .cannotProtect(position: "table", measure: Measure.members.key)
        }
        best = try search.improve(best, rounds: &extraRounds)
        return SuppressionResult(suppressed: best, rounds: rounds)
    }

    /// The search for a cheap safe pattern: the audit that decides, the repair loop, and local search.
    struct Search {
        let table: LinkedTable
        let values: [MeasureValues]
        let primaries: [Int]
        let primarySet: Set<Int>
        let requirements: [Int: [Measure: ProtectionRequirement]]
        let k: Int
        let payloadCount: Int64
        let insiders: InsiderAudit?
        let progress: ((Int, Int) -> Void)?
        /// Model 2: what the largest contributors of each position know of each counter.
        let share: [[Int64]]
        /// What `cost` adds for each complement: the mean members of a position of the table.
        let complementPrice: Int64

        init(table: LinkedTable, values: [MeasureValues], primaries: [Int], requirements: [Int: [Measure: ProtectionRequirement]],
             k: Int, payloadCount: Int64, insiders: InsiderAudit?, progress: ((Int, Int) -> Void)?) {
            self.table = table; self.values = values; self.primaries = primaries; self.primarySet = Set(primaries)
            self.requirements = requirements; self.k = k; self.payloadCount = payloadCount; self.insiders = insiders
            self.progress = progress; self.share = insiders?.insiderShares() ?? []
            complementPrice = values.reduce(Int64(0)) { $0 + $1[.members] } / Int64(max(1, values.count))
        }

        /// What a pattern costs: the members its complements hide, plus `complementPrice` for each complement,
        /// then (on ties) the number of complements.
        ///
        /// Not complements first: that order, a minimum-suppression optimum's, lets the search trade one
        /// complement for any number of members. On the 1,981-member benchmark week it reached 13 complements
        /// (the optimum's count) hiding 1,780 members against the optimum's 1,067. Pricing each complement at
        /// the table's mean members per position keeps both near the optimum: on every benchmark week with a known
        /// optimum, under both models, complements within 1.10× and members hidden within 1.25× (Benchmarks/README.md).
        func cost(_ suppressed: [Bool]) -> (Int64, Int64) {
            var n: Int64 = 0, members: Int64 = 0
            for x in suppressed.indices where suppressed[x] && !primarySet.contains(x) { n += 1; members += values[x][.members] }
            return (n * complementPrice + members, n)
        }

        /// Every exposure of the pattern under model 1 (model 2's come from the repair's `InsiderLiftAudit`).
        func outsideExposures(_ suppressed: [Bool]) throws(AnonError) -> [Exposure] {
            let published = PublishedTable(table: table, values: values.indices.map { suppressed[$0] ? nil : values[$0] }, payloadCount: payloadCount)
            let (e, findings) = try TableAudit.exposures(published, k: k, requirements: requirements)
            // Our own true values always fit; an inconsistency here is a bug, never something to publish.
            if let f = findings.first, case .inconsistent(let m) = f { throw .cannotProtect(position: "table", measure: m.key) }
            return e
        }

        /// A safe pattern the repair reached, and under model 2 the audit's state on it, which a prune goes
        /// on from.
        struct Repaired {
            let suppressed: [Bool]
            let audit: InsiderLiftAudit?
        }

        /// Adds suppressions until the audit finds nothing exposed. Positions in `forbidden` are never added;
        /// nil when no safe pattern is reachable that way (without `forbidden`: throws, there is no safe
        /// release of this week).
        /// Under model 2 the rounds after the first decide only what the added suppressions can change
        /// (`InsiderLiftAudit.suppress`).
        func repair(_ start: [Bool], forbidden: Set<Int> = [], rounds: inout Int) throws(AnonError) -> Repaired? {
            var suppressed = start
            var local = 0
            var state: InsiderLiftAudit? = nil
            while true {
                local += 1
                if forbidden.isEmpty { rounds += 1 }
                let exposed: [Exposure]
                if let insiders {
                    if state == nil { state = try InsiderLiftAudit(insiders, suppressed: suppressed) }
                    else { try state!.suppress(suppressed.indices.filter { suppressed[$0] && !state!.suppressed[$0] }) }
                    exposed = try state!.exposures()
                } else {
                    exposed = try outsideExposures(suppressed)
                }
                if forbidden.isEmpty { progress?(rounds, exposed.count) }
                if exposed.isEmpty { return Repaired(suppressed: suppressed, audit: state) }
                var byPosition: [Int: [Measure: ProtectionRequirement]] = [:]
                for e in exposed {
                    let idx = table.index[e.position]!
                    byPosition[idx, default: [:]][e.measure] = requirements[idx]?[e.measure] ?? ProtectionRequirement()
                }
                // Primaries first; a position sharing a grid line with one widened this round waits for the
                // next audit, which often finds it already covered.
                let order = byPosition.keys.sorted { (requirements[$0] == nil ? 1 : 0, $0) < (requirements[$1] == nil ? 1 : 0, $1) }
                var rowsTouched = Set<Int>(), colsTouched = Set<Int>()
                let before = suppressed
                for idx in order {
                    if rowsTouched.contains(table.row[idx]) || colsTouched.contains(table.col[idx]) { continue }
                    let was = suppressed
                    addBestRectangle(for: idx, needs: byPosition[idx]!, table: table, values: values, suppressed: &suppressed,
                                     share: share, forbidden: forbidden)
                    for x in suppressed.indices where suppressed[x] != was[x] { rowsTouched.insert(table.row[x]); colsTouched.insert(table.col[x]) }
                    rowsTouched.insert(table.row[idx]); colsTouched.insert(table.col[idx])
                }
                if suppressed == before {
                    guard forbidden.isEmpty else { return nil }
                    // Everything is suppressed and a value is still exposed (only the published payload count
                    // is left to bound it): there is no safe release of this week.
                    throw .cannotProtect(position: exposed[0].position.description, measure: exposed[0].measure.key)
                }
                if !forbidden.isEmpty, local >= 6 { return nil }
            }
        }

        /// The lift orders tried on a safe pattern: most members first (the biggest cells are the most
        /// useful to publish), and the fewest members first (which keeps the few large complements that
        /// protect many primaries at once, the count the optimum minimises first).
        func pruneOrders(_ suppressed: [Bool]) -> [[Int]] {
            let complements = suppressed.indices.filter { suppressed[$0] && !primarySet.contains($0) }
            let most = complements.sorted { (values[$0][.members], $0) > (values[$1][.members], $1) }
            return [most, most.reversed()]
        }

        /// Local search from a safe, pruned pattern: publish one complement, two or three, protect what that
        /// exposes without them, prune, and keep the new pattern when it costs less. Single complements are
        /// tried first, most members first, then pairs, then triples of the eight largest; after each
        /// improvement the search starts again from the new pattern. Within a budget of tries that shrinks
        /// with the table (each try is a repair and a prune, a few dozen audits).
        ///
        /// Pairs are what reach the optimum's count: two complements that each protect the other's
        /// neighbourhood cannot be dropped one at a time. On the four weeks of Benchmarks/suppression_optimum.py
        /// (191 to 1,981 members, model 1) they took the builder from 11 / 12 / 20 / 16 complements to
        /// 10 / 10 / 19 / 14, against an optimum of 10 / 10 / 18 / 13. Triples of large complements give
        /// members back: with them the 1,000-member week's 19 complements hide 454 members instead of 651 (the
        /// optimum: 18 hiding 480).
        func improve(_ start: [Bool], rounds: inout Int) throws(AnonError) -> [Bool] {
            var best = start
            var budget = SecondarySuppression.improveBudget(positions: table.positions.count, suppressed: start.filter { $0 }.count,
                                                            model2: insiders != nil)
            var improved = true
            var tried = Set<[Bool]>()
            while improved && budget > 0 {
                improved = false
                let complements = best.indices.filter { best[$0] && !primarySet.contains($0) }
                    .sorted { (values[$0][.members], $0) > (values[$1][.members], $1) }
                var moves = complements.map { [$0] }
                for i in complements.indices { for j in complements.indices where j > i { moves.append([complements[i], complements[j]]) } }
                let large = Array(complements.prefix(8))
                for i in large.indices {
                    for j in large.indices where j > i { for l in large.indices where l > j { moves.append([large[i], large[j], large[l]]) } }
                }
                for move in moves where budget > 0 {
                    var lifted = best
                    for x in move { lifted[x] = false }
                    guard tried.insert(lifted).inserted else { continue }
                    budget -= 1
                    guard let safe = try repair(lifted, forbidden: Set(move), rounds: &rounds) else { continue }
                    // One order here: each try is already one of many.
                    for order in pruneOrders(safe.suppressed).prefix(1) {
                        let pruned = try SecondarySuppression.prune(table: table, values: values, primaries: primaries,
                                                                    requirements: requirements, k: k, payloadCount: payloadCount,
                                                                    suppressed: safe.suppressed, insiders: insiders, audit: safe.audit,
                                                                    order: order)
                        if cost(pruned) < cost(best) { best = pruned; improved = true }
                    }
                    if improved { break }
                }
            }
            return best
        }
    }

    /// Suppressed positions beyond which no alternative pattern is searched (see `protect`).
    static let alternativesLimit = 120

    /// How many moves local search may try: every single complement and most pairs, more than once, on a
    /// real week of at most 16 × 30 cells; fewer on large tables and when many positions are suppressed,
    /// where each try's audits cost more (and model 2's audits cost more than model 1's). Large weeks
    /// (beyond `alternativesLimit`) make no local search at all. On the weeks of
    /// Benchmarks/suppression_optimum.py a build takes at most 2 s with it (release binary).
    static func improveBudget(positions: Int, suppressed: Int, model2: Bool) -> Int {
        let base = min(480, max(0, 240_000 / max(1, positions) - 32), 12_000 / max(1, suppressed))
        return model2 ? base / 6 : base
    }

    /// How many complementary suppressions `prune` may try to lift: each try is one audit, so the
    /// budget shrinks with the table (200 for a real week of at most 16 × 30 cells, 40 at 10^4 cells).
    static func pruneBudget(positions: Int) -> Int { min(200, max(16, 400_000 / max(1, positions))) }

    /// Lifts complementary suppressions that turned out unnecessary, in `order` (by default most members
    /// first: the biggest cells are the most useful to publish), keeping each lift only when the audit
    /// still finds nothing.
    /// A lift needs only the audit's yes or no: `LiftAudit` keeps what it proved between lifts; without it
    /// (true values outside the attacker's model) each pattern is audited anew, stopping at the first
    /// exposure and looking first at the lifted position's row and column, where one shows up.
    /// Under model 2, `audit` is the repair's state on `start` when it has one.
    static func prune(table: LinkedTable, values: [MeasureValues], primaries: [Int],
                      requirements: [Int: [Measure: ProtectionRequirement]], k: Int, payloadCount: Int64,
                      suppressed start: [Bool], insiders: InsiderAudit? = nil, audit given: InsiderLiftAudit? = nil,
                      order: [Int]? = nil) throws(AnonError) -> [Bool] {
        let primarySet = Set(primaries)
        let candidates = (order ?? start.indices.filter { start[$0] && !primarySet.contains($0) }
            .sorted { (values[$0][.members], $0) > (values[$1][.members], $1) })
            .prefix(pruneBudget(positions: table.positions.count))
        if let insiders {
            // Model 2 keeps what it proved between lifts too, with the verdicts of the whole audit.
            var audit: InsiderLiftAudit
            if let given {
                assert(given.suppressed == start, "the repair's state must be on the pattern being pruned")
                audit = given
            } else { audit = try InsiderLiftAudit(insiders, suppressed: start) }
            for x in candidates { _ = try audit.lift(x) }
            return audit.suppressed
        }
        if var audit = LiftAudit(table: table, values: values, suppressed: start, k: k, requirements: requirements, payloadCount: payloadCount) {
            for x in candidates { _ = try audit.lift(x) }
            return audit.suppressed
        }
        var suppressed = start
        for x in candidates {
            suppressed[x] = false
            let published = PublishedTable(table: table, values: values.indices.map { suppressed[$0] ? nil : values[$0] }, payloadCount: payloadCount)
            let near = table.positions.indices.filter { suppressed[$0] && (table.row[$0] == table.row[x] || table.col[$0] == table.col[x]) }
            if try !TableAudit.isSafe(published, k: k, requirements: requirements, first: near) { suppressed[x] = true }
        }
        return suppressed
    }

    /// Whether moving values around the rectangle e, a, b, d alone gives `e` the room its needs ask for.
    /// Cycle coefficients in the signed grid are e +1, a −1, b −1, d +1; a corner falls when e rises if
    /// coefficient · sign(corner) · sign(e) < 0.
    /// `share[x][i]`, when given, is what the largest contributors of position x know of counter i
    /// (`backpay-attacker/2`): that part of a corner's value cannot move for them.
    static func rectangleSuffices(e: Int, corners: (Int, Int, Int), needs: [(key: Measure, value: ProtectionRequirement)],
                                  table t: LinkedTable, values: [MeasureValues], share: [[Int64]] = []) -> Bool {
        let se = t.sign(e)
        let (a, b, d) = corners
        let fallsWhenRising = (-t.sign(a) * se < 0, -t.sign(b) * se < 0, t.sign(d) * se < 0)
        for (m, req) in needs {
            let l = m.attackerLowerBound
            let v = values[e][m]
            var up = FlowNetwork.infinity, down = v - l
            for (x, falls) in [(a, fallsWhenRising.0), (b, fallsWhenRising.1), (d, fallsWhenRising.2)] {
                let known = share.isEmpty ? 0 : m.counterIndex.map { share[x][$0] } ?? 0
                let room = max(0, values[x][m] - max(l, known))
                if falls { up = min(up, room) } else { down = min(down, room) }
            }
            if let u = req.upperAtLeast, up < u - v { return false }
            if let lo = req.lowerAtMost, down < v - lo { return false }
            if req.upperAtLeast == nil, req.lowerAtMost == nil, up < 1, down < 1 { return false }
        }
        return true
    }

    /// Suppresses the cheapest rectangle (or, when every rectangle through `e` is already suppressed, the
    /// cheapest position in its row or column, else anywhere). Does nothing when all is suppressed.
    static func addBestRectangle(for e: Int, needs: [Measure: ProtectionRequirement], table t: LinkedTable,
                                 values: [MeasureValues], suppressed: inout [Bool], share: [[Int64]] = [],
                                 forbidden: Set<Int> = []) {
        let r = t.row[e], c = t.col[e]
        let rows = t.tools.count + 1, cols = t.models.count + 1
        var best: (score: (Int, Int, Int64), corners: (Int, Int, Int))? = nil
        let additiveNeeds = needs.filter { $0.key.isAdditive }.sorted { $0.key < $1.key }
        for r2 in 0..<rows where r2 != r {
            let b = t.at(r2, c)
            if b < 0 { continue }
            for c2 in 0..<cols where c2 != c {
                let a = t.at(r, c2), d = t.at(r2, c2)
                if a < 0 || d < 0 { continue }
                if !forbidden.isEmpty, forbidden.contains(a) || forbidden.contains(b) || forbidden.contains(d) { continue }
                var newCount = 0
                var size: Int64 = 0
                if !suppressed[a] { newCount += 1; size += values[a][.members] }
                if !suppressed[b] { newCount += 1; size += values[b][.members] }
                if !suppressed[d] { newCount += 1; size += values[d][.members] }
                if newCount == 0 { continue }
                // A sufficient rectangle already found beats anything not cheaper.
                if let bs = best?.score, bs.0 == 0, (newCount, size) >= (bs.1, bs.2) { continue }
                let sufficient = rectangleSuffices(e: e, corners: (a, b, d), needs: additiveNeeds, table: t, values: values, share: share)
                let score = (sufficient ? 0 : 1, newCount, size)
                if best == nil || score < best!.score { best = (score, (a, b, d)) }
            }
        }
        if let b = best {
            suppressed[b.corners.0] = true; suppressed[b.corners.1] = true; suppressed[b.corners.2] = true
            return
        }
        // Every rectangle through e is suppressed already: widen with the smallest open neighbour.
        var pick: (Int64, Int)? = nil
        for x in t.positions.indices where !suppressed[x] && !forbidden.contains(x) && (t.row[x] == r || t.col[x] == c) {
            let s = values[x][.members]
            if pick == nil || (s, x) < pick! { pick = (s, x) }
        }
        if pick == nil {
            for x in t.positions.indices where !suppressed[x] && !forbidden.contains(x) {
                let s = values[x][.members]
                if pick == nil || (s, x) < pick! { pick = (s, x) }
            }
        }
        if let p = pick { suppressed[p.1] = true }
    }
}
