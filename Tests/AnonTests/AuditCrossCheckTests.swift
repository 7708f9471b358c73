import Core
import Testing
import TestSupport
import Schema
@testable import Anon
#if canImport(Glibc)
import Glibc
#endif

/// Random weekly tables with random suppression patterns (margins included): every interval of the
/// exact audit equals what an LP solver (scipy's linprog, HiGHS) finds for the same attacker problem.
/// The LPs are written here from the table's structure, independently of the audit's own networks.
/// Needs python3 with PyPI scipy (CI: `pip install scipy`).
@Suite("AuditCrossCheck") struct AuditCrossCheckTests {
    struct Instance {
        let published: PublishedTable
        let intervals: [Int: [Measure: Interval]]
    }

    static func randomInstance(_ rng: inout SplitMix64) throws -> Instance {
        let tools = ["aider", "codex", "cursor", "zed", "amp"].prefix(Int(rng.next(2...5)))
        let models = ["gpt-5", "o3", "grok-4", "kimi-k2", "qwen3-coder"].prefix(Int(rng.next(2...5)))
        var payloads: [Payload] = []
        let week = ISOWeek(year: 2026, week: 24)!
        for member in 0..<Int(rng.next(4...14)) {
            let pairs = (0..<Int(rng.next(1...3))).map { _ in (tools.randomElement(using: &rng)!, models.randomElement(using: &rng)!) }
            for d in 0..<Int(rng.next(1...3)) {
                var seen = Set<String>()
                var entries: [PayloadEntry] = []
                for (t, m) in pairs where seen.insert(t + m).inserted {
                    // Small values with zeros, so that lower bounds and degenerate cycles matter.
                    entries.append(PayloadEntry(tool: t, model: m, inputTokens: rng.next(0...9), outputTokens: rng.next(0...3) * 7,
                                                cacheReadTokens: 0, cacheCreationTokens: rng.next(0...1), costCents: rng.next(0...40), sessions: rng.next(1...4)))
                }
                payloads.append(Payload(panelist: "p\(member)", date: week.days[d * 2], entries: entries))
            }
        }
        let table = try WeekTable(week: week, payloads: payloads)
        let linked = LinkedTable(positions: Array(table.values.keys))
        let values: [MeasureValues?] = linked.positions.map { p in rng.next(0...9) < 4 ? nil : table.values[p]! }
        let published = PublishedTable(table: linked, values: values, payloadCount: rng.next(0...1) == 0 ? Int64(table.payloadCount) : nil)
        return Instance(published: published, intervals: try TableAudit.intervals(published).intervals)
    }

