import Foundation
import Testing
@testable import Schema

/// Every golden case under golden/schema/{lint,diff,gate,consent}: the built tool's stdout in each
/// format, its stderr and its exit status must equal the expected files exactly.
@Suite("schema golden cases through the built tool")
struct GateGoldenTests {
    static let cases: [String] = ["lint", "diff", "gate", "consent"].flatMap { area in
        GateTestSupport.subdirectories(area).map { "\(area)/\($0.lastPathComponent)" }
    }

    @Test("the tool prints exactly the expected output in every format", arguments: cases)
    func goldenCase(_ name: String) throws {
        let dir = GateTestSupport.golden.appendingPathComponent(name)
        let command = try #require(GateTestSupport.read(dir.appendingPathComponent("command")))
        let args = command.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        let status = try #require(GateTestSupport.read(dir.appendingPathComponent("expected.status")))
        let expectedStderr = GateTestSupport.read(dir.appendingPathComponent("expected.stderr")) ?? ""
        var formatsSeen = 0
        for format in FindingReportFormat.allCases {
            let run = try GateTestSupport.run(args + ["--format", format.rawValue], in: dir)
            #expect(run.status == Int32(status.trimmingCharacters(in: .whitespacesAndNewlines)), "\(name) --format \(format)")
            #expect(run.stderr == expectedStderr, "\(name) --format \(format) stderr")
            if let expected = GateTestSupport.read(dir.appendingPathComponent("expected.\(format.rawValue)")) {
                formatsSeen += 1
                #expect(run.stdout == expected, "\(name) --format \(format)")
            } else {
                // Only cases that cannot check (exit 2) lack expected files: they print nothing on stdout but
                // the JSON error document (expected.json), as every command does (docs/formats.md).
                #expect(run.stdout.isEmpty, "\(name) --format \(format) printed output without a golden file")
            }
        }
        #expect(formatsSeen > 0 || !expectedStderr.isEmpty, "\(name) has no expected output at all")
    }

    @Test("every case with output has all four formats")
    func allFormatsCovered() {
        for name in Self.cases {
            let dir = GateTestSupport.golden.appendingPathComponent(name)
            guard GateTestSupport.read(dir.appendingPathComponent("expected.text")) != nil else { continue }
            for format in FindingReportFormat.allCases {
                #expect(GateTestSupport.read(dir.appendingPathComponent("expected.\(format.rawValue)")) != nil, "\(name) lacks expected.\(format.rawValue)")
            }
        }
    }

    @Test("every lint, diff, gate and consent rule has a golden case that reports it")
    func everyRuleCovered() {
        let seen = GateTestSupport.rulesInGoldens("lint").union(GateTestSupport.rulesInGoldens("diff"))
            .union(GateTestSupport.rulesInGoldens("gate")).union(GateTestSupport.rulesInGoldens("consent"))
        for rule in Rule.allCases {
            #expect(seen.contains(rule.rawValue), "no golden case reports \(rule.rawValue)")
        }
    }

    @Test("docs/schema-rules.md lists every rule with its summary")
    func rulesDocumented() throws {
        let doc = try #require(GateTestSupport.read(GateTestSupport.packageRoot.appendingPathComponent("docs/schema-rules.md")))
        for rule in Rule.allCases {
            #expect(doc.contains("`\(rule.rawValue)`"), "docs/schema-rules.md does not list \(rule.rawValue)")
            #expect(doc.contains(rule.summary), "docs/schema-rules.md has a stale summary for \(rule.rawValue)")
        }
    }
}
