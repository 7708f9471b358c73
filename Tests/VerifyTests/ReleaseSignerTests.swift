import Foundation
import Testing
import Schema
@testable import Verify

@Suite("release sign refuses what its own audit rejects")
struct ReleaseSignerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("a release with an exactly derivable suppressed cell is refused with the audit's findings, before any key is used")
    func auditFindingsRefused() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.root.appendingPathComponent("golden/release/row-leak/unsafe.json")))
        do {
            _ = try ReleaseSigner.vet(("unsafe.json", bytes))
            Issue.record("a release its audit rejects was vetted for signing")
        } catch {
            guard case .auditFindings(let file, let findings) = error else { Issue.record("refused for another reason: \(error)"); return }
            #expect(file == "unsafe.json" && !findings.isEmpty && findings.allSatisfy { $0.code == "exact" })
        }
    }

    @Test("the release build made from the same rows passes and is signed")
    func safeReleaseSigned() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.root.appendingPathComponent("golden/release/row-leak/release.json")))
        let vetted = try ReleaseSigner.vet(("release.json", bytes))
        let out = try ReleaseSigner.sign(release: vetted, key: T.key(seed: 3), chain: nil, timestamp: 0, ssh: false)
        #expect(out.minisig.verify(bytes, publicKey: T.key(seed: 3).publicKey) == .valid)
    }

    @Test("a canonical header without a release body is not signed")
    func headerOnlyRefused() {
        #expect(throws: SignRefusal.self) { try ReleaseSigner.vet(("h.json", T.release("2026-W24", sequence: 1, previous: nil))) }
    }
}