    /// The attacker's LP for one measure: variables are the suppressed positions.
    static func lp(_ pub: PublishedTable, _ m: Measure) -> (json: String, vars: [Int]) {
        let t = pub.table
        var vars = pub.suppressed
        if m == .memberDays, pub.payloadCount != nil { vars.removeAll { t.positions[$0] == .total } }
        let col = Dictionary(uniqueKeysWithValues: vars.enumerated().map { ($1, $0) })
        func value(_ k: Int) -> Int64 {
            if let v = pub.values[k] { return v[m] }
            return pub.payloadCount!   // the total's member-days, when not a variable
        }
        var eq: [String] = [], ub: [String] = []
        /// Σ coef·x ≤ or = rhs with published values moved to the right.
        func row(_ terms: [(Int, Int64)], _ rhs0: Int64, _ isEq: Bool) {
            var coeffs = Array(repeating: Int64(0), count: vars.count)
            var rhs = rhs0
            for (k, c) in terms { if let j = col[k] { coeffs[j] += c } else { rhs -= c * value(k) } }
            if coeffs.allSatisfy({ $0 == 0 }) { return }
            let s = "[[\(coeffs.map(String.init).joined(separator: ","))],\(rhs)]"
            if isEq { eq.append(s) } else { ub.append(s) }
        }
        let nt = t.tools.count, nm = t.models.count
        let total = t.at(nt, nm)
        for r in 0..<nt {
            let cells = (0..<nm).map { t.at(r, $0) }.filter { $0 >= 0 }
            let margin = t.at(r, nm)
            if m.isAdditive { row(cells.map { ($0, 1) } + [(margin, -1)], 0, true) } else {
                row([(margin, 1)] + cells.map { ($0, -1) }, 0, false)
                for c in cells { row([(c, 1), (margin, -1)], 0, false) }
                row([(margin, 1), (total, -1)], 0, false)
            }
        }
        for c in 0..<nm {
            let cells = (0..<nt).map { t.at($0, c) }.filter { $0 >= 0 }
            let margin = t.at(nt, c)
            if m.isAdditive { row(cells.map { ($0, 1) } + [(margin, -1)], 0, true) } else {
                row([(margin, 1)] + cells.map { ($0, -1) }, 0, false)
                for x in cells { row([(x, 1), (margin, -1)], 0, false) }
                row([(margin, 1), (total, -1)], 0, false)
            }
        }
        let toolMargins = (0..<nt).map { t.at($0, nm) }, modelMargins = (0..<nm).map { t.at(nt, $0) }
        if m.isAdditive {
            row(toolMargins.map { ($0, 1) } + [(total, -1)], 0, true)
            row(modelMargins.map { ($0, 1) } + [(total, -1)], 0, true)
        } else {
            row([(total, 1)] + toolMargins.map { ($0, -1) }, 0, false)
            row([(total, 1)] + modelMargins.map { ($0, -1) }, 0, false)
        }
        let lb = vars.map { _ in m.attackerLowerBound }
        let json = "{\"n\":\(vars.count),\"eq\":[\(eq.joined(separator: ","))],\"ub\":[\(ub.joined(separator: ","))],\"lb\":[\(lb.map(String.init).joined(separator: ","))]}"
        return (json, vars)
    }

    /// The attacker's joint LP for members and member-days (docs/release-format.md, attacker model).
    static func countLP(_ pub: PublishedTable) -> (json: String, vars: [(Int, Measure)]) {
        let t = pub.table
        var vars: [(Int, Measure)] = []
        for k in pub.suppressed {
            vars.append((k, .members))
            if !(t.positions[k] == .total && pub.payloadCount != nil) { vars.append((k, .memberDays)) }
        }
        var col: [String: Int] = [:]
        for (j, v) in vars.enumerated() { col["\(v.0)/\(v.1)"] = j }
        func value(_ k: Int, _ m: Measure) -> Int64 { pub.values[k].map { $0[m] } ?? pub.payloadCount! }
        var ub: [String] = []
        func le(_ terms: [(Int, Measure, Int64)]) {
            var coeffs = Array(repeating: Int64(0), count: vars.count)
            var rhs: Int64 = 0
            for (k, m, c) in terms { if let j = col["\(k)/\(m)"] { coeffs[j] += c } else { rhs -= c * value(k, m) } }
            if coeffs.allSatisfy({ $0 == 0 }) { return }
            ub.append("[[\(coeffs.map(String.init).joined(separator: ","))],\(rhs)]")
        }
        let nt = t.tools.count, nm = t.models.count, total = t.at(nt, nm)
        for m in Measure.counts {
            for r in 0..<nt {
                let cells = (0..<nm).map { t.at(r, $0) }.filter { $0 >= 0 }, margin = t.at(r, nm)
                le([(margin, m, 1)] + cells.map { ($0, m, -1) })
                for c in cells { le([(c, m, 1), (margin, m, -1)]) }
                le([(margin, m, 1), (total, m, -1)])
            }
            for c in 0..<nm {
                let cells = (0..<nt).map { t.at($0, c) }.filter { $0 >= 0 }, margin = t.at(nt, c)
                le([(margin, m, 1)] + cells.map { ($0, m, -1) })
                for x in cells { le([(x, m, 1), (margin, m, -1)]) }
                le([(margin, m, 1), (total, m, -1)])
            }
            le([(total, m, 1)] + (0..<nt).map { (t.at($0, nm), m, -1) })
            le([(total, m, 1)] + (0..<nm).map { (t.at(nt, $0), m, -1) })
        }
        for k in t.positions.indices {
            le([(k, .members, 1), (k, .memberDays, -1)])
            le([(k, .memberDays, 1), (k, .members, -7)])
        }
        let json = "{\"n\":\(vars.count),\"eq\":[],\"ub\":[\(ub.joined(separator: ","))],\"lb\":[\(vars.map { _ in "1" }.joined(separator: ","))]}"
        return (json, vars)
    }

