import Core
import Foundation
import Testing
import TestSupport
@testable import Schema

/// Laws of lint, fingerprint and diff, over many deterministic mutations of the project's schema.
@Suite("schema diff laws")
struct DiffPropertyTests {
    static let today = CalendarDay(year: 2026, month: 6, day: 12)!
    static let v0 = try! StrictJSON.parse(ReleasedSchemas.payloadV0)

    /// Every pointer to a value in `v`.
    static func pointers(_ v: JSONValue, _ at: JSONPointer = .root) -> [JSONPointer] {
        var out = [at]
        switch v {
        case .object(let o): for m in o { out += pointers(m.value, at.appending(m.key)) }
        case .array(let a): for (i, x) in a.enumerated() { out += pointers(x, at.appending(i)) }
        default: break
        }
        return out
    }

    /// One random edit: replace a value, delete a member, or add a member, anywhere in the schema.
    static func mutate(_ v: JSONValue, _ rng: inout SplitMix64) -> JSONValue {
        let ps = pointers(v).filter { !$0.tokens.isEmpty }
        let p = ps[Int(rng.next() % UInt64(ps.count))]
        let replacements: [JSONValue] = [.bool(true), .bool(false), .null, .number(JSONNumber(0)), .number(JSONNumber(lexeme: "1.5")),
                                         .number(JSONNumber(100_000_000_000_000)), .string("x"), .string("^[a-z]+$"), .array([]),
                                         .object(JSONObject()), .string("#/$defs/entry"), .string("integer")]
        switch rng.next() % 3 {
        case 0: return v.replacing(at: p, with: replacements[Int(rng.next() % UInt64(replacements.count))]) ?? v
        case 1: return v.replacing(at: p, with: nil) ?? v
        default:
            guard case .object? = v.value(at: p.parent) else { return v }
            let keys = ["type", "enum", "anyOf", "additionalProperties", "maximum", "pattern", "items", "$ref", "x-backpay-unique-by", "format"]
            return v.replacing(at: p.parent.appending(keys[Int(rng.next() % UInt64(keys.count))]), with: replacements[Int(rng.next() % UInt64(replacements.count))]) ?? v
        }
    }

    @Test("for 300 random edits: lint, capacity and diff terminate; a schema diffed with itself has no findings; fingerprints are deterministic")
    func laws() throws {
        var rng = SplitMix64(state: 20261124)
        var materialEdits = 0
        for i in 0..<300 {
            var s = Self.v0
            for _ in 0...(rng.next() % 3) { s = Self.mutate(s, &rng) }
            let doc = SchemaDocument(name: "m\(i)", value: s)
            _ = SchemaLint.lint(doc)
            let same = SchemaDiff.diff(old: doc, new: doc, today: Self.today)
            #expect(same.findings.isEmpty, "seed step \(i): a schema differs from itself")
            #expect(!same.isMaterial)
            let d = SchemaDiff.diff(old: SchemaDocument(name: "v0", value: Self.v0), new: doc, today: Self.today)
            let fp = try? SchemaFingerprint.fingerprint(s)
            #expect(fp == (try? SchemaFingerprint.fingerprint(s)))
            if d.isMaterial { materialEdits += 1 }
            // A material change is never silent: the diff names at least one non-cosmetic finding.
            if d.isMaterial && fp != nil { #expect(!d.findings.isEmpty, "step \(i): material change without a finding: \((try? CanonicalJSON.string(s)) ?? "")") }
            // Every counterexample shown is checked: new accepts, old rejects.
            for f in d.widening {
                guard let cx = f.counterexample else { continue }
                #expect(InstanceCheck(schema: CounterexampleBuilder.withoutVersionConst(s), today: Self.today).accepts(cx))
                #expect(!InstanceCheck(schema: CounterexampleBuilder.withoutVersionConst(Self.v0), today: Self.today).accepts(cx))
            }
        }
        #expect(materialEdits > 100)
    }

    @Test("shuffling object keys and set-like arrays never changes the fingerprint or produces a non-cosmetic finding")
    func shuffleInvariance() throws {
        var rng = SplitMix64(state: 7)
        func shuffle(_ v: JSONValue, key: String? = nil) -> JSONValue {
            switch v {
            case .object(let o): return .object(JSONObject(o.members.map { ($0.key, shuffle($0.value, key: $0.key)) }.shuffled(using: &rng)))
            case .array(let a) where ["enum", "required", "type", "x-backpay-unique-by"].contains(key ?? ""): return .array(a.shuffled(using: &rng))
            case .array(let a): return .array(a.map { shuffle($0) })
            default: return v
            }
        }
        let fp = try SchemaFingerprint.fingerprint(Self.v0)
        for _ in 0..<50 {
            let s = shuffle(Self.v0)
            #expect(try SchemaFingerprint.fingerprint(s) == fp)
            let d = SchemaDiff.diff(old: SchemaDocument(name: "a", value: Self.v0), new: SchemaDocument(name: "b", value: s), today: Self.today)
            #expect(d.findings.allSatisfy { $0.direction == .cosmetic })
        }
    }
}
