import Foundation
import Testing

/// `release build` and `release audit` end to end: each case copies its inputs into a scratch directory,
/// runs the built tool there and compares status, stdout, stderr and written files with
/// golden/release/cli/<case>.* (UPDATE_GOLDEN=1 rewrites them).
@Suite("golden cases: release build, release audit")
struct ReleaseCLITests {
    static let root = CLIRunner.packageRoot
    static let golden = root.appendingPathComponent("golden/release/cli")
    static let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil

    struct Case: Sendable, CustomStringConvertible {
        let name: String
        /// Files copied into the scratch directory: (path in the repository, name there).
        let inputs: [(String, String)]
        let args: [String]
        /// Files the run writes, compared too.
        let outputs: [String]
        /// Files (repository paths) concatenated into standard input.
        var stdin: [String] = []
        var description: String { name }
    }

    static let example = ("examples/rows/2026-W24.jsonl", "rows.jsonl")
    static let cases: [Case] = [
        Case(name: "build-example", inputs: [example],
             args: ["release", "build", "--rows", "rows.jsonl", "--week", "2026-W24", "--today", "2026-06-15", "-o", "release.json"],
             outputs: ["release.json"]),
        Case(name: "audit-example", inputs: [example, ("golden/release/cli/build-example.release.json", "release.json")],
             args: ["release", "audit", "release.json", "--rows", "rows.jsonl", "--today", "2026-06-15"], outputs: []),
        Case(name: "audit-row-leak", inputs: [("golden/release/row-leak/unsafe.json", "unsafe.json")],
             args: ["release", "audit", "unsafe.json"], outputs: []),
        Case(name: "audit-row-leak-json", inputs: [("golden/release/row-leak/unsafe.json", "unsafe.json")],
             args: ["release", "audit", "unsafe.json", "--format", "json"], outputs: []),
        Case(name: "audit-reissue", inputs: [("golden/release/week-differencing/unsafe.json", "w23-again.json"),
                                             ("golden/release/week-differencing/previous.json", "w23.json")],
             args: ["release", "audit", "w23-again.json", "--previous", "w23.json"], outputs: []),
        // Issue 11: rows of another week are named in the first finding; --format json prints its one
        // document when the release cannot be read (exit 2) too.
        Case(name: "audit-rows-of-another-week", inputs: [("golden/verify/rows/2026-W25.jsonl", "w25.jsonl"),
                                                          ("golden/release/cli/build-example.release.json", "release.json")],
             args: ["release", "audit", "release.json", "--rows", "w25.jsonl", "--today", "2026-07-20"], outputs: []),
        Case(name: "audit-unreadable-json", inputs: [],
             args: ["release", "audit", "missing.json", "--format", "json"], outputs: []),
        Case(name: "build-late", inputs: [("golden/release/week-differencing/rows.jsonl", "rows.jsonl"),
                                          ("golden/release/week-differencing/previous.json", "w23.json")],
             args: ["release", "build", "--rows", "rows.jsonl", "--week", "2026-W24", "--previous", "w23.json", "--today", "2026-06-15", "-o", "w24.json"],
             outputs: ["w24.json"]),
        Case(name: "build-bad-row", inputs: [example, ("golden/release/cli/bad-row.jsonl", "bad.jsonl")],
             args: ["release", "build", "--rows", "rows.jsonl", "bad.jsonl", "--week", "2026-W24", "--today", "2026-06-15", "-o", "release.json"],
             outputs: []),
        Case(name: "build-quarantine", inputs: [example, ("golden/release/cli/bad-row.jsonl", "bad.jsonl")],
             args: ["release", "build", "--rows", "rows.jsonl", "bad.jsonl", "--week", "2026-W24", "--today", "2026-06-15",
                    "-o", "release.json", "--quarantine", "quarantine.jsonl"],
             outputs: ["quarantine.jsonl"]),
        Case(name: "build-conflict", inputs: [example, ("golden/release/cli/duplicate-row.jsonl", "dup.jsonl")],
             args: ["release", "build", "--rows", "rows.jsonl", "dup.jsonl", "--week", "2026-W24", "--today", "2026-06-15", "-o", "release.json"],
             outputs: []),
        // Standard input is read once into memory, so the conflict's second read works on it too.
        Case(name: "build-conflict-stdin", inputs: [],
             args: ["release", "build", "--rows", "-", "--week", "2026-W24", "--today", "2026-06-15", "-o", "release.json",
                    "--quarantine", "quarantine.jsonl"],
             outputs: ["release.json", "quarantine.jsonl"], stdin: [example.0, "golden/release/cli/duplicate-row.jsonl"]),
        // Append-only at build time: the chain directory already holds the week.
        Case(name: "build-chain-holds-week", inputs: [example, ("golden/release/cli/build-example.release.json", "2026-W24.json")],
             args: ["release", "build", "--rows", "rows.jsonl", "--week", "2026-W24", "--today", "2026-06-15", "--chain", ".", "-o", "release.json"],
             outputs: []),
        Case(name: "build-example-v2", inputs: [example],
             args: ["release", "build", "--rows", "rows.jsonl", "--week", "2026-W24", "--today", "2026-06-15", "-o", "release.json",
                    "--release-format", "2"],
             outputs: ["release.json"]),
        Case(name: "audit-example-v2-report", inputs: [example, ("golden/release/cli/build-example-v2.release.json", "release.json")],
             args: ["release", "audit", "release.json", "--rows", "rows.jsonl", "--today", "2026-06-15", "--report"], outputs: []),
        Case(name: "audit-insider-v2-json", inputs: [("golden/release/attacks/insider/rows.jsonl", "rows.jsonl"),
                                                      ("golden/release/attacks/insider/release-2.json", "release.json")],
             args: ["release", "audit", "release.json", "--rows", "rows.jsonl", "--today", "2026-06-15", "--format", "json"], outputs: []),
        Case(name: "build-k-below-5", inputs: [example],
             args: ["release", "build", "--rows", "rows.jsonl", "--week", "2026-W24", "--k", "4", "-o", "release.json"], outputs: []),
    ]

    func check(_ file: String, _ bytes: [UInt8]) throws {
        let url = Self.golden.appendingPathComponent(file)
        if Self.update { try Data(bytes).write(to: url); return }
        let want = [UInt8](try Data(contentsOf: url))
        #expect(want == bytes, "\(file) differs; got:\n\(String(decoding: bytes, as: UTF8.self))")
    }

    @Test("release CLI case", arguments: cases)
    func run(_ c: Case) throws {
        let fm = FileManager.default
        let work = fm.temporaryDirectory.appendingPathComponent("release-cli-\(UUID().uuidString)")
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: work) }
        for (from, to) in c.inputs {
            try fm.copyItem(at: Self.root.appendingPathComponent(from), to: work.appendingPathComponent(to))
        }
        let stdin = try c.stdin.flatMap { [UInt8](try Data(contentsOf: Self.root.appendingPathComponent($0))) }
        let r = try CLIRunner.run(try CLIRunner.product("backpay-verify"), c.args, stdin: stdin, in: work)
        try check("\(c.name).status", Array("\(r.status)\n".utf8))
        try check("\(c.name).stdout", r.stdout)
        try check("\(c.name).stderr", r.stderr)
        for o in c.outputs {
            try check("\(c.name).\(o)", [UInt8](try Data(contentsOf: work.appendingPathComponent(o))))
        }
    }
}
