import Core
/// Output formats of `schema lint|diff|gate` and `consent check`.
public enum FindingReportFormat: String, Sendable, CaseIterable {
    case text, json, github, markdown
}

/// What a command found, ready to render in any format: a title, summary facts and findings.
///
/// JSON shape (docs/ci-gate.md): `{"format":"backpay-schema-<kind>/1","passed":bool,<facts>,
/// "counts":{"error":n,"warning":n,"note":n},"findings":[{"id","rule","severity","direction"?,"file"?,
/// "line"?,"column"?,"pointer","argument"?,"message","counterexample"?}]}`, written as RFC 8785 JSON.
public struct FindingReport: Sendable {
    public var kind: String
    public var title: String
    public var passed: Bool
    /// Facts shown before the findings (text, markdown) and as top-level members (JSON).
    public var facts: [(key: String, value: JSONValue)]
    public var findings: [Finding]
    /// Facts only the JSON format carries (machine-oriented duplicates of a text fact).
    public var jsonOnly: Set<String>
    /// `--quiet` for text: show only the error findings and no facts. The counts in the verdict line still
    /// count every finding, so quiet text and JSON never disagree about what was found.
    public var textErrorsOnly = false

    public init(kind: String, title: String, passed: Bool, facts: [(key: String, value: JSONValue)], findings: [Finding],
                jsonOnly: Set<String> = ["capacity_bits", "versions", "newly_locked_versions"]) {
        self.kind = kind; self.title = title; self.passed = passed; self.facts = facts; self.findings = findings
        self.jsonOnly = jsonOnly
    }

    var shownFacts: [(key: String, value: JSONValue)] { facts.filter { !jsonOnly.contains($0.key) } }

    public func render(_ format: FindingReportFormat, colour: Bool = false) -> String {
        switch format {
        case .text: return renderText(colour: colour)
        case .json: return renderJSON()
        case .github: return renderGitHub()
        case .markdown: return renderMarkdown()
        }
    }

    var counts: (error: Int, warning: Int, note: Int) {
        (findings.filter { $0.severity == .error }.count, findings.filter { $0.severity == .warning }.count,
         findings.filter { $0.severity == .note }.count)
    }

    var countsText: String {
        let c = counts
        func n(_ k: Int, _ w: String) -> String { "\(k) \(w)\(k == 1 ? "" : "s")" }
        return "\(n(c.error, "error")), \(n(c.warning, "warning")), \(n(c.note, "note"))"
    }

    static let counterexampleTextLimit = 400

    func where_(_ f: Finding) -> String {
        var s = f.file ?? ""
        if let l = f.location { s += ":\(l.line):\(l.column)" }
        return s
    }

    func factText(_ v: JSONValue) -> String {
        if case .string(let s) = v { return s }
        return (try? CanonicalJSON.string(v)) ?? v.typeName
    }

    static func cxText(_ v: JSONValue) -> String {
        let s = (try? CanonicalJSON.string(v)) ?? "?"
        let n = s.utf8.count
        guard n > counterexampleTextLimit else { return s }
        return String(decoding: Array(s.utf8.prefix(counterexampleTextLimit)), as: UTF8.self) + "… (\(n) bytes; --format json shows all)"
    }

