import Core
import Testing
import Anon
import Schema
@testable import Verify

@Suite("release documents and trusted-comment claims")
struct ReleaseDocumentTests {
    @Test("a canonical release is read, with or without one final newline")
    func canonical() throws {
        let h = try ReleaseHeader.read(T.release("2026-W24", sequence: 1, previous: nil))
        #expect(h.id.description == "2026-W24" && h.sequence == 1 && h.previous == nil)
        let withNewline = T.release("2026-W24", sequence: 1, previous: nil, newline: true)
        #expect(try ReleaseHeader.read(withNewline).digest == SHA256.hash(withNewline))
    }

    @Test("non-canonical bytes are refused with the position of the first difference", arguments: [
        ("{\"format\":\"backpay-release/1\", \"id\":\"2026-W24\",\"previous\":null,\"sequence\":1}", "1:31: release is not in canonical form (RFC 8785 bytes, optionally one final newline); first difference here"),
        ("{\"id\":\"2026-W24\",\"format\":\"backpay-release/1\",\"previous\":null,\"sequence\":1}", "1:3: release is not in canonical form (RFC 8785 bytes, optionally one final newline); first difference here"),
        ("{\"format\":\"backpay-release/1\",\"id\":\"2026-W24\",\"previous\":null,\"sequence\":1}\r\n", "1:76: release is not in canonical form (RFC 8785 bytes, optionally one final newline); first difference here"),
        ("{\"format\":\"backpay-release/1\",\"id\":\"2026-W24\",\"previous\":null,\"sequence\":1}\n\n", "2:1: release is not in canonical form (RFC 8785 bytes, optionally one final newline); first difference here"),
    ])
    func nonCanonical(_ text: String, _ message: String) {
        do { _ = try ReleaseHeader.read(Array(text.utf8)); Issue.record("accepted") } catch { #expect(error.description == message) }
    }

    @Test("malformed headers are refused field by field", arguments: [
        ("{\"format\":\"backpay-release/3\",\"id\":\"2026-W24\",\"previous\":null,\"sequence\":1}", "/format: expected \"backpay-release/1\" or \"backpay-release/2\", found \"backpay-release/3\""),
        ("{\"format\":\"backpay-release/1\",\"id\":\"2026-W54\",\"previous\":null,\"sequence\":1}", "/id: \"2026-W54\" is not an ISO week like \"2026-W24\""),
        ("{\"format\":\"backpay-release/1\",\"id\":\"2026-W24\",\"previous\":null,\"sequence\":0}", "/sequence: 0 is not a sequence number (an integer from 1 to 2^53-1)"),
        ("{\"format\":\"backpay-release/1\",\"id\":\"2026-W24\",\"previous\":null,\"sequence\":9007199254740992}", "/sequence: 9007199254740992 is not a sequence number (an integer from 1 to 2^53-1)"),
        ("{\"format\":\"backpay-release/1\",\"id\":\"2026-W24\",\"previous\":null,\"sequence\":2}", "/previous: release 2 must name the previous release (found null)"),
        ("{\"format\":\"backpay-release/1\",\"id\":\"2026-W24\",\"previous\":\"sha256:AB\",\"sequence\":2}", "/previous: \"sha256:AB\" is not \"sha256:\" followed by 64 lower-case hex digits"),
        ("{\"format\":\"backpay-release/1\",\"id\":\"2026-W24\",\"sequence\":1}", "/previous: required field is missing"),
        ("[1]", "(root): a release is a JSON object, found array"),
    ])
    func malformed(_ text: String, _ message: String) {
        do { _ = try ReleaseHeader.read(Array(text.utf8)); Issue.record("accepted") } catch { #expect(error.description == message) }
    }

    @Test("sequence numbers go up to 2^53-1 here as in the audit and the trusted comment: one limit")
    func sequenceLimit() throws {
        let previous = [UInt8](repeating: 7, count: 32)
        for seq in [1 << 31, Int(JSONNumber.maxExactInteger)] {
            #expect(try ReleaseHeader.read(T.release("2026-W24", sequence: seq, previous: previous)).sequence == seq)
            let claims = "backpay-release 2026-W24 sequence:\(seq) sha256:\(Hex.encode(previous)) timestamp:0"
            #expect(ReleaseClaims.parse(claims)?.sequence == seq)
        }
        #expect(ReleaseHeader.sequenceRange.upperBound == maxExactValue)
        #expect(ReleaseClaims.parse("backpay-release 2026-W24 sequence:9007199254740992 sha256:\(Hex.encode(previous)) timestamp:0") == nil)
    }

    @Test("trusted comment claims round-trip and are compared with the document")
    func claims() throws {
        let bytes = T.release("2026-W24", sequence: 3, previous: [UInt8](repeating: 1, count: 32))
        let h = try ReleaseHeader.read(bytes)
        let c = ReleaseClaims(header: h, timestamp: 1_781_000_000)
        #expect(c.description == "backpay-release 2026-W24 sequence:3 \(h.digestText) timestamp:1781000000")
        #expect(ReleaseClaims.parse(c.description) == c)
        #expect(c.mismatches(with: h).isEmpty)
        let other = try ReleaseHeader.read(T.release("2026-W25", sequence: 4, previous: [UInt8](repeating: 1, count: 32)))
        #expect(c.mismatches(with: other).count == 3)
        #expect(ReleaseClaims.parse("timestamp:1781000000\tfile:release.json\thashed") == nil)
        #expect(ReleaseClaims.parse(c.description.replacingOccurrences(of: "sequence:3", with: "sequence:03")) == nil)
    }
}
