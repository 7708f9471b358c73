import Foundation
import Testing
import Core
import Intake
import Schema
@testable import Anon
@testable import Verify

@Suite("ReleaseDocument, decoded strictly") struct ReleaseDocumentStrictTests {
    static let golden = ReleaseGoldenTests.dir + "row-leak/release.json"

    @Test("a release re-encodes to its own bytes, and suppressed cells carry no values and no reason")
    func roundTrip() throws {
        let (doc, bytes) = try ReleaseGoldenTests.load(Self.golden)
        #expect(try doc.canonicalBytes() == bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("{\"model\":\"claude-sonnet-4-6\",\"suppressed\":true,\"tool\":\"claude-code\"}"))
        #expect(!text.contains("reason"))
    }

    @Test("unknown fields, values next to suppressed, missing margins and foreign attacker bounds are refused")
    func strict() throws {
        let bytes = try Files.read(Self.golden)
        let text = String(decoding: bytes, as: UTF8.self)
        func refused(_ s: String) -> Bool {
            (try? ReleaseDocument.decode(Array(s.utf8)).document.get()) == nil
        }
        #expect(!refused(text))
        #expect(refused(text.replacingFirst("\"format\"", with: "\"extra\":1,\"format\"")))
        #expect(refused(text.replacingFirst("\"suppressed\":true", with: "\"suppressed\":true,\"members\":3")))
        #expect(refused(text.replacingFirst("\"suppressed\":true", with: "\"suppressed\":false")))
        #expect(refused(text.replacingFirst("\"upper_bounds\":null", with: "\"upper_bounds\":1")))
        #expect(refused(text.replacingFirst("\"k\":5", with: "\"k\":3")))
        #expect(refused(text.replacingFirst("\"id\":\"2026-W24\"", with: "\"id\":\"2026-W25\"")))
        // The last tool name is in the tool margins: renaming it leaves cursor without its margin.
        if let r = text.range(of: "\"tool\":\"cursor\"}", options: .backwards) {
            #expect(refused(text.replacingCharacters(in: r, with: "\"tool\":\"zed\"}")))
        }
    }

    /// The document's error message, or nil when the decoder accepts it.
    static func refusal(_ text: String) -> String? {
        if case .failure(let e) = ReleaseDocument.decode(Array(text.utf8)).document { return e.description }
        return nil
    }

    @Test("the MUSTs of release-format.md §2–§4 are enforced, each with its own message at its pointer")
    func musts() throws {
        let text = String(decoding: try Files.read(Self.golden), as: UTF8.self)
        #expect(Self.refusal(text) == nil)
        let root = try #require(text.range(of: #"sha256:[0-9a-f]{64}"#, options: .regularExpression, range: text.range(of: "merkle_root")!.upperBound..<text.endIndex))
        #expect(Self.refusal(text.replacingCharacters(in: root, with: text[root].uppercased().replacingOccurrences(of: "SHA256:", with: "sha256:")))
                == "/inputs/merkle_root: expected sha256: and 64 lower-case hex digits")
        #expect(Self.refusal(text.replacingFirst("\"schema_versions\":[0]", with: "\"schema_versions\":[1,0]"))
                == "/schema_versions/1: schema versions must be ascending and distinct (0 follows 1)")
        #expect(Self.refusal(text.replacingFirst("\"frequency_percent\":30", with: "\"frequency_percent\":0"))
                == "/policy: policy refused: protection level 0 % is outside 1…99")
        let payloads = try #require(text.range(of: #""payloads":[0-9]+"#, options: .regularExpression))
        #expect(Self.refusal(text.replacingCharacters(in: payloads, with: "\"payloads\":1"))?.hasPrefix("/inputs/payloads: 1 payloads, but the published total has") == true)
        #expect(Self.refusal(text.replacingFirst("\"sequence\":1", with: "\"sequence\":2"))
                == "/previous: release 2 must name the previous release (found null)")
    }

    @Test("bytes that are not canonical have no header (their hash names nothing stable) but still a document for the audit")
    func nonCanonicalStillDecoded() throws {
        let bytes = try Files.read(Self.golden) + Array("\r\n".utf8)
        let decoded = ReleaseDocument.decode(bytes)
        guard case .failure(.notCanonical) = decoded.header else { Issue.record("header read from non-canonical bytes"); return }
        #expect((try? decoded.document.get()) != nil)
    }
}

extension String {
    func replacingFirst(_ a: String, with b: String) -> String {
        guard let r = range(of: a) else { return self }
        return replacingCharacters(in: r, with: b)
    }
}
