import Intake
import Core
import ArgumentParser
import Schema

/// Runs payload checks over files and formats the results (text on stderr/stdout, or one JSON document).
struct PayloadRun {
    let validator: PayloadValidator
    let strict: Bool
    let canonical: Bool
    let format: OutputFormat
    let quiet: Bool
    let verbose: Bool
    /// Payloads of another schema version than the one consented to are refused (`--consent`).
    var consent: ConsentRecord? { didSet { reading = PayloadReading(validator, canonical: canonical, consent: consent) } }
    /// The one validation pass, which also yields the canonical bytes and the consent refusal.
    var reading: PayloadReading

    var exitStatus: Int32 = 0
    var out = OutputBuffer(fd: 1)
    var err = OutputBuffer(fd: 2)
    var jsonFiles: [JSONValue] = []
    var totals = Counts()

    struct Counts {
        var payloads = 0, valid = 0, invalid = 0, nonCanonical = 0
    }

    init(validator: PayloadValidator, strict: Bool, canonical: Bool, format: OutputFormat, quiet: Bool, verbose: Bool, consent: ConsentRecord?) {
        self.validator = validator; self.strict = strict; self.canonical = canonical; self.format = format
        self.quiet = quiet; self.verbose = verbose; self.consent = consent
        reading = PayloadReading(validator, canonical: canonical, consent: consent)
    }

    mutating func fail(_ status: Int32) { exitStatus = max(exitStatus, status) }

    mutating func checkFile(_ file: String) {
        let name = displayName(file)
        let bytes: [UInt8]
        do { bytes = try Files.read(file, limit: validator.limits.maxBytes + 1) } catch {
            if case .tooLarge = error {
                // Still a verdict about the content: the file is too large to be a payload.
                var counts = Counts()
                var entries: [JSONValue] = []
                record(PayloadOutcome(report: validator.oversizedFile()), name: name, line: nil, endsWithNewline: false, counts: &counts, entries: &entries)
                finishFile(name, counts, entries)
                return
            }
            err.line(error.description); fail(2)
            if format == .json { jsonFiles.append(.object(JSONObject([("file", .string(name)), ("error", .string(error.description))]))) }
            return
        }
        var counts = Counts()
        var entries: [JSONValue] = []
        let outcome = bytes.withUnsafeBytes { reading.read($0) }
        record(outcome, name: name, line: nil, endsWithNewline: bytes.last == 0x0A, counts: &counts, entries: &entries)
        finishFile(name, counts, entries)
    }

    mutating func checkLines(_ file: String) {
        let name = displayName(file)
        var counts = Counts()
        var entries: [JSONValue] = []
        let progress = Progress("checking \(name)", enabled: progressAllowed(quiet: quiet))
        let reader = JSONLinesReader(path: file, maxLineBytes: validator.limits.maxBytes)
        do {
            try reader.forEachLine { lineNo, line in
                switch line {
                case .bytes(let b):
                    record(reading.read(b), name: name, line: lineNo, endsWithNewline: true, counts: &counts, entries: &entries)
                case .tooLong(let n):
                    record(PayloadOutcome(report: validator.oversizedLine(bytes: n)), name: name, line: lineNo, endsWithNewline: true, counts: &counts, entries: &entries)
                }
                if counts.payloads & 0x3FF == 0 { progress.update(counts.payloads, unit: "payloads") }
                return true
            }
        } catch let e as FileError {
            progress.finish()
            err.line(e.description); fail(2)
            if format == .json { jsonFiles.append(.object(JSONObject([("file", .string(name)), ("error", .string(e.description))]))) }
            return
        } catch {
            progress.finish()
            err.line("\(name): \(error)"); fail(2)
            return
        }
        progress.finish()
        finishFile(name, counts, entries, summary: true)
    }