    @Test("the flow audit of additive counters equals the LP optimum, interval by interval")
    func additiveMatchesLP() throws {
        var rng = SplitMix64(seed: 24)
        var instances: [Instance] = []
        for _ in 0..<25 { instances.append(try Self.randomInstance(&rng)) }
        var lps: [String] = [], index: [(Int, Measure, [Int])] = []
        for (i, inst) in instances.enumerated() where !inst.published.suppressed.isEmpty {
            for m in Measure.counters {
                let (json, vars) = Self.lp(inst.published, m)
                lps.append(json); index.append((i, m, vars))
            }
        }
        let answers = try runLP("{\"lps\":[\(lps.joined(separator: ","))]}")
        #expect(answers.count == lps.count)
        var compared = 0
        for (n, (i, m, vars)) in index.enumerated() where n < answers.count {
            for (j, k) in vars.enumerated() {
                let ours = instances[i].intervals[k]![m]!
                let (lo, hi) = answers[n][j]
                #expect(Double(ours.lo) == lo.rounded() && abs(lo - lo.rounded()) < 1e-6, "instance \(i) \(instances[i].published.table.positions[k]) \(m): \(ours) vs LP min \(lo)")
                #expect(ours.hi.map(Double.init) == hi.map { $0.rounded() }, "instance \(i) \(instances[i].published.table.positions[k]) \(m): \(ours) vs LP max \(String(describing: hi))")
                compared += 1
            }
        }
        #expect(compared > 100)
    }

    @Test("member and member-day bounds: the upper end equals the LP's, the lower end is the LP's rounded up")
    func countsAgainstLP() throws {
        var rng = SplitMix64(seed: 7)
        var instances: [Instance] = []
        for _ in 0..<30 { instances.append(try Self.randomInstance(&rng)) }
        var lps: [String] = [], index: [(Int, [(Int, Measure)])] = []
        for (i, inst) in instances.enumerated() where !inst.published.suppressed.isEmpty {
            let (json, vars) = Self.countLP(inst.published)
            lps.append(json); index.append((i, vars))
        }
        let answers = try runLP("{\"lps\":[\(lps.joined(separator: ","))]}")
        var compared = 0
        for (n, (i, vars)) in index.enumerated() where n < answers.count {
            for (j, (k, m)) in vars.enumerated() {
                let ours = instances[i].intervals[k]![m]!
                let (lo, hi) = answers[n][j]
                let what = "instance \(i) \(instances[i].published.table.positions[k]) \(m): \(ours) vs LP [\(lo), \(String(describing: hi))]"
                // The greatest solution is integral, so the maxima agree exactly; the attacker also knows
                // counts are integers, so our minimum is the LP minimum rounded up.
                #expect(ours.hi.map(Double.init) == hi.map { ($0 - 1e-6).rounded(.up) }, "\(what)")
                #expect(Double(ours.lo) == (lo - 1e-6).rounded(.up), "\(what)")
                compared += 1
            }
        }
        #expect(compared > 50)
    }
}

/// Runs the LP script on `json`; each answer is [(min, max?)] per variable.
func runLP(_ json: String) throws -> [[(Double, Double?)]] {
    let dir = #filePath.split(separator: "/").dropLast().joined(separator: "/")
    let tag = "\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    let input = "/tmp/anon-lp-\(tag).json", output = "/tmp/anon-lp-\(tag).out"
    try Files.writeAtomically(input, Array(json.utf8), overwrite: true)
    defer { unlink(input); unlink(output) }
    let status = system("python3 /\(dir)/lp_crosscheck.py \(input) > \(output)")
    #expect(status == 0, "python3 with scipy is needed (pip install scipy)")
    guard status == 0 else { return [] }
    let v = try StrictJSON.parse(try Files.read(output))
    return (v.arrayValue ?? []).map { lp in
        (lp.arrayValue ?? []).map { pair in
            let a = pair.arrayValue ?? []
            return (a.first?.numberValue?.doubleValue ?? .nan, a.count > 1 ? a[1].numberValue?.doubleValue : nil)
        }
    }
}

