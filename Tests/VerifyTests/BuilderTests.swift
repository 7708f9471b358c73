import Verify
import Intake
import Core
import Testing
import TestSupport
import Schema
@testable import Anon
@testable import Verify
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
            let audit = try ReleaseAuditor.audit(document: doc, bytes: bytes, inputs: try WeekInputs(payloads: payloads, week: Self.week))
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
        #expect(report.late.first == [Source(file: "x", line: 99)] && report.late.count == 1)
        #expect(report.otherWeek.first == [Source(file: "x", line: 100)] && report.otherWeek.count == 1)
        #expect(doc.payloadCount == rows.count)
        #expect(throws: BuildError.self) { try ReleaseBuilder.build(payloads: [late], week: Self.week, policy: try Policy(), previous: nil) }
    }

    @Test("no release follows one at the last sequence number (2^53-1): its successor could not be read back")
    func noSequenceBeyondTheLimit() throws {
        var rng = SplitMix64(seed: 11)
        let prevRows = Self.randomPayloads(&rng, members: 30).map { SourcedPayload(payload: Payload(panelist: $0.payload.panelist, date: $0.payload.date.adding(days: -7), entries: $0.payload.entries), source: $0.source) }
        var (prev, _) = try ReleaseBuilder.build(payloads: prevRows, week: ISOWeek(year: 2026, week: 23)!, policy: try Policy(), previous: nil)
        prev.sequence = Int(maxExactValue)
        let rows = Self.randomPayloads(&rng, members: 30)
        do {
            _ = try ReleaseBuilder.build(payloads: rows, week: Self.week, policy: try Policy(), previous: (prev, try prev.canonicalBytes()))
            Issue.record("built a release with sequence 2^53")
        } catch {
            #expect("\(error)" == "the previous release has sequence 9007199254740991, the last a release may carry (2^53-1); no release can follow it")
        }
        prev.sequence = Int(maxExactValue) - 1
        let (doc, _) = try ReleaseBuilder.build(payloads: rows, week: Self.week, policy: try Policy(), previous: (prev, try prev.canonicalBytes()))
        #expect(Int64(doc.sequence) == maxExactValue)
    }
}

@Suite("WeekIntake") struct IntakeTests {
    static let good = #"{"date":"2026-06-10","entries":[{"cache_creation_tokens":1,"cache_read_tokens":2,"cost_usd_est":0.5,"input_tokens":3,"model":"o3","output_tokens":4,"sessions":1,"tool":"codex"}],"panelist":"6f1c2a7e-3b7d-4c2e-9a41-0d5b8e9f1a23","schema_version":0}"#
    static let week = ISOWeek(year: 2026, week: 24)!
    static let validator = PayloadValidator.embedded(today: CalendarDay(year: 2026, month: 6, day: 20)!)

    func file(_ text: String) throws -> String {
        let path = "/tmp/anon-intake-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).jsonl"
        try Files.writeAtomically(path, Array(text.utf8), overwrite: true)
        return path
    }

