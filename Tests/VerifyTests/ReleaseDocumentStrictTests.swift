import Foundation
import Testing
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
}

extension String {
    func replacingFirst(_ a: String, with b: String) -> String {
        guard let r = range(of: a) else { return self }
        return replacingCharacters(in: r, with: b)
    }
}
