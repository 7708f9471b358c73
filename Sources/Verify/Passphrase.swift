import Core
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSodium
import Schema

/// Why no passphrase could be had.
public enum PassphraseError: Error, Hashable, Sendable, CustomStringConvertible {
    case file(FileError)
    case noTerminal
    case empty
    case mismatch
    case tooLong(limit: Int)

    public var description: String {
        switch self {
        case .file(let e): return e.description
        case .noTerminal: return "no terminal to ask for the passphrase on; use --passphrase-file FILE (mode 0600)"
        case .empty: return "the passphrase is empty"
        case .mismatch: return "the two passphrases differ"
        case .tooLong(let l): return "the passphrase is longer than \(l) bytes"
        }
    }
}

/// Reads passphrases from an owner-only file or from the terminal with echo off; never from arguments or
/// the environment, where other users and logs can see them.
public enum Passphrase {
    static let maxBytes = 1024

    /// The first line of `path` (without its line ending); the file must be readable by its owner only.
    public static func fromFile(_ path: String) throws(PassphraseError) -> SecureBytes {
        var bytes: [UInt8]
        do { bytes = try Files.readSecret(path, limit: 1 << 16) } catch { throw .file(error) }
        defer { Secret.wipe(&bytes) }
        var end = bytes.firstIndex(of: 0x0A) ?? bytes.count
        if end > 0 && bytes[end - 1] == 0x0D { end -= 1 }
        guard end > 0 else { throw .empty }
        guard end <= maxBytes else { throw .tooLong(limit: maxBytes) }
        return SecureBytes(copying: bytes[0..<end])
    }

    /// Asks on /dev/tty with echo off; with `confirm`, asks twice and insists on the same answer.
    public static func fromTerminal(prompt: String, confirm: Bool) throws(PassphraseError) -> SecureBytes {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw .noTerminal }
        defer { close(fd) }
        let first = try ask(fd: fd, prompt: prompt)
        if confirm {
            let second = try ask(fd: fd, prompt: "Repeat the passphrase: ")
            let same = first.withUnsafeBytes { a in second.withUnsafeBytes { b in
                a.count == b.count && (a.count == 0 || sodium_memcmp_bytes(a, b))
            } }
            guard same else { throw .mismatch }
        }
        return first
    }

    private static func ask(fd: Int32, prompt: String) throws(PassphraseError) -> SecureBytes {
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { throw .noTerminal }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        quiet.c_lflag |= tcflag_t(ECHONL)
        // Echo goes off (and typeahead is flushed) before the prompt appears, so that nothing typed in
        // answer to the prompt can be echoed.
        guard tcsetattr(fd, TCSAFLUSH, &quiet) == 0 else { throw .noTerminal }
        defer { _ = tcsetattr(fd, TCSAFLUSH, &saved) }
        _ = Array(prompt.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let buffer = SecureBytes(count: maxBytes + 1)
        var length = 0
        var overflow = false
        while true {
            var c: UInt8 = 0
            let n = read(fd, &c, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 || c == 0x0A { break }
            if length < maxBytes + 1 { buffer.withUnsafeMutableBytes { $0[length] = c }; length += 1 } else { overflow = true }
            c = 0
        }
        if length > 0, buffer.withUnsafeBytes({ $0[length - 1] }) == 0x0D { length -= 1 }
        guard !overflow, length <= maxBytes else { throw .tooLong(limit: maxBytes) }
        guard length > 0 else { throw .empty }
        return buffer.slice(0..<length)
    }
}

private func sodium_memcmp_bytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    sodium_memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
}
