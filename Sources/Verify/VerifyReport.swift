import Core
import Schema

/// The result of one check of `release verify`.
public struct Check: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable {
        case passed
        case failed
        case couldNotCheck = "could-not-check"
        case notRun = "not-run"
        /// Left out by the caller's choice (no `--chain DIR`): says so rather than staying silent.
        case notChecked = "not-checked"
    }

    /// Stable name: "signature", "trusted comment", "canonical", "chain", "ssh signature", "audit".
    public let name: String
    public let status: Status
    /// One line saying what was found; for a check with `findings`, the part before where they are listed.
    public let summary: String
    /// Further findings (chain findings, one per line).
    public let details: [String]
    /// The audit's findings. Text lists them on stderr, JSON as the check's details: each rendering says where.
    public let findings: [AuditFinding]

    public init(_ name: String, _ status: Status, _ summary: String, details: [String] = [], findings: [AuditFinding] = []) {
        self.name = name; self.status = status; self.summary = summary; self.details = details; self.findings = findings
    }

    /// The summary line, saying where the findings are listed (`in details` or `on stderr`).
    func summary(findingsListed place: String) -> String {
        guard let first = findings.first else { return summary }
        return "\(summary) (listed \(place)); first: \(first)"
    }
}

/// Everything `release verify` found, in the order the checks ran.
public struct VerifyReport: Hashable, Sendable {
    public let release: String
    public private(set) var checks: [Check] = []

    public init(release: String) { self.release = release }

    public mutating func add(_ check: Check) { checks.append(check) }

    /// The audit's findings, in order (text renders them on stderr).
    public var findings: [AuditFinding] { checks.flatMap(\.findings) }

    /// 1 if any check failed (the input was read and is wrong), else 2 if any could not be made, else 0.
    public var exitStatus: Int32 {
        if checks.contains(where: { $0.status == .failed }) { return 1 }
        if checks.contains(where: { $0.status == .couldNotCheck }) { return 2 }
        return 0
    }

    /// One summary line per check, each finding indented under it.
    public func textLines(quiet: Bool = false) -> [String] {
        var out: [String] = []
        for c in checks where !quiet || c.status == .failed || c.status == .couldNotCheck {
            let word: String
            switch c.status {
            case .passed: word = "ok"
            case .failed: word = "failed"
            case .couldNotCheck: word = "could not check"
            case .notRun: word = "not run"
            case .notChecked: word = "not checked"
            }
            out.append("\(c.name): \(word): \(c.summary(findingsListed: "on stderr"))")
            out += c.details.map { "  \($0)" }
        }
        return out
    }

    /// The `--format json` document (shape in docs/signature-format.md).
    public var json: JSONValue {
        var root = JSONObject()
        root.set("release", .string(release))
        root.set("status", .number(JSONNumber(Int64(exitStatus))))
        root.set("checks", .array(checks.map { c in
            var o = JSONObject()
            o.set("check", .string(c.name))
            o.set("status", .string(c.status.rawValue))
            o.set("summary", .string(c.summary(findingsListed: "in details")))
            o.set("details", .array((c.details + c.findings.map(\.description)).map { .string($0) }))
            return .object(o)
        }))
        return .object(root)
    }
}
