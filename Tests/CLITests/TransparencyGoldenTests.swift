import Foundation
import Testing

/// Runs every case of golden/transparency/cases: hostile proofs, notes, checkpoints and logs, each with the
/// message it must give (golden/transparency/README.md). Same layout and runner as golden/verify.
@Suite("golden cases: release prove, proof verify, log")
struct TransparencyGoldenTests {
    static let casesDir = VerifyGoldenTests.root.appendingPathComponent("golden/transparency/cases")

    static func caseNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: casesDir.path)) ?? []).sorted()
    }

    @Test("there are golden cases to run")
    func casesExist() { #expect(Self.caseNames().count >= 20) }

    @Test("golden case", arguments: caseNames())
    func goldenCase(_ name: String) throws { try VerifyGoldenTests.run(case: Self.casesDir.appendingPathComponent(name)) }
}