    func intake(_ quarantine: Bool, lateThrough: CalendarDay? = nil, threads: Int = 1) -> WeekIntake {
        WeekIntake(validator: Self.validator, week: Self.week, lateThrough: lateThrough, quarantine: quarantine, threads: threads)
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

    @Test("with workers, the first bad line in line order stops the reading, wherever the batches are cut", arguments: [1, 2, 3])
    func stopsInOrderWithWorkers(_ threads: Int) throws {
        let bad = Self.good.replacingFirst("\"codex\"", with: "\"codecs\"")
        var lines = (0..<40).map { i in Self.good.replacingFirst("2026-06-10", with: "2026-06-1\(i % 4)").replacingFirst("9a41-0d5b8e9f1a23", with: "9a41-0d5b8e9f\(1000 + i)") }
        lines.insert(bad, at: 25)
        lines.append(bad)
        let path = try file(lines.joined(separator: "\n") + "\n")
        defer { unlink(path) }
        for size in [1, 300, 1 << 20] {
            var i = intake(false, threads: threads)
            i.batchBytes = size
            do {
                try i.read(path: path, displayName: "rows.jsonl")
                Issue.record("no error with batches of \(size) bytes")
            } catch {
                guard case .invalid(let r) = error else { Issue.record("wrong error \(error)"); continue }
                #expect(r.source.line == 26, "batches of \(size) bytes")
            }
        }
    }

    @Test("workers see the same lines as one thread: over-long lines (within and beyond a batch), blank and CRLF lines, no final newline")
    func workersSeeTheSameLines() throws {
        let huge = String(repeating: "x", count: 300 << 10), long = "{" + String(repeating: " ", count: 70 << 10) + "}"
        let lines = [Self.good, "", huge, Self.good.replacingFirst("2026-06-10", with: "2026-06-11") + "\r", long,
                     Self.good.replacingFirst("2026-06-10", with: "2026-06-12"), "  ", huge + huge, Self.good.replacingFirst("2026-06-10", with: "2026-06-13")]
        for ending in ["", "\n"] {
            let path = try file(lines.joined(separator: "\n") + ending)
            defer { unlink(path) }
            var one = intake(true)
            try one.read(path: path, displayName: "rows.jsonl")
            let expected = try one.finish()
            #expect(expected.rejected.map(\.source.line) == [2, 3, 5, 7, 8])   // a CRLF line is valid, not canonical
            #expect(expected.payloadCount == 4)
            for threads in [2, 3] {
                for size in [1, 4096, 1 << 20] {
                    var par = intake(true, threads: threads)
                    par.batchBytes = size
                    try par.read(path: path, displayName: "rows.jsonl")
                    let got = try par.finish()
                    #expect(got.rejected.map { "\($0.source) \($0.error) \($0.bytes.count)" } == expected.rejected.map { "\($0.source) \($0.error) \($0.bytes.count)" },
                            "\(threads) threads, batches of \(size) bytes")
                    #expect(got.merkleRoot == expected.merkleRoot && got.table.values == expected.table.values)
                }
            }
        }
    }

