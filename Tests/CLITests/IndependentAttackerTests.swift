import Foundation
import Testing

/// Releases built by the real binary from seeded realistic weeks, attacked by the independent LP attacker
/// (Tests/Attacker/attacker.py, scipy's HiGHS) under the attacker model each release declares: no exact or
/// under-protected value, and `release audit`'s intervals equal the attacker's.
///
/// Format 1 (`backpay-attacker/1`) runs today. Format 2 (`backpay-attacker/2`) runs when `release build`
/// offers `--release-format`; its comparisons use the audit's disclosure report (`positions`), on the
/// non-empty suppressed positions (empty ones are known zeros under model 2). Needs python3 with PyPI scipy.
@Suite("independent attacker against built releases")
struct IndependentAttackerTests {
    static let root = CLIRunner.packageRoot

    struct Week: Sendable, CustomStringConvertible {
        let seed: Int
        let entries: Int
        /// A committed store export instead of a generated week.
        var file: String? = nil
        var description: String { file ?? "seed \(seed), \(entries) entries" }
    }

    /// About 200 members each (ten entries per member-week): realistic shape, a few seconds of LPs.
    static let weeks = [Week(seed: 11, entries: 2000), Week(seed: 12, entries: 2000)]

    static func json(_ bytes: [UInt8]) throws -> [String: Any] {
        let v = try JSONSerialization.jsonObject(with: Data(bytes))
        guard let o = v as? [String: Any] else { throw CLIRunner.Failure(description: "not a JSON object") }
        return o
    }

    /// (position, measure) -> (lo, hi) with hi nil when unbounded.
    typealias Intervals = [String: (Int64, Int64?)]

    static func interval(_ item: [String: Any]) -> (Int64, Int64?) {
        ((item["lo"] as? NSNumber)?.int64Value ?? -1, (item["hi"] as? NSNumber)?.int64Value)
    }

    func run(_ week: Week, format: Int?) throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("attack-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        let rows = dir.appendingPathComponent("rows.jsonl").path, release = dir.appendingPathComponent("release.json").path
        if let file = week.file {
            try fm.copyItem(atPath: Self.root.appendingPathComponent(file).path, toPath: rows)
        } else {
            let gen = try CLIRunner.runTool("python3", [Self.root.appendingPathComponent("Benchmarks/gen_rows.py").path,
                                                       "--entries", "\(week.entries)", "--seed", "\(week.seed)", "-o", rows])
            try #require(gen.status == 0, "gen_rows.py: \(gen.stderrText)")
        }
        let bin = try CLIRunner.product("backpay-verify")
        var args = ["release", "build", "--rows", rows, "--week", "2026-W24", "--today", "2026-07-01", "-o", release, "--quiet"]
        if let format { args += ["--release-format", "\(format)"] }
        let built = try CLIRunner.run(bin, args)
        try #require(built.status == 0, "release build: \(built.stderrText)")
        let audit = try CLIRunner.run(bin, ["release", "audit", release, "--rows", rows, "--today", "2026-07-01", "--format", "json"])
        #expect(audit.status == 0, "release audit: \(audit.stdoutText)")
        let attacked = try CLIRunner.runTool("python3", [Self.root.appendingPathComponent("Tests/Attacker/attacker.py").path,
                                                        "--release", release, "--rows", rows])
        try #require(attacked.status == 0 || attacked.status == 1, "attacker.py (python3 with scipy is needed): \(attacked.stderrText)")
        let theirs = try Self.json(audit.stdout), ours = try Self.json(attacked.stdout)
        let declared = ours["declared_model"] as? String ?? ""
        #expect(ours["model"] as? String == declared)
        let findings = (ours["findings"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        #expect(findings.isEmpty, "\(week) under \(declared): \(findings.prefix(5).joined(separator: "; "))")

        var lp: Intervals = [:]
        var empty = Set<String>()
        for item in ours["intervals"] as? [[String: Any]] ?? [] {
            let key = "\(item["position"] as? String ?? "") / \(item["measure"] as? String ?? "")"
            lp[key] = Self.interval(item)
            if item["empty"] as? Bool == true { empty.insert(key) }
        }
        var audited: Intervals = [:]
        if let positions = theirs["positions"] as? [[String: Any]], declared == "backpay-attacker/2" {
            // Format 2: the disclosure report holds the intervals under model 2 with the rows (zeros known).
            for p in positions where p["published"] as? Bool == false {
                for i in p["intervals"] as? [[String: Any]] ?? [] {
                    audited["\(p["position"] as? String ?? "") / \(i["measure"] as? String ?? "")"] = Self.interval(i)
                }
            }
        } else {
            for item in theirs["intervals"] as? [[String: Any]] ?? [] {
                audited["\(item["position"] as? String ?? "") / \(item["measure"] as? String ?? "")"] = Self.interval(item)
            }
        }
        var compared = 0
        for (key, want) in lp.sorted(by: { $0.key < $1.key }) where !empty.contains(key) {
            let got = audited[key]
            #expect(got?.0 == want.0 && got?.1 == want.1,
                    "\(week) \(key): audit \(got.map { "[\($0.0), \($0.1.map(String.init) ?? "∞")]" } ?? "missing"), LP [\(want.0), \(want.1.map(String.init) ?? "∞")]")
            compared += 1
        }
        #expect(compared >= 20, "\(week): only \(compared) intervals compared")
    }

    @Test("format 1: every built release passes the independent model-1 attacker, and the audit's intervals are the LP's",
          arguments: weeks)
    func formatOne(_ week: Week) throws {
        try run(week, format: nil)
    }

    /// Depends on format 2 (helper-5's branch): skipped while `release build` has no `--release-format`.
    /// The example week: model 2's coalition LPs on a generated week of a few hundred members take minutes
    /// in Python (Tests/Attacker/README.md), too long for every test run.
    @Test("format 2: every built release passes the independent model-2 attacker (insiders, zeros), and the report's intervals are the LP's",
          arguments: [Week(seed: 0, entries: 0, file: "examples/rows/2026-W24.jsonl")])
    func formatTwo(_ week: Week) throws {
        let help = try CLIRunner.run(try CLIRunner.product("backpay-verify"), ["release", "build", "--help"])
        guard help.stdoutText.contains("--release-format") else { return }
        try run(week, format: 2)
    }
}
