import Foundation
import Testing

/// The committed example release verifies with stock tools alone and with ours (docs/buyers.md).
@Suite("the example release a buyer can check")
struct ExampleReleaseTests {
    let dir = CLIRunner.packageRoot.appendingPathComponent("examples/release")

    func tool(_ path: String) throws -> URL {
        for d in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: d + "/" + path) {
            return URL(fileURLWithPath: d + "/" + path)
        }
        throw CLIRunner.Failure(description: "\(path) is not installed: run scripts/install-deps.sh")
    }

    @Test("minisign -V accepts it with the published key")
    func minisign() throws {
        let r = try CLIRunner.run(try tool("minisign"), ["-Vm", dir.appendingPathComponent("2026-W24.json").path,
                                                          "-p", dir.appendingPathComponent("union.pub").path])
        #expect(r.status == 0)
        #expect(r.stdoutText.hasPrefix("Signature and comment signature verified\nTrusted comment: backpay-release 2026-W24 sequence:1 sha256:"))
    }

    @Test("ssh-keygen -Y verify accepts its SSH signature for backpay-union")
    func sshKeygen() throws {
        let release = try Data(contentsOf: dir.appendingPathComponent("2026-W24.json"))
        let r = try CLIRunner.run(try tool("ssh-keygen"), ["-Y", "verify", "-f", dir.appendingPathComponent("allowed_signers").path,
                                                            "-I", "backpay-union", "-n", "backpay-release",
                                                            "-s", dir.appendingPathComponent("2026-W24.json.sig").path], stdin: Array(release))
        #expect(r.status == 0)
    }

    @Test("release verify passes every check, the audit re-derived from the example rows")
    func ours() throws {
        let r = try CLIRunner.run(try CLIRunner.product("backpay-verify"), [
            "release", "verify", dir.appendingPathComponent("2026-W24.json").path,
            "--pubkey", dir.appendingPathComponent("union.pub").path,
            "--rows", CLIRunner.packageRoot.appendingPathComponent("examples/rows/2026-W24.jsonl").path, "--today", "2026-06-15"])
        #expect(r.status == 0)
        #expect(r.stdoutText.contains("audit: ok: no disclosure findings re-derived from the rows"))
    }

    @Test("the example release is what release build makes from the example rows, byte for byte")
    func reproducible() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("example-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLIRunner.run(try CLIRunner.product("backpay-verify"), [
            "release", "build", "--rows", CLIRunner.packageRoot.appendingPathComponent("examples/rows/2026-W24.jsonl").path,
            "--week", "2026-W24", "--today", "2026-06-15", "-o", out.path, "--quiet"])
        #expect(r.status == 0)
        #expect(try Data(contentsOf: out) == Data(contentsOf: dir.appendingPathComponent("2026-W24.json")))
    }
}