    @Test("law: random exports (payloads, conflicts, garbage, blank, CR and over-long lines) read the same with any threads and batch size")
    func randomLinesAnyThreads() throws {
        var rng = SplitMix64(seed: 4096)
        for round in 0..<12 {
            var (lines, _) = Self.randomExport(&rng)
            for _ in 0..<Int(rng.next(1...12)) {
                let junk: String
                switch rng.next(0...5) {
                case 0: junk = ""
                case 1: junk = "  \r"
                case 2: junk = String(repeating: "y", count: Int(rng.next(60_000...140_000)))
                case 3: junk = String(decoding: (0..<Int(rng.next(1...80))).map { _ in UInt8(rng.next(0x20...0x7E)) }, as: UTF8.self)
                case 4: junk = (lines.randomElement(using: &rng) ?? "{}") + "\r"
                default: junk = String((lines.randomElement(using: &rng) ?? "{}").dropLast(Int(rng.next(1...20))))
                }
                lines.insert(junk, at: Int(rng.next(0...Int64(lines.count))))
            }
            // An over-long last line, with and without its newline (`payload --jsonl` once dropped it).
            if round % 4 < 2 { lines.append(String(repeating: "z", count: round % 4 == 0 ? 70_000 : 3 << 20)) }
            let path = try file(lines.joined(separator: "\n") + (round % 2 == 0 ? "\n" : ""))
            defer { unlink(path) }
            var one = intake(true, lateThrough: ISOWeek(year: 2026, week: 23)!.sunday)
            try one.read(path: path, displayName: "rows.jsonl")
            let expected = try one.finish()
            // The line reader, independently: every line it finds blank, too long or invalid is rejected,
            // under the same number, and nothing else but conflicts.
            var invalid: [Int] = []
            try JSONLinesReader(path: path, maxLineBytes: Self.validator.limits.maxBytes).forEachLine { n, line in
                guard case .bytes(let b) = line, !b.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }), Self.validator.check(b).isValid else {
                    invalid.append(n)
                    return true
                }
                return true
            }
            #expect(expected.rejected.filter { !$0.error.hasPrefix("conflict") }.map(\.source.line) == invalid, "round \(round)")
            let threads = Int(rng.next(2...4))
            var par = intake(true, lateThrough: ISOWeek(year: 2026, week: 23)!.sunday, threads: threads)
            par.batchBytes = Int(rng.next(1...20_000))
            try par.read(path: path, displayName: "rows.jsonl")
            let got = try par.finish()
            #expect(got.rejected.map { "\($0.source) \($0.error) \($0.bytes)" } == expected.rejected.map { "\($0.source) \($0.error) \($0.bytes)" },
                    "round \(round): \(threads) threads, batches of \(par.batchBytes) bytes")
            #expect(got.merkleRoot == expected.merkleRoot && got.table.values == expected.table.values && got.table.dominance == expected.table.dominance,
                    "round \(round)")
            #expect(got.late == expected.late && got.otherWeek == expected.otherWeek, "round \(round)")
        }
    }

    @Test("with a quarantine sink, rejected rows are handed over as they are read and not kept: the same rows, counted")
    func quarantineSinkStreams() throws {
        let path = try file(String(repeating: "not a payload\n", count: 3000) + "{}\n")
        defer { unlink(path) }
        var kept = intake(true)
        try kept.read(path: path, displayName: "rows.jsonl")
        var streamed = intake(true, threads: 2)
        var handed: [RejectedLine] = []
        streamed.quarantineSink = { handed.append($0) }
        try streamed.read(path: path, displayName: "rows.jsonl")
        #expect(handed.count == 3001)   // before `finish`: handed over while reading
        let keptInputs = try kept.finish(), streamedInputs = try streamed.finish()
        #expect(streamedInputs.rejected.isEmpty && streamedInputs.rejectedCount == 3001 && keptInputs.rejectedCount == 3001)
        #expect(RejectedLine.quarantineFile(handed) == keptInputs.quarantineLines())
    }

    @Test("with quarantine, bad lines and both sides of a conflict are set aside with their errors, none silently")
    func quarantine() throws {
        let other = Self.good.replacingFirst("\"input_tokens\":3", with: "\"input_tokens\":30")
        let path = try file(Self.good + "\nnot json\n\n" + other + "\n" + Self.good.replacingFirst("2026-06-10", with: "2026-06-11") + "\n")
        defer { unlink(path) }
        var i = intake(true)
        try i.read(path: path, displayName: "rows.jsonl")
        let inputs = try i.finish()
        #expect(inputs.payloadCount == 1)
        #expect(inputs.table.values[.total]?[.inputTokens] == 3)
        #expect(inputs.rejected.map(\.source.line) == [1, 2, 3, 4])
        #expect(inputs.rejected[0].error == "conflict: another payload for panelist 6f1c2a7e-3b7d-4c2e-9a41-0d5b8e9f1a23 on 2026-06-10 at rows.jsonl:4")
        let q = String(decoding: inputs.quarantineLines(), as: UTF8.self)
        #expect(q.split(separator: "\n").count == 4)
        #expect(q.contains("\"line\":\"not json\""))

        var strict = intake(false)
        let path2 = try file(Self.good + "\n" + other + "\n")
        defer { unlink(path2) }
        try strict.read(path: path2, displayName: "rows.jsonl")
        #expect(throws: IntakeError.self) { try strict.finish() }
    }

    @Test("conflicts are found across files and outside the week, and taken out of late and other-week lists")
    func conflictsAcrossFiles() throws {
        let outside = Self.good.replacingFirst("2026-06-10", with: "2026-06-02")
        let a = try file(Self.good + "\n" + outside + "\n"), b = try file(outside + "\n" + Self.good.replacingFirst("2026-06-10", with: "2026-06-12") + "\n")
        defer { unlink(a); unlink(b) }
        var i = intake(true, lateThrough: ISOWeek(year: 2026, week: 23)!.sunday)
        try i.read(path: a, displayName: "a.jsonl")
        try i.read(path: b, displayName: "b.jsonl")
        let inputs = try i.finish()
        #expect(inputs.payloadCount == 2)
        #expect(inputs.late.isEmpty)
        #expect(inputs.rejected.map(\.source.description) == ["a.jsonl:2", "b.jsonl:1"])
        #expect(inputs.rejected[0].error.hasSuffix("at b.jsonl:1"))
    }

    @Test("payloads outside the week are counted, every one, but only the first are kept to be named (memory follows members, not rows)")
    func outsideRowsCountedNotKept() throws {
        let n = SourceSample.kept + 500
        // Distinct panelists, so that no two rows conflict: the last 12 hex digits of the UUID count up.
        let rows = (0..<n).map { i in
            let hex = String(i, radix: 16)
            return Self.good.replacingFirst("2026-06-10", with: "2026-06-02")
                .replacingFirst("0d5b8e9f1a23", with: String(repeating: "0", count: 12 - hex.count) + hex)
        }
        let path = try file(Self.good + "\n" + rows.joined(separator: "\n") + "\n")
        defer { unlink(path) }
        var i = intake(true)
        try i.read(path: path, displayName: "rows.jsonl")
        let inputs = try i.finish()
        #expect(inputs.payloadCount == 1)
        #expect(inputs.otherWeek.count == n)
        #expect(inputs.otherWeek.first.count == SourceSample.kept && inputs.otherWeek.unnamed == 500)
        #expect(inputs.otherWeek.first.first == Source(file: "rows.jsonl", line: 2))
    }

    /// Random payload lines of one week and around it, with conflicts, non-canonical lines and late rows.
    static func randomExport(_ rng: inout SplitMix64, members memberCount: ClosedRange<Int64> = 6...30) -> (lines: [String], payloads: [SourcedPayload]) {
        func uuid(_ rng: inout SplitMix64) -> String {
            let hex = Array("0123456789abcdef")
            var s = (0..<32).map { _ in hex[Int(rng.next(0...15))] }
            s[12] = "4"; s[16] = hex[8 + Int(rng.next(0...3))]
            var t = String(s)
            for i in [20, 16, 12, 8] { t.insert("-", at: t.index(t.startIndex, offsetBy: i)) }
            return t
        }
        let members = (0..<Int(rng.next(memberCount))).map { _ in uuid(&rng) }
        var lines: [String] = [], payloads: [SourcedPayload] = []
        for p in BuilderTests.randomPayloads(&rng, members: members.count) {
            let shift = [0, 0, 0, 0, -7, 7][Int(rng.next(0...5))]
            let payload = Payload(panelist: members[Int(p.payload.panelist.dropFirst())!], date: p.payload.date.adding(days: shift), entries: p.payload.entries)
            var text = String(decoding: payload.canonicalBytes, as: UTF8.self)
            if rng.next(0...9) == 0 { text = text.replacingFirst(",", with: ", ") }
            lines.append(text)
            payloads.append(SourcedPayload(payload: payload, source: Source(file: "rows.jsonl", line: lines.count)))
            if rng.next(0...19) == 0 { lines.append(text); payloads.append(SourcedPayload(payload: payload, source: Source(file: "rows.jsonl", line: lines.count))) }
        }
        return (lines, payloads)
    }

    @Test("law: reading an export while aggregating gives the same week as aggregating its payloads in memory")
    func streamingMatchesInMemory() throws {
        var rng = SplitMix64(seed: 77)
        for round in 0..<20 {
            let (lines, payloads) = Self.randomExport(&rng)
            try checkStreaming(zip(lines, payloads).map { ($0, Optional($1.payload)) }, files: 1, round: round)
        }
    }

    @Test("law: a week of hundreds of payloads (Merkle leaves hashed by the batch, full chunks of 256 folded as subtrees) streams to the in-memory root")
    func streamingMatchesInMemoryAtSize() throws {
        var rng = SplitMix64(seed: 79)
        for round in 0..<2 {
            let (lines, payloads) = Self.randomExport(&rng, members: 250...300)
            #expect(payloads.filter { Self.week.contains($0.payload.date) }.count > 600, "round \(round): the week must span several chunks")
            try checkStreaming(zip(lines, payloads).map { ($0, Optional($1.payload)) }, files: 1, round: round)
        }
    }

    @Test("law: line order, file splits, invalid lines and conflicting contents change nothing but what is set aside")
    func streamingLaws() throws {
        var rng = SplitMix64(seed: 78)
        for round in 0..<20 {
            let (lines, payloads) = Self.randomExport(&rng)
            var items: [(String, Payload?)] = zip(lines, payloads.map(\.payload)).map { ($0, Optional($1)) }
            // A conflict whose sides differ, and lines that are no payload at all.
            if let p = payloads.randomElement(using: &rng)?.payload {
                var e = p.entries[0]
                e.inputTokens += 1
                let q = Payload(panelist: p.panelist, date: p.date, entries: [e] + p.entries.dropFirst())
                items.append((String(decoding: q.canonicalBytes, as: UTF8.self), q))
            }
            for _ in 0..<Int(rng.next(0...3)) { items.append(("{\"date\":\"2026-06-10\"}", nil)) }
            items.shuffle(using: &rng)
            try checkStreaming(items, files: Int(rng.next(1...3)), round: round)
        }
    }

    /// Writes `items` (a line, and its payload when it is a valid one) into `files` files in order, reads
    /// them with `WeekIntake` and compares with `WeekInputs` built in memory from the valid, unconflicted ones.
    func checkStreaming(_ items: [(line: String, payload: Payload?)], files: Int, round: Int) throws {
        let lateThrough = ISOWeek(year: 2026, week: 23)!.sunday
        let cut = (0...files).map { items.count * $0 / files }
        var paths: [String] = [], sourced: [SourcedPayload] = []
        defer { for p in paths { unlink(p) } }
        for f in 0..<files {
            let part = items[cut[f]..<cut[f + 1]]
            paths.append(try file(part.map(\.line).joined(separator: "\n") + "\n"))
            for (n, item) in part.enumerated() {
                if let p = item.payload { sourced.append(SourcedPayload(payload: p, source: Source(file: "f\(f)", line: n + 1))) }
            }
        }
        var i = intake(true, lateThrough: lateThrough)
        for (f, path) in paths.enumerated() { try i.read(path: path, displayName: "f\(f)") }
        let streamed = try i.finish()
        // Workers reading small batches give the same inputs, byte for byte, as one thread.
        for threads in [2, 3] {
            var par = intake(true, lateThrough: lateThrough, threads: threads)
            par.batchBytes = 1 + round * 97
            for (f, path) in paths.enumerated() { try par.read(path: path, displayName: "f\(f)") }
            let p = try par.finish()
            #expect(p.table.values == streamed.table.values && p.table.dominance == streamed.table.dominance, "round \(round), \(threads) threads")
            #expect(p.merkleRoot == streamed.merkleRoot && p.late == streamed.late && p.otherWeek == streamed.otherWeek, "round \(round), \(threads) threads")
            #expect(p.rejected.map { "\($0.source) \($0.error) \($0.bytes)" } == streamed.rejected.map { "\($0.source) \($0.error) \($0.bytes)" },
                    "round \(round), \(threads) threads")
        }
        // In memory, a (panelist, date) that occurs twice is an error: leave every such payload out.
        var count: [String: Int] = [:]
        for p in sourced { count["\(p.payload.panelist) \(p.payload.date)", default: 0] += 1 }
        let unique = sourced.filter { count["\($0.payload.panelist) \($0.payload.date)"] == 1 }
        let expected = try WeekInputs(payloads: unique, week: Self.week, lateThrough: lateThrough)
        #expect(streamed.table.values == expected.table.values, "round \(round)")
        #expect(streamed.table.dominance == expected.table.dominance, "round \(round)")
        #expect(streamed.merkleRoot == expected.merkleRoot, "round \(round)")
        #expect(streamed.payloadCount == expected.payloadCount)
        #expect(streamed.late == expected.late && streamed.otherWeek == expected.otherWeek, "round \(round)")
        #expect(streamed.rejected.count == items.count - unique.count, "round \(round)")
        #expect(streamed.rejected.map(\.source) == streamed.rejected.map(\.source).sorted(), "round \(round)")
    }

    @Test("sums beyond 2^53 − 1, or beyond 64 bits for one member, are refused with the cell and counter")
    func overflow() throws {
        let d = CalendarDay(year: 2026, month: 6, day: 10)!
        func entry(_ v: Int64) -> PayloadDecoder.Entry { PayloadDecoder.Entry(tool: 0, model: 0, counters: [v, 0, 0, 0, 0, 1]) }
        var exact = WeekAccumulator(tools: ["codex"], models: ["o3"])
        try exact.add(member: 0, entries: [entry(maxExactValue)], sign: 1, payload: ("a", d))
        try exact.add(member: 1, entries: [entry(1)], sign: 1, payload: ("b", d))
        #expect(throws: AnonError.overflow(position: "codex × o3", measure: "input_tokens")) { try exact.table(week: Self.week) }
        var wide = WeekAccumulator(tools: ["codex"], models: ["o3"])
        for day in 0..<2 { try wide.add(member: 0, entries: [entry(.max / 2 + 1)], sign: 1, payload: ("a", d.adding(days: day))) }
        #expect(throws: AnonError.overflow(position: "codex × o3", measure: "input_tokens")) { try wide.table(week: Self.week) }
    }
}
