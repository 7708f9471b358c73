import Core
import Testing
@testable import Schema

/// Inputs that fuzz targets (Fuzz/) once failed on, kept so the fixes stay fixed.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// The law fuzz-json checks: canonical output parses back to the same value (numbers as binary64)
    /// and is a fixed point of canonicalisation.
    private func roundTrip(_ text: String) throws {
        let value = try StrictJSON.parse(Array(text.utf8))
        let canonical = try CanonicalJSON.serialize(value)
        let again = try StrictJSON.parse(canonical)
        #expect(try CanonicalJSON.serialize(again) == canonical, "\(text)")
        if case .number(let a) = value, case .number(let b) = again { #expect(a.doubleValue == b.doubleValue) }
    }

    @Test("a fraction above 2^53 canonicalises to an integer that canonicalises again (fuzz-json crash)")
    func largeFractionRoundTrip() throws {
        try roundTrip("9007199275440991.1")
        #expect(try CanonicalJSON.string(StrictJSON.parse(Array("9007199275440991.1".utf8))) == "9007199275440992")
        try roundTrip("1e20")
        try roundTrip("[-1.5e20, 123456789012345678901.5]")
    }

    @Test("integers beyond 2^53 that would change value have no canonical form, and the reader refuses them too")
    func largeIntegersStillRejected() throws {
        for text in ["9007199254740993", "-9007199254740993", "123456789012345678901"] {
            #expect(throws: JSONReadError.self, "\(text)") { try StrictJSON.parse(Array(text.utf8)) }
            #expect(throws: CanonicalJSON.Failure.self, "\(text)") { try CanonicalJSON.serialize(.number(JSONNumber(lexeme: text))) }
        }
        do { _ = try StrictJSON.parse(Array("[9007199254740993]".utf8)) } catch {
            #expect(error.description == "1:2: /0: integer 9007199254740993 is beyond ±(2^53-1) and binary64 cannot hold it exactly: I-JSON readers would change its value")
        }
        #expect(try CanonicalJSON.string(StrictJSON.parse(Array("9007199254740991".utf8))) == String(JSONNumber.maxExactInteger))
        // ECMAScript's own spellings are kept: they read and write back unchanged.
        #expect(try CanonicalJSON.string(StrictJSON.parse(Array("100000000000000000000".utf8))) == "100000000000000000000")
        #expect(try CanonicalJSON.string(StrictJSON.parse(Array("9007199254740992".utf8))) == "9007199254740992")
    }
}
