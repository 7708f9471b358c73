import Foundation
import Testing

/// The release test vectors (docs/test-vectors.md) replayed by their tool-independent runner against the
/// built tool: every vector's class and finding codes must come out as recorded.
@Suite("release test vectors, run by golden/vectors/run.py")
struct VectorTests {
    static let dir = VerifyGoldenTests.root.appendingPathComponent("golden/vectors")

    static func vectors() throws -> [[String: Any]] {
        let cases = dir.appendingPathComponent("cases")
        return try FileManager.default.contentsOfDirectory(atPath: cases.path).sorted().map { name in
            let data = try Data(contentsOf: cases.appendingPathComponent(name).appendingPathComponent("vector.json"))
            return try JSONSerialization.jsonObject(with: data) as! [String: Any]
        }
    }

    @Test("every class has vectors, and both commands")
    func coverage() throws {
        let all = try Self.vectors()
        let classes = Set(all.compactMap { $0["expect"] as? String })
        #expect(classes == ["ok", "signature", "canonical", "chain", "disclosure", "unreadable"])
        #expect(Set(all.compactMap { $0["command"] as? String }) == ["verify", "audit"])
        #expect(all.count >= 71)
    }

    @Test("run.py finds every vector's class and codes in the tool's exit status and JSON")
    func runnerPasses() throws {
        let r = try CLIRunner.runTool("python3", [Self.dir.appendingPathComponent("run.py").path, "--tool", try CLIRunner.product("backpay-verify").path])
        let text = r.stdoutText
        #expect(r.status == 0, "\(text.split(separator: "\n").filter { $0.hasPrefix("FAIL") }.joined(separator: "\n")) \(r.stderrText)")
        #expect(text.contains(" vectors, 0 failed"))
    }
}
