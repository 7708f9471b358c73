import Core
import Foundation
import Testing
@testable import Schema

@Suite("schema diff")
struct DiffTests {
    static let today = CalendarDay(year: 2026, month: 6, day: 12)!
    static let cases = GateTestSupport.subdirectories("diff").map(\.lastPathComponent)

    func load(_ name: String) throws -> (SchemaDocument, SchemaDocument) {
        let dir = GateTestSupport.golden.appendingPathComponent("diff/\(name)")
        return (try GateTestSupport.document(dir.appendingPathComponent("old.json")),
                try GateTestSupport.document(dir.appendingPathComponent("new.json")))
    }

    static func withoutVersion(_ v: JSONValue) -> JSONValue { CounterexampleBuilder.withoutVersionConst(v) }

    @Test("every widening finding carries a payload the new schema accepts and the old rejects", arguments: cases)
    func counterexamples(_ name: String) throws {
        let (old, new) = try load(name)
        let result = SchemaDiff.diff(old: old, new: new, today: Self.today)
        let newCheck = InstanceCheck(schema: Self.withoutVersion(new.value), today: Self.today)
        let oldCheck = InstanceCheck(schema: Self.withoutVersion(old.value), today: Self.today)
        for f in result.widening {
            let cx = try #require(f.counterexample, "\(name): \(f.rule.rawValue) at \(f.pointer) has no counterexample")
            #expect(newCheck.accepts(cx), "\(name): new schema rejects the counterexample: \(String(describing: newCheck.firstFailure(cx)))")
            #expect(!oldCheck.accepts(cx), "\(name): old schema accepts the counterexample of \(f.rule.rawValue)")
            #expect(cx["schema_version"] == new.value.value(at: SchemaDocument.versionPointer))
        }
        for f in result.findings where f.direction != .widening { #expect(f.counterexample == nil) }
    }

    @Test("the toolkit's PayloadValidator agrees: new accepts each counterexample, old rejects it", arguments: cases)
    func payloadValidatorAgrees(_ name: String) throws {
        let (old, new) = try load(name)
        let widening = SchemaDiff.diff(old: old, new: new, today: Self.today).widening
        guard !widening.isEmpty else { return }
        let newValidator = try PayloadValidator(schema: Self.withoutVersion(new.value), today: Self.today)
        // An old schema the validator cannot compile (an open object) cannot reject anything through it.
        let oldValidator = try? PayloadValidator(schema: Self.withoutVersion(old.value), today: Self.today)
        for f in widening {
            let cx = try #require(f.counterexample)
            let bytes = try CanonicalJSON.serialize(cx)
            let n = newValidator.check(bytes)
            // The new schema may itself be open (OBJECT_OPENED); the validator refuses to compile those.
            #expect(n.isValid, "\(name) \(f.rule.rawValue): new rejects \(n.violations)")
            if let oldValidator { #expect(!oldValidator.check(bytes).isValid, "\(name) \(f.rule.rawValue): old accepts") }
        }
    }

    @Test("python-jsonschema agrees: the new schema accepts each counterexample and the old rejects it unless only an x-backpay rule decides")
    func pythonAgrees() throws {
        var items: [String] = []
        var widening = 0
        for name in Self.cases {
            let (old, new) = try load(name)
            for f in SchemaDiff.diff(old: old, new: new, today: Self.today).widening {
                widening += 1
                guard let cx = f.counterexample else { continue }
                let toolkitOnly = [Rule.decimalsChanged, .dateRangeChanged, .uniquenessChanged].contains(f.rule)
                let item = JSONValue.object(JSONObject([
                    ("name", .string("\(name) \(f.rule.rawValue)")), ("old", Self.withoutVersion(old.value)),
                    ("new", Self.withoutVersion(new.value)), ("cx", cx), ("old_must_reject", .bool(!toolkitOnly))]))
                items.append(try CanonicalJSON.string(item))
            }
        }
        #expect(items.count == widening && widening > 15)
        let script = """
        import json, sys, jsonschema
        bad = []
        for it in json.load(open(sys.argv[1])):
            V = jsonschema.Draft202012Validator
            if list(V(it["new"]).iter_errors(it["cx"])): bad.append("new rejects: " + it["name"])
            if it["old_must_reject"] and not list(V(it["old"]).iter_errors(it["cx"])): bad.append("old accepts: " + it["name"])
        print("\\n".join(bad) if bad else "ok")
        """
        let run = try GateTestSupport.python(script, input: "[" + items.joined(separator: ",") + "]")
        #expect(run.status == 0, "python3 with jsonschema is required: \(run.stderr)")
        #expect(run.stdout == "ok\n")
    }

    @Test("finding ids survive reformatting: they depend on rule and pointer, not on lines", arguments: ["enum-value-added", "maximum-raised", "required-property-added"])
    func stableIds(_ name: String) throws {
        let (old, new) = try load(name)
        let compact = SchemaDocument(name: "c", value: new.value)
        let ids = SchemaDiff.diff(old: old, new: new, today: Self.today).findings.map(\.id)
        let ids2 = SchemaDiff.diff(old: old, new: compact, today: Self.today).findings.map(\.id)
        #expect(!ids.isEmpty && Set(ids) == Set(ids2))
        for f in SchemaDiff.diff(old: old, new: new, today: Self.today).findings {
            var material = f.rule.rawValue + "\0" + f.pointer.description
            if let a = f.argument { material += "\0" + a }
            let run = try GateTestSupport.python("import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest()[:12])", input: material)
            #expect(run.stdout == f.id + "\n")
        }
    }

    @Test("swapping old and new swaps widening and narrowing", arguments: ["enum-value-added", "maximum-raised", "max-items-raised", "additional-properties-dropped", "decimals-raised", "pattern-widened", "pattern-widened-first-character", "made-optional"])
    func symmetry(_ name: String) throws {
        let (old, new) = try load(name)
        let forward = SchemaDiff.diff(old: old, new: new, today: Self.today).findings.filter { $0.direction != .cosmetic }
        let backward = SchemaDiff.diff(old: new, new: old, today: Self.today).findings.filter { $0.direction != .cosmetic }
        #expect(forward.count == backward.count)
        #expect(forward.filter { $0.direction == .widening }.count == backward.filter { $0.direction == .narrowing }.count)
        #expect(forward.filter { $0.direction == .narrowing }.count == backward.filter { $0.direction == .widening }.count)
    }

    @Test("each schema edit of golden/schema/diff gets its verdict (material or not, widening or not)")
    func notesTable() throws {
        // name: (material, some widening, some narrowing)
        let table: [String: (Bool, Bool, Bool)] = [
            "keys-reordered": (false, false, false), "description-added": (false, false, false),
            "enum-value-added": (true, true, false), "enum-value-removed": (true, false, true),
            "enum-reordered": (false, false, false), "optional-property-added": (true, true, false),
            "required-property-added": (true, true, true), "required-property-removed": (true, true, true),
            "maximum-raised": (true, true, false), "maximum-lowered": (true, false, true),
            "max-items-raised": (true, true, false), "additional-properties-dropped": (true, true, false),
            "integer-to-number": (true, true, false), "format-removed-pattern-kept": (true, false, false),
            "version-const-bumped": (false, false, false), "format-removed-calendar-kept": (true, false, false),
        ]
        for (name, (material, widening, narrowing)) in table {
            let (old, new) = try load(name)
            let r = SchemaDiff.diff(old: old, new: new, today: Self.today)
            #expect(r.isMaterial == material, "\(name) material")
            #expect(r.findings.contains { $0.direction == .widening } == widening, "\(name) widening")
            #expect(r.findings.contains { $0.direction == .narrowing } == narrowing, "\(name) narrowing")
        }
    }
}
