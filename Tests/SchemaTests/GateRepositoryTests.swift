import Core
import Foundation
import Testing
@testable import Schema

/// End to end through `backpay-verify schema gate` on a throwaway git repository: the project's v0 is
/// committed with its lock, then each edit of golden/schema/diff is applied in place (a released
/// file edited) or as a proposed next version, and the verdict and exit status are checked.
@Suite("schema gate on a throwaway repository")
struct GateRepositoryTests {
    typealias Edit = @Sendable (inout [String: Any]) -> Void

    static func entryProps(_ s: inout [String: Any], _ body: (inout [String: Any]) -> Void) {
        var defs = s["$defs"] as! [String: Any]
        var entry = defs["entry"] as! [String: Any]
        var props = entry["properties"] as! [String: Any]
        body(&props)
        entry["properties"] = props; defs["entry"] = entry; s["$defs"] = defs
    }

    static func modelEnum(_ s: inout [String: Any], _ body: (inout [String]) -> Void) {
        entryProps(&s) { p in
            var m = p["model"] as! [String: Any]
            var e = m["enum"] as! [String]
            body(&e); m["enum"] = e; p["model"] = m
        }
    }

    /// The §2.5 edits: name, whether the edit is material, and the edit.
    static let edits: [(String, Bool, Edit)] = [
        ("keys reordered", false, { _ in }),
        ("description added", false, { s in entryProps(&s) { p in var x = p["sessions"] as! [String: Any]; x["description"] = "Sessions."; p["sessions"] = x } }),
        ("model enum value added", true, { s in modelEnum(&s) { $0.append("gpt-6") } }),
        ("model enum value removed", true, { s in modelEnum(&s) { $0.removeAll { $0 == "o3" } } }),
        ("model enum reordered", false, { s in modelEnum(&s) { $0.reverse() } }),
        ("optional property added", true, { s in entryProps(&s) { $0["reasoning_tokens"] = ["type": "integer", "minimum": 0, "maximum": 1000] } }),
        ("required property added", true, { s in
            entryProps(&s) { $0["reasoning_tokens"] = ["type": "integer", "minimum": 0, "maximum": 1000] }
            var defs = s["$defs"] as! [String: Any]; var e = defs["entry"] as! [String: Any]
            e["required"] = (e["required"] as! [String]) + ["reasoning_tokens"]; defs["entry"] = e; s["$defs"] = defs }),
        ("required property removed", true, { s in
            entryProps(&s) { $0.removeValue(forKey: "sessions") }
            var defs = s["$defs"] as! [String: Any]; var e = defs["entry"] as! [String: Any]
            e["required"] = (e["required"] as! [String]).filter { $0 != "sessions" }; defs["entry"] = e; s["$defs"] = defs }),
        ("maximum raised", true, { s in entryProps(&s) { p in var x = p["sessions"] as! [String: Any]; x["maximum"] = 20000; p["sessions"] = x } }),
        ("maximum lowered", true, { s in entryProps(&s) { p in var x = p["sessions"] as! [String: Any]; x["maximum"] = 5000; p["sessions"] = x } }),
        ("maxItems raised", true, { s in var p = s["properties"] as! [String: Any]; var e = p["entries"] as! [String: Any]; e["maxItems"] = 65; p["entries"] = e; s["properties"] = p }),
        ("additionalProperties false dropped", true, { s in var d = s["$defs"] as! [String: Any]; var e = d["entry"] as! [String: Any]; e.removeValue(forKey: "additionalProperties"); d["entry"] = e; s["$defs"] = d }),
        ("integer to number", true, { s in entryProps(&s) { p in var x = p["sessions"] as! [String: Any]; x["type"] = "number"; x["x-backpay-max-decimals"] = 1; p["sessions"] = x } }),
        ("format removed, pattern kept", true, { s in var p = s["properties"] as! [String: Any]; var x = p["panelist"] as! [String: Any]; x.removeValue(forKey: "format"); p["panelist"] = x; s["properties"] = p }),
    ]

    /// Lint errors an edit brings with it: an opened object is not closed any more.
    static func lintErrors(_ name: String) -> [String] { name == "additionalProperties false dropped" ? ["OBJECT_OPEN"] : [] }

    static func setVersion(_ s: inout [String: Any], _ v: Int) {
        var p = s["properties"] as! [String: Any]; var sv = p["schema_version"] as! [String: Any]
        sv["const"] = v; p["schema_version"] = sv; s["properties"] = p
    }

