import Intake
import Core
import Verify
import ArgumentParser
import Anon
import Schema

/// `release audit release.json [--rows F…] [--previous R]`.
struct ReleaseAudit: ParsableCommand, FormattedCommand, QuietOrVerbose {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit a release: k on every published cell, and every suppressed value's feasibility interval.",
        discussion: """
        From the release alone: every published cell and margin has at least k members, the published numbers \
        are consistent, no suppressed value is derived exactly and no suppressed cell provably has fewer than \
        k members. With --rows: every published number is re-derived exactly, dominance is re-checked, and \
        every cell that had to be suppressed gets its protection interval checked. With --previous: the chain \
        link, the sequence, and that no published week is issued again. Exit 1 on any finding.
        """
    )

    @Argument(help: "The release file.")
    var release: String

    @Option(name: .long, parsing: .upToNextOption, help: "The payload JSON-lines files the release was built from.")
    var rows: [String] = []

    @Option(help: "The release before this one in the chain.")
    var previous: String?

    @OptionGroup var formatting: FormatOptions<TextOrJSON>

    @Flag(help: "Text: print the disclosure report, one line per position (JSON always has it).")
    var report = false

    @OptionGroup var today: TodayOptions

    @OptionGroup var reading: ReadingOptions

    @OptionGroup var common: CommonOptions

    func run() throws {
        let name = displayName(release)
        let loaded: (document: ReleaseDocument, bytes: [UInt8])
        var prev: (document: ReleaseDocument, bytes: [UInt8])? = nil
        var inputs: Result<WeekInputs, AnonError>? = nil
        var setAside = 0
        loaded = try loadRelease(release)
        if let previous { prev = try loadRelease(previous) }
        if !rows.isEmpty {
            // Rows are read as `release build --quarantine` reads them, so that the same export re-derives.
            switch readWeek(rows, threads: reading.count, week: loaded.document.week, lateThrough: nil, validator: PayloadValidator.embedded(today: today.day),
                            quarantine: { _ in }, progress: false,   // counted, not kept
                            keepContributions: loaded.document.formatVersion == 2) {
            case .success(let i): inputs = .success(i); setAside = i.rejectedCount
            case .failure(.aggregate(let e)): inputs = .failure(e)
            case .failure(let e): throw CommandFailure.couldNotCheck(e.description)
            }
        }
        let report: ReleaseAuditReport
        do {
            report = try ReleaseAuditor.audit(document: loaded.document, bytes: loaded.bytes, inputs: inputs, previous: prev)
        } catch {
            throw CommandFailure.couldNotCheck("\(name): cannot audit: \(error)")
        }
        let doc = loaded.document
        if format == .text {
            if setAside > 0, !common.quiet { printError("note: \(setAside) rows are not valid payloads or conflict; left out as release build --quarantine does") }
            for f in report.findings { printError("\(name): \(f.code): \(f.message)") }
            if common.verbose {
                for (p, m, i) in report.intervals { printOut("\(p): \(m.key) \(i)") }
            }
            if self.report { for line in report.positions { printOut(disclosureLine(line)) } }
            if !common.quiet || !report.findings.isEmpty {
                let scope = report.rowsChecked ? "release and rows" : "release alone"
                let verdict = report.findings.isEmpty ? "no findings" : "\(report.findings.count) \(report.findings.count == 1 ? "finding" : "findings")"
                printOut("\(name): \(doc.week) sequence \(doc.sequence): \(verdict) (\(scope), \(report.model); \(report.publishedPositions) published, \(report.suppressedPositions) suppressed, \(report.intervals.count) intervals)")
            }
        } else {
            let out = JSONValue.object(JSONObject([
                ("release", .string(name)),
                ("id", .string(doc.week.description)),
                ("sequence", .number(JSONNumber(Int64(doc.sequence)))),
                ("model", .string(report.model)),
                ("rows_checked", .bool(report.rowsChecked)),
                ("positions", .array(report.positions.map(disclosureJSON))),
                ("ok", .bool(report.findings.isEmpty)),
                ("findings", .array(report.findings.map { .object(JSONObject([("code", .string($0.code)), ("message", .string($0.message))])) })),
                ("intervals", .array(report.intervals.map { p, m, i in
                    .object(JSONObject([("position", .string(p.description)), ("measure", .string(m.key)),
                                        ("lo", .number(JSONNumber(i.lo))), ("hi", i.hi.map { .number(JSONNumber($0)) } ?? .null)]))
                })),
            ]))
            writeOut((try? CanonicalJSON.serialize(out)) ?? [])
            printOut("")
        }
        if !report.findings.isEmpty { throw Status.checkFailed }
    }

    /// The audit report's shape for a run that could not audit (exit 2): `{"error","ok":false,"release"}`.
    func failureDocument(_ failure: CommandFailure) -> JSONValue {
        .object(JSONObject([("error", .string(failure.message)), ("ok", .bool(false)), ("release", .string(displayName(release)))]))
    }
}

/// Reads and decodes a release file; any problem means the tool could not check (exit 2).
func loadRelease(_ path: String) throws -> (document: ReleaseDocument, bytes: [UInt8]) {
    let name = displayName(path)
    let bytes: [UInt8]
    do { bytes = try Files.read(path) } catch { throw CommandFailure.couldNotCheck(error.description) }
    do { return (try ReleaseDocument.decode(bytes).document.get(), bytes) } catch { throw CommandFailure.couldNotCheck(error.message(file: name)) }
}

/// One position of the disclosure report as text: `claude-code × o3: suppressed (frequency): members [1, 9] needs hi ≥ 5; …`.
func disclosureLine(_ r: PositionReport) -> String {
    guard !r.published else { return "\(r.position): published" }
    var head = "\(r.position): suppressed"
    if let rule = r.rule { head += " (\(rule))" }
    if r.presentProvable == true { head += ", provably non-empty" }
    if let pass = r.insidersPass { head += pass ? ", insiders pass" : ", insiders FAIL" }
    let parts = r.intervals.map { m, iv, req in "\(m.key) \(iv)" + (req.map { " needs " + requirementText($0) } ?? "") }
    return head + (parts.isEmpty ? "" : ": " + parts.joined(separator: "; "))
}

func requirementText(_ r: ProtectionRequirement) -> String {
    [r.lowerAtMost.map { "lo ≤ \($0)" }, r.upperAtLeast.map { "hi ≥ \($0)" }].compactMap { $0 }.joined(separator: ", ")
}

func disclosureJSON(_ r: PositionReport) -> JSONValue {
    func n(_ v: Int64?) -> JSONValue { v.map { .number(JSONNumber($0)) } ?? .null }
    var o = JSONObject([("position", .string(r.position.description)), ("published", .bool(r.published))])
    if !r.published {
        o.set("rule", r.rule.map { .string($0) } ?? .null)
        if let p = r.presentProvable { o.set("present_provable", .bool(p)) }
        if let p = r.insidersPass { o.set("insiders_pass", .bool(p)) }
        o.set("intervals", .array(r.intervals.map { m, iv, req in
            .object(JSONObject([("measure", .string(m.key)), ("lo", n(iv.lo)), ("hi", n(iv.hi)),
                                ("needs_lo_at_most", n(req?.lowerAtMost)), ("needs_hi_at_least", n(req?.upperAtLeast))]))
        }))
    }
    return .object(o)
}