    /// Records one payload's result: diagnostics, canonical output, counts. `endsWithNewline`: the payload's
    /// bytes did (a JSON-lines payload is a line and always does).
    mutating func record(_ outcome: PayloadOutcome, name: String, line: Int?, endsWithNewline: Bool, counts: inout Counts, entries: inout [JSONValue]) {
        let report = outcome.report
        counts.payloads += 1
        func loc(_ l: SourceLocation) -> String {
            // In JSON lines, the line is the file's and the column is within it.
            guard let line else { return "\(name):\(l.line):\(l.column)" }
            return "\(name):\(line + l.line - 1):\(l.column)"
        }
        if report.isValid {
            counts.valid += 1
            if !report.isCanonical {
                counts.nonCanonical += 1
                if strict { fail(1) }
            }
            if canonical, strict && !report.isCanonical {
                // Nothing printed: --strict refused it.
            } else if canonical {
                // A canonical file is the RFC 8785 bytes, optionally followed by one newline; the output keeps
                // the file's choice, so that `payload --canonical F | cmp - F` holds exactly when F is canonical.
                if let c = outcome.canonicalBytes { out.bytes(c); if endsWithNewline { out.byte(0x0A) } }
            }
        } else {
            counts.invalid += 1
            fail(1)
        }
        if format == .text {
            for v in report.violations { err.line("\(loc(v.location)): \(v.pointer.display): \(v.message)") }
            if report.isValid && !report.isCanonical && !quiet || (strict && !report.isCanonical && report.isValid) {
                let label = strict ? "not canonical" : "warning: not canonical"
                for f in report.freedoms { err.line("\(loc(f.location)): \(f.pointer.display): \(label): \(f.detail)") }
            }
            if line == nil, !quiet, !canonical {
                let verdict = !report.isValid ? "invalid (\(report.violations.count) \(report.violations.count == 1 ? "problem" : "problems"))"
                    : report.isCanonical ? "valid" : strict ? "rejected: valid but not canonical" : "valid, not canonical"
                out.line("\(name): \(verdict)")
            }
        } else if !report.isValid || !report.isCanonical || line == nil {
            var o = JSONObject()
            if let line { o.set("line", .number(JSONNumber(Int64(line)))) }
            o.set("valid", .bool(report.isValid))
            o.set("canonical", .bool(report.isValid && report.isCanonical))
            o.set("violations", .array(report.violations.map { v in
                var vo = JSONObject([("rule", .string(v.code)), ("pointer", .string(v.pointer.description))])
                vo.set("line", .number(JSONNumber(Int64(line.map { $0 + v.location.line - 1 } ?? v.location.line))))
                vo.set("column", .number(JSONNumber(Int64(v.location.column))))
                vo.set("message", .string(v.message))
                return .object(vo)
            }))
            o.set("freedoms", .array(report.isValid ? report.freedoms.map { f in
                .object(JSONObject([("kind", .string(f.kind.rawValue)), ("pointer", .string(f.pointer.description)),
                                    ("line", .number(JSONNumber(Int64(line.map { $0 + f.location.line - 1 } ?? f.location.line)))),
                                    ("column", .number(JSONNumber(Int64(f.location.column)))), ("detail", .string(f.detail))]))
            } : []))
            entries.append(.object(o))
        }
        if out.pending > 1 << 16 { out.flush() }
        if err.pending > 1 << 16 { err.flush() }
    }

    /// Adds a file's counts to the totals and reports them; `summary` prints the per-file count line (JSON lines).
    mutating func finishFile(_ name: String, _ c: Counts, _ entries: [JSONValue], summary: Bool = false) {
        totals.payloads += c.payloads; totals.valid += c.valid; totals.invalid += c.invalid; totals.nonCanonical += c.nonCanonical
        if format == .json {
            jsonFiles.append(.object(JSONObject([
                ("file", .string(name)),
                ("payloads", .number(JSONNumber(Int64(c.payloads)))),
                ("valid", .number(JSONNumber(Int64(c.valid)))),
                ("invalid", .number(JSONNumber(Int64(c.invalid)))),
                ("not_canonical", .number(JSONNumber(Int64(c.nonCanonical)))),
                ("results", .array(entries)),
            ])))
        } else if summary, !quiet, !canonical {
            out.line("\(name): \(c.payloads) payloads: \(c.valid) valid, \(c.invalid) invalid, \(c.nonCanonical) not canonical")
        }
    }


    mutating func finish() {
        if format == .json {
            let doc = JSONValue.object(JSONObject([
                ("format", .string("backpay-payload-report/1")),
                ("strict", .bool(strict)),
                ("ok", .bool(exitStatus == 0)),
                ("files", .array(jsonFiles)),
            ]))
            if let bytes = try? CanonicalJSON.serialize(doc) { out.bytes(bytes); out.byte(0x0A) }
        }
        out.flush()
        err.flush()
    }
}

/// Batches output into few write(2) calls.
struct OutputBuffer {
    let fd: Int32
    var buffer: [UInt8] = []
    var pending: Int { buffer.count }

    init(fd: Int32) { self.fd = fd; buffer.reserveCapacity(1 << 16) }

    mutating func line(_ s: String) { buffer.append(contentsOf: s.utf8); buffer.append(0x0A) }
    mutating func bytes(_ b: [UInt8]) { buffer.append(contentsOf: b) }
    mutating func byte(_ b: UInt8) { buffer.append(b) }
    mutating func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { writeAll(fd: fd, $0) }
        buffer.removeAll(keepingCapacity: true)
    }
}
