import Testing
import TestSupport
import Schema
@testable import Anon
#if canImport(Glibc)
import Glibc
#endif

@Suite("ReleaseBuilder") struct BuilderTests {
    static let week = ISOWeek(year: 2026, week: 24)!

    /// Random store exports with heavy tails and small cells.
    static func randomPayloads(_ rng: inout SplitMix64, members: Int) -> [SourcedPayload] {
        let tools = ["aider", "claude-code", "codex", "cursor", "zed"], models = ["claude-opus-4-8", "gpt-5", "o3", "kimi-k2", "grok-4", "qwen3-coder"]
        var out: [SourcedPayload] = []
        for m in 0..<members {
            let pairs = (0..<Int(rng.next(1...3))).map { _ in (tools.randomElement(using: &rng)!, models.randomElement(using: &rng)!) }
            let scale = rng.next(0...9) == 0 ? Int64(200) : Int64(1)
            for d in 0..<7 where rng.next(0...2) > 0 {
                var seen = Set<String>(), entries: [PayloadEntry] = []
                for (t, mo) in pairs where seen.insert(t + mo).inserted {
                    let input = rng.next(1_000...90_000) * scale
                    entries.append(PayloadEntry(tool: t, model: mo, inputTokens: input, outputTokens: input / 20, cacheReadTokens: rng.next(0...1) * input * 3,
                                                cacheCreationTokens: input / 10, costCents: input / 1000, sessions: rng.next(1...9)))
                }
                out.append(SourcedPayload(payload: Payload(panelist: "m\(m)", date: week.days[d], entries: entries), source: Source(file: "t", line: out.count + 1)))
            }
        }
        return out
    }

    @Test("law: every release we build passes the audit with its rows (k, exactness, protection, re-derivation)")
    func buildThenAudit() throws {
        var rng = SplitMix64(seed: 2026)
        for round in 0..<12 {
            let payloads = Self.randomPayloads(&rng, members: Int(rng.next(8...45)))
            let (doc, report) = try ReleaseBuilder.build(payloads: payloads, week: Self.week, policy: try Policy(), previous: nil)
            let bytes = try doc.canonicalBytes()
            let audit = try ReleaseAuditor.audit(document: doc, bytes: bytes, rows: payloads.map(\.payload))
            #expect(audit.findings.isEmpty, "round \(round): \(audit.findings.map(\.description))")
            for (_, v) in doc.positions { if let v { #expect(v[.members] >= 5) } }
            #expect(report.primaries + report.secondaries == doc.positions.filter { $0.1 == nil }.count)
        }
    }

    @Test("payloads outside the week are reported, late ones separately; an empty week is refused")
    func partition() throws {
        var rng = SplitMix64(seed: 9)
        let prevRows = Self.randomPayloads(&rng, members: 30).map { SourcedPayload(payload: Payload(panelist: $0.payload.panelist, date: $0.payload.date.adding(days: -7), entries: $0.payload.entries), source: $0.source) }
        let (prev, _) = try ReleaseBuilder.build(payloads: prevRows, week: ISOWeek(year: 2026, week: 23)!, policy: try Policy(), previous: nil)
        let prevBytes = try prev.canonicalBytes()
        let rows = Self.randomPayloads(&rng, members: 30)
        let late = SourcedPayload(payload: Payload(panelist: "late", date: ISOWeek(year: 2026, week: 22)!.days[3], entries: rows[0].payload.entries), source: Source(file: "x", line: 99))
        let future = SourcedPayload(payload: Payload(panelist: "soon", date: Self.week.sunday.adding(days: 1), entries: rows[0].payload.entries), source: Source(file: "x", line: 100))
        let (doc, report) = try ReleaseBuilder.build(payloads: rows + [late, future], week: Self.week, policy: try Policy(), previous: (prev, prevBytes))
        #expect(report.late == [Source(file: "x", line: 99)])
        #expect(report.otherWeek == [Source(file: "x", line: 100)])
        #expect(doc.payloadCount == rows.count)
        #expect(throws: BuildError.self) { try ReleaseBuilder.build(payloads: [late], week: Self.week, policy: try Policy(), previous: nil) }
    }
}

@Suite("PayloadIntake") struct IntakeTests {
    static let good = #"{"date":"2026-06-10","entries":[{"cache_creation_tokens":1,"cache_read_tokens":2,"cost_usd_est":0.5,"input_tokens":3,"model":"o3","output_tokens":4,"sessions":1,"tool":"codex"}],"panelist":"6f1c2a7e-3b7d-4c2e-9a41-0d5b8e9f1a23","schema_version":0}"#

    func file(_ text: String) throws -> String {
        let path = "/tmp/anon-intake-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).jsonl"
        try Files.writeAtomically(path, Array(text.utf8), overwrite: true)
        return path
    }

    func intake(_ quarantine: Bool) -> PayloadIntake {
        PayloadIntake(validator: PayloadValidator.embedded(today: CalendarDay(year: 2026, month: 6, day: 20)!), quarantine: quarantine)
    }

    @Test("a bad line stops the reading with its line, column and pointer")
    func stops() throws {
        let path = try file(Self.good + "\n" + Self.good.replacingFirst("\"codex\"", with: "\"codecs\"") + "\n")
        defer { unlink(path) }
        var i = intake(false)
        do {
            try i.read(path: path, displayName: "rows.jsonl")
            Issue.record("no error")
        } catch {
            guard case .invalid(let r) = error else { Issue.record("wrong error \(error)"); return }
            #expect(r.source == Source(file: "rows.jsonl", line: 2))
            #expect(error.description.hasPrefix("rows.jsonl:2:"))
            #expect(error.description.contains("/entries/0/tool"))
        }
    }

    @Test("with quarantine, bad lines and both sides of a conflict are set aside with their errors, none silently")
    func quarantine() throws {
        let other = Self.good.replacingFirst("\"input_tokens\":3", with: "\"input_tokens\":30")
        let path = try file(Self.good + "\nnot json\n\n" + other + "\n" + Self.good.replacingFirst("2026-06-10", with: "2026-06-11") + "\n")
        defer { unlink(path) }
        var i = intake(true)
        try i.read(path: path, displayName: "rows.jsonl")
        try i.resolveConflicts()
        #expect(i.accepted.count == 1)
        #expect(i.rejected.map(\.source.line) == [1, 2, 3, 4])
        #expect(i.rejected[0].error.hasPrefix("conflict: another payload"))
        let q = String(decoding: i.quarantineLines(), as: UTF8.self)
        #expect(q.split(separator: "\n").count == 4)
        #expect(q.contains("\"line\":\"not json\""))

        var strict = intake(false)
        let path2 = try file(Self.good + "\n" + other + "\n")
        defer { unlink(path2) }
        try strict.read(path: path2, displayName: "rows.jsonl")
        #expect(throws: IntakeError.self) { try strict.resolveConflicts() }
    }
}
