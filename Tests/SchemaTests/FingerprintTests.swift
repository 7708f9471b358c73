import Core
import Foundation
import Testing
@testable import Schema

@Suite("schema fingerprint")
struct FingerprintTests {
    static let v0URL = GateTestSupport.packageRoot.appendingPathComponent("schemas/payload-v0.schema.json")

    func fp(_ text: String) throws -> String { try SchemaFingerprint.fingerprint(try StrictJSON.parse(Array(text.utf8))) }

    @Test("annotations, key order, set-like array order and the version const do not change it")
    func invariance() throws {
        let a = try fp(#"{"type":"object","required":["a","b"],"properties":{"a":{"type":"string","enum":["x","y"]},"schema_version":{"type":"integer","const":0}}}"#)
        #expect(a == (try fp(#"{"properties":{"schema_version":{"const":0,"type":"integer"},"a":{"enum":["x","y"],"type":"string","description":"d"}},"required":["b","a"],"type":"object","title":"t","$comment":"c"}"#)))
        #expect(a == (try fp(#"{"type":"object","required":["a","b"],"properties":{"a":{"type":"string","enum":["y","x"]},"schema_version":{"type":"integer","const":7}}}"#)))
        // A property named like an annotation is data, not an annotation.
        #expect(try fp(#"{"properties":{"title":{"type":"string"}}}"#) != (try fp(#"{"properties":{}}"#)))
    }

    @Test("material edits change it")
    func sensitivity() throws {
        let a = try fp(#"{"type":"object","properties":{"a":{"type":"string","enum":["x","y"]}}}"#)
        #expect(a != (try fp(#"{"type":"object","properties":{"a":{"type":"string","enum":["x","y","z"]}}}"#)))
        #expect(a != (try fp(#"{"type":"object","properties":{"a":{"type":"string","enum":["x","y"],"x-backpay-max-decimals":2}}}"#)))
    }

    @Test("the project's locked fingerprint is the fingerprint of its v0 file, and of the built-in copy")
    func lockMatches() throws {
        let lockBytes = try GateTestSupport.bytes(GateTestSupport.packageRoot.appendingPathComponent("schemas/schemas.lock.json"))
        let (lock, _) = try SchemaLock.parse(lockBytes)
        let v0 = try GateTestSupport.bytes(Self.v0URL)
        #expect(lock.entries.map(\.version) == [0])
        #expect(lock.entries[0].fingerprint == (try SchemaFingerprint.fingerprint(try StrictJSON.parse(v0))))
        #expect(ReleasedSchemas.payloadV0 == v0, "the built-in schema differs from schemas/payload-v0.schema.json")
        #expect(ReleasedSchemas.all.map(\.path) == lock.entries.map(\.path))
    }

    @Test("the fingerprint is SHA-256 of the JCS bytes of the material form (checked with Python's hashlib)")
    func independentHash() throws {
        let v0 = try StrictJSON.parse(try GateTestSupport.bytes(Self.v0URL))
        let material = try CanonicalJSON.string(SchemaFingerprint.materialForm(v0))
        let run = try GateTestSupport.python("import hashlib,sys; print('sha256:' + hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())", input: material)
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == (try SchemaFingerprint.fingerprint(v0)))
    }

    @Test("lock files are read strictly and written back byte-identically")
    func lockRoundTrip() throws {
        let bytes = try GateTestSupport.bytes(GateTestSupport.packageRoot.appendingPathComponent("schemas/schemas.lock.json"))
        let (lock, _) = try SchemaLock.parse(bytes)
        #expect(lock.serialized() == bytes)
        for bad in [#"{"versions":[{"version":0,"path":"../x.json","fingerprint":"sha256:\#(String(repeating: "a", count: 64))"}]}"#,
                    #"{"versions":[],"extra":1}"#, #"{"versions":[{"version":-1,"path":"a","fingerprint":"x"}]}"#, "[]"] {
            #expect(throws: GateFailure.self) { try SchemaLock.parse(Array(bad.utf8)) }
        }
    }
}
