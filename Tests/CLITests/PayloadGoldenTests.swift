import Foundation
import Testing

/// One case of golden/payloads/cases.json (written by golden/payloads/make_cases.py).
struct PayloadCase: Codable, Sendable, CustomTestStringConvertible {
    struct Violation: Codable, Sendable {
        let pointer: String
        let rule: String
        /// `LINE:COL` where the report must point, when the manifest pins it.
        let at: String?
    }

    let file: String
    let expect: String
    let about: String
    let violations: [Violation]

    var testDescription: String { file }

    /// Exit statuses (README.md) required in the default mode and with --strict.
    var expectedStatus: (plain: Int32, strict: Int32) {
        switch expect {
        case "valid": return (0, 0)
        case "noncanonical": return (0, 1)
        case "invalid": return (1, 1)
        default: return (2, 2)
        }
    }
}

struct PayloadManifest: Codable, Sendable {
    let today: String
    let cases: [PayloadCase]
}

/// Golden tests of `backpay-verify payload`: every case of the manifest, run in text, --strict,
/// --format json and (for accepted payloads) --canonical mode, compared byte for byte with
/// golden/payloads/expected/. `UPDATE_GOLDEN=1 swift test --filter PayloadGoldenTests` rewrites the
/// expected files instead; review the diff before committing it.
///
/// Besides the byte comparison, each run is checked against the manifest itself (exit statuses, one
/// `FILE:LINE:COL: POINTER:` line per expected violation, the non-canonical warning), so that
/// regenerating the expected files cannot quietly bless a wrong verdict.
@Suite("payload golden files")
struct PayloadGoldenTests {
    static let directory = CLIRunner.packageRoot.appendingPathComponent("golden/payloads", isDirectory: true)
    static let expectedDirectory = directory.appendingPathComponent("expected", isDirectory: true)
    static let manifest: PayloadManifest? = {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("cases.json")) else { return nil }
        return try? JSONDecoder().decode(PayloadManifest.self, from: data)
    }()
    static let cases: [PayloadCase] = manifest?.cases ?? []
    static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

    @Test("the manifest loads, pins today, and lists at least 45 invalid payloads")
    func manifestLoads() throws {
        let manifest = try #require(Self.manifest, "golden/payloads/cases.json is missing or malformed")
        #expect(manifest.today == "2026-06-12")
        #expect(manifest.cases.filter { $0.expect == "invalid" }.count >= 45)
        #expect(manifest.cases.contains { $0.expect == "valid" })
        #expect(manifest.cases.contains { $0.expect == "noncanonical" })
    }

    @Test("each case's output matches its expected files and the manifest", arguments: cases)
    func goldenCase(_ c: PayloadCase) throws {
        let tool = try CLIRunner.product("backpay-verify")
        let today = Self.manifest?.today ?? "2026-06-12"
        // Run from golden/payloads so that messages name files by their stable relative path.
        func payload(_ flags: [String]) throws -> (command: String, result: CLIResult) {
            let args = ["payload", "--today", today] + flags + [c.file]
            return ("backpay-verify " + args.joined(separator: " "), try CLIRunner.run(tool, args, in: Self.directory))
        }
        let text = try payload([])
        let strict = try payload(["--strict"])
        let json = try payload(["--format", "json"])
        let accepted = c.expect == "valid" || c.expect == "noncanonical"
        let canonical = accepted ? try payload(["--canonical"]) : nil

        // 1. The manifest's verdict, independent of the expected files.
        let want = c.expectedStatus
        #expect(text.result.status == want.plain, "text mode exit status\n\(text.result.stderrText)")
        #expect(strict.result.status == want.strict, "--strict exit status\n\(strict.result.stderrText)")
        #expect(json.result.status == want.plain, "--format json exit status")
        if let canonical { #expect(canonical.result.status == 0, "--canonical exit status\n\(canonical.result.stderrText)") }
        if c.expect == "valid", let canonical {
            // A canonical payload is its own canonical form, byte for byte, with or without its final newline:
            // what makes `payload --canonical F | cmp - F` (docs/members.md) true.
            let bytes = [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent(c.file)))
            #expect(canonical.result.stdout == bytes, "--canonical changed the bytes of a canonical payload")
        }
        for run in [text, strict, json] + (canonical.map { [$0] } ?? []) {
            Self.expectPrintable(run.result.stderr, "stderr of \(run.command)")
        }
        Self.expectReports(c, text.result.stderrLines)
        if c.expect == "noncanonical" {
            #expect(text.result.stderrLines.contains { $0.hasPrefix("\(c.file):") && $0.contains(": warning: not canonical: ") },
                    "a non-canonical payload must be warned about\n\(text.result.stderrText)")
        }
        if c.expect == "valid" { #expect(text.result.stderr.isEmpty, "a canonical valid payload gets no diagnostics") }
        Self.expectJSONReport(c, json.result.stdout)

        // 2. Byte-for-byte comparison with (or regeneration of) the expected files.
        var transcript = ""
        for run in [text, strict] + (canonical.map { [$0] } ?? []) { transcript += Self.render(run.command, run.result) }
        transcript += Self.render(json.command, CLIResult(status: json.result.status, stdout: [], stderr: json.result.stderr))
        var status = "text \(text.result.status)\nstrict \(strict.result.status)\njson \(json.result.status)\n"
        if let canonical { status += "canonical \(canonical.result.status)\n" }
        let base = Self.expectedDirectory.appendingPathComponent(String(c.file.dropLast(".json".count)))
        try Self.compare(base.appendingPathExtension("txt"), Array(transcript.utf8))
        try Self.compare(base.appendingPathExtension("json"), json.result.stdout)
        try Self.compare(base.appendingPathExtension("status"), Array(status.utf8))
    }

    @Test("no expected file is left over from a case that no longer exists")
    func noStrayExpectedFiles() throws {
        let names = Set(Self.cases.map { String($0.file.dropLast(".json".count)) })
        let root = Self.expectedDirectory.standardizedFileURL.path + "/"
        let files = FileManager.default.enumerator(at: Self.expectedDirectory, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { !$0.hasDirectoryPath } ?? []
        #expect(!files.isEmpty, "golden/payloads/expected/ is empty: run UPDATE_GOLDEN=1 swift test --filter PayloadGoldenTests")
        for f in files {
            let rel = String(f.standardizedFileURL.deletingPathExtension().path.dropFirst(root.count))
            #expect(names.contains(rel), "\(f.path) belongs to no case in cases.json")
        }
    }

    /// Every violation of the manifest must be reported on its own `FILE:LINE:COL: POINTER: message` line
    /// (all of them, not only the first), at the manifest's LINE:COL when it gives one.
    static func expectReports(_ c: PayloadCase, _ lines: [String]) {
        guard c.expect == "invalid" else { return }
        for v in c.violations {
            let pointer = displayed(v.pointer)
            let found: Bool
            if let at = v.at {
                found = lines.contains { $0.hasPrefix("\(c.file):\(at): \(pointer): ") }
            } else {
                found = lines.contains { $0.hasPrefix("\(c.file):") && $0.contains(": \(pointer): ") }
            }
            #expect(found, "no report of \(v.rule) at \(pointer)\(v.at.map { " (\($0))" } ?? "") in:\n\(lines.joined(separator: "\n"))")
        }
        #expect(lines.count >= c.violations.count, "fewer report lines than violations")
    }

    /// The pointer as text reports show it: `(root)` for the whole document, and every character outside
    /// printable ASCII (and the backslash) escaped, since keys come from untrusted documents.
    static func displayed(_ pointer: String) -> String {
        if pointer.isEmpty { return "(root)" }
        var out = ""
        for u in pointer.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case " "..."~": out.unicodeScalars.append(u)
            default:
                let hex = String(u.value, radix: 16, uppercase: true)
                out += "\\u{" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "}"
            }
        }
        return out
    }

    /// `--format json` reports exactly the manifest's violations (rule, pointer, and LINE:COL where
    /// pinned), or for non-canonical payloads exactly its freedoms; an unreadable file is an error entry.
    static func expectJSONReport(_ c: PayloadCase, _ stdout: [UInt8]) {
        guard let doc = try? JSONSerialization.jsonObject(with: Data(stdout)) as? [String: Any],
              let file = (doc["files"] as? [[String: Any]])?.first else {
            Issue.record("--format json must print one JSON document with a files array:\n\(String(decoding: stdout, as: UTF8.self))")
            return
        }
        #expect(file["file"] as? String == c.file)
        if c.expect == "unreadable" {
            #expect(file["error"] is String, "an unreadable file is reported as an error")
            return
        }
        guard let result = (file["results"] as? [[String: Any]])?.first else {
            Issue.record("no results for \(c.file)")
            return
        }
        func triples(_ key: String, _ code: (([String: Any]) -> String?)) -> [(String, String, String)] {
            ((result[key] as? [[String: Any]]) ?? []).map { o in
                (o["pointer"] as? String ?? "?", code(o) ?? "?", "\(o["line"] as? Int ?? 0):\(o["column"] as? Int ?? 0)")
            }
        }
        let got = (triples("violations") { $0["rule"] as? String } + triples("freedoms") { ($0["kind"] as? String).map { "canonical." + $0 } })
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        let want = c.violations.sorted { ($0.pointer, $0.rule) < ($1.pointer, $1.rule) }
        let same = got.count == want.count && zip(got, want).allSatisfy { g, w in
            g.0 == w.pointer && g.1 == w.rule && (w.at == nil || w.at == g.2)
        }
        #expect(same, """
            --format json disagrees with cases.json
              reported: \(got.map { "\($0.1) at \($0.0) \($0.2)" })
              expected: \(want.map { "\($0.rule) at \($0.pointer) \($0.at ?? "")" })
            """)
        #expect(result["valid"] as? Bool == (c.expect == "valid" || c.expect == "noncanonical"))
        #expect(result["canonical"] as? Bool == (c.expect == "valid"))
    }

    /// Diagnostics are valid UTF-8 without control characters other than line feeds: untrusted text must
    /// be escaped, never replayed to a terminal.
    static func expectPrintable(_ bytes: [UInt8], _ what: String) {
        #expect(String(validating: bytes, as: UTF8.self) != nil, "\(what) is not valid UTF-8")
        #expect(!bytes.contains { ($0 < 0x20 && $0 != 0x0A) || $0 == 0x7F }, "\(what) holds a raw control character")
    }

    /// A readable, exact record of one run: the command, then each output line prefixed by its stream.
    static func render(_ command: String, _ r: CLIResult) -> String {
        var out = "$ \(command)\n"
        for (name, bytes) in [("stdout", r.stdout), ("stderr", r.stderr)] where !bytes.isEmpty {
            let text = String(decoding: bytes, as: UTF8.self)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let endsWithNewline = lines.last == ""
            if endsWithNewline { lines.removeLast() }
            for l in lines { out += "\(name): \(l)\n" }
            if !endsWithNewline { out += "\\ no newline at end of \(name)\n" }
        }
        return out
    }

    static func compare(_ url: URL, _ actual: [UInt8]) throws {
        if updating {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual).write(to: url, options: .atomic)
            return
        }
        let expected = try? [UInt8](Data(contentsOf: url))
        #expect(expected != nil, "\(url.path) is missing: run UPDATE_GOLDEN=1 swift test --filter PayloadGoldenTests")
        guard let expected else { return }
        // Compared as a Bool so that a failure shows the two texts below, not two byte arrays.
        let same = expected == actual
        #expect(same, """
            \(url.lastPathComponent) differs from the tool's output (UPDATE_GOLDEN=1 rewrites it)
            --- expected
            \(String(decoding: expected, as: UTF8.self))
            --- actual
            \(String(decoding: actual, as: UTF8.self))
            """)
    }
}
