import Foundation
import Testing

/// `key generate` and `release sign` with passphrase files, end to end through the built tool. Serialized:
/// encrypted keys use minisign's scrypt limits (about 1 GiB and a few seconds per derivation), so the
/// count of derivations here is kept to three.
@Suite("key generate and signing with passphrases", .serialized)
struct KeyCommandTests {
    struct Run { let status: Int32; let stdout: String; let stderr: String }

    static func run(_ args: [String], in dir: URL) throws -> Run {
        let fm = FileManager.default
        let p = Process()
        p.executableURL = VerifyGoldenTests.tool()
        p.arguments = args
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["CI"] = nil
        env["SOURCE_DATE_EPOCH"] = "1781000000"
        p.environment = env
        let out = dir.appendingPathComponent(".out"), err = dir.appendingPathComponent(".err")
        _ = fm.createFile(atPath: out.path, contents: nil)
        _ = fm.createFile(atPath: err.path, contents: nil)
        defer { try? fm.removeItem(at: out); try? fm.removeItem(at: err) }
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                   stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("key-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func mode(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int ?? -1) & 0o777
    }

    static func write(_ text: String, _ url: URL, mode: Int) throws {
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    /// A real release document (built by `release build`): verify runs the disclosure audit on it.
    static func release() throws -> Data {
        try Data(contentsOf: VerifyGoldenTests.root.appendingPathComponent("golden/verify/cases/sign-first/release.json"))
    }

    @Test("an encrypted key from a passphrase file signs a release that verifies; a wrong passphrase is refused")
    func encryptedKeyEndToEnd() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.write("a long passphrase\n", dir.appendingPathComponent("pw"), mode: 0o600)
        let gen = try Self.run(["key", "generate", "--out", "union", "--passphrase-file", "pw"], in: dir)
        #expect(gen.status == 0, "\(gen.stderr)")
        #expect(try Self.mode(dir.appendingPathComponent("union.key")) == 0o600)
        #expect(gen.stderr.isEmpty)
        let keyText = String(decoding: try Data(contentsOf: dir.appendingPathComponent("union.key")), as: UTF8.self)
        // "Ed" "Sc" "B2": an scrypt-encrypted minisign key.
        #expect(keyText.split(separator: "\n")[1].hasPrefix("RWRTY0Iy"))

        try Self.release().write(to: dir.appendingPathComponent("release.json"))
        try Self.write("not the passphrase\n", dir.appendingPathComponent("wrong"), mode: 0o600)
        let bad = try Self.run(["release", "sign", "release.json", "--key", "union.key", "--passphrase-file", "wrong"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr == "union.key: wrong passphrase (the decrypted key's checksum does not match)\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("release.json.minisig").path))

        let sign = try Self.run(["release", "sign", "release.json", "--key", "union.key", "--passphrase-file", "pw", "--ssh"], in: dir)
        #expect(sign.status == 0, "\(sign.stderr)")
        let verify = try Self.run(["release", "verify", "release.json", "--pubkey", "union.pub"], in: dir)
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(verify.stdout.contains("ssh signature: ok"))
        #expect(verify.stdout.contains("audit: ok"))
    }

    @Test("--unencrypted warns, writes mode 0600, and never overwrites")
    func unencrypted() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let gen = try Self.run(["key", "generate", "--out", "auto", "--unencrypted"], in: dir)
        #expect(gen.status == 0)
        #expect(gen.stderr == "warning: auto.key will not be encrypted; anyone who can read it can sign releases\n")
        #expect(try Self.mode(dir.appendingPathComponent("auto.key")) == 0o600)
        let before = try Data(contentsOf: dir.appendingPathComponent("auto.key"))
        let again = try Self.run(["key", "generate", "--out", "auto", "--unencrypted"], in: dir)
        #expect(again.status == 2)
        #expect(try Data(contentsOf: dir.appendingPathComponent("auto.key")) == before)
        let show = try Self.run(["key", "show", "auto.pub"], in: dir)
        #expect(show.stdout.hasPrefix("key id: " + gen.stdout.split(separator: "\n")[0].dropFirst("key id: ".count)))
    }

    @Test("a passphrase file readable by others, or an empty one, is refused before any key work")
    func passphraseFileRules() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.write("pw\n", dir.appendingPathComponent("open"), mode: 0o644)
        try Self.write("\n", dir.appendingPathComponent("empty"), mode: 0o600)
        let open = try Self.run(["key", "generate", "--out", "k", "--passphrase-file", "open"], in: dir)
        #expect(open.status == 2)
        #expect(open.stderr == "open: secret file is readable or writable by others (mode 644); run `chmod 600 open`\n")
        let empty = try Self.run(["key", "generate", "--out", "k", "--passphrase-file", "empty"], in: dir)
        #expect(empty.status == 2)
        #expect(empty.stderr == "the passphrase is empty\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("k.key").path))
    }
}

/// The terminal prompt, through a real pseudo-terminal made by `script` (util-linux, essential in Debian).
/// Input is written only after each prompt has appeared, and the tool turns echo off before prompting.
@Suite("passphrase prompt on a terminal", .serialized)
struct TerminalPromptTests {
    @Test("key generate asks twice on /dev/tty with echo off; the key then opens with the same passphrase")
    func promptTwice() throws {
        let dir = try KeyCommandTests.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-qec", "\(VerifyGoldenTests.tool().path) key generate --out tty", "/dev/null"]
        p.currentDirectoryURL = dir
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = output
        try p.run()
        var seen = ""
        func waitFor(_ text: String) {
            while !seen.contains(text) {
                let d = output.fileHandleForReading.availableData
                if d.isEmpty { return }
                seen += String(decoding: d, as: UTF8.self)
            }
        }
        waitFor("Passphrase for tty.key: ")
        input.fileHandleForWriting.write(Data("typed secret\n".utf8))
        waitFor("Repeat the passphrase: ")
        input.fileHandleForWriting.write(Data("typed secret\n".utf8))
        waitFor("secret key: tty.key")
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(seen)")
        #expect(!seen.contains("typed secret"), "the passphrase was echoed: \(seen)")
        #expect(try KeyCommandTests.mode(dir.appendingPathComponent("tty.key")) == 0o600)

        try KeyCommandTests.write("typed secret\n", dir.appendingPathComponent("pw"), mode: 0o600)
        try KeyCommandTests.release().write(to: dir.appendingPathComponent("r.json"))
        let sign = try KeyCommandTests.run(["release", "sign", "r.json", "--key", "tty.key", "--passphrase-file", "pw"], in: dir)
        #expect(sign.status == 0, "\(sign.stderr)")
    }
}
