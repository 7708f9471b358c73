import Foundation
import Testing

/// `--format json` prints exactly one JSON document on stdout for every outcome (docs/formats.md): each
/// command and subcommand is driven into each exit status it can reach (0 passed, 1 a check failed, 2 could
/// not check, 64 usage), and its stdout must be one RFC 8785 document and a newline, whatever the status.
@Suite("--format json: one document for every outcome")
struct JSONOutcomeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        /// A repository directory copied as the working directory (a golden case), or nil for an empty one.
        var directory: String?
        /// Repository files copied into the working directory under a name.
        var files: [(String, String)] = []
        /// The arguments; `--format json` is added unless they hold it already. Nil: the golden case's
        /// `args` (one per line) or `command` (space-separated) file.
        var args: [String]?
        var status: Int32
        var testDescription: String { "\(status): " + (args?.joined(separator: " ") ?? directory ?? "?") }
    }

    static let example = ("examples/rows/2026-W24.jsonl", "rows.jsonl")
    static let release = ("golden/release/cli/build-example.release.json", "release.json")
    static let payload = ("examples/payloads/2026-06-12.json", "day.json")
    static let lookalike = ("examples/payloads/rejected-lookalike.json", "bad.json")
    static let pub = ("examples/release/union.pub", "union.pub")

    static let cases: [Case] = [
        // json check | canonical
        Case(files: [payload], args: ["json", "check", "day.json"], status: 0),
        Case(files: [("golden/payloads/invalid/trailing-comma.json", "bad.json")], args: ["json", "check", "bad.json"], status: 1),
        Case(args: ["json", "check", "missing.json"], status: 2),
        Case(args: ["json", "check"], status: 64),
        Case(files: [payload], args: ["json", "canonical", "day.json"], status: 64),   // canonical bytes, never a report
        // payload
        Case(files: [payload], args: ["payload", "day.json", "--today", "2026-06-12"], status: 0),
        Case(files: [lookalike], args: ["payload", "bad.json", "--today", "2026-06-12"], status: 1),
        Case(args: ["payload", "missing.json"], status: 2),
        Case(files: [payload], args: ["payload", "day.json", "--schema", "missing.schema.json"], status: 2),
        Case(files: [payload], args: ["payload", "day.json", "--canonical"], status: 64),
        Case(files: [payload], args: ["payload", "day.json", "--today", "12 June"], status: 64),
        // key generate | show
        Case(args: ["key", "generate", "--out", "k", "--unencrypted"], status: 64),   // writes keys, no report
        Case(files: [pub], args: ["key", "show", "union.pub"], status: 0),
        Case(files: [pub], args: ["key", "show", "union.pub", "--note-name", "example.org/union/log"], status: 0),
        Case(directory: "golden/verify/cases/key-show-secret-key", status: 2),
        Case(args: ["key", "show", "missing.pub"], status: 2),
        Case(files: [pub], args: ["key", "show", "union.pub", "--cosigner"], status: 64),
        // schema lint | fingerprint | diff | gate
        Case(directory: "golden/schema/lint/00-closed", status: 0),
        Case(directory: "golden/schema/lint/01-nested-object-open", status: 1),
        Case(args: ["schema", "lint", "missing.json"], status: 2),
        Case(args: ["schema", "lint"], status: 64),
        Case(directory: "golden/schema/lint/00-closed", args: ["schema", "fingerprint", "schema.json"], status: 0),
        Case(args: ["schema", "fingerprint", "missing.json"], status: 2),
        Case(args: ["schema", "fingerprint"], status: 64),
        Case(directory: "golden/schema/diff/description-added", status: 0),
        Case(directory: "golden/schema/diff/additional-properties-dropped", status: 1),
        Case(directory: "golden/schema/diff/description-added", args: ["schema", "diff", "old.json", "missing.json"], status: 2),
        Case(args: ["schema", "diff", "old.json"], status: 64),
        Case(directory: "golden/schema/gate/ok-locked", status: 0),
        Case(directory: "golden/schema/gate/bump-without-material-change", status: 1),
        Case(directory: "golden/schema/gate/malformed-lock", status: 2),
        Case(directory: "golden/schema/gate/missing-lock", status: 2),
        Case(directory: "golden/schema/gate/ok-locked", args: ["schema", "gate", "--lock", "schemas/schemas.lock.json", "--against", "no-such-revision"], status: 2),
        Case(args: ["schema", "gate", "--today", "tomorrow"], status: 64),
        // consent check
        Case(directory: "golden/schema/consent/valid-built-in", status: 0),
        Case(directory: "golden/schema/consent/refused-open-lock-version", status: 1),
        Case(directory: "golden/schema/consent/malformed-record", status: 2),
        Case(args: ["consent", "check", "missing.json"], status: 2),
        Case(args: ["consent", "check"], status: 64),
        // release build | audit | sign | verify | prove
        Case(files: [example], args: ["release", "build", "--rows", "rows.jsonl", "--week", "2026-W24", "--today", "2026-06-15", "-o", "out.json"], status: 0),
        Case(files: [example, ("golden/release/cli/bad-row.jsonl", "bad.jsonl")],
             args: ["release", "build", "--rows", "rows.jsonl", "bad.jsonl", "--week", "2026-W24", "--today", "2026-06-15", "-o", "out.json"], status: 1),
        Case(args: ["release", "build", "--rows", "missing.jsonl", "--week", "2026-W24", "-o", "out.json"], status: 2),
        Case(files: [example], args: ["release", "build", "--rows", "rows.jsonl", "--week", "2026-W24", "-o", "-"], status: 64),
        Case(files: [example], args: ["release", "build", "--rows", "rows.jsonl", "--week", "W24", "-o", "out.json"], status: 64),
        Case(files: [example, release], args: ["release", "audit", "release.json", "--rows", "rows.jsonl", "--today", "2026-06-15"], status: 0),
        Case(files: [("golden/release/row-leak/unsafe.json", "unsafe.json")], args: ["release", "audit", "unsafe.json"], status: 1),
        Case(args: ["release", "audit", "missing.json"], status: 2),
        Case(args: ["release", "audit"], status: 64),
        Case(directory: "golden/verify/cases/sign-extends-chain", status: 0),
        Case(directory: "golden/verify/cases/sign-needs-chain", status: 1),
        Case(directory: "golden/verify/cases/sign-key-bad-permissions", status: 2),
        Case(args: ["release", "sign", "-", "--key", "union.key"], status: 64),
        Case(directory: "golden/verify/cases/verify-first", status: 0),
        Case(directory: "golden/verify/cases/verify-claims-mismatch", status: 1),
        Case(directory: "golden/verify/cases/verify-pubkey-is-secret-key", status: 2),
        Case(args: ["release", "verify", "release.json"], status: 64),
        Case(directory: "golden/transparency/cases/prove-writes-every-member", status: 0),
        Case(directory: "golden/transparency/cases/prove-refuses-other-rows", status: 1),
        Case(directory: "golden/transparency/cases/prove-never-overwrites", status: 2),
        Case(directory: "golden/transparency/cases/prove-bad-origin", status: 64),
        // proof verify
        Case(directory: "golden/transparency/cases/proof-bundles-reordered", status: 0),
        Case(directory: "golden/transparency/cases/proof-another-members-day", status: 1),
        Case(directory: "golden/transparency/cases/proof-bad-index", status: 2),
        Case(args: ["proof", "verify", "member.tlog-proofs"], status: 64),
        // log append | prove | verify | witness
        Case(directory: "golden/transparency/cases/log-append-then-checkpoint", status: 0),
        Case(directory: "golden/transparency/cases/log-append-refuses-duplicate", status: 1),
        Case(args: ["log", "append", "missing.log", "release.json", "--key", "union.key"], status: 2),
        Case(args: ["log", "append", "union.log"], status: 64),
        Case(directory: "golden/transparency/cases/log-prove-release", status: 0),
        Case(directory: "golden/transparency/cases/log-prove-release-not-in-log", status: 1),
        Case(args: ["log", "prove", "missing.log", "--since", "0", "-o", "p"], status: 2),
        Case(args: ["log", "prove", "union.log", "-o", "p"], status: 64),
        Case(directory: "golden/transparency/cases/log-verify-consistent-with-state", status: 0),
        Case(directory: "golden/transparency/cases/log-verify-origin-mismatch", status: 1),
        Case(directory: "golden/transparency/cases/log-verify-10000-cosignatures", status: 2),
        Case(args: ["log", "verify", "--origin", "example.org/union/log"], status: 64),
        Case(directory: "golden/transparency/cases/log-witness-cosigns-consistent", status: 0),
        Case(directory: "golden/transparency/cases/log-witness-refuses-first-sight-not-from-zero", status: 1),
        Case(directory: "golden/transparency/cases/log-witness-cosigns-consistent",
             args: ["log", "witness", "req1", "--key", "missing.key", "--name", "w1.example", "--log-pubkey", "union.pub",
                    "--origin", "example.org/union/log", "--state", "w1.state", "-o", "out.cosigned"], status: 2),
        Case(args: ["log", "witness", "req1"], status: 64),
        // no subcommand, an unknown one
        Case(args: ["nonsense"], status: 64),
    ]

    @Test("stdout is exactly one JSON document, whatever the exit status", arguments: cases)
    func oneDocument(_ c: Case) throws { try check(c, extra: []) }

    /// -v means the same everywhere: the run's output is unchanged and stderr ends with the timings line.
    @Test("-v adds a timings line as stderr's last line and changes neither stdout's shape nor the status",
          arguments: cases.filter { $0.status == 0 })
    func verboseEndsWithTimings(_ c: Case) throws {
        let run = try check(c, extra: ["-v"])
        #expect(run.stderrLines.last?.hasPrefix("timings: ") == true, "stderr: \(run.stderrText)")
    }

    @discardableResult
    func check(_ c: Case, extra: [String]) throws -> CLIResult {
        let fm = FileManager.default
        let work = fm.temporaryDirectory.appendingPathComponent("json-outcome-\(UUID().uuidString)")
        if let directory = c.directory {
            try fm.copyItem(at: CLIRunner.packageRoot.appendingPathComponent(directory), to: work)
        } else {
            try fm.createDirectory(at: work, withIntermediateDirectories: true)
        }
        defer { try? fm.removeItem(at: work) }
        for (from, to) in c.files {
            try fm.copyItem(at: CLIRunner.packageRoot.appendingPathComponent(from), to: work.appendingPathComponent(to))
        }
        // Git keeps no modes: secret keys must be the owner's alone, unless the case says otherwise.
        let modes = (try? String(contentsOf: work.appendingPathComponent("modes"), encoding: .utf8)) ?? ""
        for file in try fm.contentsOfDirectory(atPath: work.path) where file.hasSuffix(".key") && !modes.contains(file) {
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: work.appendingPathComponent(file).path)
        }
        for line in modes.split(separator: "\n") {
            let parts = line.split(separator: " ")
            try fm.setAttributes([.posixPermissions: Int(parts[1], radix: 8)!], ofItemAtPath: work.appendingPathComponent(String(parts[0])).path)
        }
        var args = try c.args ?? Self.goldenArguments(work)
        if !args.contains("--format") { args += ["--format", "json"] }
        args += extra

        let run = try CLIRunner.run(try CLIRunner.product("backpay-verify"), args, in: work,
                                    environment: ["SOURCE_DATE_EPOCH": "1781000000"])
        #expect(run.status == c.status, "\(args.joined(separator: " ")): \(run.stderrText)")
        let lines = run.stdout.split(separator: 0x0A, omittingEmptySubsequences: false)
        // RFC 8785 output is one line: the document, then the newline, then nothing.
        try #require(lines.count == 2 && lines[1].isEmpty, "\(args.joined(separator: " ")) printed \(lines.count - 1) lines: \(run.stdoutText)")
        let document = try JSONSerialization.jsonObject(with: Data(lines[0]))
        let object = try #require(document as? [String: Any], "not a JSON object: \(run.stdoutText)")
        if c.status == 2 || c.status == 64 {
            // Could not check or usage: the document says why, as the stderr line does.
            #expect(Self.saysWhy(object), "\(args.joined(separator: " ")): the document does not say why: \(run.stdoutText)")
        }
        if c.status == 64 { #expect(object["status"] as? Int == 64) }
        return run
    }

    /// True when a document holds an `error` message (top-level or a file's) or a check's `summary`.
    static func saysWhy(_ value: Any) -> Bool {
        if let o = value as? [String: Any] {
            return o["error"] is String || o["summary"] is String || o.values.contains(where: saysWhy)
        }
        return (value as? [Any])?.contains(where: saysWhy) ?? false
    }

    /// A golden case's own arguments: `args` (one per line, golden/verify and golden/transparency) or
    /// `command` (space-separated, golden/schema).
    static func goldenArguments(_ dir: URL) throws -> [String] {
        if let args = try? String(contentsOf: dir.appendingPathComponent("args"), encoding: .utf8) {
            return args.split(separator: "\n").map(String.init)
        }
        let command = try String(contentsOf: dir.appendingPathComponent("command"), encoding: .utf8)
        return command.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    }
}
