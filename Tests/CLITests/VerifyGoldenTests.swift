import Foundation
import Testing

/// Runs every case of golden/verify/cases (format: golden/verify/generate.py's docstring and README.md):
/// copy the case to a scratch directory, give *.key files mode 0600 (git does not keep modes) unless
/// `modes` says otherwise, run the built tool with `args`, compare stdout, stderr, status and expected.* files.
@Suite("golden cases: key, release sign, release verify")
struct VerifyGoldenTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let casesDir = root.appendingPathComponent("golden/verify/cases")

    static func caseNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: casesDir.path)) ?? []).sorted()
    }

    static func tool() -> URL {
        if let dir = ProcessInfo.processInfo.environment["BACKPAY_PRODUCTS_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir).appendingPathComponent("backpay-verify")
        }
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("backpay-verify")
        }
        return root.appendingPathComponent(".build/debug/backpay-verify")
    }

    @Test("there are golden cases to run")
    func casesExist() { #expect(Self.caseNames().count >= 30) }

    @Test("golden case", arguments: caseNames())
    func goldenCase(_ name: String) throws { try Self.run(case: Self.casesDir.appendingPathComponent(name)) }

    /// Runs one case directory of this layout (also golden/transparency's, whose cases share it).
    static func run(case source: URL) throws {
        let fm = FileManager.default
        let name = source.lastPathComponent
        let work = fm.temporaryDirectory.appendingPathComponent("verify-golden-\(UUID().uuidString)")
        try fm.copyItem(at: source, to: work)
        defer { try? fm.removeItem(at: work) }
        if let walker = fm.enumerator(atPath: work.path) {
            for case let path as String in walker where path.hasSuffix(".key") {
                try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: work.appendingPathComponent(path).path)
            }
        }
        if let modes = try? String(contentsOf: source.appendingPathComponent("modes"), encoding: .utf8) {
            for line in modes.split(separator: "\n") {
                let parts = line.split(separator: " ")
                try fm.setAttributes([.posixPermissions: Int(parts[1], radix: 8)!], ofItemAtPath: work.appendingPathComponent(String(parts[0])).path)
            }
        }
        let args = try String(contentsOf: source.appendingPathComponent("args"), encoding: .utf8).split(separator: "\n").map(String.init)

        let process = Process()
        process.executableURL = tool()
        process.arguments = args
        process.currentDirectoryURL = work
        var env = ProcessInfo.processInfo.environment
        env["CI"] = nil
        env["SOURCE_DATE_EPOCH"] = "1781000000"
        env["NO_COLOR"] = "1"
        process.environment = env
        let scratch = fm.temporaryDirectory.appendingPathComponent("verify-golden-out-\(UUID().uuidString)")
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("stdout"), err = scratch.appendingPathComponent("stderr")
        _ = fm.createFile(atPath: out.path, contents: nil)
        _ = fm.createFile(atPath: err.path, contents: nil)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()

        func text(_ url: URL) throws -> String { String(decoding: try Data(contentsOf: url), as: UTF8.self) }
        // UPDATE_GOLDEN=1 records what the tool prints now, as for the other golden suites (review the diff).
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try Data(contentsOf: out).write(to: source.appendingPathComponent("stdout"))
            try Data(contentsOf: err).write(to: source.appendingPathComponent("stderr"))
            try Data("\(process.terminationStatus)\n".utf8).write(to: source.appendingPathComponent("status"))
        }
        #expect(try text(out) == text(source.appendingPathComponent("stdout")), "stdout of \(name)")
        #expect(try text(err) == text(source.appendingPathComponent("stderr")), "stderr of \(name)")
        let status = Int32(try text(source.appendingPathComponent("status")).trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(process.terminationStatus == status, "exit status of \(name)")
        for file in try fm.contentsOfDirectory(atPath: source.path) where file.hasPrefix("expected.") {
            let produced = work.appendingPathComponent(String(file.dropFirst("expected.".count)))
            #expect(try Data(contentsOf: produced) == Data(contentsOf: source.appendingPathComponent(file)), "\(file) of \(name)")
        }
    }
}
