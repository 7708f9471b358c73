import Core
import Foundation
@testable import Verify

/// Test helpers: hex, a seeded generator, temporary directories and runs of external tools.
enum T {
    static func bytes(_ hex: String) -> [UInt8] {
        let u = Array(hex.utf8)
        precondition(u.count % 2 == 0)
        return stride(from: 0, to: u.count, by: 2).map { UInt8(String(decoding: u[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }

    static func key(seed: UInt8) -> MinisignSecretKey {
        let sk = try! Ed25519.SecretKey(seed: SecureBytes(copying: [UInt8](repeating: seed, count: 32)))
        return MinisignSecretKey(keyID: KeyID([seed, 1, 2, 3, 4, 5, 6, 7])!, key: sk)
    }

    /// A real release document built by `release build` (golden/verify/rows, week 2026-W24, first of its chain):
    /// what the verifier's audit can read, unlike the header-only documents of `release(_:sequence:previous:)`.
    static let builtRelease: [UInt8] = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)
        return Array(try! Data(contentsOf: URL(fileURLWithPath: parts.joined(separator: "/") + "/golden/verify/cases/verify-first/release.json")))
    }()

    /// A canonical release header (JCS bytes, the fields signing and the chain read).
    static func release(_ id: String, sequence: Int, previous: [UInt8]?, newline: Bool = false) -> [UInt8] {
        let prev = previous.map { "\"sha256:\(Hex.encode($0))\"" } ?? "null"
        return Array("{\"format\":\"backpay-release/1\",\"id\":\"\(id)\",\"previous\":\(prev),\"sequence\":\(sequence)}\(newline ? "\n" : "")".utf8)
    }

    static func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("verify-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    struct Run { let status: Int32; let stdout: String; let stderr: String }

    /// Runs an installed tool (minisign, ssh-keygen) found on PATH; the test fails if it is missing,
    /// because .ci/run installs it.
    static func run(_ tool: String, _ args: [String], stdin: [UInt8] = [], in dir: URL) throws -> Run {
        let path = ["/usr/bin", "/usr/local/bin", "/bin"].map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { throw ToolMissing(tool: tool) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.currentDirectoryURL = dir
        let inFile = dir.appendingPathComponent(".stdin-\(UUID().uuidString)")
        let outFile = dir.appendingPathComponent(".stdout-\(UUID().uuidString)")
        let errFile = dir.appendingPathComponent(".stderr-\(UUID().uuidString)")
        try Data(stdin).write(to: inFile)
        _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { for f in [inFile, outFile, errFile] { try? FileManager.default.removeItem(at: f) } }
        p.standardInput = try FileHandle(forReadingFrom: inFile)
        p.standardOutput = try FileHandle(forWritingTo: outFile)
        p.standardError = try FileHandle(forWritingTo: errFile)
        try p.run()
        p.waitUntilExit()
        return Run(status: p.terminationStatus,
                   stdout: String(decoding: try Data(contentsOf: outFile), as: UTF8.self),
                   stderr: String(decoding: try Data(contentsOf: errFile), as: UTF8.self))
    }

    struct ToolMissing: Error, CustomStringConvertible {
        let tool: String
        var description: String { "\(tool) is not installed (.ci/run installs it: apt-get install minisign openssh-client)" }
    }

    static func write(_ bytes: [UInt8], to url: URL, mode: Int = 0o644) throws {
        try Data(bytes).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    static func read(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }
}

