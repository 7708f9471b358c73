import Foundation
import Testing

/// Command lines the docs give, run exactly as written (with the built tool first on PATH).
@Suite("recipes of the docs, run as written")
struct DocumentedRecipeTests {
    /// The first line of `doc` that starts with `prefix`.
    static func line(in doc: String, startingWith prefix: String) throws -> String {
        let text = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent(doc), encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else {
            throw CLIRunner.Failure(description: "\(doc) no longer has a line starting with \(prefix)")
        }
        return String(line)
    }

    @Test("members.md: `payload --canonical day.json | cmp - day.json` holds for a canonical file with or without its final newline, and only then")
    func canonicalCmpRecipe() throws {
        let recipe = try Self.line(in: "docs/members.md", startingWith: "backpay-verify payload --canonical day.json | cmp - day.json")
        var seed = [UInt8](try Data(contentsOf: CLIRunner.packageRoot.appendingPathComponent("examples/payloads/2026-06-12.json")))
        while seed.last == 0x0A { seed.removeLast() }
        let cases: [(String, [UInt8], Bool)] = [
            ("final newline", seed + [0x0A], true),
            ("no final newline", seed, true),
            ("two final newlines", seed + [0x0A, 0x0A], false),
            ("a space before the newline", seed + [0x20, 0x0A], false),
        ]
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("recipe-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        let path = CLIRunner.productsDirectory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        for (name, bytes, canonical) in cases {
            try Data(bytes).write(to: dir.appendingPathComponent("day.json"))
            let r = try CLIRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", recipe], in: dir, environment: ["PATH": path])
            #expect((r.status == 0) == canonical, "\(name): \(recipe) exited \(r.status)\n\(r.stderrText)")
            #expect((r.stdoutText == "identical\n") == canonical, "\(name): \(r.stdoutText)")
        }
    }
}
