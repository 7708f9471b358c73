import Foundation
import Testing
@testable import Verify

/// Inputs found by Fuzz/run.sh fuzz-signature, each checked against the law it broke. The inputs are also
/// in Fuzz/seeds/fuzz-signature/ so that the fuzzer starts from them.
@Suite("fuzz-signature regressions")
struct FuzzSignatureRegressionTests {
    /// fuzz-signature crash-c9d6e490…: a `.minisig` (one byte of a golden file changed) whose untrusted
    /// comment holds the byte 0xAC, which is not UTF-8. The comment was stored decoded, so the file was
    /// written back with U+FFFD in its place.
    static let untrustedCommentNotUTF8 = Array(Data(base64Encoded:
        "dW50cnVzdGVkIGNvbW1lbnQ6IFUxTqxVMGxIc2lnbmF0dXJlIGZyb20gbWluaXNpZ24gc2VjcmV0IGtleQpSVVNKRjRBSUpDZ3IvRW1zZ3lXRmVVRlorc0lEVWg3MHdRTm9kYjNnNklWbHlXaW10ak02L1A1Q0diOTZEdlowOTdCUVIwdTlhckF6L29xUG1jQ3R0bGlCSGk1ZlphenNsUTQ9CnRydXN0ZWQgY29tbWVudDogdGltZXN0YW1wOjE3OTU0ODA3NTAJZmlsZTpyZWxlYXNlLmpVbnNhaGFzaGVkCjVhSTBmMWl2ZUpqYUJUWVBPcTZIdkJvd0VaSy9YTFhWSjRrYzJFaXhpTUpOYjVOS1V3VWxXek1kaHl3TVNHZTVkYk9qU2RmV0xrR29uWm1QWGNsRkR3PT0K"
    )!)

    @Test("a signature whose untrusted comment is not UTF-8 re-serialises to its own bytes")
    func untrustedCommentBytesKept() throws {
        let bytes = Self.untrustedCommentNotUTF8
        #expect(bytes.contains(0xAC))
        let sig = try MinisignSignature.parse(bytes)
        #expect(sig.fileBytes == bytes)
        #expect(Array(sig.untrustedCommentBytes) == Array(bytes[19..<bytes.firstIndex(of: 0x0A)!]))
        #expect(try MinisignSignature.parse(sig.fileBytes) == sig)
    }

    @Test("a longest untrusted comment of non-UTF-8 bytes still reads back after being written")
    func longNonUTF8UntrustedComment() throws {
        let key = T.key(seed: 3)
        let good = try MinisignSignature.sign([1, 2, 3], with: key, trustedComment: "t")
        var lines = good.fileBytes.split(separator: 0x0A).map(Array.init)
        lines[0] = Array("untrusted comment: ".utf8) + [UInt8](repeating: 0xFF, count: MinisignSignature.maxUntrustedComment)
        let bytes = Array(lines.joined(separator: [0x0A])) + [0x0A]
        let sig = try MinisignSignature.parse(bytes)
        // Decoded, each 0xFF became a 3-byte U+FFFD: 3009 bytes, over the limit the parser enforces.
        #expect(sig.fileBytes == bytes)
        #expect(try MinisignSignature.parse(sig.fileBytes) == sig)
        #expect(sig.verify([1, 2, 3], publicKey: key.publicKey) == .valid)
    }
}