    func renderText(colour: Bool) -> String {
        func paint(_ s: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        var out = ""
        for f in findings where !textErrorsOnly || f.severity == .error {
            let sev: String
            switch f.severity {
            case .error: sev = paint("error", "1;31")
            case .warning: sev = paint("warning", "1;33")
            case .note: sev = paint("note", "36")
            }
            let dir = f.direction.map { " (\($0.rawValue))" } ?? ""
            out += "\(where_(f)): \(f.pointer.display): \(sev) \(f.rule.rawValue)\(dir) [\(f.id)]: \(f.message)\n"
            if let cx = f.counterexample { out += "    counterexample: \(FindingReport.cxText(cx))\n" }
            else if f.direction == .widening { out += "    counterexample: none found\n" }
        }
        for (k, v) in shownFacts where !textErrorsOnly { out += "\(k.replacingOccurrences("_", " ")): \(factText(v))\n" }
        out += "\(title): \(passed ? paint("passed", "32") : paint("failed", "1;31")) (\(countsText))\n"
        return out
    }

    func findingJSON(_ f: Finding) -> JSONValue {
        var o = JSONObject()
        o.set("id", .string(f.id))
        o.set("rule", .string(f.rule.rawValue))
        o.set("severity", .string(f.severity.rawValue))
        if let d = f.direction { o.set("direction", .string(d.rawValue)) }
        if let file = f.file { o.set("file", .string(file)) }
        if let l = f.location { o.set("line", .number(JSONNumber(Int64(l.line)))); o.set("column", .number(JSONNumber(Int64(l.column)))) }
        o.set("pointer", .string(f.pointer.description))
        if let a = f.argument { o.set("argument", .string(a)) }
        o.set("message", .string(f.message))
        if let cx = f.counterexample { o.set("counterexample", cx) }
        return .object(o)
    }

    func renderJSON() -> String {
        var o = JSONObject()
        o.set("format", .string("backpay-schema-\(kind)/1"))
        o.set("passed", .bool(passed))
        for (k, v) in facts { o.set(k, v) }
        let c = counts
        o.set("counts", .object(JSONObject([("error", .number(JSONNumber(Int64(c.error)))), ("warning", .number(JSONNumber(Int64(c.warning)))), ("note", .number(JSONNumber(Int64(c.note))))])))
        o.set("findings", .array(findings.map(findingJSON)))
        return ((try? CanonicalJSON.string(.object(o))) ?? "{}") + "\n"
    }

    /// GitHub workflow commands: `::error file=F,line=L,col=C,title=RULE [id]::message`.
    func renderGitHub() -> String {
        var out = ""
        for f in findings {
            let level: String
            switch f.severity { case .error: level = "error"; case .warning: level = "warning"; case .note: level = "notice" }
            var props: [String] = []
            if let file = f.file { props.append("file=" + FindingReport.escapeProperty(file)) }
            if let l = f.location { props.append("line=\(l.line)"); props.append("col=\(l.column)") }
            props.append("title=" + FindingReport.escapeProperty("\(f.rule.rawValue) [\(f.id)]"))
            var msg = "\(f.pointer.display): \(f.message)"
            if let d = f.direction { msg += " (\(d.rawValue))" }
            if let cx = f.counterexample { msg += "\ncounterexample: " + FindingReport.cxText(cx) }
            out += "::\(level) \(props.joined(separator: ","))::\(FindingReport.escapeData(msg))\n"
        }
        out += "::\(passed ? "notice" : "error")::\(FindingReport.escapeData("\(title): \(passed ? "passed" : "failed") (\(countsText))"))\n"
        return out
    }

    static func escapeData(_ s: String) -> String {
        s.replacingOccurrences("%", "%25").replacingOccurrences("\r", "%0D").replacingOccurrences("\n", "%0A")
    }

    static func escapeProperty(_ s: String) -> String {
        escapeData(s).replacingOccurrences(":", "%3A").replacingOccurrences(",", "%2C")
    }

    /// A PR comment or step summary.
    func renderMarkdown() -> String {
        var out = "## \(title): \(passed ? "passed" : "failed")\n\n"
        for (k, v) in shownFacts { out += "- **\(k.replacingOccurrences("_", " "))**: \(FindingReport.mdInline(factText(v)))\n" }
        out += "- **findings**: \(countsText)\n"
        guard !findings.isEmpty else { return out }
        out += "\n| severity | rule | direction | where | finding | id |\n|---|---|---|---|---|---|\n"
        for f in findings {
            out += "| \(f.severity.rawValue) | `\(f.rule.rawValue)` | \(f.direction?.rawValue ?? "") | \(FindingReport.mdInline(where_(f))) \(FindingReport.mdInline(f.pointer.display)) | \(FindingReport.mdCell(f.message)) | `\(f.id)` |\n"
        }
        for f in findings {
            guard let cx = f.counterexample else { continue }
            let text = (try? CanonicalJSON.string(cx)) ?? "?"
            out += "\n<details><summary>Counterexample for <code>\(f.id)</code> (\(f.rule.rawValue)): accepted by the new schema, rejected by the old</summary>\n\n```json\n\(text)\n```\n\n</details>\n"
        }
        return out
    }

    static func mdInline(_ s: String) -> String {
        s.isEmpty ? "" : "`" + s.replacingOccurrences("`", "'").replacingOccurrences("|", "\\|") + "`"
    }

    static func mdCell(_ s: String) -> String {
        s.replacingOccurrences("|", "\\|").replacingOccurrences("\n", " ").replacingOccurrences("<", "&lt;")
    }
}