    /// A fresh repository with schemas/payload-v0.schema.json and its lock, committed.
    func makeRepository() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gate-repo-\(UUID().uuidString)")
        let schemas = dir.appendingPathComponent("schemas")
        try FileManager.default.createDirectory(at: schemas, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: GateTestSupport.packageRoot.appendingPathComponent("schemas/payload-v0.schema.json"),
                                         to: schemas.appendingPathComponent("payload-v0.schema.json"))
        try git(["init", "-q"], dir)
        let created = try GateTestSupport.run(["schema", "gate", "--lock", "schemas/schemas.lock.json", "--update-lock"], in: dir)
        #expect(created.status == 0, "creating the lock: \(created.stdout)\(created.stderr)")
        try git(["add", "-A"], dir)
        try git(["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "v0"], dir)
        return dir
    }

    func git(_ args: [String], _ dir: URL) throws {
        let r = try GateTestSupport.runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["git"] + args, in: dir)
        #expect(r.status == 0, "git \(args.joined(separator: " ")): \(r.stderr)")
    }

    func schema(_ dir: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: dir.appendingPathComponent("schemas/payload-v0.schema.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    func write(_ s: [String: Any], _ url: URL, reversedKeys: Bool = false) throws {
        // Key order in JSONSerialization output is not under our control except through sorting;
        // sorted keys differ from the file's order, which is itself the "keys reordered" edit.
        let data = try JSONSerialization.data(withJSONObject: s, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try data.write(to: url)
    }

    /// Writes schemas/payload-v1.schema.json: v0 with the model "gpt-6" added, bumped to version 1.
    func proposeVersion1AddingModel(_ dir: URL) throws {
        var s = try schema(dir)
        Self.modelEnum(&s) { $0.append("gpt-6") }
        Self.setVersion(&s, 1)
        try write(s, dir.appendingPathComponent("schemas/payload-v1.schema.json"))
    }

    func gate(_ dir: URL, _ extra: [String] = []) throws -> GateTestSupport.Run {
        try GateTestSupport.run(["schema", "gate", "--lock", "schemas/schemas.lock.json", "--today", "2026-06-12", "--format", "json"] + extra, in: dir)
    }

    func rules(_ run: GateTestSupport.Run) throws -> [String] {
        let v = try StrictJSON.parse(Array(run.stdout.utf8))
        return (v["findings"]?.arrayValue ?? []).filter { $0["severity"] == .string("error") }.compactMap { $0["rule"]?.stringValue }
    }

    @Test("a released file edited in place: cosmetic edits pass, material ones fail as RELEASED_SCHEMA_EDITED",
          arguments: edits.map(\.0))
    func editInPlace(_ name: String) throws {
        let (_, material, edit) = Self.edits.first { $0.0 == name }!
        let dir = try makeRepository()
        defer { try? FileManager.default.removeItem(at: dir) }
        var s = try schema(dir); edit(&s)
        try write(s, dir.appendingPathComponent("schemas/payload-v0.schema.json"))
        try git(["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qam", name], dir)
        let run = try gate(dir)
        #expect(run.status == (material ? 1 : 0), "\(name): \(run.stdout)")
        #expect(Set(try rules(run)) == Set((material ? ["RELEASED_SCHEMA_EDITED"] : []) + Self.lintErrors(name)), "\(name)")
    }

    @Test("an edit proposed as version 1: bumped right it locks; unbumped, skipped or bumped for nothing it fails",
          arguments: edits.map(\.0))
    func proposeNextVersion(_ name: String) throws {
        let (_, material, edit) = Self.edits.first { $0.0 == name }!
        let dir = try makeRepository()
        defer { try? FileManager.default.removeItem(at: dir) }
        var s = try schema(dir); edit(&s)
        let v1 = dir.appendingPathComponent("schemas/payload-v1.schema.json")
        let lockURL = dir.appendingPathComponent("schemas/schemas.lock.json")
        let lockBefore = try Data(contentsOf: lockURL)

        Self.setVersion(&s, 0)
        try write(s, v1)
        let unbumped = try gate(dir)
        #expect(unbumped.status == 1)
        #expect(Set(try rules(unbumped)) == Set([material ? "MATERIAL_CHANGE_WITHOUT_BUMP" : "UNLOCKED_SCHEMA"] + Self.lintErrors(name)), "\(name) unbumped")

        Self.setVersion(&s, 2)
        try write(s, v1)
        let skipped = try gate(dir)
        #expect(skipped.status == 1)
        #expect(Set(try rules(skipped)) == Set([material ? "VERSION_SKIPPED" : "BUMP_WITHOUT_MATERIAL_CHANGE"] + Self.lintErrors(name)), "\(name) skipped")

        Self.setVersion(&s, 1)
        try write(s, v1)
        let bumped = try gate(dir, ["--update-lock"])
        let verdict = try rules(bumped)
        if material && name != "additionalProperties false dropped" {
            #expect(bumped.status == 0, "\(name): \(bumped.stdout)")
            #expect(verdict.isEmpty)
            let lock = try SchemaLock.parse(Array(try Data(contentsOf: lockURL))).0
            #expect(lock.entries.map(\.version) == [0, 1])
            #expect(lock.entries.last?.path == "payload-v1.schema.json")
            let again = try gate(dir)
            #expect(again.status == 0, "\(name): gate after --update-lock: \(again.stdout)")
        } else {
            // Cosmetic edits may not bump; an opened object fails lint and may not be locked either.
            #expect(bumped.status == 1)
            #expect(verdict == [material ? "OBJECT_OPEN" : "BUMP_WITHOUT_MATERIAL_CHANGE"], "\(name) bumped")
            #expect(try Data(contentsOf: lockURL) == lockBefore, "\(name): the lock changed although the gate failed")
        }
    }

    @Test("with --against, an edited released file is diffed against the revision that holds it")
    func againstBaseline() throws {
        let dir = try makeRepository()
        defer { try? FileManager.default.removeItem(at: dir) }
        var s = try schema(dir)
        Self.modelEnum(&s) { $0.append("gpt-6") }
        try write(s, dir.appendingPathComponent("schemas/payload-v0.schema.json"))
        try git(["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qam", "edit v0"], dir)
        let run = try gate(dir, ["--against", "HEAD~1"])
        #expect(run.status == 1)
        let v = try StrictJSON.parse(Array(run.stdout.utf8))
        let rules = (v["findings"]?.arrayValue ?? []).compactMap { $0["rule"]?.stringValue }
        #expect(rules.contains("RELEASED_SCHEMA_EDITED") && rules.contains("ENUM_VALUE_ADDED"))
        let missing = try gate(dir, ["--against", "no-such-branch"])
        #expect(missing.status == 2 && missing.stderr.contains("no such git revision"))
        // --format json: the one document at exit 2 is the error document, saying what the stderr line says.
        let error = try StrictJSON.parse(Array(missing.stdout.utf8))
        let message = try #require(error["error"]?.stringValue)
        #expect(error["status"]?.numberValue?.int64Value == 2 && missing.stderr.hasPrefix(message))
    }

    @Test("with --against, the pull request that locks a new version lists its changes against the version before, in every format")
    func lockingPullRequestListsChanges() throws {
        let dir = try makeRepository()
        defer { try? FileManager.default.removeItem(at: dir) }
        try proposeVersion1AddingModel(dir)
        let locking = try gate(dir, ["--update-lock"])
        #expect(locking.status == 0, "\(locking.stdout)\(locking.stderr)")
        // docs/ci-gate.md: the new file and its lock entry are committed together.
        try git(["add", "-A"], dir)
        try git(["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "v1"], dir)

        let run = try gate(dir, ["--against", "HEAD~1"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let v = try StrictJSON.parse(Array(run.stdout.utf8))
        #expect(v["newly_locked_versions"] == .array([.number(JSONNumber(1))]))
        let widening = (v["findings"]?.arrayValue ?? []).filter { $0["direction"] == .string("widening") }
        #expect(widening.map { $0["rule"] } == [.string("ENUM_VALUE_ADDED")])
        #expect(widening.first?["file"] == .string("schemas/payload-v1.schema.json"))
        #expect(widening.first?["counterexample"]?.value(at: JSONPointer(["entries", "0", "model"])) == .string("gpt-6"))

        // What reviewers read: the text and the markdown step summary, held to golden files.
        let golden = GateTestSupport.golden.appendingPathComponent("repository/locking-pr")
        for format in ["text", "markdown", "github"] {
            let out = try GateTestSupport.run(["schema", "gate", "--lock", "schemas/schemas.lock.json", "--today", "2026-06-12",
                                               "--against", "HEAD~1", "--format", format], in: dir)
            #expect(out.status == 0 && out.stderr.isEmpty, "\(format)")
            let file = golden.appendingPathExtension(format)
            if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(out.stdout.utf8).write(to: file)
            } else {
                #expect(out.stdout == GateTestSupport.read(file), "\(format) differs from \(file.path)")
            }
        }

        // Once merged, later pull requests do not repeat it.
        let later = try gate(dir, ["--against", "HEAD"])
        let laterDoc = try StrictJSON.parse(Array(later.stdout.utf8))
        #expect(later.status == 0)
        #expect(laterDoc["newly_locked_versions"] == .array([]))
        #expect((laterDoc["findings"]?.arrayValue ?? []).isEmpty)
    }

    @Test("--update-lock writes nothing while any rule is broken, even when the proposal itself passes")
    func noLockWhileBroken() throws {
        let dir = try makeRepository()
        defer { try? FileManager.default.removeItem(at: dir) }
        try proposeVersion1AddingModel(dir)
        var edited = try schema(dir)
        Self.modelEnum(&edited) { $0.append("gpt-7") }
        try write(edited, dir.appendingPathComponent("schemas/payload-v0.schema.json"))
        let lockURL = dir.appendingPathComponent("schemas/schemas.lock.json")
        let before = try Data(contentsOf: lockURL)
        let run = try gate(dir, ["--update-lock"])
        #expect(run.status == 1)
        #expect(try rules(run).contains("RELEASED_SCHEMA_EDITED"))
        #expect(try Data(contentsOf: lockURL) == before)
    }

    @Test("a widening bump lists its widening changes with counterexamples in the gate's report")
    func wideningListed() throws {
        let dir = try makeRepository()
        defer { try? FileManager.default.removeItem(at: dir) }
        try proposeVersion1AddingModel(dir)
        let run = try gate(dir)
        let v = try StrictJSON.parse(Array(run.stdout.utf8))
        let widening = (v["findings"]?.arrayValue ?? []).filter { $0["direction"] == .string("widening") }
        #expect(widening.count == 1)
        #expect(widening.first?["rule"] == .string("ENUM_VALUE_ADDED"))
        #expect(widening.first?["counterexample"]?.value(at: JSONPointer(["entries", "0", "model"])) == .string("gpt-6"))
    }

    @Test("the gate never passes when it cannot compare: missing lock, missing locked file, unreadable lock")
    func couldNotCompare() throws {
        let dir = try makeRepository()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = try GateTestSupport.run(["schema", "gate", "--lock", "schemas/nope.lock.json"], in: dir)
        #expect(missing.status == 2 && missing.stdout.isEmpty && missing.stderr.contains("cannot open"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("schemas/payload-v0.schema.json"))
        let gone = try gate(dir)
        #expect(gone.status == 2 && gone.stderr.contains("payload-v0.schema.json"))
        #expect(try StrictJSON.parse(Array(gone.stdout.utf8))["error"]?.stringValue?.contains("payload-v0.schema.json") == true)
        try Data("{\"versions\": [".utf8).write(to: dir.appendingPathComponent("schemas/schemas.lock.json"))
        let broken = try gate(dir)
        #expect(broken.status == 2 && broken.stderr.hasPrefix("schemas/schemas.lock.json:1:"))
    }

    @Test("the repository's own lock passes its own gate")
    func ownGate() throws {
        let run = try GateTestSupport.run(["schema", "gate", "--lock", "schemas/schemas.lock.json"], in: GateTestSupport.packageRoot)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    }

    @Test("--quiet prints nothing when the check passes and only errors when it fails")
    func quiet() throws {
        let ok = try GateTestSupport.run(["schema", "gate", "--lock", "schemas/schemas.lock.json", "--quiet"], in: GateTestSupport.packageRoot)
        #expect(ok.status == 0 && ok.stdout.isEmpty && ok.stderr.isEmpty)
        let dir = GateTestSupport.golden.appendingPathComponent("gate/new-schema-fails-lint")
        let bad = try GateTestSupport.run(["schema", "gate", "--lock", "schemas/schemas.lock.json", "--today", "2026-06-12", "-q"], in: dir)
        #expect(bad.status == 1)
        #expect(bad.stdout.split(separator: "\n").allSatisfy { $0.contains(" error ") || $0.hasPrefix("schema gate: failed") })
        #expect(bad.stdout.contains("STRING_FREE_TEXT") && !bad.stdout.contains("PROPERTY_ADDED"))
    }

    @Test("text output has colour only on request: none through a pipe, none with NO_COLOR")
    func colour() throws {
        let run = try GateTestSupport.run(["schema", "lint", "schemas/payload-v0.schema.json"], in: GateTestSupport.packageRoot)
        #expect(!run.stdout.contains("\u{1B}["))
        let report = FindingReport(kind: "gate", title: "t", passed: false, facts: [], findings: [])
        #expect(report.render(.text, colour: true).contains("\u{1B}[1;31mfailed\u{1B}[0m"))
        #expect(!report.render(.text, colour: false).contains("\u{1B}"))
    }
}
