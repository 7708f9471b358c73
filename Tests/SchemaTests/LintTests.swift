import Core
import Foundation
import Testing
@testable import Schema

@Suite("schema lint")
struct LintTests {
    static let twentyWays = (1...20).map { String(format: "%02d", $0) }

    @Test("each of the 20 ways a schema is silently open (docs/schema-rules.md) has a golden case")
    func twentyWaysHaveCases() {
        let names = GateTestSupport.subdirectories("lint").map(\.lastPathComponent)
        for n in Self.twentyWays { #expect(names.contains { $0.hasPrefix(n + "-") }, "no lint case \(n)-…") }
    }

    @Test("lint in-process agrees with the golden JSON (findings, ids, pointers, capacity)",
          arguments: GateTestSupport.subdirectories("lint").map(\.lastPathComponent))
    func inProcess(_ name: String) throws {
        let dir = GateTestSupport.golden.appendingPathComponent("lint/\(name)")
        let doc = try GateTestSupport.document(dir.appendingPathComponent("schema.json"))
        let report = SchemaLint.lint(doc).report(schema: "schema.json")
        #expect(report.render(.json) == GateTestSupport.read(dir.appendingPathComponent("expected.json")))
        #expect(report.render(.text) == GateTestSupport.read(dir.appendingPathComponent("expected.text")))
    }

    @Test("open constructs of the 20 are errors; 16 and 17 lint clean because the toolkit's reading closes them")
    func verdicts() throws {
        for dir in GateTestSupport.subdirectories("lint") {
            let name = dir.lastPathComponent
            let result = SchemaLint.lint(try GateTestSupport.document(dir.appendingPathComponent("schema.json")))
            if name.hasPrefix("00-") || name.hasPrefix("16-") || name.hasPrefix("17-") || name == "project-payload-v0" {
                #expect(result.isClosed, "\(name) should lint clean: \(result.findings.map(\.message))")
            } else {
                #expect(!result.isClosed, "\(name) should not lint clean")
            }
        }
    }

    @Test("instances that lax validators accept are rejected by the toolkit's reading (cases 16, 17, 18)")
    func laxInstancesRejected() throws {
        for dir in GateTestSupport.subdirectories("lint") {
            let instanceURL = dir.appendingPathComponent("instance.json")
            guard FileManager.default.fileExists(atPath: instanceURL.path) else { continue }
            let schema = try GateTestSupport.document(dir.appendingPathComponent("schema.json"))
            let instance = try StrictJSON.parse(try GateTestSupport.bytes(instanceURL))
            let check = InstanceCheck(schema: schema.value, today: CalendarDay(year: 2026, month: 6, day: 12)!)
            #expect(!check.accepts(instance), "\(dir.lastPathComponent): toolkit reading accepted the instance")
            let validator = try PayloadValidator(schema: schema.value, today: CalendarDay(year: 2026, month: 6, day: 12)!)
            #expect(!validator.check(try GateTestSupport.bytes(instanceURL)).isValid, "\(dir.lastPathComponent): PayloadValidator accepted the instance")
        }
    }

    @Test("python-jsonschema accepts those instances: the cases are open elsewhere, which is why they are golden")
    func pythonAcceptsLaxInstances() throws {
        let script = """
        import json, sys, jsonschema
        case = json.load(open(sys.argv[1]))
        bad = [n for n, (s, i) in case.items() if list(jsonschema.Draft202012Validator(s).iter_errors(i))]
        print("rejected:" + ",".join(bad))
        """
        var cases: [String: [String]] = [:]
        var input = "{"
        for dir in GateTestSupport.subdirectories("lint") {
            let instanceURL = dir.appendingPathComponent("instance.json")
            guard let instance = GateTestSupport.read(instanceURL), let schema = GateTestSupport.read(dir.appendingPathComponent("schema.json")) else { continue }
            if input.count > 1 { input += "," }
            input += "\"\(dir.lastPathComponent)\": [\(schema), \(instance)]"
            cases[dir.lastPathComponent] = []
        }
        input += "}"
        #expect(cases.count == 3)
        let run = try GateTestSupport.python(script, input: input)
        #expect(run.status == 0, "python3 with jsonschema is required: \(run.stderr)")
        #expect(run.stdout == "rejected:\n")
    }

    @Test("the project's schema is closed and its capacity is the sum of its fields' bits")
    func projectCapacity() throws {
        let doc = try GateTestSupport.document(GateTestSupport.packageRoot.appendingPathComponent("schemas/payload-v0.schema.json"))
        let result = SchemaLint.lint(doc)
        #expect(result.isClosed)
        // Independent arithmetic: uuid pattern 122 free hex bits; date pattern 100 years × 12 × 31 strings;
        // per entry: 16 tools, 30 models, four counters 0…1e11, cost 0…100000 in cents, sessions 1…10000.
        let entry = log2(16.0) + log2(30.0) + 4 * log2(1e11 + 1) + log2(1e7 + 1) + log2(10000.0)
        let expected = log2(pow(16.0, 30) * 4) + log2(37200.0) + log2(64.0) + 64 * entry
        let bits = try #require(result.capacityBits)
        #expect(abs(bits - expected) < 0.01, "capacity \(bits) vs \(expected)")
    }

    @Test("misspelt keywords get a did-you-mean hint")
    func suggestions() {
        let doc = SchemaDocument(name: "s", value: try! StrictJSON.parse(Array(#"{"type":"object","additionalProperties":false,"propertie":{}}"#.utf8)))
        let f = SchemaLint.lint(doc).findings.first { $0.rule == .unknownKeyword }
        #expect(f?.message.contains(#"did you mean "properties"?"#) == true)
    }

    @Test("patterns: anchoring, ASCII-ness and unsupported syntax are decided conservatively")
    func patterns() {
        func problem(_ p: String) -> PatternProblem? { do { _ = try ClosedPattern(p); return nil } catch { return error } }
        #expect(problem("^[0-9]{4}$") == nil)
        #expect(problem("^a|b$").map { if case .notAnchored = $0 { true } else { false } } == true)
        #expect(problem("^(a|b)$") == nil)
        #expect(problem("[0-9]$").map { if case .notAnchored = $0 { true } else { false } } == true)
        #expect(problem("^[0-9]\\$").map { if case .notAnchored = $0 { true } else { false } } == true)
        #expect(problem("^\\w{2}$").map { if case .unsupported = $0 { true } else { false } } == true)
        #expect(problem("^[^a]$").map { if case .notASCII = $0 { true } else { false } } == true)
        #expect(problem("^é$").map { if case .notASCII = $0 { true } else { false } } == true)
        #expect(problem("^a.b$").map { if case .notASCII = $0 { true } else { false } } == true)
        #expect(problem("^(?!a)b$").map { if case .unsupported = $0 { true } else { false } } == true)
        #expect(problem("^\\d{2}$").map { if case .notASCII = $0 { true } else { false } } == true)
        #expect(problem("^a$|^b$") == nil)
        #expect(problem("^(a$") != nil)
    }

    @Test("the date pattern matches exactly what ECMA-262 would, and every sample it yields matches it")
    func patternSemantics() throws {
        let p = try ClosedPattern("^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
        #expect(p.matches("2026-06-12"))
        #expect(p.matches("2026-02-31"))   // the calendar rule, not the pattern, refuses it
        #expect(!p.matches("2026-06-12\n"))
        #expect(!p.matches("2026-13-01"))
        #expect(!p.matches("12026-06-12"))
        #expect(abs((p.capacityBits ?? 0) - log2(37200.0)) < 1e-9)
        let samples = p.samples(limit: 200)
        #expect(samples.count == 200 && Set(samples).count == 200)
        #expect(samples.allSatisfy(p.matches))
        let unbounded = try ClosedPattern("^[a-z]{2,}$")
        #expect(unbounded.capacityBits == nil)
    }
}

@Suite("schema lint agrees with the schema compiler")
struct LintCompilerAgreementTests {
    @Test("lint allows exactly the keywords the payload validator's compiler understands")
    func sameKeywords() {
        #expect(SchemaLint.allowed == SchemaCompiler.knownKeywords)
        #expect(Set(SchemaLint.forbidden.keys).isSuperset(of: Set(SchemaCompiler.refusedKeywords.keys)))
    }

    @Test("every schema lint calls closed compiles into a payload validator", arguments: GateTestSupport.subdirectories("lint").map(\.lastPathComponent))
    func closedCompiles(_ name: String) throws {
        let doc = try GateTestSupport.document(GateTestSupport.golden.appendingPathComponent("lint/\(name)/schema.json"))
        guard SchemaLint.lint(doc).isClosed else { return }
        #expect(throws: Never.self) { _ = try SchemaCompiler.compile(doc.value) }
    }
}
