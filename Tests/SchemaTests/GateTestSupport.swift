import Core
import Foundation
import Testing
@testable import Schema

/// Helpers for the schema gate tests: paths into the package, running the built tool, reading goldens.
enum GateTestSupport {
    /// The package root (two levels above this file's directory).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let golden = packageRoot.appendingPathComponent("golden/schema")

    /// The built `backpay-verify`: next to the test bundle (the products directory), else under .build.
    static var tool: URL? {
        var candidates: [URL] = []
        if let arg0 = CommandLine.arguments.first {
            var dir = URL(fileURLWithPath: arg0).deletingLastPathComponent()
            // The xctest bundle may be a directory (Darwin) or a file (Linux): look upwards a little.
            for _ in 0..<4 { candidates.append(dir.appendingPathComponent("backpay-verify")); dir = dir.deletingLastPathComponent() }
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/backpay-verify"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    /// Runs the tool in `directory` with `arguments`, NO_COLOR set and CI unset.
    static func run(_ arguments: [String], in directory: URL, environment extra: [String: String] = [:]) throws -> Run {
        guard let tool else { throw ToolMissing() }
        return try runProcess(tool, arguments, in: directory, environment: extra.merging(["NO_COLOR": "1"]) { a, _ in a })
    }

    static func runProcess(_ exe: URL, _ arguments: [String], in directory: URL, environment extra: [String: String] = [:]) throws -> Run {
        let p = Process()
        p.executableURL = exe
        p.arguments = arguments
        p.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CI")
        for (k, v) in extra { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        // Read before waiting so that a large output cannot fill the pipe and block the child.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    struct ToolMissing: Error, CustomStringConvertible {
        var description: String { "backpay-verify is not built: run swift build first" }
    }

    static func subdirectories(_ area: String) -> [URL] {
        let dir = golden.appendingPathComponent(area)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().map { dir.appendingPathComponent($0) }.filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: $0.path, isDirectory: &d) && d.boolValue }
    }

    static func read(_ url: URL) -> String? { try? String(contentsOf: url, encoding: .utf8) }

    static func bytes(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }

    static func document(_ url: URL, name: String? = nil) throws -> SchemaDocument {
        try SchemaDocument(name: name ?? url.lastPathComponent, bytes: bytes(url))
    }

    /// Every rule id that appears in the expected JSON outputs under `area`.
    static func rulesInGoldens(_ area: String) -> Set<String> {
        var rules = Set<String>()
        for dir in subdirectories(area) {
            guard let text = read(dir.appendingPathComponent("expected.json")),
                  let v = try? StrictJSON.parse(Array(text.utf8)) else { continue }
            for f in v["findings"]?.arrayValue ?? [] { if let r = f["rule"]?.stringValue { rules.insert(r) } }
        }
        return rules
    }

    /// Runs python3 with a script; nil when python3 or the module cannot run (the caller decides).
    static func python(_ script: String, input: String) throws -> Run {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("gate-py-\(UUID().uuidString).py")
        try script.write(to: tmp, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let inFile = FileManager.default.temporaryDirectory.appendingPathComponent("gate-py-\(UUID().uuidString).json")
        try input.write(to: inFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: inFile) }
        return try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", tmp.path, inFile.path], in: FileManager.default.temporaryDirectory)
    }
}
