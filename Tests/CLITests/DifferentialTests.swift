import Foundation
import Testing

/// The golden payloads against a mainstream validator, and the generator against its committed output.
/// Needs python3 with `jsonschema-rs` and `orjson` (CI: `pip install jsonschema-rs orjson`); a missing
/// package fails the test rather than skipping it, because an unchecked differential claim is worse than
/// a red build.
@Suite("differential check against jsonschema-rs")
struct DifferentialTests {
    @Test("jsonschema-rs gives the verdict the manifest records on every golden payload")
    func jsonschemaRsAgrees() throws {
        let r = try CLIRunner.runTool("python3", ["Tests/Differential/jsonschema_rs_diff.py"], in: CLIRunner.packageRoot)
        #expect(r.status == 0, "\(r.stdoutText)\(r.stderrText)")
        #expect(r.stdoutText.contains(" passed, 0 failed"), "\(r.stdoutText)")
    }

    @Test("the golden payload files, manifest and docs/toolkit-rules.md are what make_cases.py writes")
    func generatorIsInSync() throws {
        let r = try CLIRunner.runTool("python3", ["golden/payloads/make_cases.py", "--check"], in: CLIRunner.packageRoot)
        #expect(r.status == 0, "\(r.stdoutText)\(r.stderrText)")
    }
}
