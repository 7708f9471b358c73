import Foundation
import Testing

/// End-to-end behaviour of `payload` beyond the single-file golden cases: JSON lines, consent, stdin.
@Suite("payload: JSON lines, consent and standard input")
struct PayloadStreamTests {
    static let seed = #"{"date":"2026-06-12","entries":[{"cache_creation_tokens":1082211,"cache_read_tokens":114230998,"cost_usd_est":23.91,"input_tokens":18093021,"model":"claude-opus-4-8","output_tokens":842117,"sessions":4,"tool":"claude-code"}],"panelist":"6f1c2a7e-3b7d-4c2e-9a41-0d5b8e9f1a23","schema_version":0}"#

    func tool(_ args: [String], stdin: String = "") throws -> CLIResult {
        try CLIRunner.run(try CLIRunner.product("backpay-verify"), args, stdin: Array(stdin.utf8))
    }

    @Test("--jsonl reports each bad line with the file's line number and counts the rest")
    func jsonLines() throws {
        let bad = Self.seed.replacingOccurrences(of: "\"sessions\":4", with: "\"sessions\":0")
        let spaced = Self.seed.replacingOccurrences(of: "{\"date\"", with: "{ \"date\"")
        let r = try tool(["payload", "--jsonl", "--today", "2026-06-12", "-"], stdin: [Self.seed, bad, spaced, Self.seed].joined(separator: "\n") + "\n")
        #expect(r.status == 1)
        #expect(r.stdoutText == "<stdin>: 4 payloads: 3 valid, 1 invalid, 1 not canonical\n")
        #expect(r.stderrLines == [
            "<stdin>:2:201: /entries/0/sessions: 0 is below the minimum 1 for \"sessions\"",
            "<stdin>:3:2: (root): warning: not canonical: whitespace between tokens",
        ])
    }

    @Test("--jsonl reports an over-long last line without a final newline as invalid, as release build does")
    func overLongLastLine() throws {
        for size in [65_537, 3 << 20] {
            let r = try tool(["payload", "--jsonl", "--today", "2026-06-12", "-"],
                             stdin: [Self.seed, Self.seed, Self.seed].joined(separator: "\n") + "\n" + String(repeating: "a", count: size))
            #expect(r.status == 1)
            #expect(r.stdoutText == "<stdin>: 4 payloads: 3 valid, 1 invalid, 0 not canonical\n")
            #expect(r.stderrLines == ["<stdin>:4:1: (root): line of \(size) bytes is larger than the 64 KiB payload limit"])
        }
    }

    @Test("--jsonl --strict --format json lists only the lines that need attention")
    func jsonLinesJSON() throws {
        let spaced = Self.seed.replacingOccurrences(of: "{\"date\"", with: "{ \"date\"")
        let r = try tool(["payload", "--jsonl", "--strict", "--format", "json", "--today", "2026-06-12", "-"], stdin: Self.seed + "\n" + spaced + "\n")
        #expect(r.status == 1)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout)) as? [String: Any]
        let files = doc?["files"] as? [[String: Any]]
        let results = files?.first?["results"] as? [[String: Any]]
        #expect(doc?["ok"] as? Bool == false)
        #expect(results?.count == 1)
        #expect(results?.first?["line"] as? Int == 2)
        #expect((results?.first?["freedoms"] as? [[String: Any]])?.first?["kind"] as? String == "whitespace")
    }

    @Test("--consent refuses a payload of another schema version, and a malformed record cannot be checked")
    func consent() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("consent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fp = try tool(["schema", "fingerprint", CLIRunner.packageRoot.appendingPathComponent("schemas/payload-v0.schema.json").path]).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let record = dir.appendingPathComponent("consent.json")
        try Data("{\"consented_on\":\"2026-06-01\",\"schema_fingerprint\":\"\(fp)\",\"schema_version\":0}".utf8).write(to: record)
        let ok = try tool(["payload", "--consent", record.path, "--today", "2026-06-12", "-"], stdin: Self.seed)
        #expect(ok.status == 0)

        // A version 1 schema (its const bumped) and a payload written for it.
        var schema = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("schemas/payload-v0.schema.json"), encoding: .utf8)
        schema = schema.replacingOccurrences(of: "\"const\": 0", with: "\"const\": 1")
        let v1 = dir.appendingPathComponent("v1.json")
        try Data(schema.utf8).write(to: v1)
        let refused = try tool(["payload", "--schema", v1.path, "--consent", record.path, "--today", "2026-06-12", "-"],
                               stdin: Self.seed.replacingOccurrences(of: "\"schema_version\":0", with: "\"schema_version\":1"))
        #expect(refused.status == 1)
        // The refusal points at the schema_version member (its value's line:column), in text and in JSON alike.
        let v1Payload = Self.seed.replacingOccurrences(of: "\"schema_version\":0", with: "\"schema_version\":1")
        let column = v1Payload.utf8.count - 1
        #expect(refused.stderrLines == ["<stdin>:1:\(column): /schema_version: payload follows schema_version 1 but consent was given for version 0 on 2026-06-01; ask the member again"])
        let refusedJSON = try tool(["payload", "--schema", v1.path, "--consent", record.path, "--today", "2026-06-12", "--format", "json", "-"], stdin: v1Payload)
        #expect(refusedJSON.status == 1)
        let doc = try JSONSerialization.jsonObject(with: Data(refusedJSON.stdout)) as? [String: Any]
        let result = ((doc?["files"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])?.first
        let violation = (result?["violations"] as? [[String: Any]])?.first
        #expect(violation?["pointer"] as? String == "/schema_version")
        #expect(violation?["line"] as? Int == 1 && violation?["column"] as? Int == column)
        #expect(violation?["rule"] as? String == "consent")

        try Data("{\"schema_version\":0}".utf8).write(to: record)
        let malformed = try tool(["payload", "--consent", record.path, "-"], stdin: Self.seed)
        #expect(malformed.status == 2)
    }

    /// The schema of issue 11 item 1: open, free text, no version; `schema lint` finds three errors.
    static let openSchema = #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"note":{"type":"string"}}}"#

    @Test("--schema refuses a schema lint rejects: exit 1 with lint's findings, never \"valid\" (text and JSON)")
    func openSchemaRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("open-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data((Self.openSchema + "\n").utf8).write(to: dir.appendingPathComponent("open.json"))
        try Data(#"{"note":"my secret prompt text"}"#.utf8).write(to: dir.appendingPathComponent("note.json"))
        let exe = try CLIRunner.product("backpay-verify")
        let golden = CLIRunner.packageRoot.appendingPathComponent("golden/schema/refused/payload-open-schema")
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil
        for (format, name) in [("text", "txt"), ("json", "json")] {
            let r = try CLIRunner.run(exe, ["payload", "--schema", "open.json", "--today", "2026-06-12", "--format", format, "note.json"], in: dir)
            #expect(r.status == 1, "\(format)")
            #expect(!r.stdoutText.contains("valid\n") && !r.stdoutText.contains(": valid"), "\(format): told valid under an open schema")
            // Text: lint's report is the diagnostic (stderr); JSON: it is the one document (stdout).
            let shown = format == "text" ? r.stderrText : r.stdoutText
            #expect(format == "text" ? r.stdout.isEmpty : r.stderr.isEmpty, "\(format)")
            for rule in ["OBJECT_OPEN", "VERSION_CONST_MISSING", "STRING_FREE_TEXT"] { #expect(shown.contains(rule), "\(format) lacks \(rule)") }
            let file = golden.appendingPathExtension(name)
            if update { try Data(shown.utf8).write(to: file) } else {
                #expect(shown == (try String(contentsOf: file, encoding: .utf8)), "\(format) differs from \(file.lastPathComponent)")
            }
        }
    }

    @Test("a missing file cannot be checked (exit 2) and a usage error is 64")
    func statuses() throws {
        #expect(try tool(["payload", "/nonexistent/day.json"]).status == 2)
        #expect(try tool(["payload", "--today", "2026-13-01", "x.json"]).status == 64)
        #expect(try tool(["payload", "-", "-"]).status == 64)
    }
}
