import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What the tool does with files that are not what they seem (FIFOs, devices, links to inputs, `-`) and
/// how it writes its outputs, end to end through the built tool. Every run is bounded by timeout(1): a
/// regression that blocks on a FIFO fails with status 124 instead of hanging the suite.
@Suite("files: inputs that would block, outputs over inputs, paired outputs, -")
struct FileSafetyTests {
    static let root = CLIRunner.packageRoot
    static let unionKey = "golden/verify/keys/union.key"
    static let unionPub = "golden/verify/keys/union.pub"
    static let release = "golden/verify/cases/sign-first/release.json"
    static let rows = "examples/rows/2026-W24.jsonl"
    static let week = ["--week", "2026-W24", "--today", "2026-06-15"]

    /// A scratch directory with `files` copied in ((repository path, name there)); `*.key` get mode 0600.
    static func scratch(_ files: [(String, String)] = []) throws -> URL {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("file-safety-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        for (from, to) in files {
            let target = dir.appendingPathComponent(to)
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.copyItem(at: root.appendingPathComponent(from), to: target)
            if to.hasSuffix(".key") { try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target.path) }
        }
        return dir
    }

    /// Runs the tool in `dir` for at most 30 seconds.
    static func run(_ args: [String], in dir: URL, stdin: [UInt8] = []) throws -> CLIResult {
        try CLIRunner.run(URL(fileURLWithPath: "/usr/bin/timeout"), ["-k", "5", "30", try CLIRunner.product("backpay-verify").path] + args,
                          stdin: stdin, in: dir, environment: ["SOURCE_DATE_EPOCH": "1781000000"])
    }

    static func mkfifo(_ dir: URL, _ name: String) throws {
        guard Glibc.mkfifo(dir.appendingPathComponent(name).path, 0o600) == 0 else { throw CLIRunner.Failure(description: "mkfifo \(name) failed") }
    }

    /// Every entry of `dir`, hidden ones included (a temporary file left behind would show here).
    static func listing(_ dir: URL) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() }

    static func bytes(_ dir: URL, _ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: dir.appendingPathComponent(name))) }

    // MARK: item 7: FIFOs and devices are refused without blocking

    struct FifoCase: Sendable, CustomStringConvertible {
        let description: String
        /// Files to copy in; the FIFO is made at `fifo`.
        let files: [(String, String)]
        let fifo: String
        let args: [String]
    }

    static let fifoCases: [FifoCase] = [
        FifoCase(description: "payload FILE", files: [], fifo: "p.json", args: ["payload", "p.json"]),
        FifoCase(description: "payload --jsonl FILE", files: [], fifo: "p.jsonl", args: ["payload", "--jsonl", "p.jsonl"]),
        FifoCase(description: "payload --schema", files: [("examples/payloads/2026-06-12.json", "p.json")], fifo: "s.json",
                 args: ["payload", "--schema", "s.json", "p.json"]),
        FifoCase(description: "json check", files: [], fifo: "x.json", args: ["json", "check", "x.json"]),
        FifoCase(description: "release build --rows", files: [], fifo: "rows.jsonl", args: ["release", "build", "--rows", "rows.jsonl"] + week + ["-o", "r.json"]),
        FifoCase(description: "release build --previous", files: [(rows, "rows.jsonl")], fifo: "w23.json",
                 args: ["release", "build", "--rows", "rows.jsonl", "--previous", "w23.json"] + week + ["-o", "r.json"]),
        FifoCase(description: "release audit RELEASE", files: [], fifo: "r.json", args: ["release", "audit", "r.json"]),
        FifoCase(description: "release audit --rows", files: [(release, "r.json")], fifo: "rows.jsonl",
                 args: ["release", "audit", "r.json", "--rows", "rows.jsonl"]),
        FifoCase(description: "release verify --pubkey", files: [(release, "r.json")], fifo: "union.pub",
                 args: ["release", "verify", "r.json", "--pubkey", "union.pub"]),
        FifoCase(description: "release verify RELEASE.minisig", files: [(release, "r.json"), (unionPub, "union.pub")], fifo: "r.json.minisig",
                 args: ["release", "verify", "r.json", "--pubkey", "union.pub"]),
        FifoCase(description: "release verify RELEASE.sig", files: [(release, "r.json"), (unionPub, "union.pub")], fifo: "r.json.sig",
                 args: ["release", "verify", "r.json", "--pubkey", "union.pub"]),
        FifoCase(description: "release verify --chain DIR/x.json", files: [(release, "r.json"), (unionPub, "union.pub"), (release, "chain/a.json")],
                 fifo: "chain/x.json", args: ["release", "verify", "r.json", "--pubkey", "union.pub", "--chain", "chain"]),
        FifoCase(description: "release sign --key", files: [(release, "r.json")], fifo: "union.key", args: ["release", "sign", "r.json", "--key", "union.key"]),
        FifoCase(description: "release sign --chain DIR/x.json.minisig", files: [(release, "r.json"), (unionKey, "union.key"), (release, "chain/x.json")],
                 fifo: "chain/x.json.minisig", args: ["release", "sign", "r.json", "--key", "union.key", "--chain", "chain"]),
        FifoCase(description: "key show", files: [], fifo: "union.pub", args: ["key", "show", "union.pub"]),
        FifoCase(description: "key generate --passphrase-file", files: [], fifo: "pw", args: ["key", "generate", "--out", "k", "--passphrase-file", "pw"]),
    ]

    @Test("a FIFO given as any input is refused at once, naming it, instead of blocking", arguments: fifoCases)
    func fifoRefused(_ c: FifoCase) throws {
        let dir = try Self.scratch(c.files)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.mkfifo(dir, c.fifo)
        let r = try Self.run(c.args, in: dir)
        #expect(r.status != 124, "blocked on the FIFO")
        #expect(r.status != 0, "\(r.stdoutText)")
        // `release verify` reports on standard output, one line per check; the others on standard error.
        #expect((r.stderrText + r.stdoutText).contains("\(c.fifo): cannot read: is a FIFO (named pipe), not a regular file"), "\(r.stderrText)")
    }

    @Test("a device given as rows is refused instead of read forever")
    func deviceRefused() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.run(["release", "build", "--rows", "/dev/zero"] + Self.week + ["-o", "r.json"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderrText == "/dev/zero: cannot read: is a character device, not a regular file\n")
    }

    // MARK: item 4: no output over an input

    @Test("--quarantine or -o naming an input (by name, symbolic link or hard link) is a usage error, even with --force, and the input is intact")
    func outputOverInput() throws {
        let dir = try Self.scratch([(Self.rows, "in.jsonl"), ("golden/release/week-differencing/previous.json", "w23.json")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("sym.jsonl").path, withDestinationPath: "in.jsonl")
        try fm.linkItem(atPath: dir.appendingPathComponent("in.jsonl").path, toPath: dir.appendingPathComponent("hard.jsonl").path)
        let before = try Self.bytes(dir, "in.jsonl"), w23 = try Self.bytes(dir, "w23.json")
        let build = ["release", "build", "--rows", "in.jsonl"] + Self.week + ["--force"]
        for (extra, named) in [(["-o", "r.json", "--quarantine", "in.jsonl"], "in.jsonl"),
                               (["-o", "r.json", "--quarantine", "./in.jsonl"], "./in.jsonl"),
                               (["-o", "r.json", "--quarantine", "sym.jsonl"], "sym.jsonl"),
                               (["-o", "hard.jsonl"], "hard.jsonl"),
                               (["-o", "r.json", "--previous", "w23.json", "--quarantine", "w23.json"], "w23.json"),
                               (["-o", "r.json", "--quarantine", "r.json"], "r.json")] {
            let r = try Self.run(build + extra, in: dir)
            #expect(r.status == 64, "\(extra): \(r.stderrText)")
            #expect(r.stderrText.contains(named), "\(extra): \(r.stderrText)")
            #expect(try Self.bytes(dir, "in.jsonl") == before)
            #expect(try Self.bytes(dir, "w23.json") == w23)
            #expect(!fm.fileExists(atPath: dir.appendingPathComponent("r.json").path))
        }
    }

    @Test("standard input redirected from a file counts as that file: the quarantine cannot replace it")
    func outputOverStandardInput() throws {
        let dir = try Self.scratch([(Self.rows, "in.jsonl")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLIRunner.run(URL(fileURLWithPath: "/bin/sh"),
                                  ["-c", "exec timeout 30 \"$0\" release build --rows - --week 2026-W24 --today 2026-06-15 -o r.json --quarantine in.jsonl --force < in.jsonl",
                                   try CLIRunner.product("backpay-verify").path], in: dir)
        #expect(r.status == 64, "\(r.stderrText)")
        #expect(r.stderrText.contains("in.jsonl: is also an input"), "\(r.stderrText)")
        #expect(try Self.bytes(dir, "in.jsonl") == (try [UInt8](Data(contentsOf: Self.root.appendingPathComponent(Self.rows)))))
    }

    @Test("a signature file that is a link to the key or to the release is refused, even with --force")
    func signatureOverInput() throws {
        let dir = try Self.scratch([(Self.release, "r.json"), (Self.unionKey, "union.key")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let fm = FileManager.default
        try fm.linkItem(atPath: dir.appendingPathComponent("union.key").path, toPath: dir.appendingPathComponent("r.json.minisig").path)
        let key = try Self.bytes(dir, "union.key")
        let r = try Self.run(["release", "sign", "r.json", "--key", "union.key", "--force"], in: dir)
        #expect(r.status == 64, "\(r.stderrText)")
        #expect(r.stderrText.contains("r.json.minisig: is also an input of this command (union.key, the same file)"), "\(r.stderrText)")
        #expect(try Self.bytes(dir, "union.key") == key)
        try fm.removeItem(at: dir.appendingPathComponent("r.json.minisig"))
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("r.json.sig").path, withDestinationPath: "r.json")
        let r2 = try Self.run(["release", "sign", "r.json", "--key", "union.key", "--ssh", "--force"], in: dir)
        #expect(r2.status == 64, "\(r2.stderrText)")
        #expect(!fm.fileExists(atPath: dir.appendingPathComponent("r.json.minisig").path))
    }

    // MARK: item 9: paired outputs land together or not at all

    @Test("release sign --ssh: when the .sig cannot be put in place, the .minisig is taken back (the old one restored) and no temporary file remains")
    func signaturePairRollsBack() throws {
        let dir = try Self.scratch([(Self.release, "r.json"), (Self.unionKey, "union.key")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let fm = FileManager.default
        // Fresh: no .minisig before, and the .sig's place is taken by a directory.
        try fm.createDirectory(at: dir.appendingPathComponent("r.json.sig/inside"), withIntermediateDirectories: true)
        let before = try Self.listing(dir)
        let r = try Self.run(["release", "sign", "r.json", "--key", "union.key", "--ssh", "--force"], in: dir)
        #expect(r.status == 2, "\(r.stderrText)")
        #expect(r.stderrText.hasPrefix("r.json.sig: cannot write"), "\(r.stderrText)")
        #expect(try Self.listing(dir) == before)
        // Replacing: the earlier .minisig comes back unchanged.
        try Data("earlier signature\n".utf8).write(to: dir.appendingPathComponent("r.json.minisig"))
        let listed = try Self.listing(dir)
        let r2 = try Self.run(["release", "sign", "r.json", "--key", "union.key", "--ssh", "--force"], in: dir)
        #expect(r2.status == 2, "\(r2.stderrText)")
        #expect(try Self.bytes(dir, "r.json.minisig") == Array("earlier signature\n".utf8))
        #expect(try Self.listing(dir) == listed)
        // Once the place is free, both land.
        try fm.removeItem(at: dir.appendingPathComponent("r.json.sig"))
        let r3 = try Self.run(["release", "sign", "r.json", "--key", "union.key", "--ssh", "--force"], in: dir)
        #expect(r3.status == 0, "\(r3.stderrText)")
        #expect(try Self.listing(dir) == ["r.json", "r.json.minisig", "r.json.sig", "union.key"])
    }

    @Test("release build: the release and the quarantine land together, and a failed write leaves neither nor a temporary file")
    func buildPairRollsBack() throws {
        let dir = try Self.scratch([(Self.rows, "rows.jsonl"), ("golden/release/cli/bad-row.jsonl", "bad.jsonl")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("r.json/inside"), withIntermediateDirectories: true)
        let before = try Self.listing(dir)
        let r = try Self.run(["release", "build", "--rows", "rows.jsonl", "bad.jsonl"] + Self.week + ["-o", "r.json", "--quarantine", "q.jsonl", "--force"], in: dir)
        #expect(r.status == 2, "\(r.stderrText)")
        #expect(try Self.listing(dir) == before)
    }

    // MARK: item 8: standard input and rejected rows do not stay in memory

    /// Peak resident memory in KiB of a shell pipeline ending in the tool (GNU time's %M).
    static func peakKiB(_ pipeline: String, in dir: URL) throws -> (Int, CLIResult) {
        let r = try CLIRunner.run(URL(fileURLWithPath: "/bin/sh"),
                                  ["-c", pipeline.replacingOccurrences(of: "TOOL", with: "/usr/bin/time -f %M -o peak timeout 120 \"$0\""),
                                   try CLIRunner.product("backpay-verify").path], in: dir)
        let text = String(decoding: try Data(contentsOf: dir.appendingPathComponent("peak")), as: UTF8.self)
        let peak = Int(text.split(separator: "\n").last.map(String.init) ?? "") ?? -1
        return (peak, r)
    }

    @Test("256 MiB on standard input (one over-long line) is streamed: the peak memory stays far below it, build and audit")
    func standardInputStreamed() throws {
        let dir = try Self.scratch([(Self.release, "r.json")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let (build, rb) = try Self.peakKiB("head -c 256M /dev/zero | TOOL release build --rows - --week 2026-W24 --today 2026-06-15 -o o.json --quarantine q.jsonl --threads 2", in: dir)
        #expect(rb.status == 1, "\(rb.stderrText)")   // nothing of the week to release
        #expect(rb.stderrText.contains("is larger than the 64 KiB payload limit") || (try? Self.bytes(dir, "q.jsonl")) == nil)
        #expect(build > 0 && build < 96 << 10, "peak \(build) KiB")
        let (audit, ra) = try Self.peakKiB("head -c 256M /dev/zero | TOOL release audit r.json --rows - --today 2026-06-15 --threads 2", in: dir)
        #expect(ra.status != 124, "\(ra.stderrText)")
        #expect(audit > 0 && audit < 96 << 10, "peak \(audit) KiB")
    }

    // MARK: item 14: `-` as an output

    @Test("release build -o - writes the release to standard output (summary on standard error), no file named -")
    func releaseToStandardOutput() throws {
        let dir = try Self.scratch([(Self.rows, "rows.jsonl")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.run(["release", "build", "--rows", "rows.jsonl"] + Self.week + ["-o", "-"], in: dir)
        #expect(r.status == 0, "\(r.stderrText)")
        let toFile = try Self.run(["release", "build", "--rows", "rows.jsonl"] + Self.week + ["-o", "r.json"], in: dir)
        #expect(toFile.status == 0)
        #expect(r.stdout == (try Self.bytes(dir, "r.json")))
        #expect(r.stderrText.hasPrefix("<stdout>: 2026-W24 sequence 1:"), "\(r.stderrText)")
        #expect(try Self.listing(dir) == ["r.json", "rows.jsonl"])
    }

    @Test("- where a file must be written is a usage error: --quarantine -, key generate --out -, release sign -")
    func dashRefused() throws {
        let dir = try Self.scratch([(Self.rows, "rows.jsonl")])
        defer { try? FileManager.default.removeItem(at: dir) }
        for args in [["release", "build", "--rows", "rows.jsonl"] + Self.week + ["-o", "r.json", "--quarantine", "-"],
                     ["key", "generate", "--out", "-", "--unencrypted"],
                     ["release", "sign", "-", "--key", "union.key"]] {
            let r = try Self.run(args, in: dir)
            #expect(r.status == 64, "\(args): \(r.stderrText)")
            #expect(r.stderrText.contains("not -"), "\(args): \(r.stderrText)")
        }
        #expect(try Self.listing(dir) == ["rows.jsonl"])
    }
}
